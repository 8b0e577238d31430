//! `helm repo add|update|list`: the repositories file, in helm's own format and location
//! (`$HELM_REPOSITORY_CONFIG`, else `$HELM_CONFIG_HOME/repositories.yaml`, else
//! `${XDG_CONFIG_HOME:-~/.config}/helm/repositories.yaml`). Nothing is downloaded: the only chart repository the
//! stand-in knows is OSMO's on NGC ([`OSMO_REPO_URL`]), which serves `backend-operator`.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{Environment, Output};

/// The OSMO chart repository (osmo-api.md §6).
pub const OSMO_REPO_URL: &str = "https://helm.ngc.nvidia.com/nvidia/osmo";

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct RepoFile {
    #[serde(rename = "apiVersion", default)]
    pub api_version: String,
    #[serde(default)]
    pub generated: String,
    #[serde(default)]
    pub repositories: Vec<Repo>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Repo {
    pub name: String,
    pub url: String,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub password: String,
}

fn repo_file_path(env: &Environment) -> PathBuf {
    if let Some(path) = env.path("HELM_REPOSITORY_CONFIG") {
        return path;
    }
    if let Some(dir) = env.path("HELM_CONFIG_HOME") {
        return dir.join("repositories.yaml");
    }
    let config = env
        .path("XDG_CONFIG_HOME")
        .or_else(|| env.path("HOME").map(|h| h.join(".config")))
        .unwrap_or_else(|| env.resolve(".config"));
    config.join("helm").join("repositories.yaml")
}

pub fn load(env: &Environment) -> Result<RepoFile, String> {
    let path = repo_file_path(env);
    match std::fs::read_to_string(&path) {
        Ok(text) => serde_yaml_ng::from_str(&text)
            .map_err(|e| format!("couldn't load repositories file ({}): {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(RepoFile::default()),
        Err(e) => Err(format!("open {}: {e}", path.display())),
    }
}

fn save(env: &Environment, file: &mut RepoFile) -> Result<(), String> {
    let path = repo_file_path(env);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("mkdir {}: {e}", dir.display()))?;
    }
    file.api_version = String::new();
    file.generated = chrono::Utc::now().to_rfc3339();
    let text = serde_yaml_ng::to_string(file).map_err(|e| e.to_string())?;
    std::fs::write(&path, text).map_err(|e| format!("open {}: {e}", path.display()))
}

fn normalize(url: &str) -> &str {
    url.trim_end_matches('/')
}

/// `helm repo add NAME URL [--force-update]`.
pub fn add(
    env: &Environment,
    out: &mut impl Output,
    name: &str,
    url: &str,
    force: bool,
) -> Result<(), String> {
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(format!("could not find protocol handler for: {url}"));
    }
    if normalize(url) != OSMO_REPO_URL {
        // The real helm would download URL/index.yaml; the stand-in has no network and knows one repository.
        return Err(format!(
            "looks like \"{url}\" is not a valid chart repository or cannot be reached: \
             the helm stand-in only knows {OSMO_REPO_URL}"
        ));
    }
    let mut file = load(env)?;
    if let Some(existing) = file.repositories.iter_mut().find(|r| r.name == name) {
        if normalize(&existing.url) == normalize(url) {
            out.stdout(&format!(
                "\"{name}\" already exists with the same configuration, skipping"
            ));
            return Ok(());
        }
        if !force {
            return Err(format!(
                "repository name ({name}) already exists, please specify a different name"
            ));
        }
        existing.url = url.to_string();
    } else {
        file.repositories.push(Repo {
            name: name.to_string(),
            url: url.to_string(),
            username: String::new(),
            password: String::new(),
        });
    }
    save(env, &mut file)?;
    out.stdout(&format!("\"{name}\" has been added to your repositories"));
    Ok(())
}

/// `helm repo update [NAME...]`.
pub fn update(env: &Environment, out: &mut impl Output, names: &[String]) -> Result<(), String> {
    let file = load(env)?;
    if file.repositories.is_empty() {
        return Err("no repositories found. You must add one before updating".into());
    }
    for name in names {
        if !file.repositories.iter().any(|r| &r.name == name) {
            return Err(format!(
                "no repositories found matching '{name}'.  Nothing will be updated"
            ));
        }
    }
    out.stdout("Hang tight while we grab the latest from your chart repositories...");
    for repo in &file.repositories {
        if names.is_empty() || names.contains(&repo.name) {
            out.stdout(&format!(
                "...Successfully got an update from the \"{}\" chart repository",
                repo.name
            ));
        }
    }
    out.stdout("Update Complete. ⎈Happy Helming!⎈");
    Ok(())
}

/// `helm repo list`.
pub fn list(env: &Environment, out: &mut impl Output) -> Result<(), String> {
    let file = load(env)?;
    if file.repositories.is_empty() {
        return Err("no repositories to show".into());
    }
    let width = file
        .repositories
        .iter()
        .map(|r| r.name.len())
        .max()
        .unwrap_or(4)
        .max(4);
    out.stdout(&format!("{:<width$}\tURL", "NAME"));
    for repo in &file.repositories {
        out.stdout(&format!("{:<width$}\t{}", repo.name, repo.url));
    }
    Ok(())
}

/// Resolves `REPO/CHART` to the chart name, failing like helm when the repository or chart is unknown.
pub fn resolve_chart(env: &Environment, reference: &str) -> Result<String, String> {
    if reference.starts_with("oci://") {
        return Err(format!(
            "the helm stand-in cannot pull OCI charts ({reference})"
        ));
    }
    let Some((repo_name, chart)) = reference.split_once('/') else {
        return Err(format!(
            "non-absolute URLs should be in form of repo_name/path_to_chart, got: {reference}"
        ));
    };
    if reference.starts_with('.') || reference.starts_with('/') {
        return Err(format!("path \"{reference}\" not found"));
    }
    let file = load(env)?;
    let repo = file
        .repositories
        .iter()
        .find(|r| r.name == repo_name)
        .ok_or_else(|| format!("repo {repo_name} not found"))?;
    if normalize(&repo.url) != OSMO_REPO_URL || chart != super::chart::CHART_NAME {
        return Err(format!(
            "chart \"{chart}\" not found in {repo_name} index. (try 'helm repo update'): no chart name found"
        ));
    }
    Ok(chart.to_string())
}

//! Running the helm stand-in (`src/bin/helm`) from tests, under the name `helm`.
//!
//! [`helm_standin_path`] finds the binary: `$OSMO_ADMIN_HELM_STANDIN`, else it runs
//! `cargo build -p osmo-admin-test-cluster --bin helm-standin` (quick when fresh; needed because Cargo does not
//! build a dev-dependency's binaries). [`HelmSandbox`] puts it on a private `PATH` as `helm`, with a private
//! helm configuration (repositories file), so the code under test can simply run `helm ...`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::OnceLock;

use tempfile::TempDir;

use crate::Error;

/// Environment variable naming a prebuilt helm stand-in binary.
pub const HELM_STANDIN_ENV: &str = "OSMO_ADMIN_HELM_STANDIN";

/// Path of the helm stand-in binary, building it with Cargo if needed (once per process).
pub fn helm_standin_path() -> Result<PathBuf, Error> {
    if let Some(path) = std::env::var_os(HELM_STANDIN_ENV).filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    static BUILT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    BUILT
        .get_or_init(|| build_standin().map_err(|e| e.to_string()))
        .clone()
        .map_err(Error::Other)
}

fn build_standin() -> Result<PathBuf, Error> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
    let output = std::process::Command::new(&cargo)
        .args([
            "build",
            "--quiet",
            "--message-format=json",
            "--bin",
            "helm-standin",
        ])
        .args(["-p", env!("CARGO_PKG_NAME"), "--manifest-path"])
        .arg(&manifest)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Error::io("running cargo build for the helm stand-in", e))?;
    if !output.status.success() {
        return Err(Error::Command {
            command: "cargo build --bin helm-standin".into(),
            status: output.status.to_string(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        });
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|msg| {
            msg["reason"] == "compiler-artifact" && msg["target"]["name"] == "helm-standin"
        })
        .find_map(|msg| msg["executable"].as_str().map(PathBuf::from))
        .ok_or_else(|| Error::Other("cargo build reported no helm-standin executable".into()))
}

/// A private folder with `bin/helm` (the stand-in) and helm's configuration, for running `helm` in tests.
#[derive(Debug)]
pub struct HelmSandbox {
    dir: TempDir,
}

impl HelmSandbox {
    /// Locates (or builds) the stand-in with [`helm_standin_path`] and links it as `bin/helm`.
    pub fn new() -> Result<Self, Error> {
        Self::with_binary(&helm_standin_path()?)
    }

    /// Like [`HelmSandbox::new`] with a known stand-in binary (e.g. `env!("CARGO_BIN_EXE_helm-standin")`).
    pub fn with_binary(standin: &Path) -> Result<Self, Error> {
        let dir = tempfile::Builder::new()
            .prefix("osmo-helm-")
            .tempdir()
            .map_err(|e| Error::io("creating the helm sandbox", e))?;
        let bin = dir.path().join("bin");
        std::fs::create_dir_all(&bin).map_err(|e| Error::io("creating the helm sandbox", e))?;
        std::os::unix::fs::symlink(standin, bin.join("helm"))
            .map_err(|e| Error::io(format!("linking {} as helm", standin.display()), e))?;
        Ok(HelmSandbox { dir })
    }

    /// The folder holding `helm`; put it first on `PATH`.
    pub fn bin_dir(&self) -> PathBuf {
        self.dir.path().join("bin")
    }

    /// `<bin_dir>/helm`.
    pub fn helm_path(&self) -> PathBuf {
        self.bin_dir().join("helm")
    }

    /// `PATH` with [`HelmSandbox::bin_dir`] first.
    pub fn path_var(&self) -> OsString {
        let mut paths = vec![self.bin_dir()];
        if let Some(path) = std::env::var_os("PATH") {
            paths.extend(std::env::split_paths(&path));
        }
        std::env::join_paths(paths).unwrap_or_else(|_| self.bin_dir().into_os_string())
    }

    /// Environment for a process that should find this `helm`: `PATH`, and `HELM_CONFIG_HOME`,
    /// `HELM_CACHE_HOME`, `HELM_DATA_HOME` inside the sandbox (so `helm repo add` stays private).
    pub fn envs(&self) -> Vec<(String, OsString)> {
        let home = |name: &str| self.dir.path().join(name).into_os_string();
        vec![
            ("PATH".into(), self.path_var()),
            ("HELM_CONFIG_HOME".into(), home("config")),
            ("HELM_CACHE_HOME".into(), home("cache")),
            ("HELM_DATA_HOME".into(), home("data")),
        ]
    }

    /// A `helm` command with [`HelmSandbox::envs`] applied (and `HELM_REPOSITORY_CONFIG` removed).
    pub fn command(&self) -> std::process::Command {
        let mut command = std::process::Command::new(self.helm_path());
        command
            .env_remove("HELM_REPOSITORY_CONFIG")
            .envs(self.envs());
        command
    }
}

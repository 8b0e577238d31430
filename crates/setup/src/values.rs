//! The Helm values file of the `backend-operator` chart, from a form (osmo-api.md §6.1).
//!
//! [`render`] writes the guide's keys under `global` (image tag, image pull secret, service URL,
//! agent and backend namespaces, backend name, token Secret and key, `loginMethod: token`) and the
//! listener and worker resources under a **top-level** `services` key, where the chart's templates
//! read them: the guide indents `services:` under `global:`, where they are silently ignored.
//! The file never contains a token: the chart reads the token from the Secret named here.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::SetupError;
use crate::plan::SetupPlan;

/// Requests and limits of one operator container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resources {
    pub cpu_request: String,
    pub memory_request: String,
    pub memory_limit: String,
}

impl Default for Resources {
    /// The guide's 1 CPU and 1Gi.
    fn default() -> Self {
        Self {
            cpu_request: "1".into(),
            memory_request: "1Gi".into(),
            memory_limit: "1Gi".into(),
        }
    }
}

/// The form's own fields; namespaces, backend name and Secret come from the [`SetupPlan`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValuesForm {
    /// `global.osmoImageTag`, e.g. the service's version.
    pub image_tag: String,
    /// `global.imagePullSecret`; empty: none.
    pub image_pull_secret: String,
    /// `global.serviceUrl`, e.g. `https://osmo.example.com`.
    pub service_url: String,
    pub listener: Resources,
    pub worker: Resources,
}

impl ValuesForm {
    pub fn new(service_url: &str, image_tag: &str) -> Self {
        Self {
            image_tag: image_tag.into(),
            image_pull_secret: String::new(),
            service_url: service_url.into(),
            listener: Resources::default(),
            worker: Resources::default(),
        }
    }

    /// Broken rules, each naming its field (relative to the form).
    pub fn validate(&self) -> Vec<crate::plan::PlanFieldError> {
        let mut errors = Vec::new();
        let mut fail = |field: &str, message: String| {
            errors.push(crate::plan::PlanFieldError {
                field: field.into(),
                message,
            })
        };
        let tag_ok = |c: char| c.is_ascii_alphanumeric() || "._-".contains(c);
        if self.image_tag.is_empty() || !self.image_tag.chars().all(tag_ok) {
            fail("image_tag", format!("The image tag {:?} must be letters, digits, '.', '_' or '-' (e.g. the service's version, 6.0.0).", self.image_tag));
        }
        if !(self.service_url.starts_with("https://") || self.service_url.starts_with("http://")) {
            fail(
                "service_url",
                format!(
                    "The service URL {:?} must start with https:// (or http://).",
                    self.service_url
                ),
            );
        }
        if self.image_pull_secret.contains(char::is_whitespace) {
            fail(
                "image_pull_secret",
                "The image pull secret is a Secret's name: no spaces.".into(),
            );
        }
        for (name, r) in [("listener", &self.listener), ("worker", &self.worker)] {
            for (key, q) in [
                ("cpu_request", &r.cpu_request),
                ("memory_request", &r.memory_request),
                ("memory_limit", &r.memory_limit),
            ] {
                if q.is_empty() || !q.chars().all(|c| c.is_ascii_alphanumeric() || c == '.') {
                    fail(
                        &format!("{name}.{key}"),
                        format!("{q:?} is not a Kubernetes quantity (e.g. 1, 500m, 1Gi)."),
                    );
                }
            }
        }
        errors
    }
}

#[derive(Serialize)]
struct ValuesFile<'a> {
    global: Global<'a>,
    services: Services,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Global<'a> {
    osmo_image_tag: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    image_pull_secret: &'a str,
    service_url: &'a str,
    agent_namespace: &'a str,
    backend_namespace: &'a str,
    backend_name: &'a str,
    account_token_secret: &'a str,
    account_token_secret_key: &'a str,
    login_method: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Services {
    backend_listener: Container,
    backend_worker: Container,
}

#[derive(Serialize)]
struct Container {
    resources: serde_json::Value,
}

impl Container {
    fn of(r: &Resources) -> Self {
        Self {
            resources: serde_json::json!({
                "requests": { "cpu": r.cpu_request, "memory": r.memory_request },
                "limits": { "memory": r.memory_limit },
            }),
        }
    }
}

/// The values file's text for `plan`.
pub fn render(plan: &SetupPlan) -> String {
    let v = &plan.values;
    let file = ValuesFile {
        global: Global {
            osmo_image_tag: &v.image_tag,
            image_pull_secret: &v.image_pull_secret,
            service_url: &v.service_url,
            agent_namespace: &plan.operator_namespace,
            backend_namespace: &plan.workflow_namespace,
            backend_name: &plan.backend_name,
            account_token_secret: &plan.secret_name,
            account_token_secret_key: &plan.secret_key,
            login_method: "token",
        },
        services: Services {
            backend_listener: Container::of(&v.listener),
            backend_worker: Container::of(&v.worker),
        },
    };
    let body = serde_yaml_ng::to_string(&file).unwrap_or_default();
    format!(
        "# Values for the OSMO backend-operator chart, backend {}.\n\
         # `services` is at the top level, where the chart reads it (not under `global`).\n\
         # The token is not here: the operator reads it from Secret {}/{} (key {}).\n{body}",
        plan.backend_name, plan.operator_namespace, plan.secret_name, plan.secret_key
    )
}

/// Writes [`render`]'s text to `path` atomically. Its folder must exist (none is made); a file
/// already there is replaced only if `replace`, else nothing is written ([`Saved::Exists`]).
pub fn save(plan: &SetupPlan, path: &Path, replace: bool) -> Result<Saved, SetupError> {
    let io = |what: String| {
        move |e: std::io::Error| SetupError::Io {
            what,
            detail: e.to_string(),
        }
    };
    if !replace && std::fs::symlink_metadata(path).is_ok() {
        return Ok(Saved::Exists);
    }
    let tmp = path.with_extension("yaml.tmp");
    std::fs::write(&tmp, render(plan)).map_err(io(format!("write {}", tmp.display())))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io(format!("write {}", path.display()))(e)
    })?;
    Ok(Saved::Written)
}

/// What [`save`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Written,
    /// A file is already there and replacing it was not confirmed: nothing was written.
    Exists,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_yaml_ng::Value;

    fn plan() -> SetupPlan {
        let mut plan = SetupPlan::new("gpu-east", "https://osmo.example.com", "6.0");
        plan.values.image_pull_secret = "nvcr-secret".into();
        plan.values.worker.memory_limit = "2Gi".into();
        plan
    }

    #[test]
    fn services_are_at_the_top_level_where_the_chart_reads_them() {
        let doc: Value = serde_yaml_ng::from_str(&render(&plan())).unwrap();
        let listener = &doc["services"]["backendListener"]["resources"];
        assert_eq!(listener["requests"]["cpu"], Value::from("1"));
        assert_eq!(listener["requests"]["memory"], Value::from("1Gi"));
        assert_eq!(
            doc["services"]["backendWorker"]["resources"]["limits"]["memory"],
            Value::from("2Gi")
        );
        assert!(doc["global"].get("services").is_none());
    }

    #[test]
    fn global_holds_the_guides_keys_as_strings() {
        let doc: Value = serde_yaml_ng::from_str(&render(&plan())).unwrap();
        let g = &doc["global"];
        for (key, want) in [
            ("osmoImageTag", "6.0"),
            ("imagePullSecret", "nvcr-secret"),
            ("serviceUrl", "https://osmo.example.com"),
            ("agentNamespace", "osmo-operator"),
            ("backendNamespace", "osmo-workflows"),
            ("backendName", "gpu-east"),
            ("accountTokenSecret", "osmo-operator-token"),
            ("accountTokenSecretKey", "token"),
            ("loginMethod", "token"),
        ] {
            assert_eq!(g[key], Value::from(want), "{key}");
        }
        let mut p = plan();
        p.values.image_pull_secret.clear();
        let doc: Value = serde_yaml_ng::from_str(&render(&p)).unwrap();
        assert!(doc["global"].get("imagePullSecret").is_none());
    }

    #[test]
    fn saved_file_reads_back_and_form_errors_name_fields() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("values.yaml");
        assert_eq!(save(&plan(), &path, false).unwrap(), Saved::Written);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text, render(&plan()));
        let mut form = plan().values;
        form.image_tag = "6.0 beta".into();
        form.listener.cpu_request = String::new();
        let fields: Vec<String> = form.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["image_tag", "listener.cpu_request"]);
    }

    #[test]
    fn an_existing_file_is_replaced_only_when_confirmed_and_no_folder_is_made() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("values.yaml");
        std::fs::write(&path, "mine").unwrap();
        assert_eq!(save(&plan(), &path, false).unwrap(), Saved::Exists);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine");
        assert_eq!(save(&plan(), &path, true).unwrap(), Saved::Written);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), render(&plan()));
        let nowhere = dir.path().join("missing/values.yaml");
        assert!(save(&plan(), &nowhere, false).is_err());
        assert!(!dir.path().join("missing").exists());
    }
}

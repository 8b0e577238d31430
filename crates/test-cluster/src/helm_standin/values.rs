//! The chart's values: the `backend-operator` defaults (osmo-api.md §6.1) merged with the `-f` files,
//! then checked the way an install of the real chart needs them.
//!
//! Errors read like helm's. Mistakes the real chart would silently ignore (notably `services:` indented under
//! `global:`, as in the OSMO guide's snippet, or misspelled `global.*` keys) are reported as warnings on stderr.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{ResourceRequirements, Toleration};
use serde_json::{json, Map, Value};

/// How the operator logs in to OSMO.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginMethod {
    Token,
    Password,
}

/// Everything the templates use, after defaults and checks.
#[derive(Debug, Clone)]
pub struct ChartValues {
    pub name_prefix: Option<String>,
    pub image_location: String,
    pub image_tag: String,
    pub service_url: String,
    pub agent_namespace: String,
    pub backend_namespace: String,
    pub backend_name: String,
    pub account_token_secret: String,
    pub account_token_secret_key: String,
    pub login_method: LoginMethod,
    pub account_username: String,
    pub account_password_secret: String,
    pub account_password_secret_key: String,
    pub image_pull_secret: Option<String>,
    pub node_selector: BTreeMap<String, String>,
    pub tolerations: Vec<Toleration>,
    pub enable_cluster_roles: bool,
    pub enable_non_cluster_roles: bool,
    pub listener_resources: ResourceRequirements,
    pub worker_resources: ResourceRequirements,
    /// The merged user-supplied values (what `helm get values` would show).
    pub supplied: Value,
}

/// The `global.*` keys of the chart's values.yaml.
const GLOBAL_KEYS: &[&str] = &[
    "name",
    "osmoImageLocation",
    "osmoImageTag",
    "serviceUrl",
    "agentNamespace",
    "backendNamespace",
    "backendName",
    "accountTokenSecret",
    "accountTokenSecretKey",
    "loginMethod",
    "accountUsername",
    "accountPasswordSecret",
    "accountPasswordSecretKey",
    "backendTestNamespace",
    "nodeConditionPrefix",
    "imagePullSecret",
    "nodeSelector",
    "tolerations",
    "logs",
    "enableClusterRoles",
    "enableNonClusterRoles",
    "priorityClasses",
    "networkPolicy",
];

fn chart_defaults() -> Value {
    json!({
        "global": {
            "osmoImageLocation": "nvcr.io/nvidia/osmo",
            "osmoImageTag": "latest",
            "serviceUrl": "",
            "agentNamespace": "osmo",
            "backendNamespace": "osmo-namespace",
            "backendName": "default",
            "accountTokenSecret": "agent-token",
            "accountTokenSecretKey": "token",
            "loginMethod": "password",
            "accountUsername": "",
            "accountPasswordSecret": "svc-osmo-admin",
            "accountPasswordSecretKey": "password",
            "imagePullSecret": "",
            "nodeSelector": {},
            "tolerations": [],
            "logs": {"logLevel": "DEBUG", "k8sLogLevel": "WARNING", "logFormat": "text"},
            "enableClusterRoles": true,
            "enableNonClusterRoles": true,
            "priorityClasses": {"enabled": true},
            "networkPolicy": {"enabled": false}
        },
        "services": {
            "backendListener": {"resources": {
                "requests": {"cpu": "1", "memory": "2Gi"}, "limits": {"memory": "2Gi"}}},
            "backendWorker": {"resources": {
                "requests": {"cpu": "1", "memory": "1Gi"}, "limits": {"memory": "1Gi"}}}
        },
        "backendTestRunner": {"enabled": true},
        "podMonitor": {"enabled": false}
    })
}

/// Reads one values file the way `helm -f FILE` does.
pub fn read_file(env: &super::Environment, path: &str) -> Result<Value, String> {
    let text = std::fs::read_to_string(env.resolve(path)).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!("open {path}: no such file or directory"),
        _ => format!("open {path}: {e}"),
    })?;
    parse(path, &text)
}

/// Parses values YAML; the document must be a mapping (or empty).
pub fn parse(path: &str, text: &str) -> Result<Value, String> {
    let yaml: serde_yaml_ng::Value = serde_yaml_ng::from_str(text)
        .map_err(|e| format!("failed to parse {path}: error converting YAML to JSON: yaml: {e}"))?;
    let value = serde_json::to_value(&yaml)
        .map_err(|e| format!("failed to parse {path}: error converting YAML to JSON: {e}"))?;
    match value {
        Value::Null => Ok(Value::Object(Map::new())),
        Value::Object(_) => Ok(value),
        other => Err(format!(
            "failed to parse {path}: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} \
             into Go value of type map[string]interface {{}}",
            go_type(&other)
        )),
    }
}

fn go_type(value: &Value) -> &'static str {
    match value {
        Value::Array(_) => "array",
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        _ => "object",
    }
}

/// Deep merge: maps merge key by key, anything else in `over` replaces `base`.
pub fn merge(base: &mut Value, over: Value) {
    match (base, over) {
        (Value::Object(base), Value::Object(over)) => {
            for (key, value) in over {
                match base.get_mut(&key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (base, over) => *base = over,
    }
}

/// Merges `files` (in order) over the chart defaults and checks the result.
/// Returns the values and the warnings to print.
pub fn load(supplied: Value) -> Result<(ChartValues, Vec<String>), String> {
    let mut warnings = Vec::new();
    if let Some(global) = supplied.get("global").and_then(Value::as_object) {
        if global.contains_key("services") {
            warnings.push(
                "values key \"global.services\" is not used by chart backend-operator: \"services:\" belongs at \
                 the top level of the values file (not under \"global:\"); the resource settings under it are \
                 ignored"
                    .to_string(),
            );
        }
        for key in global.keys().filter(|k| *k != "services") {
            if !GLOBAL_KEYS.contains(&key.as_str()) {
                warnings.push(format!(
                    "values key \"global.{key}\" is not used by chart backend-operator and is ignored"
                ));
            }
        }
    } else if supplied.get("global").is_some_and(|g| !g.is_null()) {
        return Err(template_error("global must be a map"));
    }
    let mut all = chart_defaults();
    merge(&mut all, supplied.clone());
    let global = &all["global"];

    let mut text = |key: &str| -> Result<String, String> {
        match &global[key] {
            Value::String(s) => Ok(s.clone()),
            Value::Null => Ok(String::new()),
            Value::Number(n) => {
                // Go templates print numbers the way Go formats float64/int64: 6.0 -> "6", 6.10 -> "6.1".
                let rendered = match n.as_f64() {
                    Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 1e15 => {
                        format!("{}", f as i64)
                    }
                    Some(f) if n.is_f64() => format!("{f}"),
                    _ => n.to_string(),
                };
                warnings.push(format!(
                    "values key \"global.{key}\" is the number {n}, not a string: the chart renders it as \
                     \"{rendered}\" (quote it in YAML)"
                ));
                Ok(rendered)
            }
            Value::Bool(b) => Ok(b.to_string()),
            _ => Err(template_error(&format!("global.{key} must be a string"))),
        }
    };
    let service_url = text("serviceUrl")?;
    let login_method = match text("loginMethod")?.as_str() {
        "token" => LoginMethod::Token,
        "password" => LoginMethod::Password,
        other => {
            return Err(template_error(&format!(
                "global.loginMethod must be \"token\" or \"password\", got \"{other}\""
            )))
        }
    };
    let values = ChartValues {
        name_prefix: Some(text("name")?).filter(|s| !s.is_empty()),
        image_location: text("osmoImageLocation")?,
        image_tag: text("osmoImageTag")?,
        agent_namespace: text("agentNamespace")?,
        backend_namespace: text("backendNamespace")?,
        backend_name: text("backendName")?,
        account_token_secret: text("accountTokenSecret")?,
        account_token_secret_key: text("accountTokenSecretKey")?,
        account_username: text("accountUsername")?,
        account_password_secret: text("accountPasswordSecret")?,
        account_password_secret_key: text("accountPasswordSecretKey")?,
        image_pull_secret: Some(text("imagePullSecret")?).filter(|s| !s.is_empty()),
        service_url,
        login_method,
        node_selector: typed(&global["nodeSelector"], "global.nodeSelector")?,
        tolerations: typed(&global["tolerations"], "global.tolerations")?,
        enable_cluster_roles: flag(&global["enableClusterRoles"], "global.enableClusterRoles")?,
        enable_non_cluster_roles: flag(
            &global["enableNonClusterRoles"],
            "global.enableNonClusterRoles",
        )?,
        listener_resources: typed(
            &all["services"]["backendListener"]["resources"],
            "services.backendListener.resources",
        )?,
        worker_resources: typed(
            &all["services"]["backendWorker"]["resources"],
            "services.backendWorker.resources",
        )?,
        supplied,
    };
    check_required(&values)?;
    Ok((values, warnings))
}

fn check_required(v: &ChartValues) -> Result<(), String> {
    if v.service_url.is_empty() {
        return Err(template_error(
            "global.serviceUrl is required (the OSMO service URL, e.g. https://osmo.example.com)",
        ));
    }
    if !(v.service_url.starts_with("https://") || v.service_url.starts_with("http://")) {
        return Err(template_error(&format!(
            "global.serviceUrl must start with https:// or http://, got \"{}\"",
            v.service_url
        )));
    }
    for (key, value) in [
        ("global.backendName", &v.backend_name),
        ("global.agentNamespace", &v.agent_namespace),
        ("global.backendNamespace", &v.backend_namespace),
        ("global.osmoImageTag", &v.image_tag),
        ("global.osmoImageLocation", &v.image_location),
    ] {
        if value.is_empty() {
            return Err(template_error(&format!("{key} must not be empty")));
        }
    }
    let secret = match v.login_method {
        LoginMethod::Token => [
            ("global.accountTokenSecret", &v.account_token_secret),
            ("global.accountTokenSecretKey", &v.account_token_secret_key),
        ],
        LoginMethod::Password => [
            ("global.accountPasswordSecret", &v.account_password_secret),
            (
                "global.accountPasswordSecretKey",
                &v.account_password_secret_key,
            ),
        ],
    };
    for (key, value) in secret {
        if value.is_empty() {
            return Err(template_error(&format!("{key} must not be empty")));
        }
    }
    if v.login_method == LoginMethod::Password && v.account_username.is_empty() {
        return Err(template_error(
            "global.accountUsername is required with loginMethod password",
        ));
    }
    Ok(())
}

fn typed<T: serde::de::DeserializeOwned + Default>(value: &Value, key: &str) -> Result<T, String> {
    if value.is_null() {
        return Ok(T::default());
    }
    serde_json::from_value(value.clone()).map_err(|e| template_error(&format!("{key}: {e}")))
}

fn flag(value: &Value, key: &str) -> Result<bool, String> {
    match value {
        Value::Bool(b) => Ok(*b),
        Value::Null => Ok(false),
        _ => Err(template_error(&format!("{key} must be true or false"))),
    }
}

fn template_error(message: &str) -> String {
    format!("execution error at (backend-operator/templates/backend-listener.yaml): {message}")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const GUIDE: &str = "global:\n  osmoImageTag: 6.0.0\n  serviceUrl: https://osmo.example.com\n  \
        agentNamespace: osmo-operator\n  backendNamespace: osmo-workflows\n  backendName: gpu-a\n  \
        accountTokenSecret: osmo-operator-token\n  loginMethod: token\n  imagePullSecret: nvcr-secret\n\
        services:\n  backendListener:\n    resources:\n      requests: {cpu: \"1\", memory: 1Gi}\n";

    #[test]
    fn the_guide_values_load() {
        let (v, warnings) = load(parse("values.yaml", GUIDE).unwrap()).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(v.backend_name, "gpu-a");
        assert_eq!(v.login_method, LoginMethod::Token);
        assert_eq!(v.account_token_secret_key, "token");
        assert_eq!(v.image_pull_secret.as_deref(), Some("nvcr-secret"));
        let requests = v.listener_resources.requests.unwrap();
        assert_eq!(requests["memory"].0, "1Gi");
        // Worker keeps the chart default.
        assert_eq!(v.worker_resources.requests.unwrap()["memory"].0, "1Gi");
    }

    #[test]
    fn services_under_global_is_a_warning() {
        let text = GUIDE.replace(
            "services:\n  backendListener",
            "  services:\n    backendListener",
        );
        let text = text.replace(
            "    resources:\n      requests",
            "      resources:\n        requests",
        );
        let (v, warnings) = load(parse("values.yaml", &text).unwrap()).unwrap();
        assert!(
            warnings.iter().any(|w| w.contains("global.services")),
            "{warnings:?}"
        );
        assert_eq!(v.listener_resources.requests.unwrap()["memory"].0, "2Gi");
    }

    #[test]
    fn bad_values_fail_like_helm() {
        assert!(parse("v.yaml", "global: [")
            .unwrap_err()
            .starts_with("failed to parse v.yaml"));
        assert!(parse("v.yaml", "- a\n- b\n")
            .unwrap_err()
            .contains("cannot unmarshal array"));
        let no_url = GUIDE.replace("  serviceUrl: https://osmo.example.com\n", "");
        assert!(load(parse("v.yaml", &no_url).unwrap())
            .unwrap_err()
            .contains("global.serviceUrl is required"));
        let bad_login = GUIDE.replace("loginMethod: token", "loginMethod: tokn");
        assert!(load(parse("v.yaml", &bad_login).unwrap())
            .unwrap_err()
            .contains("loginMethod"));
        assert!(read_file(
            &crate::helm_standin::Environment::default(),
            "/nonexistent/values.yaml"
        )
        .unwrap_err()
        .contains("no such file or directory"));
    }

    #[test]
    fn unquoted_numbers_render_like_go_with_a_warning() {
        let text = GUIDE.replace("osmoImageTag: 6.0.0", "osmoImageTag: 6.0");
        let (v, warnings) = load(parse("values.yaml", &text).unwrap()).unwrap();
        assert_eq!(v.image_tag, "6");
        assert!(
            warnings.iter().any(|w| w.contains("global.osmoImageTag")),
            "{warnings:?}"
        );
    }

    #[test]
    fn later_files_win() {
        let mut a = json!({"global": {"backendName": "a", "serviceUrl": "https://x"}});
        merge(&mut a, json!({"global": {"backendName": "b"}}));
        assert_eq!(
            a,
            json!({"global": {"backendName": "b", "serviceUrl": "https://x"}})
        );
    }
}

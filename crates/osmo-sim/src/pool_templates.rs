//! What a pool's template names resolve to (`Pool.insert_into_db`): the parsed pod template
//! (named pod templates merged, lists of named items merged by `name`), the parsed resource
//! validations, each platform's overrides, tolerations, node labels and default mounts. The
//! simulator knows the templates of a fresh service (`default_ctrl`, `default_user`,
//! `default_cpu`, `default_memory`, `default_storage`, as the 6.0 capture's default pool shows
//! them merged) and no group templates; other names are refused like the service refuses them.

use std::sync::OnceLock;

use serde_json::{json, Map, Value};

use crate::errors::ApiError;

fn library(
    text: &'static str,
    cell: &'static OnceLock<Map<String, Value>>,
) -> &'static Map<String, Value> {
    cell.get_or_init(|| {
        serde_json::from_str::<Value>(text)
            .ok()
            .and_then(|v| v.as_object().cloned())
            .unwrap_or_default()
    })
}

fn pod_templates() -> &'static Map<String, Value> {
    static CELL: OnceLock<Map<String, Value>> = OnceLock::new();
    library(include_str!("../data/pod-templates.json"), &CELL)
}

fn resource_validations() -> &'static Map<String, Value> {
    static CELL: OnceLock<Map<String, Value>> = OnceLock::new();
    library(include_str!("../data/resource-validations.json"), &CELL)
}

/// `recursive_dict_update` with `merge_lists_on_name`: objects merge key by key; lists of
/// objects merge items with the same `name` and append the others; anything else is replaced.
fn merge(base: &mut Value, update: &Value) {
    match (base, update) {
        (Value::Object(b), Value::Object(u)) => {
            for (k, v) in u {
                match b.get_mut(k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (Value::Array(b), Value::Array(u)) => {
            for item in u {
                let name = item.get("name").filter(|_| item.is_object());
                match name.and_then(|n| b.iter_mut().find(|x| x.get("name") == Some(n))) {
                    Some(existing) => merge(existing, item),
                    None => b.push(item.clone()),
                }
            }
        }
        (b, u) => *b = u.clone(),
    }
}

fn names(v: Option<&Value>) -> Vec<&str> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn merged_pod_template(base: Value, template_names: &[&str]) -> Result<Value, ApiError> {
    let mut out = base;
    for name in template_names {
        let t = pod_templates()
            .get(*name)
            .ok_or_else(|| ApiError::Usage(format!("Pod template {name} does not exist!")))?;
        merge(&mut out, t);
    }
    Ok(out)
}

fn validations(base: &[Value], validation_names: &[&str]) -> Result<Vec<Value>, ApiError> {
    let mut out = base.to_vec();
    for name in validation_names {
        let v = resource_validations()
            .get(*name)
            .and_then(Value::as_array)
            .ok_or_else(|| {
                ApiError::Usage(format!("Resource validation {name} does not exist!"))
            })?;
        out.extend(v.iter().cloned());
    }
    Ok(out)
}

/// The computed parts of one platform.
#[derive(Clone, Debug, Default)]
pub(crate) struct ParsedPlatform {
    pub pod_template: Value,
    pub resource_validations: Vec<Value>,
}

impl ParsedPlatform {
    /// `tolerations` from the pod template's `spec.tolerations` (model defaults filled in).
    pub(crate) fn tolerations(&self) -> Value {
        let items = self.pod_template["spec"]["tolerations"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        Value::Array(
            items
                .iter()
                .map(|t| {
                    json!({"key": t["key"], "operator": t.get("operator").cloned().unwrap_or(json!("Equal")),
                           "value": t["value"], "effect": t["effect"]})
                })
                .collect(),
        )
    }

    /// `labels`: the pod template's `spec.nodeSelector`.
    pub(crate) fn labels(&self) -> Value {
        self.pod_template["spec"]
            .get("nodeSelector")
            .cloned()
            .unwrap_or_else(|| json!({}))
    }

    /// `default_mounts`: mount paths of every container except `osmo-ctrl`.
    pub(crate) fn default_mounts(&self) -> Value {
        let containers = self.pod_template["spec"]["containers"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let paths: Vec<Value> = containers
            .iter()
            .filter(|c| c["name"] != "osmo-ctrl")
            .flat_map(|c| c["volumeMounts"].as_array().cloned().unwrap_or_default())
            .filter_map(|m| m.get("mountPath").filter(|p| !p.is_null()).cloned())
            .collect();
        Value::Array(paths)
    }
}

/// The computed parts of a pool.
#[derive(Clone, Debug, Default)]
pub(crate) struct Parsed {
    pub pod_template: Value,
    pub resource_validations: Vec<Value>,
    platform_parts: Vec<(String, ParsedPlatform)>,
}

impl Parsed {
    pub(crate) fn platform(&self, name: &str) -> ParsedPlatform {
        self.platform_parts
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, p)| p.clone())
            .unwrap_or_default()
    }
}

/// Resolves a stored pool's template names, refusing unknown ones (`OSMOUsageError`, 400) and a
/// `default_platform` that is not one of its platforms, in the order the service checks them.
pub(crate) fn resolve(config: &Map<String, Value>) -> Result<Parsed, ApiError> {
    let platforms = config
        .get("platforms")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let pod_template = merged_pod_template(json!({}), &names(config.get("common_pod_template")))?;
    let mut parts: Vec<(String, ParsedPlatform)> = Vec::new();
    for (name, p) in &platforms {
        let t = merged_pod_template(pod_template.clone(), &names(p.get("override_pod_template")))?;
        parts.push((
            name.clone(),
            ParsedPlatform {
                pod_template: t,
                resource_validations: vec![],
            },
        ));
    }
    let resource_validations = validations(&[], &names(config.get("common_resource_validations")))?;
    for (name, part) in &mut parts {
        let own = names(
            platforms
                .get(name.as_str())
                .and_then(|p| p.get("resource_validations")),
        );
        part.resource_validations = validations(&resource_validations, &own)?;
    }
    if let Some(bad) = names(config.get("common_group_templates")).first() {
        return Err(ApiError::Usage(format!(
            "Group template {bad} does not exist!"
        )));
    }
    if let Some(default) = config.get("default_platform").and_then(Value::as_str) {
        if !default.is_empty() && !platforms.contains_key(default) {
            return Err(ApiError::Usage(format!(
                "Default platform {default} not in platforms"
            )));
        }
    }
    Ok(Parsed {
        pod_template,
        resource_validations,
        platform_parts: parts,
    })
}

/// 6.4's `parsed_pod_template_for_accounting`: the parsed template with the `{{VAR}}`
/// placeholders of the `osmo-ctrl` container's resources replaced by the default variables (the
/// service renders Jinja there; plain placeholders are what the built-in templates use).
pub(crate) fn for_accounting(pod_template: &Value, variables: &Value) -> Value {
    let mut out = pod_template.clone();
    let containers = out
        .get_mut("spec")
        .and_then(|s| s.get_mut("containers"))
        .and_then(Value::as_array_mut);
    if let Some(containers) = containers {
        for c in containers.iter_mut().filter(|c| c["name"] == "osmo-ctrl") {
            if let Some(resources) = c.get_mut("resources") {
                substitute(resources, variables);
            }
        }
    }
    out
}

fn substitute(v: &mut Value, variables: &Value) {
    match v {
        Value::String(s) => {
            let name = s
                .trim()
                .strip_prefix("{{")
                .and_then(|r| r.strip_suffix("}}"))
                .map(str::trim);
            if let Some(value) = name.and_then(|n| variables.get(n)) {
                *v = json!(value
                    .as_str()
                    .map_or_else(|| value.to_string(), str::to_string));
            }
        }
        Value::Object(m) => m.values_mut().for_each(|x| substitute(x, variables)),
        Value::Array(a) => a.iter_mut().for_each(|x| substitute(x, variables)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_templates_merge_into_both_containers() {
        let config = crate::pool_model::default_pool(crate::dialect::Dialect::V6_0);
        let parsed = resolve(&config).unwrap_or_default();
        let containers = parsed.pod_template["spec"]["containers"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(containers.len(), 2);
        assert_eq!(containers[0]["name"], "osmo-ctrl");
        assert_eq!(parsed.resource_validations.len(), 6);
        assert_eq!(parsed.platform("default").resource_validations.len(), 6);
        assert_eq!(parsed.platform("default").default_mounts(), json!([]));
    }

    #[test]
    fn unknown_names_are_usage_errors() {
        let mut config = Map::new();
        config.insert("common_pod_template".into(), json!(["nope"]));
        assert!(
            matches!(resolve(&config), Err(ApiError::Usage(m)) if m == "Pod template nope does not exist!")
        );
        let mut config = Map::new();
        config.insert("default_platform".into(), json!("gpu"));
        assert!(matches!(resolve(&config), Err(ApiError::Usage(_))));
    }

    #[test]
    fn named_list_items_merge() {
        let mut base = json!({"spec": {"containers": [{"name": "a", "x": 1}]}});
        merge(
            &mut base,
            &json!({"spec": {"containers": [{"name": "a", "y": 2}, {"name": "b"}]}}),
        );
        assert_eq!(
            base,
            json!({"spec": {"containers": [{"name": "a", "x": 1, "y": 2}, {"name": "b"}]}})
        );
    }

    #[test]
    fn accounting_copy_fills_ctrl_placeholders() {
        let t = json!({"spec": {"containers": [{"name": "osmo-ctrl", "resources": {"limits": {"cpu": "{{USER_CPU}}"}}}]}});
        let out = for_accounting(&t, &json!({"USER_CPU": 1}));
        assert_eq!(
            out["spec"]["containers"][0]["resources"]["limits"]["cpu"],
            "1"
        );
        assert_eq!(for_accounting(&json!({}), &json!({})), json!({}));
    }
}

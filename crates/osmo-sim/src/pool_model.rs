//! The pool document the service stores: the editable `Pool` fields of each dialect (6.0 has
//! `action_permissions`; 6.2+ has `topology_keys` and `common_group_templates`), their model
//! defaults, the default pool every service creates, the name rule, and the validation pydantic
//! applies to a `Pool` (coercions and 422 items of each generation).

use std::sync::OnceLock;

use serde_json::{json, Map, Value};

use crate::dialect::Dialect;
use crate::pydantic::{child, coerce_bool, missing, type_error, Expected};

/// How a field is typed in the `Pool`/`Platform` models.
#[derive(Clone, Copy)]
enum Kind {
    Str,
    OptStr,
    Bool,
    Dict,
    List,
    StrList,
    /// `download_type`: `"download"` or null.
    DownloadType,
    /// `status`: accepted on input, never stored (it is computed).
    Status,
    /// `resources`: `{"gpu": {...} | null}`.
    Resources,
    Platforms,
}

const POOL_STATUSES: [&str; 3] = ["ONLINE", "OFFLINE", "MAINTENANCE"];

fn pool_fields(dialect: Dialect) -> Vec<(&'static str, Kind)> {
    let mut f = vec![
        ("description", Kind::Str),
        ("download_type", Kind::DownloadType),
        ("enable_maintenance", Kind::Bool),
        ("backend", Kind::Str),
        ("default_platform", Kind::OptStr),
        ("default_exec_timeout", Kind::Str),
        ("default_queue_timeout", Kind::Str),
        ("max_exec_timeout", Kind::Str),
        ("max_queue_timeout", Kind::Str),
        ("default_exit_actions", Kind::Dict),
    ];
    match dialect {
        Dialect::V6_0 => f.push(("action_permissions", Kind::Dict)),
        Dialect::V6_2 | Dialect::V6_4 => f.push(("topology_keys", Kind::List)),
    }
    f.extend([
        ("resources", Kind::Resources),
        ("common_default_variables", Kind::Dict),
        ("common_resource_validations", Kind::StrList),
        ("common_pod_template", Kind::StrList),
    ]);
    if !dialect.is_v6_0() {
        f.push(("common_group_templates", Kind::StrList));
    }
    f.push(("platforms", Kind::Platforms));
    f
}

/// The editable fields of a platform (`PlatformEditable`), as stored.
pub(crate) const PLATFORM_FIELDS: [&str; 7] = [
    "description",
    "host_network_allowed",
    "privileged_allowed",
    "allowed_mounts",
    "default_variables",
    "resource_validations",
    "override_pod_template",
];

fn platform_kind(field: &str) -> Kind {
    match field {
        "description" => Kind::Str,
        "host_network_allowed" | "privileged_allowed" => Kind::Bool,
        "default_variables" => Kind::Dict,
        _ => Kind::StrList,
    }
}

/// Model defaults of the stored pool fields (`backend` has none; it is required).
fn default_value(field: &str) -> Value {
    match field {
        "download_type" | "default_platform" => Value::Null,
        "enable_maintenance" | "host_network_allowed" | "privileged_allowed" => json!(false),
        "default_exit_actions" | "common_default_variables" | "platforms" | "default_variables" => {
            json!({})
        }
        "action_permissions" => {
            json!({"execute": "PRIVATE", "portforward": "PRIVATE", "cancel": "PRIVATE", "rsync": "PRIVATE"})
        }
        "resources" => json!({"gpu": null}),
        "description"
        | "default_exec_timeout"
        | "default_queue_timeout"
        | "max_exec_timeout"
        | "max_queue_timeout"
        | "backend" => json!(""),
        _ => json!([]),
    }
}

/// The stored document of the pool `default` every service creates on its first start.
pub(crate) fn default_pool(dialect: Dialect) -> Map<String, Value> {
    static V60: OnceLock<Value> = OnceLock::new();
    static V62: OnceLock<Value> = OnceLock::new();
    let v = match dialect {
        Dialect::V6_0 => V60.get_or_init(|| {
            serde_json::from_str(include_str!("../data/default-pool-6.0.json")).unwrap_or_default()
        }),
        Dialect::V6_2 | Dialect::V6_4 => V62.get_or_init(|| {
            serde_json::from_str(include_str!("../data/default-pool-6.2.json")).unwrap_or_default()
        }),
    };
    v.as_object().cloned().unwrap_or_default()
}

/// `CONFIG_NAME_REGEX` (`^[a-zA-Z]([a-zA-Z0-9_.-]*[a-zA-Z0-9])?$`) for pool and platform names.
pub(crate) fn config_name_valid(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
        && name
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric())
}

/// A string field: pydantic v1 turns numbers into strings, v2 does not.
fn coerce_str(dialect: Dialect, v: &Value) -> Option<Value> {
    match v {
        Value::String(_) => Some(v.clone()),
        Value::Number(n) if dialect.is_v6_0() || dialect == Dialect::V6_2 => {
            Some(json!(n.to_string()))
        }
        _ => None,
    }
}

fn check(
    dialect: Dialect,
    kind: Kind,
    v: &Value,
    loc: &[Value],
    errors: &mut Vec<Value>,
) -> Option<Value> {
    let wrong = |expected: Expected, errors: &mut Vec<Value>| {
        errors.push(type_error(dialect, loc, expected, v));
        None
    };
    match kind {
        Kind::OptStr | Kind::DownloadType | Kind::Status if v.is_null() => Some(Value::Null),
        Kind::Str | Kind::OptStr => coerce_str(dialect, v).or_else(|| wrong(Expected::Str, errors)),
        Kind::DownloadType if v == "download" => Some(v.clone()),
        Kind::DownloadType => wrong(Expected::Enum(&["download"]), errors),
        Kind::Status if v.as_str().is_some_and(|s| POOL_STATUSES.contains(&s)) => Some(v.clone()),
        Kind::Status => wrong(Expected::Enum(&POOL_STATUSES), errors),
        Kind::Bool => coerce_bool(v)
            .map(Value::Bool)
            .or_else(|| wrong(Expected::Bool, errors)),
        Kind::Dict if v.is_object() => Some(v.clone()),
        Kind::Dict => wrong(Expected::Dict, errors),
        Kind::Resources if v.is_object() => Some(v.clone()),
        Kind::Resources => wrong(Expected::Model("PoolResources"), errors),
        Kind::List if v.is_array() => Some(v.clone()),
        Kind::List => wrong(Expected::List, errors),
        Kind::StrList => {
            let Value::Array(items) = v else {
                return wrong(Expected::List, errors);
            };
            let before = errors.len();
            let out: Vec<Value> = items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| {
                    coerce_str(dialect, item).or_else(|| {
                        errors.push(type_error(dialect, &child(loc, i), Expected::Str, item));
                        None
                    })
                })
                .collect();
            (errors.len() == before).then_some(Value::Array(out))
        }
        Kind::Platforms => {
            let Value::Object(platforms) = v else {
                return wrong(Expected::Dict, errors);
            };
            let mut out = Map::new();
            for (name, p) in platforms {
                if let Some(parsed) = parse_platform(dialect, p, &child(loc, name.as_str()), errors)
                {
                    out.insert(name.clone(), Value::Object(parsed));
                }
            }
            Some(Value::Object(out))
        }
    }
}

fn parse_platform(
    dialect: Dialect,
    input: &Value,
    loc: &[Value],
    errors: &mut Vec<Value>,
) -> Option<Map<String, Value>> {
    let Value::Object(m) = input else {
        errors.push(type_error(dialect, loc, Expected::Model("Platform"), input));
        return None;
    };
    let mut out = Map::new();
    for field in PLATFORM_FIELDS {
        let value = match m.get(field) {
            None => default_value(field),
            Some(v) => check(dialect, platform_kind(field), v, &child(loc, field), errors)?,
        };
        out.insert(field.to_string(), value);
    }
    Some(out)
}

/// Validates a `Pool` value (a request body's pool or a merged patch) into the stored document:
/// every editable field, defaults filled in, unknown keys dropped. Errors are 422 items at `loc`.
pub(crate) fn parse_pool(
    dialect: Dialect,
    input: &Value,
    loc: &[Value],
    errors: &mut Vec<Value>,
) -> Option<Map<String, Value>> {
    let Value::Object(m) = input else {
        errors.push(type_error(dialect, loc, Expected::Model("Pool"), input));
        return None;
    };
    let before = errors.len();
    if let Some(name) = m.get("name") {
        check(dialect, Kind::Str, name, &child(loc, "name"), errors);
    }
    if let Some(status) = m.get("status") {
        check(dialect, Kind::Status, status, &child(loc, "status"), errors);
    }
    let mut out = Map::new();
    for (field, kind) in pool_fields(dialect) {
        let value = match m.get(field) {
            None if field == "backend" => {
                errors.push(missing(dialect, &child(loc, field), input));
                continue;
            }
            None => default_value(field),
            Some(v) => match check(dialect, kind, v, &child(loc, field), errors) {
                Some(v) => v,
                None => continue,
            },
        };
        out.insert(field.to_string(), value);
    }
    (errors.len() == before).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pydantic::loc;

    #[test]
    fn fills_defaults_and_drops_unknown_keys() {
        let mut errors = Vec::new();
        let input = json!({"backend": "b", "backends": ["x"], "description": "d"});
        let p = parse_pool(Dialect::V6_0, &input, &[], &mut errors).unwrap_or_default();
        assert!(errors.is_empty());
        assert_eq!(p["backend"], "b");
        assert_eq!(p["max_exec_timeout"], "");
        assert!(p.contains_key("action_permissions") && !p.contains_key("backends"));
        let p = parse_pool(Dialect::V6_4, &input, &[], &mut errors).unwrap_or_default();
        assert!(p.contains_key("topology_keys") && !p.contains_key("action_permissions"));
    }

    #[test]
    fn rejects_wrong_types_per_generation() {
        let mut errors = Vec::new();
        let input = json!({"backend": ["a", "b"]});
        assert!(parse_pool(
            Dialect::V6_4,
            &input,
            &loc(&["body", "configs"]),
            &mut errors
        )
        .is_none());
        assert_eq!(errors[0]["type"], "string_type");
        assert_eq!(errors[0]["loc"], json!(["body", "configs", "backend"]));
        let mut errors = Vec::new();
        assert!(parse_pool(Dialect::V6_0, &json!({"description": 1}), &[], &mut errors).is_none());
        assert_eq!(errors[0]["type"], "value_error.missing");
    }

    #[test]
    fn name_rule() {
        assert!(config_name_valid("cap2-pool-a"));
        assert!(config_name_valid("a.b_c"));
        assert!(!config_name_valid("1pool"));
        assert!(!config_name_valid("pool-"));
        assert!(!config_name_valid(""));
    }
}

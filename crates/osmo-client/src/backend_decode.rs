//! Decoding one stored backend leniently (issue 16): the service stores values the app does not
//! expect (a negative `scheduler_timeout` is accepted unchecked, osmo-api.md §12), and one such
//! value must never hide the other backends of a list.
//!
//! Each field is tried on its own: a field whose stored value does not fit its type is left at
//! its empty value and reported as a [`BackendWarning`] carrying the value as stored. Nested
//! `scheduler_settings` and `node_conditions` are decoded the same way, field by field. Values
//! that fit but are odd (a negative timeout, a scheduler type no OSMO version offers) and fields
//! every OSMO version returns but that are missing are warnings too. Fields the app does not know
//! are kept in `extra` without a warning (newer services add fields).

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::backends::{Backend, SchedulerSettings};
use osmo_admin_core::quote::quote_text;

/// Scheduler types some OSMO version offers (6.0/6.1: all four; 6.2+: `kai` only).
const KNOWN_SCHEDULER_TYPES: &[&str] = &["default", "scheduler-plugins", "volcano", "kai"];

/// Top-level fields every OSMO version returns for a backend.
const BACKEND_FIELDS: &[&str] = &[
    "name",
    "description",
    "version",
    "k8s_uid",
    "k8s_namespace",
    "dashboard_url",
    "grafana_url",
    "tests",
    "scheduler_settings",
    "node_conditions",
    "last_heartbeat",
    "created_date",
    "router_address",
    "online",
];

/// `scheduler_settings` fields every OSMO version returns (`coscheduling` is 6.0/6.1 only).
const SCHEDULER_FIELDS: &[&str] = &["scheduler_type", "scheduler_name", "scheduler_timeout"];

/// `node_conditions` fields every OSMO version returns.
const NODE_CONDITION_FIELDS: &[&str] = &["rules", "prefix"];

/// Something odd in a stored backend, shown beside what was stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackendWarning {
    /// Dotted field name, e.g. `scheduler_settings.scheduler_timeout`.
    pub field: String,
    /// The value as the service stores it; `None` when the field is missing.
    pub stored: Option<Value>,
    /// What is odd about it, as a sentence.
    pub problem: String,
}

impl std::fmt::Display for BackendWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.stored {
            Some(v) => write!(f, "{} (stored: {v}): {}", self.field, self.problem),
            None => write!(f, "{}: {}", self.field, self.problem),
        }
    }
}

impl Backend {
    /// One backend as the service stores it (an item of `GET /api/configs/backend`, the body of
    /// `GET /api/configs/backend/{name}`, or an item of a BACKEND history snapshot). Never
    /// fails: whatever does not fit is in [`Backend::warnings`].
    pub fn from_stored(stored: &Value) -> Backend {
        let mut warnings = Vec::new();
        let Some(object) = stored.as_object() else {
            warnings.push(BackendWarning {
                field: String::new(),
                stored: Some(stored.clone()),
                problem: "the stored backend is not a JSON object".into(),
            });
            return Backend {
                warnings,
                ..Backend::default()
            };
        };
        missing_fields(object, BACKEND_FIELDS, "", &mut warnings);
        let mut rest = object.clone();
        let scheduler = rest.remove("scheduler_settings");
        let conditions = rest.remove("node_conditions");
        let mut backend: Backend = decode_fitting(&Value::Object(rest), "", &mut warnings);
        if let Some(v) = scheduler {
            backend.scheduler_settings = SchedulerSettings::decode_at(&v, &mut warnings);
        }
        if let Some(v) = conditions {
            if let Some(object) = v.as_object() {
                missing_fields(
                    object,
                    NODE_CONDITION_FIELDS,
                    "node_conditions",
                    &mut warnings,
                );
            }
            backend.node_conditions = nested(&v, "node_conditions", &mut warnings);
        }
        backend.warnings = warnings;
        backend
    }
}

impl SchedulerSettings {
    /// Stored `scheduler_settings` (of a backend or a history snapshot), decoded leniently;
    /// warnings name fields as `scheduler_settings.<field>`.
    pub fn from_stored(stored: &Value) -> (SchedulerSettings, Vec<BackendWarning>) {
        let mut warnings = Vec::new();
        let settings = Self::decode_at(stored, &mut warnings);
        (settings, warnings)
    }

    fn decode_at(stored: &Value, warnings: &mut Vec<BackendWarning>) -> SchedulerSettings {
        const PREFIX: &str = "scheduler_settings";
        if let Some(object) = stored.as_object() {
            missing_fields(object, SCHEDULER_FIELDS, PREFIX, warnings);
        }
        let settings: SchedulerSettings = nested(stored, PREFIX, warnings);
        if let Some(timeout) = settings.scheduler_timeout.filter(|t| *t < 0) {
            warnings.push(BackendWarning {
                field: format!("{PREFIX}.scheduler_timeout"),
                stored: Some(Value::from(timeout)),
                problem: "a negative timeout: the service stores it without checking; set a number of seconds of 0 or more".into(),
            });
        }
        let kind = settings.scheduler_type.as_str();
        let present = stored.get("scheduler_type").is_some_and(Value::is_string);
        if present && !KNOWN_SCHEDULER_TYPES.contains(&kind) {
            warnings.push(BackendWarning {
                field: format!("{PREFIX}.scheduler_type"),
                stored: Some(Value::from(kind)),
                problem: format!(
                    "not a scheduler type any OSMO version offers ({})",
                    KNOWN_SCHEDULER_TYPES.join(", ")
                ),
            });
        }
        settings
    }
}

/// A nested object (`scheduler_settings`, `node_conditions`) decoded field by field; a value that
/// is not an object at all is one warning and the empty value.
fn nested<T: DeserializeOwned + Default>(
    stored: &Value,
    prefix: &str,
    warnings: &mut Vec<BackendWarning>,
) -> T {
    match stored {
        Value::Object(_) => decode_fitting(stored, prefix, warnings),
        Value::Null => T::default(),
        other => {
            warnings.push(BackendWarning {
                field: prefix.to_owned(),
                stored: Some(other.clone()),
                problem: "not an object as the app expects; shown empty".into(),
            });
            T::default()
        }
    }
}

/// Decodes the JSON object `stored` as `T`, leaving out (and reporting) each field whose value
/// does not fit.
fn decode_fitting<T: DeserializeOwned + Default>(
    stored: &Value,
    prefix: &str,
    warnings: &mut Vec<BackendWarning>,
) -> T {
    // What the service stores nearly always fits as a whole: decoded once, from the borrowed
    // value. Otherwise each field is tried alone, to keep the ones that fit and name the others.
    if let Ok(whole) = T::deserialize(stored) {
        return whole;
    }
    let Some(object) = stored.as_object() else {
        return T::default();
    };
    let mut fitting = Map::new();
    for (key, value) in object {
        let probe = Map::from_iter([(key.clone(), value.clone())]);
        match serde_json::from_value::<T>(Value::Object(probe)) {
            Ok(_) => {
                fitting.insert(key.clone(), value.clone());
            }
            Err(err) => warnings.push(BackendWarning {
                field: dotted(prefix, key),
                stored: Some(value.clone()),
                problem: format!(
                    "the stored value does not fit ({}); shown empty",
                    quote_text(&err.to_string())
                ),
            }),
        }
    }
    serde_json::from_value(Value::Object(fitting)).unwrap_or_default()
}

fn missing_fields(
    object: &Map<String, Value>,
    expected: &[&str],
    prefix: &str,
    warnings: &mut Vec<BackendWarning>,
) {
    for field in expected.iter().filter(|f| !object.contains_key(**f)) {
        warnings.push(BackendWarning {
            field: dotted(prefix, field),
            stored: None,
            problem: "missing from the stored backend; shown empty".into(),
        });
    }
}

fn dotted(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        format!("{prefix}.{key}")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::backends::NodeConditions;
    use serde_json::json;

    fn gpu(timeout: Value) -> Value {
        json!({"name": "gpu", "description": "", "version": "6.0.0", "k8s_uid": "u", "k8s_namespace": "osmo-workflows", "dashboard_url": "", "grafana_url": "", "tests": [], "scheduler_settings": {"scheduler_type": "default", "scheduler_name": "default-scheduler", "coscheduling": false, "scheduler_timeout": timeout}, "node_conditions": {"rules": {"Ready": "True"}, "prefix": "osmo.nvidia.com/"}, "last_heartbeat": "2026-12-06T02:15:19.102128", "created_date": "2026-12-06T02:15:11.110098", "router_address": "", "online": false})
    }

    #[test]
    fn a_captured_backend_has_no_warning() {
        let b = Backend::from_stored(&gpu(json!(30)));
        assert_eq!(b.warnings, vec![]);
        assert_eq!(b.scheduler_settings.scheduler_timeout, Some(30));
    }

    #[test]
    fn a_negative_timeout_is_kept_as_stored_with_a_warning() {
        let b = Backend::from_stored(&gpu(json!(-1)));
        assert_eq!(b.scheduler_settings.scheduler_timeout, Some(-1));
        assert_eq!(b.warnings.len(), 1, "{:?}", b.warnings);
        assert_eq!(b.warnings[0].field, "scheduler_settings.scheduler_timeout");
        assert!(b.warnings[0].to_string().contains("negative"));
    }

    #[test]
    fn a_value_of_the_wrong_type_is_empty_and_reported_with_what_was_stored() {
        let b = Backend::from_stored(&gpu(json!("soon")));
        assert_eq!(b.scheduler_settings.scheduler_timeout, None);
        assert_eq!(b.scheduler_settings.scheduler_name, "default-scheduler");
        assert_eq!(b.warnings[0].stored, Some(json!("soon")));
        let mut odd = gpu(json!(30));
        odd["online"] = json!("yes");
        odd["node_conditions"] = json!(7);
        let b = Backend::from_stored(&odd);
        let fields: Vec<&str> = b.warnings.iter().map(|w| w.field.as_str()).collect();
        assert_eq!(fields, ["online", "node_conditions"]);
        assert_eq!(b.node_conditions, NodeConditions::default());
        assert_eq!(b.name, "gpu");
    }

    #[test]
    fn unknown_type_and_missing_fields_are_warnings() {
        let mut odd = gpu(json!(30));
        odd["scheduler_settings"]["scheduler_type"] = json!("slurm");
        odd.as_object_mut().unwrap().remove("version");
        let b = Backend::from_stored(&odd);
        let fields: Vec<&str> = b.warnings.iter().map(|w| w.field.as_str()).collect();
        assert_eq!(fields, ["version", "scheduler_settings.scheduler_type"]);
        assert_eq!(b.scheduler_settings.scheduler_type, "slurm");
        assert!(Backend::from_stored(&json!([1])).warnings[0]
            .problem
            .contains("not a JSON object"));
    }
}

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

use serde::de::{DeserializeOwned, IgnoredAny};
use serde::{Deserialize, Deserializer, Serialize};
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

/// `GET /api/configs/backend`'s list when every backend fits its type, as nearly always.
#[derive(Deserialize)]
struct FittingList {
    backends: Vec<Backend>,
}

/// The same list's field names (their values skipped), for what is missing.
#[derive(Deserialize)]
struct ListedFields {
    backends: Vec<StoredFields>,
}

/// Whether a field is there (whatever its value, `null` included).
#[derive(Debug, Default, Clone, Copy)]
struct Present(bool);

impl<'de> Deserialize<'de> for Present {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        IgnoredAny::deserialize(d).map(|_| Present(true))
    }
}

/// Which of [`BACKEND_FIELDS`] a stored backend has, and which of its nested objects' fields.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StoredFields {
    name: Present,
    description: Present,
    version: Present,
    k8s_uid: Present,
    k8s_namespace: Present,
    dashboard_url: Present,
    grafana_url: Present,
    tests: Present,
    scheduler_settings: Option<SchedulerFields>,
    node_conditions: Option<NodeConditionFields>,
    last_heartbeat: Present,
    created_date: Present,
    router_address: Present,
    online: Present,
}

/// Which of [`SCHEDULER_FIELDS`] stored `scheduler_settings` have.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SchedulerFields {
    scheduler_type: Present,
    scheduler_name: Present,
    scheduler_timeout: Present,
}

/// Which of [`NODE_CONDITION_FIELDS`] stored `node_conditions` have.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NodeConditionFields {
    rules: Present,
    prefix: Present,
}

impl StoredFields {
    /// Presence of each of [`BACKEND_FIELDS`], in its order.
    fn flags(&self) -> [bool; BACKEND_FIELDS.len()] {
        [
            self.name.0,
            self.description.0,
            self.version.0,
            self.k8s_uid.0,
            self.k8s_namespace.0,
            self.dashboard_url.0,
            self.grafana_url.0,
            self.tests.0,
            self.scheduler_settings.is_some(),
            self.node_conditions.is_some(),
            self.last_heartbeat.0,
            self.created_date.0,
            self.router_address.0,
            self.online.0,
        ]
    }
}

/// The backends of a `GET /api/configs/backend` answer, decoded from its bytes in one pass when
/// every one fits its type (a list of 1,000 is polled every few seconds), with the same warnings
/// as [`Backend::from_stored`] gives. `None` when some backend does not fit: the caller decodes
/// each on its own.
pub(crate) fn fitting_backends(body: &[u8]) -> Option<Vec<Backend>> {
    let FittingList { mut backends } = serde_json::from_slice(body).ok()?;
    let ListedFields { backends: fields } = serde_json::from_slice(body).ok()?;
    if fields.len() != backends.len() {
        return None;
    }
    for (backend, fields) in backends.iter_mut().zip(&fields) {
        let mut warnings = Vec::new();
        let present = fields.flags();
        missing(BACKEND_FIELDS, |i| present[i], "", &mut warnings);
        if let Some(scheduler) = &fields.scheduler_settings {
            let present = [
                scheduler.scheduler_type.0,
                scheduler.scheduler_name.0,
                scheduler.scheduler_timeout.0,
            ];
            missing(
                SCHEDULER_FIELDS,
                |i| present[i],
                "scheduler_settings",
                &mut warnings,
            );
            // It fits, so a stored type is a string.
            backend
                .scheduler_settings
                .odd_values(scheduler.scheduler_type.0, &mut warnings);
        }
        if let Some(conditions) = &fields.node_conditions {
            let present = [conditions.rules.0, conditions.prefix.0];
            missing(
                NODE_CONDITION_FIELDS,
                |i| present[i],
                "node_conditions",
                &mut warnings,
            );
        }
        backend.warnings = warnings;
    }
    Some(backends)
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
        let type_stored = stored.get("scheduler_type").is_some_and(Value::is_string);
        settings.odd_values(type_stored, warnings);
        settings
    }

    /// Values that fit but are odd: a negative timeout, and a stored scheduler type no OSMO
    /// version offers (`type_stored`: the type was stored as a string, not left empty).
    fn odd_values(&self, type_stored: bool, warnings: &mut Vec<BackendWarning>) {
        const PREFIX: &str = "scheduler_settings";
        if let Some(timeout) = self.scheduler_timeout.filter(|t| *t < 0) {
            warnings.push(BackendWarning {
                field: format!("{PREFIX}.scheduler_timeout"),
                stored: Some(Value::from(timeout)),
                problem: "a negative timeout: the service stores it without checking; set a number of seconds of 0 or more".into(),
            });
        }
        let kind = self.scheduler_type.as_str();
        if type_stored && !KNOWN_SCHEDULER_TYPES.contains(&kind) {
            warnings.push(BackendWarning {
                field: format!("{PREFIX}.scheduler_type"),
                stored: Some(Value::from(kind)),
                problem: format!(
                    "not a scheduler type any OSMO version offers ({})",
                    KNOWN_SCHEDULER_TYPES.join(", ")
                ),
            });
        }
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
        // Borrowed, as above: one instance of `T`'s decoding from a JSON value, not two.
        match T::deserialize(&Value::Object(probe)) {
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
    T::deserialize(&Value::Object(fitting)).unwrap_or_default()
}

fn missing_fields(
    object: &Map<String, Value>,
    expected: &[&str],
    prefix: &str,
    warnings: &mut Vec<BackendWarning>,
) {
    missing(
        expected,
        |i| object.contains_key(expected[i]),
        prefix,
        warnings,
    );
}

/// A warning for each of `expected` that is not there (`present(i)` says whether the `i`th is).
fn missing(
    expected: &[&str],
    present: impl Fn(usize) -> bool,
    prefix: &str,
    warnings: &mut Vec<BackendWarning>,
) {
    for (i, field) in expected.iter().enumerate() {
        if !present(i) {
            warnings.push(BackendWarning {
                field: dotted(prefix, field),
                stored: None,
                problem: "missing from the stored backend; shown empty".into(),
            });
        }
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
    fn a_list_that_fits_is_decoded_in_one_pass_with_the_same_warnings() {
        let mut no_tests = gpu(json!(30));
        no_tests.as_object_mut().unwrap().remove("tests");
        let mut partial = gpu(json!(-5));
        partial["scheduler_settings"]
            .as_object_mut()
            .unwrap()
            .remove("scheduler_name");
        partial["scheduler_settings"]["scheduler_type"] = json!("slurm");
        partial["node_conditions"]
            .as_object_mut()
            .unwrap()
            .remove("prefix");
        partial["future_field"] = json!({"x": 1});
        let mut nulls = gpu(Value::Null);
        nulls["last_heartbeat"] = Value::Null;
        let stored = vec![
            gpu(json!(30)),
            no_tests,
            partial,
            json!({"name": "bare"}),
            nulls,
        ];
        let body = serde_json::to_vec(&json!({ "backends": stored })).unwrap();
        let fast = fitting_backends(&body).expect("every backend fits");
        let lenient: Vec<Backend> = stored.iter().map(Backend::from_stored).collect();
        assert_eq!(fast, lenient);
        assert_eq!(fast[0].warnings, vec![]);
        assert_eq!(fast[2].warnings.len(), 4, "{:?}", fast[2].warnings);
        assert_eq!(fast[3].warnings.len(), BACKEND_FIELDS.len() - 1);
        assert!(fast[2].extra.contains_key("future_field"));
    }

    #[test]
    fn a_list_with_a_backend_that_does_not_fit_is_left_to_decoding_each_alone() {
        let mut odd = gpu(json!(30));
        odd["online"] = json!("yes");
        let body = serde_json::to_vec(&json!({ "backends": [gpu(json!(30)), odd] })).unwrap();
        assert_eq!(fitting_backends(&body), None);
        assert_eq!(fitting_backends(b"<html>busy</html>"), None);
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

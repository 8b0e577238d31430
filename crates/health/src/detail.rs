//! What the backend detail shows besides the row: every field of a backend as name/value pairs
//! ([`backend_fields`]) and, from `/api/configs/history` (whose `BACKEND` entries snapshot every
//! backend), the changes made to one backend ([`backend_changes`]).

use chrono::{DateTime, Utc};
use osmo_admin_osmo_client::{Backend, HistoryEntry};
use serde::Serialize;
use serde_json::{Map, Value};

/// Keys the service computes or refreshes on its own; a change of these is not a config change.
const VOLATILE: &[&str] = &["last_heartbeat", "online", "status"];

/// Every field of `backend`, nested objects flattened to dotted names (`scheduler_settings.scheduler_type`),
/// in the order the service's JSON has them (alphabetical); empty objects and lists shown as such.
/// A field whose stored value did not fit (see [`Backend::warnings`]) shows the value as stored.
pub fn backend_fields(backend: &Backend) -> Vec<(String, String)> {
    let value = serde_json::to_value(backend).unwrap_or(Value::Null);
    let mut out = Vec::new();
    if let Value::Object(map) = value {
        flatten("", &map, &mut out);
    }
    for warning in &backend.warnings {
        let Some(stored) = &warning.stored else {
            continue;
        };
        let shown = display(stored);
        match out.iter_mut().find(|(name, _)| *name == warning.field) {
            Some(field) => field.1 = shown,
            None => out.push((warning.field.clone(), shown)),
        }
    }
    out
}

fn flatten(prefix: &str, map: &Map<String, Value>, out: &mut Vec<(String, String)>) {
    for (key, value) in map {
        let name = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            Value::Object(inner) if !inner.is_empty() => flatten(&name, inner, out),
            other => out.push((name, display(other))),
        }
    }
}

/// A JSON value as a person reads it: strings without quotes, `null` as an empty string.
pub fn display(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) if items.iter().all(|v| v.is_string()) => items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

/// One field changed by a revision; `None` when absent on that side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// A config-history revision that changed this backend (or was about it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BackendChange {
    pub revision: u64,
    pub username: String,
    pub created_at: Option<DateTime<Utc>>,
    pub description: String,
    /// The backend the revision was about (the service's `name`); may be another backend.
    pub about: String,
    /// The fields of this backend the revision changed (against the next older revision's
    /// snapshot); for the oldest revision seen, every field it set ("created").
    pub changes: Vec<FieldChange>,
}

/// The revisions among `entries` (any order) that changed `backend` or were about it, newest
/// first, each with what changed for this backend.
pub fn backend_changes(entries: &[HistoryEntry], backend: &str) -> Vec<BackendChange> {
    let mut sorted: Vec<&HistoryEntry> = entries
        .iter()
        .filter(|e| e.config_type.eq_ignore_ascii_case("BACKEND"))
        .collect();
    sorted.sort_by_key(|e| std::cmp::Reverse(e.revision));
    let snapshots: Vec<Option<Map<String, Value>>> = sorted
        .iter()
        .map(|e| snapshot_of(&e.data, backend))
        .collect();
    let mut out = Vec::new();
    for (i, entry) in sorted.iter().enumerate() {
        let after = snapshots[i].as_ref();
        let before = snapshots.get(i + 1).and_then(Option::as_ref);
        let oldest = i + 1 == sorted.len();
        let about_this = entry.name == backend;
        let changes = if oldest && !about_this {
            Vec::new()
        } else {
            diff(before, after)
        };
        if changes.is_empty() && !about_this {
            continue;
        }
        out.push(BackendChange {
            revision: entry.revision,
            username: entry.username.clone(),
            created_at: entry.created_at.map(|t| t.and_utc()),
            description: entry.description.clone(),
            about: entry.name.clone(),
            changes,
        });
    }
    out
}

/// The backend's object in a revision's data (a list of backends, or `{"backends": [...]}`).
fn snapshot_of(data: &Value, backend: &str) -> Option<Map<String, Value>> {
    let list = match data {
        Value::Array(items) => items,
        Value::Object(map) => match map.get("backends") {
            Some(Value::Array(items)) => items,
            _ => return map.get(backend).and_then(Value::as_object).cloned(),
        },
        _ => return None,
    };
    list.iter()
        .filter_map(Value::as_object)
        .find(|b| b.get("name").and_then(Value::as_str) == Some(backend))
        .cloned()
}

pub(crate) fn diff(
    before: Option<&Map<String, Value>>,
    after: Option<&Map<String, Value>>,
) -> Vec<FieldChange> {
    let flat = |m: Option<&Map<String, Value>>| {
        let mut out = Vec::new();
        if let Some(m) = m {
            flatten("", m, &mut out);
        }
        out.retain(|(k, _)| !VOLATILE.contains(&k.as_str()));
        out.into_iter()
            .collect::<std::collections::BTreeMap<String, String>>()
    };
    let (b, a) = (flat(before), flat(after));
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| b.get(*k) != a.get(*k))
        .map(|k| FieldChange {
            field: k.clone(),
            before: b.get(k).cloned(),
            after: a.get(k).cloned(),
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(revision: u64, name: &str, data: Value) -> HistoryEntry {
        serde_json::from_value(json!({
            "config_type": "BACKEND", "name": name, "revision": revision, "username": "ana",
            "created_at": "2026-11-28T10:00:00", "description": format!("rev {revision}"),
            "tags": null, "data": data,
        }))
        .unwrap()
    }

    #[test]
    fn a_value_that_did_not_fit_is_shown_as_stored() {
        let b = Backend::from_stored(&json!({
            "name": "gpu", "online": "yes",
            "scheduler_settings": {"scheduler_type": "kai", "scheduler_timeout": "soon"},
        }));
        let fields = backend_fields(&b);
        let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("online"), Some("yes"));
        assert_eq!(get("scheduler_settings.scheduler_timeout"), Some("soon"));
        assert_eq!(get("scheduler_settings.scheduler_type"), Some("kai"));
    }

    #[test]
    fn fields_are_flattened_with_dotted_names() {
        let b: Backend = serde_json::from_value(json!({
            "name": "gpu", "online": true, "last_heartbeat": null, "version": "6.4.0",
            "scheduler_settings": {"scheduler_type": "kai", "scheduler_name": "kai-scheduler"},
            "tests": ["a", "b"], "custom": 3
        }))
        .unwrap();
        let fields = backend_fields(&b);
        let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("name"), Some("gpu"));
        assert_eq!(get("scheduler_settings.scheduler_type"), Some("kai"));
        assert_eq!(get("tests"), Some("a, b"));
        assert_eq!(get("custom"), Some("3"));
        assert_eq!(get("online"), Some("true"));
        assert_eq!(get("last_heartbeat"), Some(""));
    }

    #[test]
    fn changes_show_only_what_changed_for_this_backend() {
        let gpu = |t: &str| json!({"name": "gpu", "scheduler_settings": {"scheduler_type": t}, "online": true});
        let cpu = |v: &str| json!({"name": "cpu", "version": v});
        let entries = vec![
            entry(1, "gpu", json!([gpu("kai")])),
            entry(2, "cpu", json!([gpu("kai"), cpu("1")])),
            entry(3, "gpu", json!([gpu("volcano"), cpu("1")])),
            entry(4, "cpu", json!([gpu("volcano"), cpu("2")])),
        ];
        let changes = backend_changes(&entries, "gpu");
        let revisions: Vec<u64> = changes.iter().map(|c| c.revision).collect();
        assert_eq!(revisions, vec![3, 1]);
        assert_eq!(
            changes[0].changes,
            vec![FieldChange {
                field: "scheduler_settings.scheduler_type".into(),
                before: Some("kai".into()),
                after: Some("volcano".into()),
            }]
        );
        assert_eq!(changes[0].username, "ana");
        assert_eq!(changes[1].changes.len(), 2, "created: every field it set");
        let cpu_changes = backend_changes(&entries, "cpu");
        assert_eq!(
            cpu_changes.iter().map(|c| c.revision).collect::<Vec<_>>(),
            vec![4, 2]
        );
    }
}

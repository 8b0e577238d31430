//! What changes between two revisions of a whole config type (the data of the service's
//! `GET /api/configs/diff`): which backends or pools appear, disappear or change, and how. Used
//! to compare any two revisions and to preview a rollback, which is global for its type.

use std::collections::BTreeMap;

use osmo_admin_osmo_client::ConfigType;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::detail::{diff, FieldChange};

/// How one backend or pool differs between the two revisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum EntityChangeKind {
    /// Only in the second revision.
    Added,
    /// Only in the first revision.
    Removed,
    /// In both, with different settings.
    Changed,
}

/// One backend or pool that differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntityChange {
    pub name: String,
    pub kind: EntityChangeKind,
    /// The fields that differ (every field set, for an added or removed one).
    pub fields: Vec<FieldChange>,
}

/// Name → settings of every backend (a list, or `{"backends": [...]}`) or pool
/// (`{"pools": {name: pool}}`, or a list) in one revision's data.
fn entities(config_type: ConfigType, data: &Value) -> BTreeMap<String, Map<String, Value>> {
    let key = match config_type {
        ConfigType::Backend => "backends",
        ConfigType::Pool => "pools",
    };
    let inner = match data {
        Value::Object(map) => map.get(key).unwrap_or(data),
        other => other,
    };
    match inner {
        Value::Array(items) => items
            .iter()
            .filter_map(Value::as_object)
            .filter_map(|m| Some((m.get("name")?.as_str()?.to_owned(), m.clone())))
            .collect(),
        Value::Object(map) => map
            .iter()
            .filter_map(|(name, v)| Some((name.clone(), v.as_object()?.clone())))
            .collect(),
        _ => BTreeMap::new(),
    }
}

/// Every backend or pool that differs from `first` to `second`, by name.
pub fn config_changes(config_type: ConfigType, first: &Value, second: &Value) -> Vec<EntityChange> {
    let (before, after) = (entities(config_type, first), entities(config_type, second));
    let mut names: Vec<&String> = before.keys().chain(after.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter_map(|name| {
            let (b, a) = (before.get(name), after.get(name));
            let fields = diff(b, a);
            let kind = match (b, a) {
                (None, Some(_)) => EntityChangeKind::Added,
                (Some(_), None) => EntityChangeKind::Removed,
                _ if fields.is_empty() => return None,
                _ => EntityChangeKind::Changed,
            };
            Some(EntityChange {
                name: name.clone(),
                kind,
                fields,
            })
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn backends_added_removed_and_changed_ignoring_heartbeats() {
        let first = json!([
            {"name": "a", "description": "x", "online": true, "last_heartbeat": "1"},
            {"name": "b", "description": "y"},
            {"name": "c", "description": "z", "scheduler_settings": {"scheduler_timeout": 30}}
        ]);
        let second = json!([
            {"name": "a", "description": "x", "online": false, "last_heartbeat": "2"},
            {"name": "c", "description": "z", "scheduler_settings": {"scheduler_timeout": -1}},
            {"name": "d", "description": "new"}
        ]);
        let changes = config_changes(ConfigType::Backend, &first, &second);
        let summary: Vec<(&str, EntityChangeKind)> =
            changes.iter().map(|c| (c.name.as_str(), c.kind)).collect();
        assert_eq!(
            summary,
            vec![
                ("b", EntityChangeKind::Removed),
                ("c", EntityChangeKind::Changed),
                ("d", EntityChangeKind::Added)
            ]
        );
        assert_eq!(
            changes[1].fields,
            vec![FieldChange {
                field: "scheduler_settings.scheduler_timeout".into(),
                before: Some("30".into()),
                after: Some("-1".into())
            }]
        );
    }

    #[test]
    fn pools_as_the_diff_route_returns_them() {
        let first = json!({"pools": {"p": {"name": "p", "backend": "gpu", "status": "ONLINE"}}});
        let second = json!({"pools": {"p": {"name": "p", "backend": "cpu", "status": "OFFLINE"}, "q": {"name": "q", "backend": "gpu"}}});
        let changes = config_changes(ConfigType::Pool, &first, &second);
        assert_eq!(changes.len(), 2);
        assert_eq!(changes[0].kind, EntityChangeKind::Changed);
        assert_eq!(
            changes[0].fields.len(),
            1,
            "status is computed, not a change"
        );
        assert_eq!(changes[0].fields[0].field, "backend");
        assert_eq!(changes[1].kind, EntityChangeKind::Added);
    }
}

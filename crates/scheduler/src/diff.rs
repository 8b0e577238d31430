//! What a save would change: [`diff`] of two settings, field by field (before → after), in the
//! service's field order, then any unknown fields by name. An empty diff means "nothing changed".

use osmo_admin_osmo_client::SchedulerSettings;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::schema::{COSCHEDULING, SCHEDULER_NAME, SCHEDULER_TIMEOUT, SCHEDULER_TYPE};

/// One changed field; `null` stands for "not set".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub before: Value,
    pub after: Value,
}

fn as_map(s: &SchedulerSettings) -> Map<String, Value> {
    match serde_json::to_value(s) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    }
}

/// The fields whose values differ between `before` and `after`.
pub fn diff(before: &SchedulerSettings, after: &SchedulerSettings) -> Vec<FieldChange> {
    let (b, a) = (as_map(before), as_map(after));
    let known = [
        SCHEDULER_TYPE,
        SCHEDULER_NAME,
        COSCHEDULING,
        SCHEDULER_TIMEOUT,
    ];
    let mut keys: Vec<&str> = known.to_vec();
    let mut others: Vec<&str> = b
        .keys()
        .chain(a.keys())
        .map(String::as_str)
        .filter(|k| !known.contains(k))
        .collect();
    others.sort_unstable();
    others.dedup();
    keys.extend(others);
    keys.into_iter()
        .filter_map(|k| {
            let before = b.get(k).cloned().unwrap_or(Value::Null);
            let after = a.get(k).cloned().unwrap_or(Value::Null);
            (before != after).then(|| FieldChange {
                field: k.to_owned(),
                before,
                after,
            })
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn settings(v: Value) -> SchedulerSettings {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn lists_changed_fields_in_order() {
        let before = settings(
            json!({"scheduler_type": "default", "scheduler_name": "default-scheduler", "coscheduling": false, "scheduler_timeout": 30}),
        );
        let after = settings(
            json!({"scheduler_type": "kai", "scheduler_name": "kai-scheduler", "coscheduling": true, "scheduler_timeout": 30}),
        );
        let d = diff(&before, &after);
        let fields: Vec<_> = d.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, [SCHEDULER_TYPE, SCHEDULER_NAME, COSCHEDULING]);
        assert_eq!(
            (d[0].before.clone(), d[0].after.clone()),
            (json!("default"), json!("kai"))
        );
        assert_eq!(d[2].after, json!(true));
    }

    #[test]
    fn equal_settings_have_no_diff_and_unknown_fields_count() {
        let a = settings(
            json!({"scheduler_type": "kai", "scheduler_name": "kai-scheduler", "scheduler_timeout": 30}),
        );
        assert!(diff(&a, &a.clone()).is_empty());
        let mut b = a.clone();
        b.extra.insert("queue".into(), json!("q1"));
        let d = diff(&a, &b);
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].field.as_str(), &d[0].before), ("queue", &Value::Null));
    }
}

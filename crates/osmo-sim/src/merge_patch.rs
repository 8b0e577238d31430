//! The service's `strategic_merge_patch` (what `PATCH /api/configs/pool/{name}` applies to the
//! current pool): keys absent from the original are added; an object merges recursively unless
//! it says `{"$action": "delete"}`; a list of objects edits items by `$index` (`$action`
//! `replace`/`delete`, else merge) and appends the others; any other value, `null` included,
//! replaces the original.

use serde_json::{Map, Value};

fn action(v: &Value) -> &str {
    v.get("$action").and_then(Value::as_str).unwrap_or_default()
}

fn strip_markers(v: &mut Value) {
    if let Value::Object(m) = v {
        m.remove("$action");
        m.remove("$index");
    }
}

fn patch_list(original: &[Value], patch: &[Value]) -> Vec<Value> {
    let index_of = |p: &Value| {
        p.get("$index")
            .and_then(Value::as_u64)
            .and_then(|i| usize::try_from(i).ok())
    };
    let mut out: Vec<Value> = Vec::new();
    for (i, item) in original.iter().enumerate() {
        let item = match patch.iter().find(|p| index_of(p) == Some(i)) {
            Some(p) if action(p) == "replace" => Some(p.clone()),
            Some(p) if action(p) == "delete" => None,
            Some(p) => Some(merge_value(item, p)),
            None => Some(item.clone()),
        };
        out.extend(item);
    }
    for p in patch {
        let matched = index_of(p).is_some_and(|i| i < original.len());
        if !matched && action(p) != "delete" {
            out.push(p.clone());
        }
    }
    out.iter_mut().for_each(strip_markers);
    out
}

fn merge_value(original: &Value, patch: &Value) -> Value {
    match (original, patch) {
        (Value::Object(o), Value::Object(p)) => Value::Object(merge(o, p)),
        (_, Value::Object(_)) => patch.clone(),
        _ => patch.clone(),
    }
}

/// Applies `patch` to `original`.
pub(crate) fn merge(
    original: &Map<String, Value>,
    patch: &Map<String, Value>,
) -> Map<String, Value> {
    let mut updated = original.clone();
    for (key, value) in patch {
        match (updated.get(key), value) {
            (None, _) => {
                updated.insert(key.clone(), value.clone());
            }
            (Some(_), Value::Object(_)) if action(value) == "delete" => {
                updated.remove(key);
            }
            (Some(current), Value::Object(_)) => {
                let merged = merge_value(current, value);
                updated.insert(key.clone(), merged);
            }
            (Some(Value::Array(current)), Value::Array(items))
                if !items.is_empty() && items.iter().all(Value::is_object) =>
            {
                let merged = patch_list(current, items);
                updated.insert(key.clone(), Value::Array(merged));
            }
            (Some(_), _) => {
                updated.insert(key.clone(), value.clone());
            }
        }
        updated.remove("$action");
        updated.remove("$index");
    }
    updated
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn scalars_replace_objects_merge_null_stays() {
        let out = merge(
            &obj(json!({"a": 1, "b": {"x": 1, "y": 2}, "c": "keep"})),
            &obj(json!({"a": 2, "b": {"y": 3}, "c": null, "d": [1]})),
        );
        assert_eq!(
            Value::Object(out),
            json!({"a": 2, "b": {"x": 1, "y": 3}, "c": null, "d": [1]})
        );
    }

    #[test]
    fn delete_action_and_indexed_lists() {
        let out = merge(
            &obj(json!({"p": {"k": 1}, "l": [{"n": 1}, {"n": 2}]})),
            &obj(
                json!({"p": {"$action": "delete"}, "l": [{"$index": 0, "$action": "delete"}, {"$index": 1, "m": 3}, {"n": 9}]}),
            ),
        );
        assert_eq!(
            Value::Object(out),
            json!({"l": [{"n": 2, "m": 3}, {"n": 9}]})
        );
    }
}

//! Property: in a captured backend list, any one field of one backend replaced by an odd value
//! (negative, wrong type, unknown enum value, missing, extra) leaves every other backend decoded
//! exactly as before, and the odd backend keeps its name and says what was odd.

use osmo_admin_osmo_client::Backend;
use serde_json::{json, Value};

const LISTS: &[(&str, &str)] = &[
    (
        "6.0.0-negative-timeout",
        include_str!("../fixtures/backend-lists/6.0.0-negative-timeout.json"),
    ),
    (
        "6.4.0-negative-timeout",
        include_str!("../fixtures/backend-lists/6.4.0-negative-timeout.json"),
    ),
    (
        "6.2.10",
        include_str!("../fixtures/backend-lists/6.2.10.json"),
    ),
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Odd {
    Negative,
    WrongType,
    UnknownEnum,
    Missing,
    Extra,
}

const KINDS: [Odd; 5] = [
    Odd::Negative,
    Odd::WrongType,
    Odd::UnknownEnum,
    Odd::Missing,
    Odd::Extra,
];

/// Every field path of a backend object: top-level keys and the keys of nested objects.
fn field_paths(backend: &Value) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for (key, value) in backend.as_object().unwrap() {
        out.push(vec![key.clone()]);
        if let Value::Object(inner) = value {
            for inner_key in inner.keys() {
                out.push(vec![key.clone(), inner_key.clone()]);
            }
        }
    }
    out
}

/// `backend` with the field at `path` made odd.
fn make_odd(backend: &Value, path: &[String], kind: Odd) -> Value {
    let mut out = backend.clone();
    let (last, parents) = path.split_last().unwrap();
    let mut parent = &mut out;
    for p in parents {
        parent = parent.get_mut(p).unwrap();
    }
    let parent = parent.as_object_mut().unwrap();
    match kind {
        Odd::Negative => {
            parent.insert(last.clone(), json!(-1));
        }
        Odd::WrongType => {
            parent.insert(last.clone(), json!([1]));
        }
        Odd::UnknownEnum => {
            parent.insert(last.clone(), json!("not-a-known-value"));
        }
        Odd::Missing => {
            parent.remove(last);
        }
        Odd::Extra => {
            parent.insert(format!("{last}_added_later"), json!({"any": [1, "x"]}));
        }
    }
    out
}

fn decode(list: &[Value]) -> Vec<Backend> {
    list.iter().map(Backend::from_stored).collect()
}

#[test]
fn one_odd_field_in_one_backend_leaves_the_others_unchanged() {
    let mut cases = 0;
    for (list_name, text) in LISTS {
        let body: Value = serde_json::from_str(text).unwrap();
        let list = body["backends"].as_array().unwrap().clone();
        assert!(list.len() >= 2, "{list_name}: need two backends at least");
        let plain = decode(&list);
        for (i, backend) in list.iter().enumerate() {
            let name = backend["name"].as_str().unwrap();
            for path in field_paths(backend) {
                let field = path.join(".");
                for kind in KINDS {
                    let mut odd_list = list.clone();
                    odd_list[i] = make_odd(backend, &path, kind);
                    let decoded = decode(&odd_list);
                    let what = format!("{list_name}: backend {name}, {field} {kind:?}");
                    assert_eq!(decoded.len(), plain.len(), "{what}");
                    for (j, other) in decoded.iter().enumerate().filter(|(j, _)| *j != i) {
                        assert_eq!(other, &plain[j], "{what}: backend #{j} changed");
                    }
                    let odd = &decoded[i];
                    if field != "name" {
                        assert_eq!(odd.name, name, "{what}: name lost");
                    }
                    let reported = odd.warnings.iter().any(|w| w.field == field);
                    let must_report = match kind {
                        // 6.2+ has no coscheduling: its absence is the newer shape.
                        Odd::Missing => field != "scheduler_settings.coscheduling",
                        Odd::WrongType => true,
                        // -1 fits only the timeout, which is then reported as negative.
                        Odd::Negative => true,
                        Odd::UnknownEnum => {
                            field == "scheduler_settings.scheduler_type"
                                || field.ends_with("last_heartbeat")
                                || field.ends_with("created_date")
                        }
                        Odd::Extra => false,
                    };
                    let nullable = backend_value(backend, &path).is_null();
                    if must_report && !(nullable && kind == Odd::Missing) {
                        // A field stored as null (e.g. node_conditions.rules at 6.4) may be
                        // missing without harm; every other case must be reported.
                        assert!(reported, "{what}: not reported in {:?}", odd.warnings);
                    }
                    if kind == Odd::Extra {
                        assert_eq!(
                            odd.warnings, plain[i].warnings,
                            "{what}: extra field warned"
                        );
                    }
                    cases += 1;
                }
            }
        }
    }
    assert!(cases > 300, "only {cases} cases");
}

fn backend_value<'a>(backend: &'a Value, path: &[String]) -> &'a Value {
    path.iter().fold(backend, |v, p| &v[p.as_str()])
}

#[test]
fn the_captured_negative_timeout_is_one_warning_on_one_backend() {
    for (list_name, text) in &LISTS[..2] {
        let body: Value = serde_json::from_str(text).unwrap();
        let decoded = decode(body["backends"].as_array().unwrap());
        let warned: Vec<(&str, &str)> = decoded
            .iter()
            .flat_map(|b| {
                b.warnings
                    .iter()
                    .map(move |w| (b.name.as_str(), w.field.as_str()))
            })
            .collect();
        assert_eq!(
            warned,
            [("gpu-offline", "scheduler_settings.scheduler_timeout")],
            "{list_name}"
        );
        let odd = decoded.iter().find(|b| b.name == "gpu-offline").unwrap();
        assert_eq!(odd.scheduler_settings.scheduler_timeout, Some(-1));
    }
}

//! Pydantic's validation errors in both generations the service runs (v1 at 6.0–6.2, v2 from
//! 6.3): the 422 `detail` items FastAPI sends for request bodies, and the text of a
//! `ValidationError` that escapes a handler (a 500 `Internal server error: 1 validation error for
//! Pool ...`, as a pool PATCH with `"backend": null` gives).

use serde_json::{json, Value};

use crate::dialect::Dialect;

/// What a field should have been.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Expected {
    Str,
    Bool,
    Int,
    Dict,
    List,
    /// A nested model (v2 says "… or instance of NAME").
    Model(&'static str),
    /// One of these values.
    Enum(&'static [&'static str]),
    /// An integer greater than 0.
    Positive,
}

fn is_v1(dialect: Dialect) -> bool {
    matches!(dialect, Dialect::V6_0 | Dialect::V6_2)
}

/// `'A', 'B', 'C'` (v1) or `'A', 'B' or 'C'` (v2).
fn quoted(values: &[&str], v2: bool) -> String {
    let q: Vec<String> = values.iter().map(|v| format!("'{v}'")).collect();
    match (v2, q.split_last()) {
        (true, Some((last, rest))) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => q.join(", "),
    }
}

/// The 422 item for a value of the wrong type at `loc`.
pub(crate) fn type_error(
    dialect: Dialect,
    loc: &[Value],
    expected: Expected,
    input: &Value,
) -> Value {
    if is_v1(dialect) {
        let (msg, kind) = match expected {
            _ if input.is_null() => (
                "none is not an allowed value".to_string(),
                "type_error.none.not_allowed",
            ),
            Expected::Str => ("str type expected".into(), "type_error.str"),
            Expected::Bool => (
                "value could not be parsed to a boolean".into(),
                "type_error.bool",
            ),
            Expected::Int => ("value is not a valid integer".into(), "type_error.integer"),
            Expected::Dict | Expected::Model(_) => {
                ("value is not a valid dict".into(), "type_error.dict")
            }
            Expected::List => ("value is not a valid list".into(), "type_error.list"),
            Expected::Enum(values) => {
                let msg = format!(
                    "value is not a valid enumeration member; permitted: {}",
                    quoted(values, false)
                );
                return json!({"loc": loc, "msg": msg, "type": "type_error.enum", "ctx": {"enum_values": values}});
            }
            Expected::Positive => {
                return json!({"loc": loc, "msg": "ensure this value is greater than 0", "type": "value_error.number.not_gt", "ctx": {"limit_value": 0}});
            }
        };
        return json!({"loc": loc, "msg": msg, "type": kind});
    }
    let (kind, msg) = match expected {
        Expected::Str => ("string_type", "Input should be a valid string".to_string()),
        Expected::Bool if input.is_string() => (
            "bool_parsing",
            "Input should be a valid boolean, unable to interpret input".into(),
        ),
        Expected::Bool => ("bool_type", "Input should be a valid boolean".into()),
        Expected::Int if input.is_string() => (
            "int_parsing",
            "Input should be a valid integer, unable to parse string as an integer".into(),
        ),
        Expected::Int => ("int_type", "Input should be a valid integer".into()),
        Expected::Dict => ("dict_type", "Input should be a valid dictionary".into()),
        Expected::Model(name) => (
            "model_type",
            format!("Input should be a valid dictionary or instance of {name}"),
        ),
        Expected::List => ("list_type", "Input should be a valid list".into()),
        Expected::Enum(values) => {
            let expected = quoted(values, true);
            return json!({"type": "enum", "loc": loc, "msg": format!("Input should be {expected}"), "input": input, "ctx": {"expected": expected}});
        }
        Expected::Positive => {
            return json!({"type": "greater_than", "loc": loc, "msg": "Input should be greater than 0", "input": input, "ctx": {"gt": 0}});
        }
    };
    json!({"type": kind, "loc": loc, "msg": msg, "input": input})
}

/// The 422 item for a missing required field; `input` is the object it was missing from.
pub(crate) fn missing(dialect: Dialect, loc: &[Value], input: &Value) -> Value {
    if is_v1(dialect) {
        json!({"loc": loc, "msg": "field required", "type": "value_error.missing"})
    } else {
        json!({"type": "missing", "loc": loc, "msg": "Field required", "input": input})
    }
}

/// A loc path from names (`["body", "configs"]`).
pub(crate) fn loc(parts: &[&str]) -> Vec<Value> {
    parts.iter().map(|p| json!(p)).collect()
}

/// A boolean as pydantic (v1 and v2 lax mode) reads one: `true`, `0`/`1`, `"yes"`, `"off"`, …
pub(crate) fn coerce_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_i64() {
            Some(0) => Some(false),
            Some(1) => Some(true),
            _ => None,
        },
        Value::String(s) => match s.to_ascii_lowercase().as_str() {
            "1" | "on" | "t" | "true" | "y" | "yes" => Some(true),
            "0" | "off" | "f" | "false" | "n" | "no" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// `loc` with one more element.
pub(crate) fn child(loc: &[Value], part: impl Into<Value>) -> Vec<Value> {
    let mut out = loc.to_vec();
    out.push(part.into());
    out
}

/// Python's `repr()` of a JSON value, as v2 error texts show `input_value`.
pub(crate) fn py_repr(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => {
            let quote = if s.contains('\'') && !s.contains('"') {
                '"'
            } else {
                '\''
            };
            let mut out = String::from(quote);
            for c in s.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\t' => out.push_str("\\t"),
                    '\r' => out.push_str("\\r"),
                    c if c == quote => {
                        out.push('\\');
                        out.push(c);
                    }
                    c => out.push(c),
                }
            }
            out.push(quote);
            out
        }
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(py_repr).collect();
            format!("[{}]", inner.join(", "))
        }
        Value::Object(m) => {
            let inner: Vec<String> = m
                .iter()
                .map(|(k, x)| format!("{}: {}", py_repr(&json!(k)), py_repr(x)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
    }
}

fn py_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "NoneType",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "int",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
    }
}

fn loc_text(item: &Value, separator: &str) -> String {
    let parts: Vec<String> = item["loc"]
        .as_array()
        .map(|l| {
            l.iter()
                .map(|p| p.as_str().map_or_else(|| p.to_string(), str::to_string))
                .collect()
        })
        .unwrap_or_default();
    parts.join(separator)
}

/// `str(ValidationError)` for errors of `model` (the 422 items of [`type_error`]/[`missing`]).
pub(crate) fn error_text(dialect: Dialect, model: &str, items: &[Value]) -> String {
    let plural = if items.len() == 1 { "" } else { "s" };
    let mut out = format!("{} validation error{plural} for {model}", items.len());
    for item in items {
        let msg = item["msg"].as_str().unwrap_or_default();
        let kind = item["type"].as_str().unwrap_or_default();
        if is_v1(dialect) {
            let ctx: String = item["ctx"]
                .as_object()
                .map(|c| {
                    c.iter()
                        .map(|(k, v)| {
                            format!(
                                "; {k}={}",
                                v.as_str().map_or_else(|| v.to_string(), str::to_string)
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            out.push_str(&format!(
                "\n{}\n  {msg} (type={kind}{ctx})",
                loc_text(item, " -> ")
            ));
        } else {
            let input = &item["input"];
            out.push_str(&format!(
                "\n{}\n  {msg} [type={kind}, input_value={}, input_type={}]\n    For further information visit https://errors.pydantic.dev/2.12/v/{kind}",
                loc_text(item, "."),
                py_repr(input),
                py_type(input)
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_match_the_captured_500s() {
        let input = json!(["cap2-be-p1", "cap2-be-p2"]);
        let item = type_error(Dialect::V6_4, &loc(&["backend"]), Expected::Str, &input);
        assert_eq!(
            error_text(Dialect::V6_4, "Pool", &[item]),
            "1 validation error for Pool\nbackend\n  Input should be a valid string [type=string_type, input_value=['cap2-be-p1', 'cap2-be-p2'], input_type=list]\n    For further information visit https://errors.pydantic.dev/2.12/v/string_type"
        );
        let item = type_error(
            Dialect::V6_0,
            &loc(&["backend"]),
            Expected::Str,
            &Value::Null,
        );
        assert_eq!(
            error_text(Dialect::V6_0, "Pool", &[item]),
            "1 validation error for Pool\nbackend\n  none is not an allowed value (type=type_error.none.not_allowed)"
        );
        assert_eq!(
            py_repr(&json!({"a": "it's", "b": null})),
            "{'a': \"it's\", 'b': None}"
        );
    }

    #[test]
    fn enum_messages_per_generation() {
        let v1 = type_error(
            Dialect::V6_0,
            &loc(&["x"]),
            Expected::Enum(&["A", "B", "C"]),
            &json!("D"),
        );
        assert_eq!(
            v1["msg"],
            "value is not a valid enumeration member; permitted: 'A', 'B', 'C'"
        );
        let v2 = type_error(
            Dialect::V6_4,
            &loc(&["x"]),
            Expected::Enum(&["A", "B", "C"]),
            &json!("D"),
        );
        assert_eq!(v2["msg"], "Input should be 'A', 'B' or 'C'");
    }
}

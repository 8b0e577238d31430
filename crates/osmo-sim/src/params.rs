//! Request inputs the FastAPI way: repeatable query parameters, optional JSON bodies, and the
//! 422 `detail` items of pydantic v1 (6.0) and v2 (6.2+) for missing or mistyped fields.

use axum::body::Bytes;
use serde_json::{json, Value};

use crate::dialect::Dialect;
use crate::errors::ApiError;
use crate::pydantic::{self, Expected};

/// Decoded query string, keeping repeated keys (`?roles=a&roles=b`).
#[derive(Debug, Default, Clone)]
pub(crate) struct QueryParams(Vec<(String, String)>);

impl QueryParams {
    pub(crate) fn parse(raw: Option<&str>) -> Self {
        let pairs = raw
            .map(|q| {
                url::form_urlencoded::parse(q.as_bytes())
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect()
            })
            .unwrap_or_default();
        Self(pairs)
    }

    /// Last value of `name` (FastAPI keeps the last one for scalars).
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// A required query parameter, or the dialect's 422 "field required".
    pub(crate) fn required(&self, dialect: Dialect, name: &str) -> Result<&str, ApiError> {
        self.get(name).ok_or_else(|| {
            ApiError::Validation(vec![missing(dialect, &["query", name], Value::Null)])
        })
    }

    /// Optional boolean (`true/false/1/0/yes/no/on/off`).
    pub(crate) fn bool(&self, dialect: Dialect, name: &str) -> Result<Option<bool>, ApiError> {
        let Some(v) = self.get(name) else {
            return Ok(None);
        };
        match v.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" | "t" | "y" => Ok(Some(true)),
            "false" | "0" | "no" | "off" | "f" | "n" => Ok(Some(false)),
            _ => Err(ApiError::Validation(vec![pydantic::type_error(
                dialect,
                &pydantic::loc(&["query", name]),
                Expected::Bool,
                &json!(v),
            )])),
        }
    }

    /// Optional integer.
    pub(crate) fn int(&self, dialect: Dialect, name: &str) -> Result<Option<i64>, ApiError> {
        let Some(v) = self.get(name) else {
            return Ok(None);
        };
        v.trim().parse::<i64>().map(Some).map_err(|_| {
            ApiError::Validation(vec![int_error(dialect, &["query", name], &json!(v))])
        })
    }
}

/// "field required" in the dialect's format.
pub(crate) fn missing(dialect: Dialect, loc: &[&str], input: Value) -> Value {
    pydantic::missing(dialect, &pydantic::loc(loc), &input)
}

/// "not a valid integer" in the dialect's format.
pub(crate) fn int_error(dialect: Dialect, loc: &[&str], input: &Value) -> Value {
    pydantic::type_error(dialect, &pydantic::loc(loc), Expected::Int, input)
}

/// "str type expected" in the dialect's format.
pub(crate) fn str_error(dialect: Dialect, loc: &[&str], input: &Value) -> Value {
    pydantic::type_error(dialect, &pydantic::loc(loc), Expected::Str, input)
}

/// Parses an optional JSON body; invalid JSON is a 422 like FastAPI's.
pub(crate) fn json_body(dialect: Dialect, body: &Bytes) -> Result<Option<Value>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    serde_json::from_slice::<Value>(body).map(Some).map_err(|e| {
        ApiError::Validation(vec![match dialect {
            Dialect::V6_0 | Dialect::V6_2 => json!({"loc": ["body", e.column()], "msg": "Expecting value", "type": "value_error.jsondecode"}),
            Dialect::V6_4 => json!({"type": "json_invalid", "loc": ["body", e.column()], "msg": "JSON decode error", "input": {}, "ctx": {"error": e.to_string()}}),
        }])
    })
}

/// A required JSON object body, or the dialect's 422 for a missing body.
pub(crate) fn required_object(
    dialect: Dialect,
    body: &Bytes,
) -> Result<serde_json::Map<String, Value>, ApiError> {
    match json_body(dialect, body)? {
        Some(Value::Object(map)) => Ok(map),
        Some(other) => Err(ApiError::Validation(vec![match dialect {
            Dialect::V6_0 | Dialect::V6_2 => {
                json!({"loc": ["body"], "msg": "value is not a valid dict", "type": "type_error.dict"})
            }
            Dialect::V6_4 => {
                json!({"type": "model_attributes_type", "loc": ["body"], "msg": "Input should be a valid dictionary or object to extract fields from", "input": other})
            }
        }])),
        None => Err(ApiError::Validation(vec![missing(
            dialect,
            &["body"],
            Value::Null,
        )])),
    }
}

/// Optional string field of a body object; wrong type is a 422.
pub(crate) fn opt_str(
    dialect: Dialect,
    map: &serde_json::Map<String, Value>,
    loc: &[&str],
    errors: &mut Vec<Value>,
) -> Option<String> {
    let key = loc.last().copied().unwrap_or_default();
    match map.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => {
            errors.push(str_error(dialect, loc, other));
            None
        }
    }
}

/// Optional list of strings; wrong type is a 422.
pub(crate) fn opt_str_list(
    dialect: Dialect,
    map: &serde_json::Map<String, Value>,
    loc: &[&str],
    errors: &mut Vec<Value>,
) -> Option<Vec<String>> {
    let key = loc.last().copied().unwrap_or_default();
    match map.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::Array(items)) => {
            let loc = pydantic::loc(loc);
            let mut out = Vec::new();
            for (i, item) in items.iter().enumerate() {
                match item {
                    Value::String(s) => out.push(s.clone()),
                    other => {
                        let at = pydantic::child(&loc, i);
                        errors.push(pydantic::type_error(dialect, &at, Expected::Str, other));
                    }
                }
            }
            Some(out)
        }
        Some(other) => {
            let loc = pydantic::loc(loc);
            errors.push(pydantic::type_error(dialect, &loc, Expected::List, other));
            None
        }
    }
}

/// `description` and `tags` of a config write body (`ConfigsRequest`). An empty description
/// counts as none, as the service's `request.description or <default>` treats it.
pub(crate) fn description_and_tags(
    dialect: Dialect,
    map: &serde_json::Map<String, Value>,
    errors: &mut Vec<Value>,
) -> (Option<String>, Option<Vec<String>>) {
    let description = opt_str(dialect, map, &["body", "description"], errors);
    let tags = opt_str_list(dialect, map, &["body", "tags"], errors);
    (description.filter(|d| !d.is_empty()), tags)
}

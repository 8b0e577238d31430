//! Service identity and the service middleware: `/api/version`, `/client/version`, `/health`,
//! the `x-osmo-client-version` check (`x-osmo-service-version` / "New client" warning), and at
//! 6.2+ the access-token expiry check ("Access token X has expired." / expiring-soon warning).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::json;

use crate::auth::Caller;
use crate::errors::{ok_json, ApiError, ApiResult};
use crate::state::Shared;
use crate::timestamps;

/// `GET /api/version` and `/client/version`: version parts as strings.
pub(crate) async fn version(State(shared): State<Arc<Shared>>) -> ApiResult {
    let (a, b, c) = shared.dialect.version();
    Ok(ok_json(
        json!({"major": a.to_string(), "minor": b.to_string(), "revision": c.to_string(), "hash": ""}),
    ))
}

/// `GET /health`.
pub(crate) async fn health() -> ApiResult {
    Ok(ok_json(json!({"status": "OK"})))
}

/// Parses `^\d+\.\d+\.\d+(\.[a-zA-Z0-9]+)?$` into `(major, minor, revision)`.
pub(crate) fn parse_client_version(text: &str) -> Option<(u32, u32, u32)> {
    let parts: Vec<&str> = text.split('.').collect();
    if !(3..=4).contains(&parts.len()) {
        return None;
    }
    let num = |s: &str| {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    if let Some(hash) = parts.get(3) {
        if hash.is_empty() || !hash.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return None;
        }
    }
    Some((num(parts[0])?, num(parts[1])?, num(parts[2])?))
}

/// Middleware: client-version and (6.2+) token-expiry checks, like the service's.
pub(crate) async fn service_middleware(
    State(shared): State<Arc<Shared>>,
    req: Request,
    next: Next,
) -> Response {
    let client = req
        .headers()
        .get("x-osmo-client-version")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let Some(client) = client else {
        return next.run(req).await;
    };
    let Some(client_version) = parse_client_version(&client) else {
        return ApiError::Internal("Version should be of the format major.minor.revision".into())
            .into_response();
    };
    let service = shared.dialect.version();
    let mut warning = None;
    if !shared.dialect.is_v6_0() {
        let caller = req.extensions().get::<Caller>().cloned();
        if let Some(Caller {
            user,
            token_name: Some(name),
            ..
        }) = caller
        {
            let expiry = {
                let db = shared.db();
                db.tokens
                    .iter()
                    .find(|t| t.user_name == user && t.token_name == name)
                    .map(|t| t.expires_at)
            };
            if let Some(expires_at) = expiry {
                let today = timestamps::today();
                if expires_at <= today {
                    return ApiError::Middleware(format!("Access token {name} has expired."))
                        .into_response();
                }
                if (expires_at - today).num_days() <= 7 {
                    warning = Some(format!(
                        "WARNING: Access token {name} is expiring on {expires_at} at 12AM UTC."
                    ));
                }
            }
        }
    }
    let mut resp = next.run(req).await;
    let older = client_version < service;
    if older && !shared.dialect.is_v6_0() && warning.is_none() {
        warning = Some(format!(
            "WARNING: New client {} available.\nCurrent version: {client}.\nPlease update by running the install command in the documentation.",
            shared.dialect.version_string()
        ));
    }
    let headers = resp.headers_mut();
    if older {
        if let Ok(v) = HeaderValue::from_str(&shared.dialect.version_string()) {
            headers.insert("x-osmo-service-version", v);
        }
    }
    if let Some(text) = warning {
        if let Ok(v) = HeaderValue::from_str(&STANDARD.encode(text)) {
            headers.insert("x-osmo-warning", v);
        }
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::parse_client_version;

    #[test]
    fn client_version_format() {
        assert_eq!(parse_client_version("6.0.0"), Some((6, 0, 0)));
        assert_eq!(parse_client_version("6.4.0.abc123"), Some((6, 4, 0)));
        assert_eq!(parse_client_version("banana"), None);
        assert_eq!(parse_client_version("6.0"), None);
        assert_eq!(parse_client_version("6.0.0."), None);
    }
}

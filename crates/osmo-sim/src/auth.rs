//! Who is calling: dev-mode identity (`x-osmo-user`, default `testuser`) or, with `require_auth`,
//! the gateway's JWT check (6.0: `x-osmo-auth`; 6.2+: `Authorization: Bearer` or `x-osmo-auth`)
//! and role checks; plus the public auth discovery endpoints (`/api/auth/login`, `/api/auth/keys`).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::dialect::Dialect;
use crate::errors::{ok_json, ApiError, ApiResult};
use crate::jwt::{self, JwtClaims, JwtRejection};
use crate::state::{Shared, DEV_USER};

/// The identity a request runs as.
#[derive(Clone, Debug)]
pub(crate) struct Caller {
    pub user: String,
    pub roles: Vec<String>,
    /// Access token the JWT came from (Envoy's `x-osmo-token-name`).
    pub token_name: Option<String>,
}

/// Paths Envoy lets through without a JWT (`gateway.envoy.skipAuthPaths`).
const PUBLIC_PATHS: [&str; 9] = [
    "/api/version",
    "/api/auth/login",
    "/api/auth/keys",
    "/api/auth/refresh_token",
    "/api/auth/jwt/refresh_token",
    "/api/auth/jwt/access_token",
    "/api/router/version",
    "/client/version",
    "/health",
];

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The raw JWT from the headers the dialect's gateway reads.
fn presented_jwt(dialect: Dialect, headers: &HeaderMap) -> Option<String> {
    if let Some(v) = header(headers, "x-osmo-auth") {
        return Some(v.trim().to_string());
    }
    if !dialect.is_v6_0() {
        if let Some(v) = header(headers, "authorization") {
            return v.strip_prefix("Bearer ").map(|t| t.trim().to_string());
        }
    }
    None
}

fn caller_from_claims(c: JwtClaims) -> Caller {
    Caller {
        user: c.unique_name,
        roles: c.roles,
        token_name: c.osmo_token_name,
    }
}

/// Whether a role set may call `method path` (simplified 6.0 path roles / 6.2+ semantic actions).
pub(crate) fn allowed(
    dialect: Dialect,
    roles: &[String],
    method: &Method,
    path: &str,
    user: &str,
) -> bool {
    let has = |r: &str| roles.iter().any(|x| x == r);
    if has("osmo-admin") {
        return true;
    }
    let read = method == Method::GET;
    if has("osmo-backend")
        && (path.starts_with("/api/agent/")
            || (read
                && (path.starts_with("/api/configs/backend") || path.starts_with("/api/pool"))))
    {
        return true;
    }
    if has("osmo-user") {
        let own_tokens = match dialect {
            Dialect::V6_0 => {
                path == "/api/auth/access_token" || path.starts_with("/api/auth/access_token/user")
            }
            Dialect::V6_2 | Dialect::V6_4 => {
                path.starts_with("/api/auth/access_token")
                    || path.starts_with(&format!("/api/auth/user/{user}/access_token"))
            }
        };
        if own_tokens || (read && path.starts_with("/api/pool")) {
            return true;
        }
    }
    false
}

/// Middleware: attaches a [`Caller`] to the request, enforcing JWTs and roles when required.
pub(crate) async fn identify(
    State(shared): State<Arc<Shared>>,
    mut req: Request,
    next: Next,
) -> Response {
    let dialect = shared.dialect;
    let headers = req.headers();
    let now = chrono::Utc::now().timestamp();
    let verified = presented_jwt(dialect, headers).map(|t| jwt::verify(&shared.jwt_key, &t, now));
    let caller = if shared.require_auth {
        let path = req.uri().path().to_string();
        let public = PUBLIC_PATHS.contains(&path.as_str());
        match verified {
            Some(Ok(claims)) => {
                let caller = caller_from_claims(claims);
                if !public && !allowed(dialect, &caller.roles, req.method(), &path, &caller.user) {
                    return ApiError::Forbidden(dialect).into_response();
                }
                caller
            }
            _ if public => Caller {
                user: DEV_USER.into(),
                roles: vec![],
                token_name: None,
            },
            Some(Err(rejection)) => {
                return ApiError::Unauthorized(rejection.envoy_text()).into_response()
            }
            None => return ApiError::Unauthorized("Jwt is missing").into_response(),
        }
    } else {
        match verified {
            Some(Ok(claims)) => caller_from_claims(claims),
            // Dev mode: the core service never validates JWTs (garbage headers are ignored).
            Some(Err(
                JwtRejection::Expired | JwtRejection::BadSignature | JwtRejection::Malformed,
            ))
            | Some(Err(JwtRejection::NotYetValid))
            | None => Caller {
                user: header(headers, "x-osmo-user")
                    .unwrap_or(DEV_USER)
                    .to_string(),
                roles: header(headers, "x-osmo-roles")
                    .map(|r| {
                        r.split(',')
                            .map(|s| s.trim().to_string())
                            .filter(|s| !s.is_empty())
                            .collect()
                    })
                    .unwrap_or_default(),
                token_name: header(headers, "x-osmo-token-name").map(str::to_string),
            },
        }
    };
    req.extensions_mut().insert(caller);
    next.run(req).await
}

/// `GET /api/auth/login`: dev mode, so every endpoint is null.
pub(crate) async fn login_info() -> ApiResult {
    Ok(ok_json(json!({
        "device_endpoint": null,
        "device_client_id": null,
        "browser_endpoint": null,
        "browser_client_id": null,
        "token_endpoint": null,
        "logout_endpoint": null,
    })))
}

/// `GET /api/auth/keys`: the simulator signs HS256, so it has no public key to publish.
pub(crate) async fn keys() -> ApiResult {
    Ok(ok_json(json!({ "keys": [] })))
}

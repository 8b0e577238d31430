//! Access tokens: value generation (64 hex chars at 6.0, 43 url-safe chars at 6.2+), SHA-256
//! storage, the server's validation rules and messages, token→JWT exchange, and the 6.0/6.1
//! service- and personal-token endpoints (`/api/auth/access_token/{service,user}/…`).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::Extension;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{Duration as ChronoDuration, NaiveDate};
use rand::RngCore;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::auth::Caller;
use crate::dialect::Dialect;
use crate::errors::{ok_json, ApiError, ApiResult};
use crate::jwt::{self, JwtClaims};
use crate::params::{self, QueryParams};
use crate::state::{Shared, SimState, TokenKind, TokenRecord, BUILTIN_ROLES};
use crate::timestamps::{self, iso, midnight};

/// `TOKEN_NAME_REGEX` of the service.
pub(crate) const TOKEN_NAME_REGEX: &str = "^[a-zA-Z]([a-zA-Z0-9_-]*[a-zA-Z0-9])?$";
/// Default `service_auth.max_token_duration`.
const MAX_LIFETIME_DAYS: i64 = 365;

pub(crate) fn token_name_valid(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    first.is_ascii_alphabetic()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && name
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric())
}

pub(crate) fn hash_token(value: &str) -> [u8; 32] {
    Sha256::digest(value.as_bytes()).into()
}

fn new_token_value(dialect: Dialect) -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    match dialect {
        Dialect::V6_0 => bytes.iter().map(|b| format!("{b:02x}")).collect(),
        Dialect::V6_2 | Dialect::V6_4 => URL_SAFE_NO_PAD.encode(bytes),
    }
}

/// A token creation request after HTTP decoding.
pub(crate) struct NewToken {
    pub user: String,
    pub name: String,
    pub expires_at: String,
    pub description: String,
    pub kind: TokenKind,
    pub roles: Vec<String>,
    pub created_by: String,
    /// Use this value instead of a random one (seeding only).
    pub value: Option<String>,
}

/// Applies the dialect's validation rules and stores the token; returns its value.
pub(crate) fn create_token(
    dialect: Dialect,
    db: &mut SimState,
    req: NewToken,
) -> Result<String, ApiError> {
    let today = timestamps::today();
    if !token_name_valid(&req.name) {
        return Err(ApiError::user(format!(
            "Token name {} must match regex {TOKEN_NAME_REGEX}",
            req.name
        )));
    }
    let parsed = NaiveDate::parse_from_str(&req.expires_at, "%Y-%m-%d")
        .ok()
        .filter(|_| req.expires_at.len() == 10);
    let max = today + ChronoDuration::days(MAX_LIFETIME_DAYS);
    let past_msg = format!("Expiration date must be past the current date ({today})");
    let roles = match dialect {
        Dialect::V6_0 => {
            let date = parsed.ok_or_else(|| {
                ApiError::user(format!(
                    "Invalid date format {}. Date must be in YYYY-MM-DD format (e.g. 2025-12-31)",
                    req.expires_at
                ))
            })?;
            if date <= today {
                return Err(ApiError::user(past_msg));
            }
            if date > max {
                return Err(ApiError::user(format!(
                    "Access token cannot last longer than {MAX_LIFETIME_DAYS}d"
                )));
            }
            if let Some(bad) = req
                .roles
                .iter()
                .find(|r| !BUILTIN_ROLES.contains(&r.as_str()))
            {
                return Err(ApiError::user(format!("Invalid role: {bad}")));
            }
            let mut roles: Vec<String> = Vec::new();
            for r in req.roles {
                if !roles.contains(&r) {
                    roles.push(r);
                }
            }
            (date, roles)
        }
        Dialect::V6_2 | Dialect::V6_4 => {
            let date = parsed.ok_or_else(|| {
                ApiError::Internal(format!(
                    "time data '{}' does not match format '%Y-%m-%d'",
                    req.expires_at
                ))
            })?;
            if date > max {
                return Err(ApiError::user(format!(
                    "Access token expiration date cannot be more than {MAX_LIFETIME_DAYS}d from now"
                )));
            }
            if date <= today {
                return Err(ApiError::user(past_msg));
            }
            let held = db.user_role_names(&req.user);
            let mut roles = if req.roles.is_empty() {
                held.clone()
            } else {
                req.roles
            };
            if roles.is_empty() {
                return Err(ApiError::user(
                    "At least one role must be specified for the access token.",
                ));
            }
            if db.user(&req.user).is_none() || !roles.iter().all(|r| held.contains(r)) {
                return Err(ApiError::user(
                    "User does not have all the requested roles. Token creation failed.",
                ));
            }
            roles.sort();
            roles.dedup();
            (date, roles)
        }
    };
    let (date, roles) = roles;
    let duplicate = db.tokens.iter().any(|t| {
        t.user_name == req.user
            && t.token_name == req.name
            && (!dialect.is_v6_0() || t.kind == req.kind)
    });
    if duplicate {
        return Err(ApiError::user(format!(
            "Token name {} already exists.",
            req.name
        )));
    }
    let value = req.value.unwrap_or_else(|| new_token_value(dialect));
    db.tokens.push(TokenRecord {
        user_name: req.user,
        token_name: req.name,
        hash: hash_token(&value),
        expires_at: date,
        description: req.description,
        kind: req.kind,
        roles,
        created_by: req.created_by,
        created_at: timestamps::now(),
    });
    Ok(value)
}

/// Token JSON of list/info endpoints (`access_type` only at 6.0).
pub(crate) fn token_json(dialect: Dialect, t: &TokenRecord) -> Value {
    let mut v = json!({
        "user_name": t.user_name,
        "token_name": t.token_name,
        "expires_at": iso(midnight(t.expires_at)),
        "description": t.description,
    });
    if dialect.is_v6_0() {
        v["access_type"] = json!(t.kind.access_type());
    }
    v["roles"] = json!(t.roles);
    v
}

/// Exchanges an access token value for a JWT: `(jwt, expires_at epoch seconds)`.
pub(crate) fn exchange(shared: &Shared, value: &str) -> Result<(String, i64), ApiError> {
    let len = value.chars().count();
    if !shared.dialect.is_v6_0() && len != 43 && len != 64 {
        return Err(ApiError::user(format!(
            "Access token has invalid length {len}"
        )));
    }
    let hash = hash_token(value);
    let db = shared.db();
    let token = db
        .tokens
        .iter()
        .find(|t| t.hash == hash)
        .ok_or_else(|| ApiError::user("Access Token is invalid"))?;
    if token.is_expired(timestamps::today()) {
        return Err(ApiError::user("Access Token has expired"));
    }
    let now = chrono::Utc::now().timestamp();
    let lifetime = i64::try_from(shared.jwt_lifetime.as_secs()).unwrap_or(300);
    let claims = JwtClaims {
        iss: "osmo".into(),
        aud: "osmo".into(),
        iat: now,
        nbf: now,
        exp: now + lifetime,
        unique_name: token.user_name.clone(),
        roles: token.roles.clone(),
        osmo_token_name: (!shared.dialect.is_v6_0()).then(|| token.token_name.clone()),
    };
    Ok((jwt::sign(&shared.jwt_key, &claims), claims.exp))
}

pub(crate) fn exchange_response(dialect: Dialect, jwt: String, exp: i64) -> Value {
    match dialect {
        Dialect::V6_0 | Dialect::V6_2 => json!({"token": jwt, "expires_at": exp, "error": null}),
        Dialect::V6_4 => json!({"token": jwt, "expires_at": exp}),
    }
}

/// `GET /api/auth/jwt/access_token?access_token=…` (both dialects).
pub(crate) async fn jwt_exchange_get(
    State(shared): State<Arc<Shared>>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let q = QueryParams::parse(q.as_deref());
    let value = q.required(shared.dialect, "access_token")?;
    let (jwt, exp) = exchange(&shared, value)?;
    Ok(ok_json(exchange_response(shared.dialect, jwt, exp)))
}

/// `POST /api/auth/jwt/access_token {"token": …}` (6.2+).
pub(crate) async fn jwt_exchange_post(State(shared): State<Arc<Shared>>, body: Bytes) -> ApiResult {
    let d = shared.dialect;
    let map = params::required_object(d, &body)?;
    let value = match map.get("token") {
        Some(Value::String(s)) => s.clone(),
        None | Some(Value::Null) => {
            return Err(ApiError::Validation(vec![params::missing(
                d,
                &["body", "token"],
                Value::Object(map.clone()),
            )]))
        }
        Some(other) => {
            return Err(ApiError::Validation(vec![params::str_error(
                d,
                &["body", "token"],
                other,
            )]))
        }
    };
    let (jwt, exp) = exchange(&shared, &value)?;
    Ok(ok_json(exchange_response(d, jwt, exp)))
}

fn new_token_from_query(
    shared: &Shared,
    q: &QueryParams,
    user: String,
    name: String,
    kind: TokenKind,
    roles: Vec<String>,
    caller: &Caller,
) -> Result<NewToken, ApiError> {
    Ok(NewToken {
        user,
        name,
        expires_at: q.required(shared.dialect, "expires_at")?.to_string(),
        description: q.get("description").unwrap_or_default().to_string(),
        kind,
        roles,
        created_by: caller.user.clone(),
        value: None,
    })
}

/// 6.0 `POST /api/auth/access_token/service/{token_name}`.
pub(crate) async fn service_token_create(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(name): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let q = QueryParams::parse(q.as_deref());
    let req = new_token_from_query(
        &shared,
        &q,
        name.clone(),
        name,
        TokenKind::Service,
        q.all("roles"),
        &caller,
    )?;
    let value = create_token(shared.dialect, &mut shared.db(), req)?;
    Ok(ok_json(json!(value)))
}

/// 6.0 `GET /api/auth/access_token/service`.
pub(crate) async fn service_token_list(State(shared): State<Arc<Shared>>) -> ApiResult {
    let db = shared.db();
    let list: Vec<Value> = db
        .tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Service)
        .map(|t| token_json(shared.dialect, t))
        .collect();
    Ok(ok_json(json!(list)))
}

/// 6.0 `DELETE /api/auth/access_token/service/{token_name}`.
pub(crate) async fn service_token_delete(
    State(shared): State<Arc<Shared>>,
    Path(name): Path<String>,
) -> ApiResult {
    let mut db = shared.db();
    let before = db.tokens.len();
    db.tokens
        .retain(|t| !(t.kind == TokenKind::Service && t.token_name == name));
    if db.tokens.len() == before {
        return Err(ApiError::user(format!(
            "Service access token {name} does not exist."
        )));
    }
    Ok(ok_json(Value::Null))
}

/// 6.0 `POST /api/auth/access_token/user/{token_name}` (roles fixed to `osmo-user`).
pub(crate) async fn user_token_create(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(name): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let q = QueryParams::parse(q.as_deref());
    let roles = vec!["osmo-user".to_string()];
    let req = new_token_from_query(
        &shared,
        &q,
        caller.user.clone(),
        name,
        TokenKind::User,
        roles,
        &caller,
    )?;
    let value = create_token(shared.dialect, &mut shared.db(), req)?;
    Ok(ok_json(json!(value)))
}

/// 6.0 `GET /api/auth/access_token/user`.
pub(crate) async fn user_token_list(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
) -> ApiResult {
    let db = shared.db();
    let list: Vec<Value> = db
        .tokens
        .iter()
        .filter(|t| t.kind == TokenKind::User && t.user_name == caller.user)
        .map(|t| token_json(shared.dialect, t))
        .collect();
    Ok(ok_json(json!(list)))
}

/// 6.0 `DELETE /api/auth/access_token/user/{token_name}`.
pub(crate) async fn user_token_delete(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(name): Path<String>,
) -> ApiResult {
    let mut db = shared.db();
    let before = db.tokens.len();
    db.tokens.retain(|t| {
        !(t.kind == TokenKind::User && t.token_name == name && t.user_name == caller.user)
    });
    if db.tokens.len() == before {
        return Err(ApiError::user(format!(
            "User access token {name} does not exist."
        )));
    }
    Ok(ok_json(Value::Null))
}

/// 6.0 `GET /api/auth/access_token?access_token=…`: info about one token.
pub(crate) async fn token_info(
    State(shared): State<Arc<Shared>>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let q = QueryParams::parse(q.as_deref());
    let hash = hash_token(q.required(shared.dialect, "access_token")?);
    let db = shared.db();
    let token = db
        .tokens
        .iter()
        .find(|t| t.hash == hash)
        .ok_or_else(|| ApiError::user("Access Token is invalid"))?;
    Ok(ok_json(token_json(shared.dialect, token)))
}

#[cfg(test)]
mod tests {
    use super::token_name_valid;

    #[test]
    fn token_name_rule() {
        for ok in ["a", "osmo-operator-default", "A_b-9"] {
            assert!(token_name_valid(ok), "{ok}");
        }
        for bad in ["", "1bad", "bad-", "bad.name", "-x", "x_"] {
            assert!(!token_name_valid(bad), "{bad}");
        }
    }
}

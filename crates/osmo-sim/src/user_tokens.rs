//! 6.2+ access tokens of a named user (`/api/auth/user/{id}/access_token[/{name}]`) and of the
//! caller (`/api/auth/access_token[/{name}[/roles]]`), with the server's messages.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::Extension;
use serde_json::{json, Value};

use crate::auth::Caller;
use crate::errors::{ok_json, ApiError, ApiResult};
use crate::params::QueryParams;
use crate::state::{Shared, TokenKind};
use crate::timestamps::iso_user_api;
use crate::tokens::{create_token, token_json, NewToken};
use crate::users::not_found;

fn create_for(
    shared: &Shared,
    user: String,
    name: String,
    q: &QueryParams,
    caller: &Caller,
) -> ApiResult {
    let req = NewToken {
        user,
        name,
        expires_at: q.required(shared.dialect, "expires_at")?.to_string(),
        description: q.get("description").unwrap_or_default().to_string(),
        kind: TokenKind::User,
        roles: q.all("roles"),
        created_by: caller.user.clone(),
        value: None,
    };
    let value = create_token(shared.dialect, &mut shared.db(), req)?;
    Ok(ok_json(json!(value)))
}

fn list_for(shared: &Shared, user: &str) -> ApiResult {
    let db = shared.db();
    let list: Vec<Value> = db
        .tokens
        .iter()
        .filter(|t| t.user_name == user)
        .map(|t| token_json(shared.dialect, t))
        .collect();
    Ok(ok_json(json!(list)))
}

fn delete_for(shared: &Shared, user: &str, name: &str) -> ApiResult {
    let mut db = shared.db();
    let before = db.tokens.len();
    db.tokens
        .retain(|t| !(t.user_name == user && t.token_name == name));
    if db.tokens.len() == before {
        return Err(ApiError::user(format!(
            "Access token {name} does not exist."
        )));
    }
    Ok(ok_json(Value::Null))
}

/// `POST /api/auth/user/{id}/access_token/{name}`.
pub(crate) async fn user_token_create(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path((id, name)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    create_for(
        &shared,
        id,
        name,
        &QueryParams::parse(q.as_deref()),
        &caller,
    )
}

/// `GET /api/auth/user/{id}/access_token`.
pub(crate) async fn user_token_list(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
) -> ApiResult {
    if shared.db().user(&id).is_none() {
        return Err(not_found(&id));
    }
    list_for(&shared, &id)
}

/// `DELETE /api/auth/user/{id}/access_token/{name}`.
pub(crate) async fn user_token_delete(
    State(shared): State<Arc<Shared>>,
    Path((id, name)): Path<(String, String)>,
) -> ApiResult {
    delete_for(&shared, &id, &name)
}

/// `POST /api/auth/access_token/{name}`: a token for the caller.
pub(crate) async fn own_token_create(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(name): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    create_for(
        &shared,
        caller.user.clone(),
        name,
        &QueryParams::parse(q.as_deref()),
        &caller,
    )
}

/// `GET /api/auth/access_token`: the caller's tokens.
pub(crate) async fn own_token_list(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
) -> ApiResult {
    list_for(&shared, &caller.user)
}

/// `DELETE /api/auth/access_token/{name}`.
pub(crate) async fn own_token_delete(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(name): Path<String>,
) -> ApiResult {
    delete_for(&shared, &caller.user, &name)
}

/// `GET /api/auth/access_token/{name}/roles`.
pub(crate) async fn own_token_roles(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(name): Path<String>,
) -> ApiResult {
    let db = shared.db();
    let t = db
        .tokens
        .iter()
        .find(|t| t.user_name == caller.user && t.token_name == name)
        .ok_or_else(|| ApiError::user(format!("Access token {name} does not exist.")))?;
    let roles: Vec<Value> = t
        .roles
        .iter()
        .map(|r| json!({"role_name": r, "assigned_by": t.created_by, "assigned_at": iso_user_api(shared.dialect, t.created_at)}))
        .collect();
    Ok(ok_json(
        json!({"user_name": t.user_name, "token_name": t.token_name, "roles": roles}),
    ))
}

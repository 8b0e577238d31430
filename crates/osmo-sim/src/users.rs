//! 6.2+ users and their tokens: `/api/auth/user[/{id}[/roles|/access_token[/{name}]]]` and the
//! caller's own tokens `/api/auth/access_token[/{name}[/roles]]`, with the server's messages.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::Extension;
use chrono::NaiveDateTime;
use serde_json::{json, Value};

use crate::auth::Caller;
use crate::dialect::Dialect;
use crate::errors::{ok_json, ApiError, ApiResult};
use crate::params::{self, QueryParams};
use crate::state::{RoleGrant, Shared, SimState, TokenKind, UserRecord, BUILTIN_ROLES};
use crate::timestamps::{self, iso_user_api};
use crate::tokens::{create_token, token_json, NewToken};

/// `USERNAME_REGEX` of the service.
pub(crate) const USERNAME_REGEX: &str = "^[a-zA-Z0-9]([a-zA-Z0-9_.@-]*[a-zA-Z0-9])?$";

pub(crate) fn username_valid(id: &str) -> bool {
    let Some(first) = id.chars().next() else {
        return false;
    };
    first.is_ascii_alphanumeric()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.@-".contains(c))
        && id.chars().last().is_some_and(|c| c.is_ascii_alphanumeric())
}

/// Creates a user with roles (validation as `POST /api/auth/user`).
pub(crate) fn create_user(
    db: &mut SimState,
    id: &str,
    roles: &[String],
    created_by: &str,
    assigned_by: &str,
) -> Result<NaiveDateTime, ApiError> {
    if !username_valid(id) {
        return Err(ApiError::user(format!(
            "Username {id} must match regex {USERNAME_REGEX}"
        )));
    }
    if db.user(id).is_some() {
        return Err(ApiError::user(format!("User {id} already exists")));
    }
    if let Some(bad) = roles.iter().find(|r| !BUILTIN_ROLES.contains(&r.as_str())) {
        return Err(ApiError::user(format!("Role {bad} does not exist")));
    }
    let now = timestamps::now();
    let mut grants: Vec<RoleGrant> = Vec::new();
    for r in roles {
        if !grants.iter().any(|g| &g.role_name == r) {
            grants.push(RoleGrant {
                role_name: r.clone(),
                assigned_by: assigned_by.into(),
                assigned_at: now,
            });
        }
    }
    db.users.push(UserRecord {
        id: id.into(),
        created_at: now,
        created_by: created_by.into(),
        roles: grants,
    });
    Ok(now)
}

fn grant_json(dialect: Dialect, g: &RoleGrant) -> Value {
    json!({"role_name": g.role_name, "assigned_by": g.assigned_by, "assigned_at": iso_user_api(dialect, g.assigned_at)})
}

fn not_found(id: &str) -> ApiError {
    ApiError::user(format!("User {id} not found"))
}

/// `POST /api/auth/user {"id","roles"}`.
pub(crate) async fn user_create(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> ApiResult {
    let d = shared.dialect;
    let map = params::required_object(d, &body)?;
    let mut errors = Vec::new();
    let id = params::opt_str(d, &map, &["body", "id"], &mut errors);
    let roles = params::opt_str_list(d, &map, &["body", "roles"], &mut errors).unwrap_or_default();
    if id.is_none() && errors.is_empty() {
        errors.push(params::missing(
            d,
            &["body", "id"],
            Value::Object(map.clone()),
        ));
    }
    let (Some(id), true) = (id, errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    let created_at = create_user(&mut shared.db(), &id, &roles, &caller.user, &caller.user)?;
    Ok(ok_json(
        json!({"id": id, "created_at": iso_user_api(shared.dialect, created_at), "created_by": caller.user}),
    ))
}

/// `GET /api/auth/user?start_index&count&id_prefix&roles`, newest first.
pub(crate) async fn user_list(
    State(shared): State<Arc<Shared>>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let d = shared.dialect;
    let q = QueryParams::parse(q.as_deref());
    let start = q.int(d, "start_index")?.unwrap_or(1).max(1);
    let count = q.int(d, "count")?.unwrap_or(100).clamp(0, 1000);
    let prefix = q.get("id_prefix").unwrap_or_default().to_string();
    let roles = q.all("roles");
    let db = shared.db();
    // Newest first, as the service lists them (osmo-admin-ops-6.4.0.json `user_list`).
    let mut matching: Vec<&UserRecord> = db
        .users
        .iter()
        .rev()
        .filter(|u| u.id.starts_with(&prefix))
        .filter(|u| roles.is_empty() || u.roles.iter().any(|g| roles.contains(&g.role_name)))
        .collect();
    matching.sort_by_key(|u| std::cmp::Reverse(u.created_at));
    let page: Vec<Value> = matching
        .iter()
        .skip(usize::try_from(start - 1).unwrap_or(0))
        .take(usize::try_from(count).unwrap_or(0))
        .map(|u| json!({"id": u.id, "created_at": iso_user_api(shared.dialect, u.created_at), "created_by": u.created_by}))
        .collect();
    Ok(ok_json(json!({
        "total_results": matching.len(),
        "start_index": start,
        "items_per_page": page.len(),
        "users": page,
    })))
}

/// `GET /api/auth/user/{id}`.
pub(crate) async fn user_get(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
) -> ApiResult {
    let db = shared.db();
    let u = db.user(&id).ok_or_else(|| not_found(&id))?;
    let roles: Vec<Value> = u
        .roles
        .iter()
        .map(|g| grant_json(shared.dialect, g))
        .collect();
    Ok(ok_json(
        json!({"id": u.id, "created_at": iso_user_api(shared.dialect, u.created_at), "created_by": u.created_by, "roles": roles}),
    ))
}

/// `DELETE /api/auth/user/{id}`: cascades to roles and tokens.
pub(crate) async fn user_delete(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
) -> ApiResult {
    let mut db = shared.db();
    if db.user(&id).is_none() {
        return Err(not_found(&id));
    }
    db.users.retain(|u| u.id != id);
    db.tokens.retain(|t| t.user_name != id);
    Ok(ok_json(Value::Null))
}

/// `POST /api/auth/user/{id}/roles {"role_name"}`.
pub(crate) async fn user_role_add(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let d = shared.dialect;
    let map = params::required_object(d, &body)?;
    let mut errors = Vec::new();
    let role = params::opt_str(d, &map, &["body", "role_name"], &mut errors);
    let Some(role) = role else {
        if errors.is_empty() {
            errors.push(params::missing(
                d,
                &["body", "role_name"],
                Value::Object(map.clone()),
            ));
        }
        return Err(ApiError::Validation(errors));
    };
    if !BUILTIN_ROLES.contains(&role.as_str()) {
        return Err(ApiError::user(format!("Role {role} does not exist")));
    }
    let mut db = shared.db();
    let user = db
        .users
        .iter_mut()
        .find(|u| u.id == id)
        .ok_or_else(|| not_found(&id))?;
    let now = timestamps::now();
    if !user.roles.iter().any(|g| g.role_name == role) {
        user.roles.push(RoleGrant {
            role_name: role.clone(),
            assigned_by: caller.user.clone(),
            assigned_at: now,
        });
    }
    let grant = user.roles.iter().find(|g| g.role_name == role).cloned();
    let grant = grant.unwrap_or(RoleGrant {
        role_name: role.clone(),
        assigned_by: caller.user,
        assigned_at: now,
    });
    Ok(ok_json(json!({
        "user_id": id, "role_name": role, "assigned_by": grant.assigned_by, "assigned_at": iso_user_api(shared.dialect, grant.assigned_at)
    })))
}

/// `DELETE /api/auth/user/{id}/roles/{role}`: also removes the role from the user's tokens.
pub(crate) async fn user_role_remove(
    State(shared): State<Arc<Shared>>,
    Path((id, role)): Path<(String, String)>,
) -> ApiResult {
    let mut db = shared.db();
    let user = db
        .users
        .iter_mut()
        .find(|u| u.id == id)
        .ok_or_else(|| not_found(&id))?;
    user.roles.retain(|g| g.role_name != role);
    for t in db.tokens.iter_mut().filter(|t| t.user_name == id) {
        t.roles.retain(|r| *r != role);
    }
    Ok(ok_json(Value::Null))
}

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

#[cfg(test)]
mod tests {
    use super::username_valid;

    #[test]
    fn username_rule() {
        assert!(username_valid("backend-operator"));
        assert!(username_valid("a.b@c"));
        assert!(!username_valid("-bad"));
        assert!(!username_valid("bad-"));
        assert!(!username_valid(""));
    }
}

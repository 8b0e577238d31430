//! 6.2+ users: `POST/GET /api/auth/user` (list newest first, `roles` = any of them, `id_prefix`,
//! paging) and `GET/DELETE /api/auth/user/{id}` (deleting a user deletes its role assignments and
//! tokens), with the server's messages. Role assignments are in `user_roles`, tokens in
//! `user_tokens`.

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
use crate::state::{RoleGrant, Shared, SimState, UserRecord, BUILTIN_ROLES};
use crate::timestamps::{self, iso_user_api};

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

pub(crate) fn grant_json(dialect: Dialect, g: &RoleGrant) -> Value {
    json!({"role_name": g.role_name, "assigned_by": g.assigned_by, "assigned_at": iso_user_api(dialect, g.assigned_at)})
}

/// A user's role assignments, by role name (as the service orders them).
pub(crate) fn grants_json(dialect: Dialect, grants: &[RoleGrant]) -> Vec<Value> {
    let mut sorted: Vec<&RoleGrant> = grants.iter().collect();
    sorted.sort_by(|a, b| a.role_name.cmp(&b.role_name));
    sorted.into_iter().map(|g| grant_json(dialect, g)).collect()
}

pub(crate) fn not_found(id: &str) -> ApiError {
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
    let count = q.int(d, "count")?.unwrap_or(100).clamp(1, 1000);
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
    let roles = grants_json(shared.dialect, &u.roles);
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

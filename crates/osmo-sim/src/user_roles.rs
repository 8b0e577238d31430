//! 6.2+ role assignments: `GET/POST /api/auth/user/{id}/roles`,
//! `DELETE /api/auth/user/{id}/roles/{role}` (the role also leaves the user's tokens), and
//! `GET/POST /api/auth/roles/{role}/users`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::Extension;
use serde_json::{json, Value};

use crate::auth::Caller;
use crate::errors::{ok_json, ApiError, ApiResult};
use crate::params;
use crate::state::{RoleGrant, Shared, BUILTIN_ROLES};
use crate::timestamps::{self, iso, iso_user_api};
use crate::users::{grants_json, not_found};

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

/// `GET /api/auth/user/{id}/roles`.
pub(crate) async fn user_roles_list(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
) -> ApiResult {
    let db = shared.db();
    let u = db.user(&id).ok_or_else(|| not_found(&id))?;
    Ok(ok_json(
        json!({"user_id": id, "roles": grants_json(shared.dialect, &u.roles)}),
    ))
}

fn role_exists(role: &str) -> Result<(), ApiError> {
    if BUILTIN_ROLES.contains(&role) {
        Ok(())
    } else {
        Err(ApiError::user(format!("Role {role} does not exist")))
    }
}

/// `GET /api/auth/roles/{role}/users`: latest assignment first; the times are Python
/// `isoformat()` of an aware datetime (`+00:00`) in every 6.2+ version.
pub(crate) async fn role_users_list(
    State(shared): State<Arc<Shared>>,
    Path(role): Path<String>,
) -> ApiResult {
    role_exists(&role)?;
    let db = shared.db();
    // Newest users first, so that equal times keep the latest assignment first.
    let mut rows: Vec<(&str, &RoleGrant)> = db
        .users
        .iter()
        .rev()
        .flat_map(|u| {
            u.roles
                .iter()
                .filter(|g| g.role_name == role)
                .map(move |g| (u.id.as_str(), g))
        })
        .collect();
    rows.sort_by_key(|(_, g)| std::cmp::Reverse(g.assigned_at));
    let users: Vec<Value> = rows
        .into_iter()
        .map(|(id, g)| json!({"user_id": id, "assigned_by": g.assigned_by, "assigned_at": format!("{}+00:00", iso(g.assigned_at))}))
        .collect();
    Ok(ok_json(json!({"role_name": role, "users": users})))
}

/// `POST /api/auth/roles/{role}/users {"user_ids"}`: assigns the role to each existing user.
pub(crate) async fn role_users_assign(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(role): Path<String>,
    body: Bytes,
) -> ApiResult {
    let d = shared.dialect;
    let map = params::required_object(d, &body)?;
    let mut errors = Vec::new();
    let ids = params::opt_str_list(d, &map, &["body", "user_ids"], &mut errors);
    let Some(ids) = ids.filter(|_| errors.is_empty()) else {
        if errors.is_empty() {
            errors.push(params::missing(
                d,
                &["body", "user_ids"],
                Value::Object(map.clone()),
            ));
        }
        return Err(ApiError::Validation(errors));
    };
    if ids.iter().any(|id| id.trim().is_empty()) {
        return Err(ApiError::user("User ID must not be empty"));
    }
    role_exists(&role)?;
    let now = timestamps::now();
    let mut db = shared.db();
    let (mut assigned, mut already, mut failed) = (Vec::new(), Vec::new(), Vec::new());
    for id in ids {
        match db.users.iter_mut().find(|u| u.id == id) {
            None => failed.push(id),
            Some(u) if u.roles.iter().any(|g| g.role_name == role) => already.push(id),
            Some(u) => {
                u.roles.push(RoleGrant {
                    role_name: role.clone(),
                    assigned_by: caller.user.clone(),
                    assigned_at: now,
                });
                assigned.push(id);
            }
        }
    }
    Ok(ok_json(
        json!({"role_name": role, "assigned": assigned, "already_assigned": already, "failed": failed}),
    ))
}

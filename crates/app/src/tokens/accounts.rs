//! 6.2+ service accounts: the users holding `osmo-backend`, whose tokens backend operators use.
//! Listing them, giving a user roles its new token needs, and deleting a user once its last
//! token is gone (asked, never automatic). 6.0/6.1 have no users: a service token owns itself.

use osmo_admin_core::ServiceId;
use osmo_admin_osmo_client::Dialect;
use osmo_admin_tokens::BACKEND_ROLE;
use serde::Serialize;
use ts_rs::TS;

use crate::error::IpcError;
use crate::operations::RequestId;
use crate::AppCore;

/// A user holding `osmo-backend`.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ServiceAccountDto {
    pub id: String,
    pub created_by: Option<String>,
    pub created_at: Option<String>,
}

/// The service accounts of one service.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ServiceAccountsView {
    pub service: ServiceId,
    /// `false` at 6.0/6.1, which have no users (the list is then empty).
    pub has_users: bool,
    pub accounts: Vec<ServiceAccountDto>,
}

/// Every user holding `osmo-backend` on `service`.
pub async fn list(
    state: &AppCore,
    service: ServiceId,
    operation: Option<RequestId>,
) -> Result<ServiceAccountsView, IpcError> {
    let running = state.operations.begin_request(operation);
    let osmo = state.sessions.session(&service)?;
    if osmo.dialect() == Dialect::V6_0 {
        return Ok(ServiceAccountsView {
            service,
            has_users: false,
            accounts: Vec::new(),
        });
    }
    let users = osmo
        .list_users_with_role(BACKEND_ROLE, running.token())
        .await?;
    Ok(ServiceAccountsView {
        service,
        has_users: true,
        accounts: users
            .into_iter()
            .map(|u| ServiceAccountDto {
                id: u.id,
                created_by: u.created_by,
                created_at: u.created_at,
            })
            .collect(),
    })
}

/// Gives `user` each of `roles` (one the user already holds is fine); answers the roles held now.
pub async fn add_roles(
    state: &AppCore,
    service: ServiceId,
    user: String,
    roles: Vec<String>,
    operation: Option<RequestId>,
) -> Result<Vec<String>, IpcError> {
    let running = state.operations.begin_request(operation);
    let osmo = state.sessions.session(&service)?;
    for role in &roles {
        osmo.add_user_role(&user, role, running.token()).await?;
        tracing::info!(%service, %user, %role, "role added to user");
    }
    let held = osmo.get_user(&user, running.token()).await?;
    Ok(held.map(|u| u.role_names()).unwrap_or_default())
}

/// Deletes `user` (its tokens stop working for good).
pub async fn delete(
    state: &AppCore,
    service: ServiceId,
    user: String,
    operation: Option<RequestId>,
) -> Result<bool, IpcError> {
    let running = state.operations.begin_request(operation);
    let osmo = state.sessions.session(&service)?;
    osmo.delete_user(&user, running.token()).await?;
    tracing::info!(%service, %user, "user deleted");
    Ok(true)
}

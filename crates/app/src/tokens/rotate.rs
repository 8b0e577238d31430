//! Rotating a backend's token from the Rotate form: the request checked, the session and cluster
//! connected, the plan made (the new token's name derived from the old one), and the rotation run
//! in the background by [`super::rotations`]; retry and roll back, resuming an interrupted one.

use std::sync::Arc;
use std::time::Duration;

use osmo_admin_core::{BackendRef, ServiceId};
use osmo_admin_osmo_client::{CancellationToken, Dialect, Session};
use osmo_admin_tokens::rotation::{
    derived_token_name, token_in_secret, Deployments, RotationPlan, SecretTarget,
};
use osmo_admin_tokens::{Limits, NewToken, Rules, TokenRef, BACKEND_ROLE};
use serde::Deserialize;
use ts_rs::TS;

use super::rotations::{Action, RotationLink, RotationView};
use super::USE_LOOKUP_TIMEOUT;
use crate::error::IpcError;
use crate::operations::OperationId;
use crate::{clusters, AppCore};

/// The "Rotate" form.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RotationRequestDto {
    pub backend: BackendRef,
    /// The kubeconfig context of the backend's cluster; `null`: the backend's linked context.
    pub context: Option<String>,
    pub secret_namespace: String,
    pub secret_name: String,
    pub secret_key: String,
    /// The token the operator uses now; `null`: read from the secret's annotations when this app
    /// wrote it (else nothing is deleted at the end).
    pub old_owner: Option<String>,
    pub old_name: Option<String>,
    /// 6.2+: the new token's user (default: the old token's owner).
    pub new_owner: Option<String>,
    /// Default: derived from the old name and the expiry (`backend-token-20270115`).
    pub new_name: Option<String>,
    /// `YYYY-MM-DD`.
    pub expires_at: String,
    pub heartbeat_timeout_secs: u32,
    pub delete_old: bool,
    /// How often the backend is read while waiting for its heartbeat (default 5).
    pub poll_interval_secs: Option<u32>,
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

fn invalid(message: impl Into<String>) -> IpcError {
    IpcError::new(osmo_admin_core::ErrorCode::InvalidInput, message)
}

/// The session and kube client of a rotation.
async fn connect(
    state: &AppCore,
    backend: &BackendRef,
    context: Option<String>,
) -> Result<(Arc<Session>, kube::Client, RotationLink), IpcError> {
    let osmo = state.sessions.session(&backend.service)?;
    let context = match (non_empty(context), state.links.of(backend)) {
        (Some(c), _) => c,
        (None, Some(l)) => l.context().to_owned(),
        (None, None) => {
            return Err(invalid(format!(
                "Choose the Kubernetes context of backend {backend}'s cluster (or link one on the Connections screen)."
            )))
        }
    };
    let client = clusters::client(state, &context).await?;
    Ok((
        osmo,
        client,
        RotationLink::new(backend.service.to_string(), context),
    ))
}

/// The cancellable operation of `backend`'s rotation.
fn rotation_operation(backend: BackendRef) -> Option<OperationId> {
    Some(OperationId::Rotation { backend })
}

/// Starts rotating `request.backend`'s token in the background (refused while one runs).
pub async fn start_rotation(
    state: &AppCore,
    request: RotationRequestDto,
) -> Result<RotationView, IpcError> {
    let r = request;
    let secret = SecretTarget {
        namespace: r.secret_namespace.trim().to_owned(),
        name: r.secret_name.trim().to_owned(),
        key: r.secret_key.trim().to_owned(),
    };
    if secret.namespace.is_empty() || secret.name.is_empty() || secret.key.is_empty() {
        return Err(invalid(
            "Name the secret's namespace, name and key (defaults: osmo-operator, osmo-operator-token, token).",
        ));
    }
    if !(10..=3600).contains(&r.heartbeat_timeout_secs) {
        return Err(invalid(
            "The heartbeat timeout must be between 10 and 3600 seconds (default 300).",
        ));
    }
    let (osmo, client, link) = connect(state, &r.backend, r.context).await?;
    let old = match (non_empty(r.old_owner), non_empty(r.old_name)) {
        (owner, Some(name)) => Some(TokenRef {
            owner: owner.unwrap_or_else(|| name.clone()),
            name,
        }),
        (_, None) => {
            let limits = Limits::new(USE_LOOKUP_TIMEOUT, CancellationToken::new());
            token_in_secret(&client, &secret, &limits).await?
        }
    };
    let expires_on = chrono::NaiveDate::parse_from_str(r.expires_at.trim(), "%Y-%m-%d").ok();
    let new_name = non_empty(r.new_name).unwrap_or_else(|| match expires_on {
        Some(d) => derived_token_name(old.as_ref().map_or("backend-token", |o| &o.name), d),
        None => String::new(),
    });
    let new_owner = non_empty(r.new_owner).or_else(|| match osmo.dialect() {
        Dialect::V6_0 => None,
        Dialect::V6_2 => old.as_ref().map(|o| o.owner.clone()),
    });
    let new_token = NewToken {
        owner: new_owner,
        name: new_name,
        expires_at: r.expires_at,
        roles: vec![BACKEND_ROLE.to_owned()],
        description: format!("Backend operator token of {}", r.backend.backend),
        for_operator: true,
    };
    let mut plan = RotationPlan::new(r.backend.backend.to_string(), new_token, old);
    plan.secret = secret;
    plan.deployments = Deployments::AllInNamespace;
    plan.delete_old = r.delete_old;
    plan.heartbeat_timeout = Duration::from_secs(u64::from(r.heartbeat_timeout_secs));
    if let Some(secs) = r.poll_interval_secs.filter(|s| *s > 0) {
        plan.poll_interval = Duration::from_secs(u64::from(secs));
    }
    // Cancellable with `cancel_operation({kind: "rotation", backend})`.
    let begin = || {
        state
            .operations
            .begin(rotation_operation(r.backend.clone()))
    };
    Ok(state
        .rotations
        .start(link, osmo, client, plan, &Rules::default(), begin)?)
}

pub fn list_rotations(state: &AppCore) -> Vec<RotationView> {
    state.rotations.list()
}

pub fn rotation_status(state: &AppCore, id: &str) -> Result<RotationView, IpcError> {
    Ok(state.rotations.get(id)?)
}

/// Connects an interrupted rotation first (with its recorded session and context, or the ones
/// given); the backend it rotates.
async fn ensure_connected(
    state: &AppCore,
    id: &str,
    session: Option<ServiceId>,
    context: Option<String>,
) -> Result<BackendRef, IpcError> {
    let view = state.rotations.get(id)?;
    let recorded = state.rotations.link(id)?;
    let session = session
        .filter(|s| !s.trim().is_empty())
        .or_else(|| {
            recorded
                .as_ref()
                .map(|l| ServiceId::new(l.session.as_str()))
        })
        .ok_or_else(|| invalid("Choose the session this rotation ran with."))?;
    let name = view.backend.clone().ok_or_else(|| {
        invalid(format!(
            "Rotation {id} names no backend; it cannot be resumed."
        ))
    })?;
    let backend = BackendRef::new(session, name);
    if !state.rotations.needs_resume(id)? {
        return Ok(backend);
    }
    let context = non_empty(context).or_else(|| recorded.as_ref().map(|l| l.context.clone()));
    let (osmo, client, link) = connect(state, &backend, context).await?;
    state.rotations.resume(id, link, osmo, client)?;
    Ok(backend)
}

/// After a failure: runs the failed step again and continues. For an interrupted rotation:
/// resumes it where it stopped.
pub async fn retry_rotation(
    state: &AppCore,
    id: String,
    session: Option<ServiceId>,
    context: Option<String>,
) -> Result<RotationView, IpcError> {
    relaunch(state, &id, session, context, Action::Retry).await
}

/// Undoes a rotation: restores the previous secret value, restarts again, deletes the new token.
pub async fn roll_back_rotation(
    state: &AppCore,
    id: String,
    session: Option<ServiceId>,
    context: Option<String>,
) -> Result<RotationView, IpcError> {
    relaunch(state, &id, session, context, Action::RollBack).await
}

/// Connects rotation `id` if it was interrupted, then runs `action` in the background.
async fn relaunch(
    state: &AppCore,
    id: &str,
    session: Option<ServiceId>,
    context: Option<String>,
    action: Action,
) -> Result<RotationView, IpcError> {
    let backend = ensure_connected(state, id, session, context).await?;
    let begin = || state.operations.begin(rotation_operation(backend));
    Ok(state.rotations.launch(id, action, begin)?)
}

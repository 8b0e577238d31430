//! OSMO services and sessions: the Connections screen's OSMO half, over `osmo-admin-sessions`.
//! Every change is announced with [`AppEvent::SessionsChanged`].

use osmo_admin_core::ServiceId;
use osmo_admin_secrets::Secret;
use osmo_admin_sessions::{CliLoginOffer, DeviceCodePrompt, SessionView, SessionsError};
use serde::Serialize;
use ts_rs::TS;

use crate::error::IpcError;
use crate::events::{AppEvent, Changed};
use crate::operations::RequestId;
use crate::AppCore;

/// Announces session changes and resumes the stored sessions, in the background.
pub(crate) fn start(core: &AppCore) {
    let notify = core.clone();
    core.sessions.set_on_change(move || {
        notify.events.emit(AppEvent::SessionsChanged(Changed {}));
        // The dashboard polls exactly the signed-in sessions.
        crate::dashboard::resync(&notify);
    });
    let sessions = core.sessions.clone();
    core.spawn(async move {
        sessions
            .restore_all(&osmo_admin_osmo_client::CancellationToken::new())
            .await;
    });
}

/// The services, and the OSMO CLI's sign-in when one is found on this computer.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SessionsView {
    pub sessions: Vec<SessionView>,
    pub cli_login: Option<CliLoginOffer>,
    /// Why the CLI's login file could not be read, when it exists but is unusable.
    pub cli_login_error: Option<String>,
}

pub async fn list(state: &AppCore) -> Result<SessionsView, IpcError> {
    let (cli_login, cli_login_error) = match state.sessions.cli_login_offer() {
        Ok(offer) => (offer, None),
        Err(e) => (None, Some(e.to_string())),
    };
    Ok(SessionsView {
        sessions: state.sessions.list().await,
        cli_login,
        cli_login_error,
    })
}

/// Adds a service after checking it is OSMO (nothing is saved for a URL that is not).
pub async fn add_service(
    state: &AppCore,
    name: String,
    url: String,
    custom_ca_pem: Option<String>,
    operation: Option<RequestId>,
) -> Result<ServiceId, IpcError> {
    let running = state.operations.begin_request(operation);
    Ok(state
        .sessions
        .add_service(&name, &url, custom_ca_pem, running.token())
        .await?)
}

/// Signs in with an OSMO access token (`token` is already a `Secret`: never logged or kept plain).
pub async fn sign_in_with_token(
    state: &AppCore,
    service: ServiceId,
    token: Secret,
    operation: Option<RequestId>,
) -> Result<(), IpcError> {
    let running = state.operations.begin_request(operation);
    Ok(state
        .sessions
        .sign_in_with_access_token(&service, token, running.token())
        .await?)
}

pub async fn sign_in_development(
    state: &AppCore,
    service: ServiceId,
    user: String,
    operation: Option<RequestId>,
) -> Result<(), IpcError> {
    let running = state.operations.begin_request(operation);
    Ok(state
        .sessions
        .sign_in_development(&service, &user, running.token())
        .await?)
}

pub async fn start_device_code(
    state: &AppCore,
    service: ServiceId,
    operation: Option<RequestId>,
) -> Result<DeviceCodePrompt, IpcError> {
    let running = state.operations.begin_request(operation);
    Ok(state
        .sessions
        .start_device_code(&service, running.token())
        .await?)
}

pub fn cancel_device_code(state: &AppCore, service: &ServiceId) -> Result<(), IpcError> {
    Ok(state.sessions.cancel_device_code(service)?)
}

/// Signs out (the service stays listed) or, unless `keep_listed`, removes the service too.
pub async fn sign_out(
    state: &AppCore,
    service: ServiceId,
    keep_listed: bool,
) -> Result<(), IpcError> {
    if keep_listed {
        Ok(state.sessions.sign_out(&service).await?)
    } else {
        Ok(state.sessions.remove_service(&service).await?)
    }
}

pub async fn retry_service(
    state: &AppCore,
    service: ServiceId,
    operation: Option<RequestId>,
) -> Result<(), IpcError> {
    let running = state.operations.begin_request(operation);
    Ok(state.sessions.restore(&service, running.token()).await?)
}

/// Adds the OSMO CLI's service and signs in with its login, as `name`.
pub async fn import_cli_login(
    state: &AppCore,
    name: String,
    operation: Option<RequestId>,
) -> Result<ServiceId, IpcError> {
    let running = state.operations.begin_request(operation);
    Ok(state
        .sessions
        .import_cli_login(&name, running.token())
        .await?)
}

impl From<SessionsError> for IpcError {
    /// The library's messages already say what failed and what to do.
    fn from(err: SessionsError) -> Self {
        Self::new(err.code(), err.to_string())
    }
}

//! OSMO services and sessions: the Connections screen's OSMO half, over `osmo-admin-sessions`.
//! Every change is announced with the `sessions-changed` event.

use osmo_admin_secrets::Secret;
use osmo_admin_sessions::{CliLoginOffer, DeviceCodePrompt, SessionView, SessionsError};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime, State};
use ts_rs::TS;

use crate::error::IpcError;
use crate::state::AppState;

/// The event the UI listens for to re-read the sessions list.
pub const SESSIONS_CHANGED: &str = "sessions-changed";

/// Announces session changes and resumes the stored sessions, in the background.
pub fn start<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let notify = app.clone();
    state.sessions.set_on_change(move || {
        if let Err(err) = notify.emit(SESSIONS_CHANGED, ()) {
            tracing::warn!(%err, "could not tell the UI about a session change");
        }
        // The dashboard polls exactly the signed-in sessions.
        crate::commands::dashboard::resync(&notify);
    });
    let sessions = state.sessions.clone();
    tauri::async_runtime::spawn(async move {
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

#[tauri::command]
pub async fn list_sessions(state: State<'_, AppState>) -> Result<SessionsView, IpcError> {
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

#[tauri::command]
pub async fn add_service(
    state: State<'_, AppState>,
    name: String,
    url: String,
    custom_ca_pem: Option<String>,
    operation: Option<String>,
) -> Result<String, IpcError> {
    let running = state.operations.begin(operation);
    Ok(state
        .sessions
        .add_service(&name, &url, custom_ca_pem, running.token())
        .await?)
}

#[tauri::command]
pub async fn sign_in_with_token(
    state: State<'_, AppState>,
    id: String,
    token: String,
    operation: Option<String>,
) -> Result<(), IpcError> {
    // The token becomes a `Secret` at once: it is never logged or kept in plain form.
    let token = Secret::new(token);
    let running = state.operations.begin(operation);
    Ok(state
        .sessions
        .sign_in_with_access_token(&id, token, running.token())
        .await?)
}

#[tauri::command]
pub async fn sign_in_development(
    state: State<'_, AppState>,
    id: String,
    user: String,
    operation: Option<String>,
) -> Result<(), IpcError> {
    let running = state.operations.begin(operation);
    Ok(state
        .sessions
        .sign_in_development(&id, &user, running.token())
        .await?)
}

#[tauri::command]
pub async fn start_device_code(
    state: State<'_, AppState>,
    id: String,
    operation: Option<String>,
) -> Result<DeviceCodePrompt, IpcError> {
    let running = state.operations.begin(operation);
    Ok(state
        .sessions
        .start_device_code(&id, running.token())
        .await?)
}

#[tauri::command]
pub fn cancel_device_code(state: State<'_, AppState>, id: String) -> Result<(), IpcError> {
    Ok(state.sessions.cancel_device_code(&id)?)
}

#[tauri::command]
pub async fn sign_out(
    state: State<'_, AppState>,
    id: String,
    keep_listed: bool,
) -> Result<(), IpcError> {
    Ok(state.sessions.sign_out(&id, keep_listed).await?)
}

#[tauri::command]
pub async fn retry_service(
    state: State<'_, AppState>,
    id: String,
    operation: Option<String>,
) -> Result<(), IpcError> {
    let running = state.operations.begin(operation);
    Ok(state.sessions.restore(&id, running.token()).await?)
}

#[tauri::command]
pub async fn import_cli_login(
    state: State<'_, AppState>,
    name: String,
    operation: Option<String>,
) -> Result<String, IpcError> {
    let running = state.operations.begin(operation);
    Ok(state
        .sessions
        .import_cli_login(&name, running.token())
        .await?)
}

/// Cancels a running operation the UI named; `false` when it had already finished.
#[tauri::command]
pub fn cancel_operation(state: State<'_, AppState>, operation: String) -> bool {
    state.operations.cancel(&operation)
}

impl From<SessionsError> for IpcError {
    /// The library's messages already say what failed and what to do.
    fn from(err: SessionsError) -> Self {
        Self::new(err.code(), err.to_string())
    }
}

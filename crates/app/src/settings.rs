//! Reading and changing the non-secret settings.

use osmo_admin_core::settings::{Settings, ThemePreference, DEFAULT_TOKEN_WARNING_DAYS};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::IpcError;
use crate::AppCore;

/// The settings the UI can see and change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingsDto {
    pub theme: ThemePreference,
    pub dashboard_refresh_secs: u32,
    /// Days left at or below which a token is "expires soon" (1..=90). A form that does not
    /// send it keeps the default.
    #[serde(default = "default_warning_days")]
    pub token_warning_days: u32,
}

fn default_warning_days() -> u32 {
    DEFAULT_TOKEN_WARNING_DAYS
}

/// The settings, and a notice when they are defaults because the file could not be used.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingsView {
    pub settings: SettingsDto,
    pub notice: Option<String>,
    /// Services left out of the settings file whose saved sign-ins may still be in the OS
    /// keyring: offered for removal until removed or kept.
    pub left_out_secrets: Vec<LeftOutSecrets>,
}

/// A service no longer listed whose secrets may still be in the OS keyring.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LeftOutSecrets {
    /// The id its keyring entries are named after.
    pub id: String,
    pub name: String,
}

impl From<Settings> for SettingsDto {
    fn from(settings: Settings) -> Self {
        Self {
            theme: settings.theme,
            dashboard_refresh_secs: settings.dashboard_refresh_secs,
            token_warning_days: settings.token_warning_days,
        }
    }
}

fn view(state: &AppCore) -> SettingsView {
    SettingsView {
        settings: state.settings.get().into(),
        notice: state.settings.notice().map(|notice| notice.to_string()),
        left_out_secrets: state
            .settings
            .left_out_services()
            .into_iter()
            .map(|s| LeftOutSecrets {
                id: s.id,
                name: s.name,
            })
            .collect(),
    }
}

pub fn get(state: &AppCore) -> SettingsView {
    view(state)
}

/// Saves the form's fields (the others are kept) and applies the refresh interval.
pub fn update(state: &AppCore, settings: SettingsDto) -> Result<SettingsView, IpcError> {
    // The fields this form does not show (kubeconfig files, backend links) are kept.
    state.settings.change(|current| {
        current.theme = settings.theme;
        current.dashboard_refresh_secs = settings.dashboard_refresh_secs;
        current.token_warning_days = settings.token_warning_days;
        Ok::<_, IpcError>(())
    })?;
    state
        .health
        .set_interval_secs(state.settings.get().dashboard_refresh_secs);
    tracing::info!("settings saved");
    Ok(view(state))
}

pub fn dismiss_notice(state: &AppCore) -> SettingsView {
    state.settings.dismiss_notice();
    view(state)
}

/// What became of the left-out services' secrets.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LeftOutSecretsOutcome {
    /// The names of the services whose secrets were removed from the keyring.
    pub removed: Vec<String>,
    pub view: SettingsView,
}

/// Removes the left-out services' secrets from the keyring (`remove`), or keeps them and stops
/// offering (`!remove`; they stay in the keyring, and the set-aside file still names them).
pub async fn settle_left_out_secrets(
    state: &AppCore,
    ids: Vec<String>,
    remove: bool,
) -> Result<LeftOutSecretsOutcome, IpcError> {
    let removed = if remove {
        state.sessions.forget_left_out_secrets(&ids).await?
    } else {
        state.settings.settle_left_out(&ids);
        Vec::new()
    };
    Ok(LeftOutSecretsOutcome {
        removed,
        view: view(state),
    })
}

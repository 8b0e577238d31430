//! Resuming stored sessions when the app starts (and on "Try again"): discovery, then the sign-in
//! recorded in the settings with the secrets from the keyring. Each outcome is a state the screen
//! explains: signed in, signed out, unreachable (try again later), keyring unavailable (unlock
//! it, then try again), or sign in again (the token was revoked, expired or is gone).

use std::sync::Arc;

use osmo_admin_core::settings::{SavedSignIn, ServiceSetting};
use osmo_admin_core::{ErrorCode, ServiceId};
use osmo_admin_osmo_client::{CancellationToken, Connection, IdpTokens, OsmoError};
use osmo_admin_secrets::SecretKind;

use crate::error::{Result, SessionsError};
use crate::registry::{spec_of, Phase, Sessions};
use crate::view::KeyringNote;

impl Sessions {
    /// Resumes every stored service that has not been resumed yet, concurrently (one slow
    /// service does not hold up the others).
    pub async fn restore_all(&self, cancel: &CancellationToken) {
        let waiting: Vec<ServiceId> = self
            .entries()
            .iter()
            .filter(|e| e.keyring_key().is_some() && matches!(e.phase, Phase::Connecting))
            .map(|e| e.id())
            .collect();
        let runs = waiting.iter().map(|id| self.restore(id, cancel));
        for outcome in futures::future::join_all(runs).await {
            if let Err(e) = outcome {
                tracing::debug!(%e, "a service was removed while it was being resumed");
            }
        }
    }

    /// Connects the service again and resumes its stored session ("Try again").
    pub async fn restore(&self, id: &ServiceId, cancel: &CancellationToken) -> Result<()> {
        let keyring_key = self.with_entry(id, |e| e.keyring_key().map(str::to_owned))?;
        let Some(keyring_key) = keyring_key else {
            return Err(SessionsError::InvalidInput(format!(
                "\"{id}\" was added for this run only, so there is no stored sign-in to resume. \
                 Sign in to it again."
            )));
        };
        let setting = self
            .settings
            .get()
            .services
            .into_iter()
            .find(|s| s.id == keyring_key)
            .ok_or_else(|| SessionsError::UnknownService(id.clone()))?;
        self.with_entry(id, |e| {
            e.phase = Phase::Connecting;
            e.connection = None;
        })?;
        self.changed();
        let (connection, phase, keyring) = self.resume(&setting, cancel).await;
        self.with_entry(id, |e| {
            e.connection = connection;
            e.phase = phase;
            e.keyring = keyring;
        })?;
        self.changed();
        Ok(())
    }

    async fn resume(
        &self,
        setting: &ServiceSetting,
        cancel: &CancellationToken,
    ) -> (Option<Connection>, Phase, KeyringNote) {
        let connection =
            match Connection::open(spec_of(setting), self.config.client.clone(), cancel).await {
                Ok(connection) => connection,
                Err(e) => return (None, unreachable(&e), KeyringNote::NothingToKeep),
            };
        let (phase, keyring) = match &setting.sign_in {
            None => (Phase::SignedOut, KeyringNote::NothingToKeep),
            Some(SavedSignIn::Development { user }) => {
                let phase = match connection.sign_in_development(user) {
                    Ok(session) => Phase::SignedIn(Arc::new(session)),
                    Err(e) => Phase::SignInAgain {
                        reason: e.to_string(),
                    },
                };
                (phase, KeyringNote::NothingToKeep)
            }
            Some(SavedSignIn::AccessToken) => {
                self.resume_access_token(&setting.id, &connection, cancel)
                    .await
            }
            Some(SavedSignIn::DeviceCode {
                token_endpoint,
                client_id,
            }) => {
                self.resume_device_code(&setting.id, &connection, token_endpoint, client_id)
                    .await
            }
        };
        (Some(connection), phase, keyring)
    }

    async fn resume_access_token(
        &self,
        keyring_key: &str,
        connection: &Connection,
        cancel: &CancellationToken,
    ) -> (Phase, KeyringNote) {
        let token = match self.vault.get(keyring_key, SecretKind::AccessToken).await {
            Ok(Some(token)) => token,
            Ok(None) => return missing_secret("access token"),
            Err(e) => return keyring_unavailable(&e.to_string()),
        };
        match connection.sign_in_with_access_token(token, cancel).await {
            Ok(session) => (Phase::SignedIn(Arc::new(session)), KeyringNote::Saved),
            Err(e) if refused(&e) => (
                Phase::SignInAgain {
                    reason: e.to_string(),
                },
                KeyringNote::Saved,
            ),
            Err(e) => (unreachable(&e), KeyringNote::Saved),
        }
    }

    async fn resume_device_code(
        &self,
        keyring_key: &str,
        connection: &Connection,
        token_endpoint: &str,
        client_id: &str,
    ) -> (Phase, KeyringNote) {
        let id_token = match self.vault.get(keyring_key, SecretKind::IdToken).await {
            Ok(Some(token)) => token,
            Ok(None) => return missing_secret("sign-in token"),
            Err(e) => return keyring_unavailable(&e.to_string()),
        };
        let refresh_token = match self.vault.get(keyring_key, SecretKind::RefreshToken).await {
            Ok(token) => token,
            Err(e) => return keyring_unavailable(&e.to_string()),
        };
        let Ok(token_endpoint) = url::Url::parse(token_endpoint) else {
            return (
                Phase::SignInAgain {
                    reason: "the stored sign-in names no usable token endpoint to renew it.".into(),
                },
                KeyringNote::Saved,
            );
        };
        let tokens = IdpTokens {
            id_token,
            refresh_token,
            token_endpoint,
            client_id: client_id.to_owned(),
        };
        // An expired id token is renewed with the refresh token on the first call.
        match connection.sign_in_with_idp_tokens(tokens) {
            Ok(session) => (Phase::SignedIn(Arc::new(session)), KeyringNote::Saved),
            Err(e) => (
                Phase::SignInAgain {
                    reason: e.to_string(),
                },
                KeyringNote::Saved,
            ),
        }
    }
}

/// The credentials themselves were refused (as opposed to the service being unreachable).
fn refused(e: &OsmoError) -> bool {
    matches!(
        e.code(),
        ErrorCode::Unauthorized | ErrorCode::SessionExpired | ErrorCode::Forbidden
    )
}

fn unreachable(e: &OsmoError) -> Phase {
    Phase::Unreachable {
        code: e.code(),
        message: e.to_string(),
    }
}

fn missing_secret(what: &str) -> (Phase, KeyringNote) {
    (
        Phase::SignInAgain {
            reason: format!(
                "its {what} is no longer in the system keyring (it was removed outside the app)."
            ),
        },
        KeyringNote::NothingToKeep,
    )
}

fn keyring_unavailable(message: &str) -> (Phase, KeyringNote) {
    (
        Phase::KeyringUnavailable {
            message: format!(
                "The saved sign-in could not be read. {message} Then choose \"Try again\"."
            ),
        },
        KeyringNote::NothingToKeep,
    )
}

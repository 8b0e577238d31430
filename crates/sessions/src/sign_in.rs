//! Signing a listed service in and out: access token, device code, development mode, the OSMO
//! CLI's login. A successful sign-in keeps its secrets in the keyring (or says why it could not)
//! and records how it signed in, so the next start resumes it (a service added for this run only
//! keeps nothing).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use osmo_admin_core::settings::SavedSignIn;
use osmo_admin_core::{ErrorCode, ServiceId};
use osmo_admin_osmo_client::{
    import_cli_login, CancellationToken, CliLogin, CliLoginMethod, Connection, Session,
};
use osmo_admin_secrets::Secret;

use crate::error::{Result, SessionsError};
use crate::registry::{PendingDevice, Phase, Sessions};
use crate::view::{CliLoginOffer, DeviceCodePrompt, KeyringNote, SignInMethodName};

/// Tells device-code sign-ins apart, so a finished old one never clears a newer one's prompt.
static DEVICE_CODE_RUNS: AtomicU64 = AtomicU64::new(1);

impl Sessions {
    /// Signs in with an OSMO access token. A refused token changes nothing.
    pub async fn sign_in_with_access_token(
        &self,
        id: &ServiceId,
        token: Secret,
        cancel: &CancellationToken,
    ) -> Result<()> {
        let connection = self.connection(id, cancel).await?;
        let session = connection.sign_in_with_access_token(token, cancel).await?;
        self.adopt(id, session, SavedSignIn::AccessToken).await
    }

    /// Development mode (`x-osmo-user`). One call proves the service honours it: services with
    /// authentication refuse it, and the error says to use a token.
    pub async fn sign_in_development(
        &self,
        id: &ServiceId,
        user: &str,
        cancel: &CancellationToken,
    ) -> Result<()> {
        let connection = self.connection(id, cancel).await?;
        let session = connection.sign_in_development(user)?;
        session.list_backends(cancel).await?;
        let saved = SavedSignIn::Development {
            user: user.trim().to_owned(),
        };
        self.adopt(id, session, saved).await
    }

    /// Starts the device-code flow and returns what to show; the sign-in finishes in the
    /// background when the user confirms in the browser (or ends with `device_code_error`).
    pub async fn start_device_code(
        self: &Arc<Self>,
        id: &ServiceId,
        cancel: &CancellationToken,
    ) -> Result<DeviceCodePrompt> {
        let connection = self.connection(id, cancel).await?;
        let start = connection.start_device_code(cancel).await?;
        let prompt = DeviceCodePrompt {
            user_code: start.user_code.clone(),
            verification_uri: start.verification_uri.clone(),
            verification_uri_complete: start.verification_uri_complete.clone(),
            message: start.message.clone(),
            expires_at: start.expires_at,
        };
        let run = DEVICE_CODE_RUNS.fetch_add(1, Ordering::Relaxed);
        let waiting = CancellationToken::new();
        self.with_entry(id, |e| {
            let pending = PendingDevice {
                prompt: prompt.clone(),
                cancel: waiting.clone(),
                run,
            };
            if let Some(old) = e.device.replace(pending) {
                old.cancel.cancel();
            }
            e.device_error = None;
        })?;
        self.changed();

        let this = Arc::clone(self);
        let id = id.clone();
        tokio::spawn(async move {
            let login = &connection.discovery().login;
            let saved = SavedSignIn::DeviceCode {
                token_endpoint: login.token_endpoint.clone().unwrap_or_default(),
                client_id: login.device_client_id.clone().unwrap_or_default(),
            };
            let outcome = match start.wait(&waiting).await {
                Ok(tokens) => match connection.sign_in_with_idp_tokens(tokens) {
                    Ok(session) => this.adopt(&id, session, saved).await,
                    Err(e) => Err(e.into()),
                },
                Err(e) => Err(e.into()),
            };
            let error = match outcome {
                Err(e) if e.code() != ErrorCode::Cancelled => Some(e.to_string()),
                _ => None,
            };
            let _still_listed = this.with_entry(&id, |e| {
                if e.device.as_ref().is_some_and(|d| d.run == run) {
                    e.device = None;
                    e.device_error = error;
                }
            });
            this.changed();
        });
        Ok(prompt)
    }

    /// Stops waiting for a device-code confirmation.
    pub fn cancel_device_code(&self, id: &ServiceId) -> Result<()> {
        let pending = self.with_entry(id, |e| e.device.take())?;
        if let Some(pending) = pending {
            pending.cancel.cancel();
            self.changed();
        }
        Ok(())
    }

    /// Signs out and keeps the service listed, signed out. The session's keyring entries are
    /// removed first (a locked keyring stops here with nothing changed).
    pub async fn sign_out(&self, id: &ServiceId) -> Result<()> {
        self.end_session(id, Listing::Keep).await
    }

    /// Signs out and removes the service from the list (and, unless it was added for this run
    /// only, from the settings file and the keyring; a locked keyring stops here with nothing
    /// changed).
    pub async fn remove_service(&self, id: &ServiceId) -> Result<()> {
        self.end_session(id, Listing::Remove).await
    }

    async fn end_session(&self, id: &ServiceId, listing: Listing) -> Result<()> {
        let (keyring_key, pending) = self.with_entry(id, |e| {
            (e.keyring_key().map(str::to_owned), e.device.take())
        })?;
        if let Some(pending) = pending {
            pending.cancel.cancel();
        }
        if let Some(keyring_key) = keyring_key {
            self.forget_stored(&keyring_key, listing).await?;
        }
        match listing {
            Listing::Keep => self.with_entry(id, |e| {
                e.phase = Phase::SignedOut;
                e.keyring = KeyringNote::NothingToKeep;
                e.device_error = None;
            })?,
            Listing::Remove => self.remove_entry(id),
        }
        tracing::info!(service = %id, ?listing, "signed out of an OSMO service");
        self.changed();
        Ok(())
    }

    /// Removes from the keyring the secrets of services that were left out of the settings file
    /// (their entries set aside as unusable), so nothing stays there that no list names. Only
    /// services the settings offer as left out are touched. Returns the names of those removed;
    /// a locked keyring stops at the first failure, and what was not removed stays offered.
    pub async fn forget_left_out_secrets(&self, ids: &[String]) -> Result<Vec<String>> {
        let mut removed = Vec::new();
        for service in self.settings.left_out_services() {
            if !ids.contains(&service.id) {
                continue;
            }
            self.vault.delete_session(&service.id).await?;
            self.settings
                .settle_left_out(std::slice::from_ref(&service.id));
            tracing::info!(name = %service.name, "removed a left-out service's secrets from the keyring");
            removed.push(service.name);
        }
        Ok(removed)
    }

    /// Removes the stored session's secrets from the keyring, then its sign-in (or, with
    /// `Listing::Remove`, the whole service) from the settings file.
    async fn forget_stored(&self, keyring_key: &str, listing: Listing) -> Result<()> {
        let stored = self.settings.get().services.iter().any(|s| {
            s.id == keyring_key
                && matches!(
                    s.sign_in,
                    Some(SavedSignIn::AccessToken | SavedSignIn::DeviceCode { .. })
                )
        });
        match self.vault.delete_session(keyring_key).await {
            Ok(()) => {}
            // Nothing of this session can be in the keyring: nothing to remove.
            Err(_) if !stored => {}
            Err(e) => return Err(e.into()),
        }
        self.settings.change(|s| {
            match listing {
                Listing::Keep => {
                    if let Some(service) = s.services.iter_mut().find(|s| s.id == keyring_key) {
                        service.sign_in = None;
                    }
                }
                Listing::Remove => s.services.retain(|s| s.id != keyring_key),
            }
            Ok::<_, SessionsError>(())
        })?;
        Ok(())
    }

    /// The OSMO CLI's sign-in on this computer, if there is one (its secrets are not read out).
    pub fn cli_login_offer(&self) -> Result<Option<CliLoginOffer>> {
        let login = match import_cli_login(&self.config.cli_env) {
            Ok(login) => login,
            Err(e) if e.code() == ErrorCode::NotFound => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let existing_service = self
            .entries()
            .iter()
            .find(|e| e.keyring_key().is_some() && same_url(&e.spec.url, &login.url))
            .map(|e| e.id());
        let (method, user) = match &login.method {
            CliLoginMethod::AccessToken { .. } => {
                (SignInMethodName::AccessToken, login.name.clone())
            }
            CliLoginMethod::IdToken { username, .. } => (
                SignInMethodName::DeviceCode,
                username.clone().or(login.name.clone()),
            ),
            CliLoginMethod::Development { username } => {
                (SignInMethodName::Development, Some(username.clone()))
            }
        };
        Ok(Some(CliLoginOffer {
            path: login.path.display().to_string(),
            url: login.url,
            user,
            method,
            existing_service,
        }))
    }

    /// Imports the CLI's sign-in: the service with its URL is signed in, or added as `name` first.
    /// The CLI's file is only read; the secrets go to the keyring. Services added for this run
    /// only are never the one signed in. Returns the service's id.
    pub async fn import_cli_login(
        &self,
        name: &str,
        cancel: &CancellationToken,
    ) -> Result<ServiceId> {
        let login = import_cli_login(&self.config.cli_env)?;
        let existing = self
            .entries()
            .iter()
            .find(|e| e.keyring_key().is_some() && same_url(&e.spec.url, &login.url))
            .map(|e| e.id());
        let id = match existing {
            Some(id) => id,
            None => self.add_service(name, &login.url, None, cancel).await?,
        };
        let connection = self.connection(&id, cancel).await?;
        let session = connection.sign_in_with_cli_login(&login, cancel).await?;
        let saved = saved_sign_in(&login, &connection);
        self.adopt(&id, session, saved).await?;
        Ok(id)
    }

    /// The service's connection, opened (discovery) when there is none yet.
    pub(crate) async fn connection(
        &self,
        id: &ServiceId,
        cancel: &CancellationToken,
    ) -> Result<Connection> {
        let (existing, spec) = self.with_entry(id, |e| (e.connection.clone(), e.spec.clone()))?;
        if let Some(connection) = existing {
            return Ok(connection);
        }
        let connection = Connection::open(spec, self.config.client.clone(), cancel).await?;
        self.with_entry(id, |e| e.connection = Some(connection.clone()))?;
        Ok(connection)
    }

    /// Makes `session` the service's session: its secrets to the keyring, how it signed in to
    /// the settings (only when it can be resumed: secrets saved, or none needed).
    async fn adopt(&self, id: &ServiceId, session: Session, saved: SavedSignIn) -> Result<()> {
        let keyring_key = self.with_entry(id, |e| e.keyring_key().map(str::to_owned))?;
        let keyring = match keyring_key {
            Some(keyring_key) => self.store_sign_in(&keyring_key, &session, saved).await?,
            None => KeyringNote::NothingToKeep,
        };
        self.with_entry(id, |e| {
            e.phase = Phase::SignedIn(Arc::new(session));
            e.keyring = keyring;
            e.device_error = None;
        })?;
        tracing::info!("signed in to an OSMO service");
        self.changed();
        Ok(())
    }

    /// Keeps a stored service's new sign-in: its secrets to the keyring, how it signed in to the
    /// settings (only when it can be resumed: secrets saved, or none needed).
    async fn store_sign_in(
        &self,
        keyring_key: &str,
        session: &Session,
        saved: SavedSignIn,
    ) -> Result<KeyringNote> {
        let secrets = session.secrets_to_store().await;
        let keyring = if secrets.is_empty() {
            if let Err(e) = self.vault.delete_session(keyring_key).await {
                tracing::debug!(%e, "no earlier secrets removed");
            }
            KeyringNote::NothingToKeep
        } else {
            match self.vault.replace(keyring_key, secrets).await {
                Ok(()) => KeyringNote::Saved,
                Err(e) => KeyringNote::NotSaved {
                    message: format!(
                        "Signed in for this run only: {e} Then sign in again to be remembered."
                    ),
                },
            }
        };
        let resumable = !matches!(keyring, KeyringNote::NotSaved { .. });
        self.settings.change(|s| {
            if let Some(service) = s.services.iter_mut().find(|s| s.id == keyring_key) {
                service.sign_in = resumable.then_some(saved);
            }
            Ok::<_, SessionsError>(())
        })?;
        Ok(keyring)
    }
}

/// Whether a signed-out service stays listed.
#[derive(Debug, Clone, Copy)]
enum Listing {
    Keep,
    Remove,
}

fn same_url(a: &str, b: &str) -> bool {
    a.trim_end_matches('/') == b.trim_end_matches('/')
}

/// How a CLI login resumes: the same endpoint and client the CLI renews with.
fn saved_sign_in(login: &CliLogin, connection: &Connection) -> SavedSignIn {
    match &login.method {
        CliLoginMethod::AccessToken { .. } => SavedSignIn::AccessToken,
        CliLoginMethod::Development { username } => SavedSignIn::Development {
            user: username.clone(),
        },
        CliLoginMethod::IdToken {
            refresh_url,
            client_id,
            ..
        } => {
            let info = &connection.discovery().login;
            SavedSignIn::DeviceCode {
                token_endpoint: refresh_url
                    .clone()
                    .or(info.token_endpoint.clone())
                    .unwrap_or_default(),
                client_id: client_id
                    .clone()
                    .or(info.device_client_id.clone())
                    .unwrap_or_default(),
            }
        }
    }
}

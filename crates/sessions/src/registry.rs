//! [`Sessions`]: the services the user added, each with its connection and session.
//!
//! The list is persisted in the settings file (no secrets) and held here with what only the running
//! app knows: the discovery result, the live [`Session`], a device-code sign-in in progress. Every
//! change calls the `on_change` callback (the shell turns it into an event for the UI and the
//! dashboard's poller).

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use osmo_admin_core::settings::{ServiceSetting, SettingsStore};
use osmo_admin_core::{ErrorCode, ServiceId};
use osmo_admin_osmo_client::{
    CancellationToken, CliLoginEnv, ClientConfig, Connection, ServiceSpec, Session, SessionState,
};
use osmo_admin_secrets::SecretStore;
use rand::Rng;

use crate::error::{Result, SessionsError};
use crate::vault::{Vault, KEYRING_TIMEOUT};
use crate::view::{
    DeviceCodePrompt, KeyringNote, SessionStatus, SessionView, SignInMethodName, SignInMethods,
};

/// How sessions talk to services and the keyring.
#[derive(Debug, Clone)]
pub struct SessionsConfig {
    pub client: ClientConfig,
    pub keyring_timeout: Duration,
    /// Where the OSMO CLI's `login.yaml` is looked for.
    pub cli_env: CliLoginEnv,
}

impl Default for SessionsConfig {
    fn default() -> Self {
        Self {
            client: ClientConfig::default(),
            keyring_timeout: KEYRING_TIMEOUT,
            cli_env: CliLoginEnv::from_process(),
        }
    }
}

type OnChange = Arc<dyn Fn() + Send + Sync>;

/// Every service and its session.
pub struct Sessions {
    pub(crate) settings: Arc<SettingsStore>,
    pub(crate) vault: Vault,
    pub(crate) config: SessionsConfig,
    entries: Mutex<Vec<Entry>>,
    on_change: Mutex<OnChange>,
}

/// What the running app holds about one service.
pub(crate) struct Entry {
    /// Its name (unique) is its [`ServiceId`].
    pub spec: ServiceSpec,
    pub storage: Storage,
    pub connection: Option<Connection>,
    pub phase: Phase,
    pub keyring: KeyringNote,
    pub device: Option<PendingDevice>,
    pub device_error: Option<String>,
}

/// Whether a service outlives the run.
pub(crate) enum Storage {
    /// Listed in the settings file; its secrets are in the keyring under `keyring_key` (the
    /// stored `ServiceSetting.id`, never shown).
    Saved { keyring_key: String },
    /// Registered for this run only: never written to the settings file or the keyring, not
    /// resumed on start, not a target of the OSMO CLI's login import.
    ThisRunOnly,
}

pub(crate) enum Phase {
    Connecting,
    Unreachable { code: ErrorCode, message: String },
    SignedOut,
    SignedIn(Arc<Session>),
    SignInAgain { reason: String },
    KeyringUnavailable { message: String },
}

pub(crate) struct PendingDevice {
    pub prompt: DeviceCodePrompt,
    pub cancel: CancellationToken,
    /// Which run this is (see `sign_in`).
    pub run: u64,
}

impl Entry {
    pub fn new(spec: ServiceSpec, storage: Storage) -> Self {
        Self {
            spec,
            storage,
            connection: None,
            phase: Phase::Connecting,
            keyring: KeyringNote::NothingToKeep,
            device: None,
            device_error: None,
        }
    }

    pub fn is(&self, id: &ServiceId) -> bool {
        self.spec.name == id.as_str()
    }

    pub fn id(&self) -> ServiceId {
        ServiceId::new(self.spec.name.clone())
    }

    /// Where its secrets are kept; `None` for a service of this run only.
    pub fn keyring_key(&self) -> Option<&str> {
        match &self.storage {
            Storage::Saved { keyring_key } => Some(keyring_key),
            Storage::ThisRunOnly => None,
        }
    }
}

impl Sessions {
    pub fn new(
        settings: Arc<SettingsStore>,
        secrets: Arc<dyn SecretStore>,
        config: SessionsConfig,
    ) -> Self {
        let entries = settings
            .get()
            .services
            .into_iter()
            .map(|s| {
                let storage = Storage::Saved {
                    keyring_key: s.id.clone(),
                };
                Entry::new(spec_of(&s), storage)
            })
            .collect();
        Self {
            settings,
            vault: Vault::new(secrets, config.keyring_timeout),
            config,
            entries: Mutex::new(entries),
            on_change: Mutex::new(Arc::new(|| {})),
        }
    }

    /// Called after every change of any session (added, signed in or out, status changed).
    pub fn set_on_change(&self, on_change: impl Fn() + Send + Sync + 'static) {
        *lock(&self.on_change) = Arc::new(on_change);
    }

    pub(crate) fn changed(&self) {
        let on_change = Arc::clone(&lock(&self.on_change));
        on_change();
    }

    /// Adds a service after checking it is one: `GET /api/version` and `GET /api/auth/login` must
    /// answer like OSMO. Nothing is saved when they do not. Returns its id (its name, trimmed).
    pub async fn add_service(
        &self,
        name: &str,
        url: &str,
        custom_ca_pem: Option<String>,
        cancel: &CancellationToken,
    ) -> Result<ServiceId> {
        let spec = self.checked_spec(name, url, custom_ca_pem)?;
        let connection = Connection::open(spec.clone(), self.config.client.clone(), cancel).await?;
        let keyring_key = new_keyring_key();
        let setting = ServiceSetting {
            id: keyring_key.clone(),
            name: spec.name.clone(),
            url: spec.url.clone(),
            custom_ca_pem: spec.custom_ca_pem.clone(),
            sign_in: None,
        };
        let id = self.register(spec, Storage::Saved { keyring_key }, connection, || {
            self.settings.change(|s| {
                s.services.push(setting);
                Ok::<_, SessionsError>(())
            })?;
            Ok(())
        })?;
        tracing::info!(service = %id, "OSMO service added");
        Ok(id)
    }

    /// Adds a service for this run only, checked like [`Sessions::add_service`]: it is listed and
    /// signs in like any other, but nothing of it is written to the settings file or the keyring,
    /// so it is gone on the next start. Returns its id (its name, trimmed).
    pub async fn add_service_for_run(
        &self,
        name: &str,
        url: &str,
        custom_ca_pem: Option<String>,
        cancel: &CancellationToken,
    ) -> Result<ServiceId> {
        let spec = self.checked_spec(name, url, custom_ca_pem)?;
        let connection = Connection::open(spec.clone(), self.config.client.clone(), cancel).await?;
        let id = self.register(spec, Storage::ThisRunOnly, connection, || Ok(()))?;
        tracing::info!(service = %id, "OSMO service added for this run");
        Ok(id)
    }

    /// Lists a discovered service, signed out, after `persist` succeeded (under the list's lock,
    /// where the name is checked again: another add may have taken it meanwhile).
    fn register(
        &self,
        spec: ServiceSpec,
        storage: Storage,
        connection: Connection,
        persist: impl FnOnce() -> Result<()>,
    ) -> Result<ServiceId> {
        let mut entry = Entry::new(spec, storage);
        entry.connection = Some(connection);
        entry.phase = Phase::SignedOut;
        let id = entry.id();
        {
            let mut entries = self.entries();
            if entries.iter().any(|e| e.is(&id)) {
                return Err(name_taken(&id));
            }
            persist()?;
            entries.push(entry);
        }
        self.changed();
        Ok(id)
    }

    /// Every service, in the order added.
    pub async fn list(&self) -> Vec<SessionView> {
        let snapshot: Vec<(SessionView, Option<Arc<Session>>)> =
            self.entries().iter().map(view_of).collect();
        let mut views = Vec::with_capacity(snapshot.len());
        for (mut view, session) in snapshot {
            if let Some(session) = session {
                view.status = signed_in_status(&session.state().await);
            }
            views.push(view);
        }
        views
    }

    /// The signed-in sessions by service (a session needing a new sign-in included: its calls
    /// answer "sign in again" without touching the network).
    pub fn signed_in(&self) -> Vec<(ServiceId, Arc<Session>)> {
        self.entries()
            .iter()
            .filter_map(|e| match &e.phase {
                Phase::SignedIn(s) => Some((e.id(), Arc::clone(s))),
                _ => None,
            })
            .collect()
    }

    /// The signed-in session of the service `id`.
    pub fn session(&self, id: &ServiceId) -> Result<Arc<Session>> {
        let entries = self.entries();
        let entry = entries.iter().find(|e| e.is(id)).ok_or_else(|| {
            SessionsError::InvalidInput(format!(
                "There is no OSMO service named \"{id}\". Add it on the Connections screen."
            ))
        })?;
        match &entry.phase {
            Phase::SignedIn(s) => Ok(Arc::clone(s)),
            _ => Err(SessionsError::InvalidInput(format!(
                "You are not signed in to \"{id}\". Sign in on the Connections screen first."
            ))),
        }
    }

    pub(crate) fn entries(&self) -> MutexGuard<'_, Vec<Entry>> {
        lock(&self.entries)
    }

    /// Runs `f` on the entry of the service `id`.
    pub(crate) fn with_entry<T>(
        &self,
        id: &ServiceId,
        f: impl FnOnce(&mut Entry) -> T,
    ) -> Result<T> {
        let mut entries = self.entries();
        let entry = entries
            .iter_mut()
            .find(|e| e.is(id))
            .ok_or_else(|| SessionsError::UnknownService(id.clone()))?;
        Ok(f(entry))
    }

    pub(crate) fn remove_entry(&self, id: &ServiceId) {
        self.entries().retain(|e| !e.is(id));
    }

    fn checked_spec(
        &self,
        name: &str,
        url: &str,
        custom_ca_pem: Option<String>,
    ) -> Result<ServiceSpec> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 80 {
            return Err(SessionsError::InvalidInput(
                "Name the service (1 to 80 characters), for example \"production\".".into(),
            ));
        }
        if self.entries().iter().any(|e| e.spec.name == name) {
            return Err(name_taken(name));
        }
        let url = url.trim().trim_end_matches('/');
        match url::Url::parse(url) {
            Ok(u) if matches!(u.scheme(), "https" | "http") && u.host().is_some() => {}
            _ => {
                return Err(SessionsError::InvalidInput(format!(
                    "\"{url}\" is not a service URL: enter one like https://osmo.example.com."
                )))
            }
        }
        let custom_ca_pem = custom_ca_pem.filter(|pem| !pem.trim().is_empty());
        if let Some(pem) = &custom_ca_pem {
            if !pem.contains("-----BEGIN CERTIFICATE-----") {
                return Err(SessionsError::InvalidInput(
                    "The custom CA must be a PEM certificate (\"-----BEGIN CERTIFICATE-----\" ...).".into(),
                ));
            }
        }
        Ok(ServiceSpec {
            name: name.to_owned(),
            url: url.to_owned(),
            custom_ca_pem,
        })
    }
}

fn name_taken(name: &str) -> SessionsError {
    SessionsError::InvalidInput(format!(
        "A service named \"{name}\" is already listed; choose another name."
    ))
}

pub(crate) fn spec_of(s: &ServiceSetting) -> ServiceSpec {
    ServiceSpec {
        name: s.name.clone(),
        url: s.url.clone(),
        custom_ca_pem: s.custom_ca_pem.clone(),
    }
}

/// `svc-` and 12 random hex digits: names keyring entries, never shown.
fn new_keyring_key() -> String {
    let n: u64 = rand::rng().random();
    format!("svc-{:012x}", n & 0xffff_ffff_ffff)
}

fn view_of(entry: &Entry) -> (SessionView, Option<Arc<Session>>) {
    let discovery = entry.connection.as_ref().map(Connection::discovery);
    let (status, session) = match &entry.phase {
        Phase::Connecting => (SessionStatus::Connecting, None),
        Phase::Unreachable { code, message } => (
            SessionStatus::Unreachable {
                code: *code,
                message: message.clone(),
            },
            None,
        ),
        Phase::SignedOut => (SessionStatus::SignedOut, None),
        Phase::SignedIn(s) => (SessionStatus::Connecting, Some(Arc::clone(s))),
        Phase::SignInAgain { reason } => (
            SessionStatus::SignInAgain {
                reason: reason.clone(),
            },
            None,
        ),
        Phase::KeyringUnavailable { message } => (
            SessionStatus::KeyringUnavailable {
                message: message.clone(),
            },
            None,
        ),
    };
    let view = SessionView {
        id: entry.id(),
        name: entry.spec.name.clone(),
        url: entry.spec.url.clone(),
        has_custom_ca: entry.spec.custom_ca_pem.is_some(),
        for_this_run_only: matches!(entry.storage, Storage::ThisRunOnly),
        version: discovery.map(|d| d.version.to_string()),
        dialect: discovery.map(|d| d.dialect.label().to_owned()),
        dialect_evidence: discovery.map(|d| d.evidence.sentence.clone()),
        methods: discovery.map(|d| SignInMethods {
            access_token: true,
            device_code: d.login.offers_device_code(),
            development: d.login.is_development(),
        }),
        status,
        keyring: entry.keyring.clone(),
        device_code: entry.device.as_ref().map(|d| d.prompt.clone()),
        device_code_error: entry.device_error.clone(),
    };
    (view, session)
}

fn signed_in_status(state: &SessionState) -> SessionStatus {
    match state {
        SessionState::SignedIn(info) => SessionStatus::SignedIn {
            user: info.user.clone(),
            roles: info.roles.clone(),
            method: match info.method {
                osmo_admin_osmo_client::SignInMethod::AccessToken => SignInMethodName::AccessToken,
                osmo_admin_osmo_client::SignInMethod::DeviceCode => SignInMethodName::DeviceCode,
                osmo_admin_osmo_client::SignInMethod::Development => SignInMethodName::Development,
            },
            since: info.signed_in_at,
            until: info.credential_expires_at,
        },
        SessionState::SignInAgain { reason } => SessionStatus::SignInAgain {
            reason: reason.clone(),
        },
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

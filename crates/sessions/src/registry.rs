//! [`Sessions`]: the services the user added, each with its connection and session.
//!
//! The list is persisted in the settings file (no secrets) and held here with what only the running
//! app knows: the discovery result, the live [`Session`], a device-code sign-in in progress. Every
//! change calls the `on_change` callback (the shell turns it into an event for the UI and the
//! dashboard's poller).

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use osmo_admin_core::settings::{ServiceSetting, SettingsStore};
use osmo_admin_core::ErrorCode;
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
    pub id: String,
    pub spec: ServiceSpec,
    pub sandbox: bool,
    pub connection: Option<Connection>,
    pub phase: Phase,
    pub keyring: KeyringNote,
    pub device: Option<PendingDevice>,
    pub device_error: Option<String>,
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
    pub fn new(id: String, spec: ServiceSpec, sandbox: bool) -> Self {
        Self {
            id,
            spec,
            sandbox,
            connection: None,
            phase: Phase::Connecting,
            keyring: KeyringNote::NothingToKeep,
            device: None,
            device_error: None,
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
            .map(|s| Entry::new(s.id.clone(), spec_of(&s), false))
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
    /// answer like OSMO. Nothing is saved when they do not. Returns the new service's id.
    pub async fn add_service(
        &self,
        name: &str,
        url: &str,
        custom_ca_pem: Option<String>,
        cancel: &CancellationToken,
    ) -> Result<String> {
        let spec = self.checked_spec(name, url, custom_ca_pem)?;
        let connection = Connection::open(spec.clone(), self.config.client.clone(), cancel).await?;
        let id = new_id();
        let setting = ServiceSetting {
            id: id.clone(),
            name: spec.name.clone(),
            url: spec.url.clone(),
            custom_ca_pem: spec.custom_ca_pem.clone(),
            sign_in: None,
        };
        {
            // Checked again under the lock: another add may have taken the name meanwhile.
            let mut entries = self.entries();
            if entries.iter().any(|e| e.spec.name == spec.name) {
                return Err(name_taken(&spec.name));
            }
            self.settings.change(|s| {
                s.services.push(setting);
                Ok::<_, SessionsError>(())
            })?;
            let mut entry = Entry::new(id.clone(), spec, false);
            entry.connection = Some(connection);
            entry.phase = Phase::SignedOut;
            entries.push(entry);
        }
        tracing::info!(service = %name.trim(), "OSMO service added");
        self.changed();
        Ok(id)
    }

    /// Adds a service of the sandbox for this run only, signed in in development mode.
    pub async fn add_sandbox_service(
        &self,
        name: &str,
        url: &str,
        user: &str,
        cancel: &CancellationToken,
    ) -> Result<()> {
        let spec = self.checked_spec(name, url, None)?;
        let connection = Connection::open(spec.clone(), self.config.client.clone(), cancel).await?;
        let session = connection.sign_in_development(user)?;
        let mut entry = Entry::new(new_id(), spec, true);
        entry.connection = Some(connection);
        entry.phase = Phase::SignedIn(Arc::new(session));
        self.entries().push(entry);
        self.changed();
        Ok(())
    }

    /// Forgets the sandbox's services (the sandbox stopped).
    pub fn remove_sandbox_services(&self) {
        let removed = {
            let mut entries = self.entries();
            let before = entries.len();
            entries.retain(|e| !e.sandbox);
            before != entries.len()
        };
        if removed {
            self.changed();
        }
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

    /// The signed-in sessions by service name (a session needing a new sign-in included: its
    /// calls answer "sign in again" without touching the network).
    pub fn signed_in(&self) -> Vec<(String, Arc<Session>)> {
        self.entries()
            .iter()
            .filter_map(|e| match &e.phase {
                Phase::SignedIn(s) => Some((e.spec.name.clone(), Arc::clone(s))),
                _ => None,
            })
            .collect()
    }

    /// The signed-in session of the service named `name`.
    pub fn session_named(&self, name: &str) -> Result<Arc<Session>> {
        let entries = self.entries();
        let entry = entries
            .iter()
            .find(|e| e.spec.name == name)
            .ok_or_else(|| {
                SessionsError::InvalidInput(format!(
                    "There is no OSMO service named \"{name}\". Add it on the Connections screen."
                ))
            })?;
        match &entry.phase {
            Phase::SignedIn(s) => Ok(Arc::clone(s)),
            _ => Err(SessionsError::InvalidInput(format!(
                "You are not signed in to \"{name}\". Sign in on the Connections screen first."
            ))),
        }
    }

    pub(crate) fn entries(&self) -> MutexGuard<'_, Vec<Entry>> {
        lock(&self.entries)
    }

    /// Runs `f` on the entry with `id`.
    pub(crate) fn with_entry<T>(&self, id: &str, f: impl FnOnce(&mut Entry) -> T) -> Result<T> {
        let mut entries = self.entries();
        let entry = entries
            .iter_mut()
            .find(|e| e.id == id)
            .ok_or_else(|| SessionsError::UnknownService(id.to_owned()))?;
        Ok(f(entry))
    }

    pub(crate) fn remove_entry(&self, id: &str) {
        self.entries().retain(|e| e.id != id);
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
fn new_id() -> String {
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
        id: entry.id.clone(),
        name: entry.spec.name.clone(),
        url: entry.spec.url.clone(),
        has_custom_ca: entry.spec.custom_ca_pem.is_some(),
        sandbox: entry.sandbox,
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

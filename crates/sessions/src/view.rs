//! What the Connections screen shows of each service: [`SessionView`]. No secrets.

use chrono::{DateTime, Utc};
use osmo_admin_core::{ErrorCode, ServiceId};
use serde::Serialize;
use ts_rs::TS;

/// One OSMO service and its session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SessionView {
    /// What every action and every other screen names the service by (its name).
    pub id: ServiceId,
    /// The name the user gave it, as shown (the same text as `id`).
    pub name: String,
    pub url: String,
    pub has_custom_ca: bool,
    /// Registered for this run only: not saved, gone on the next start.
    pub for_this_run_only: bool,
    /// The service's version (`6.4.0`), once discovered.
    pub version: Option<String>,
    /// `6.0/6.1` or `6.2+`: which API generation the app speaks to it.
    pub dialect: Option<String>,
    /// What decided `dialect`, as a sentence (e.g. "Version 6.0.0 reported, but POST
    /// /api/auth/jwt/access_token answered 400 …: 6.2+ dialect."), once discovered.
    pub dialect_evidence: Option<String>,
    /// The sign-in methods the service offers, once discovered.
    pub methods: Option<SignInMethods>,
    pub status: SessionStatus,
    /// Whether the session's secrets are kept in the system keyring.
    pub keyring: KeyringNote,
    /// A device-code sign-in waiting for the user to confirm in the browser.
    pub device_code: Option<DeviceCodePrompt>,
    /// Why the last device-code sign-in ended without signing in.
    pub device_code_error: Option<String>,
}

/// What the service offers (from `GET /api/auth/login`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignInMethods {
    /// OSMO access tokens: every service with authentication accepts them (always offered).
    pub access_token: bool,
    pub device_code: bool,
    /// No identity provider configured: probably a development service, where `x-osmo-user`
    /// names the user (a gateway in front may still require a token; signing in checks).
    pub development: bool,
}

/// Where a session stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SessionStatus {
    /// Discovery or resuming is under way.
    Connecting,
    /// The service could not be reached (or is not OSMO); `message` says what to check.
    Unreachable { code: ErrorCode, message: String },
    /// Added but not signed in.
    SignedOut,
    /// Signed in as `user` with `roles`, since `since`, `method`; the credential in use lasts until
    /// `until` (renewed automatically; `None` in development mode).
    #[serde(rename_all = "camelCase")]
    SignedIn {
        user: String,
        roles: Vec<String>,
        method: SignInMethodName,
        #[ts(type = "string")]
        since: DateTime<Utc>,
        #[ts(type = "string | null")]
        until: Option<DateTime<Utc>>,
    },
    /// The credentials expired or were revoked: sign in again. `reason` in plain words.
    SignInAgain { reason: String },
    /// The saved secrets could not be read from the keyring; `message` says what to do.
    KeyringUnavailable { message: String },
}

/// How a session signed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SignInMethodName {
    AccessToken,
    DeviceCode,
    Development,
}

/// Whether the session survives a restart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum KeyringNote {
    /// Nothing to keep (signed out, development mode, a service of this run only).
    NothingToKeep,
    /// The secrets are in the system keyring; the session resumes on the next start.
    Saved,
    /// Signed in for this run only: the keyring refused; `message` says why and what to do.
    NotSaved { message: String },
}

/// A device-code sign-in in progress: the user opens `verification_uri` and enters `user_code`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeviceCodePrompt {
    pub user_code: String,
    pub verification_uri: String,
    pub verification_uri_complete: Option<String>,
    pub message: Option<String>,
    #[ts(type = "string")]
    pub expires_at: DateTime<Utc>,
}

/// The OSMO CLI's sign-in found on this computer, offered for import. No secrets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CliLoginOffer {
    /// The `login.yaml` file read.
    pub path: String,
    pub url: String,
    pub user: Option<String>,
    pub method: SignInMethodName,
    /// The listed service with the same URL, which the import signs in instead of adding one.
    pub existing_service: Option<ServiceId>,
}

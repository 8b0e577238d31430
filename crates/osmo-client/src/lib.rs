//! The OSMO half of the Connections screen, as a library (no Tauri).
//!
//! Adding a service: [`Connection::open`] probes `GET /api/version` (which, with one more probe
//! below 6.2, picks the [`Dialect`] and says why in [`DialectEvidence`]) and `GET /api/auth/login` (which sign-in methods the service offers). Signing in
//! gives a [`Session`]: with an OSMO access token ([`Connection::sign_in_with_access_token`]),
//! with the identity provider's device-code flow ([`device_code`]) or in development mode
//! ([`Connection::sign_in_development`]). A session keeps its credential fresh, sends the header
//! each version accepts, and turns revoked or expired credentials into
//! [`SessionState::SignInAgain`] instead of an error loop. Typed calls: [`backends`], [`pools`], [`config_history`], [`tokens`].
//!
//! Every failure is an [`OsmoError`] with [`OsmoError::code`] and a sentence for a person.
//! Secrets are [`osmo_admin_secrets::Secret`] everywhere and never logged.

mod backend_decode;
pub mod backend_update;
pub mod backends;
pub mod cli_login;
pub mod config_history;
pub mod device_code;
pub mod dialect;
pub mod discovery;
pub mod error;
pub mod http;
pub mod identity;
pub mod listing;
pub mod pools;
pub mod session;
pub mod token_admin;
pub mod token_check;
pub mod token_exchange;
pub mod tokens;

pub use backends::{Backend, BackendWarning, NodeConditions, SchedulerSettings};
pub use cli_login::{import_cli_login, CliLogin, CliLoginEnv, CliLoginMethod};
pub use config_history::{ConfigDiff, ConfigType, HistoryEntry, HistoryQuery};
pub use device_code::{DeviceCodeStart, IdpTokens};
pub use dialect::{Dialect, DialectEvidence, EvidenceKind, ServiceVersion};
pub use discovery::{Discovery, LoginInfo};
pub use error::{explain_cli_error, OsmoError};
pub use http::{ClientConfig, HttpClient, ServiceSpec};
pub use identity::Identity;
pub use listing::{Listing, ListingDigest};
pub use pools::Pool;
pub use session::{Connection, Session, SessionInfo, SessionState, SignInMethod};
pub use token_admin::{RoleGrant, UserDetail};
pub use token_check::{check_access_token, TokenCheck, TokenCheckSummary};
pub use tokens::{AccessTokenInfo, User, UserPage};
pub use tokio_util::sync::CancellationToken;

pub type Result<T, E = OsmoError> = std::result::Result<T, E>;

//! The OSMO services a user added and their sessions, as a library (no Tauri): the state behind
//! the Connections screen's OSMO half, which every other screen reads its sessions from.
//!
//! * [`Sessions`] ([`registry`]): add a service (discovery first: nothing is saved for a URL that
//!   is not an OSMO service), or add one for this run only (never stored), remove it, list it as
//!   [`SessionView`]s, hand signed-in [`osmo_admin_osmo_client::Session`]s to the dashboard and the
//!   forms. Every service is named by its [`osmo_admin_core::ServiceId`] (its unique name).
//! * [`sign_in`]: access token, device code (started, then finished in the background, and
//!   cancellable), development mode, the OSMO CLI's `login.yaml`; sign out.
//! * [`restore`]: on start, every stored service is reconnected and its session resumed from the
//!   keyring; a locked keyring, a revoked token or an unreachable service each becomes a state
//!   the screen explains, never an error loop.
//! * [`vault`]: the keyring calls, off the async threads and with a timeout (an unlock prompt
//!   nobody answers must not hang the app).
//!
//! What is stored where: the service list and how each session signed in go to the settings file
//! (`osmo_admin_core::settings::ServiceSetting`); access, id and refresh tokens only to the
//! [`osmo_admin_secrets::SecretStore`] under the service's stored id (a keyring key private to this
//! crate).

pub mod error;
pub mod registry;
pub mod restore;
pub mod sign_in;
pub mod vault;
pub mod view;

pub use error::SessionsError;
pub use registry::{Sessions, SessionsConfig};
pub use view::{
    CliLoginOffer, DeviceCodePrompt, KeyringNote, SessionStatus, SessionView, SignInMethodName,
    SignInMethods,
};

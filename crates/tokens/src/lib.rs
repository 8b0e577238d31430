//! OSMO access tokens for backend admins, as a library (no Tauri).
//!
//! * [`inventory`]: the token list per dialect (6.0/6.1 service tokens; 6.2+ the tokens of users
//!   holding `osmo-backend` and the signed-in user's own), each row with its [`Expiry`] and
//!   [`Badge`] (expired when the date is today or earlier, UTC; "expires soon" within a settable
//!   threshold, 7 days by default) and the backends known to use it.
//! * [`form`] + [`create`]: a [`NewToken`] checked against the server's rules before sending
//!   (each violation names its [`Field`]); at 6.2+ the service-account user is created first when
//!   missing. The value is returned once as an [`osmo_admin_secrets::Secret`]. [`delete`] removes a
//!   token by owner and name.
//! * [`rotation`]: rotating a backend's token as a resumable, journaled state machine
//!   (create → write the Secret keeping the previous value → rollout restart → wait for a newer
//!   heartbeat → delete the old token), with `retry_step` and `roll_back` after a failure.
//!
//! Every HTTP and Kubernetes call has a time limit and a [`CancellationToken`]. Errors are
//! [`TokensError`]s with [`TokensError::code`]. Nothing here logs, serializes or journals a
//! token's value.

pub mod create;
pub mod error;
pub mod expiry;
pub mod form;
pub mod inventory;
pub mod rotation;
mod within;

pub use create::{create, delete, token_exists, Created, TokenRef};
pub use error::TokensError;
pub use expiry::{today_utc, Badge, Expiry, DEFAULT_SOON_DAYS};
pub use form::{
    validate, Field, FieldError, NewToken, Rules, ValidToken, DEFAULT_MAX_LIFETIME_DAYS,
};
pub use inventory::{
    inventory, needing_rotation, InventoryOptions, TokenKind, TokenRow, TokenUse, BACKEND_ROLE,
    INVENTORY_DEADLINE,
};
pub use osmo_admin_kube::operator::Limits;
pub use osmo_admin_osmo_client::CancellationToken;

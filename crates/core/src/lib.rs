//! The Tauri-free core of OSMO Backend Admin.
//!
//! Holds what every layer shares: the closed set of [`ErrorCode`]s the UI branches on, where the app
//! keeps its files ([`AppPaths`]), the non-secret [`settings`] file, and [`logging`] to a rotating file.
//! It knows nothing of Tauri, HTTP or Kubernetes; those live in their own crates and in `src-tauri/`.

pub mod aside;
pub mod error_code;
pub mod ids;
pub mod kill_point;
pub mod link;
pub mod logging;
pub mod paths;
pub mod quote;
pub mod settings;

pub use error_code::ErrorCode;
pub use ids::{
    check_backend_name, BackendName, BackendRef, InvalidBackendName, ServiceId, BACKEND_NAME_RULE,
};
pub use link::{BackendLink, InvalidLink, DEFAULT_OPERATOR_NAMESPACE};
pub use paths::AppPaths;

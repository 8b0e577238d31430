//! `osmo-sim`: a loopback simulator of the NVIDIA OSMO service API as an admin app uses it, in
//! the 6.0/6.1, the 6.2.x (reporting 6.0.0) and the 6.3+ dialect, reproducing the real service's status codes, bodies and
//! timestamp formats (see `tests/fixtures/`), with dev-mode and JWT credentials, the listener
//! heartbeat WebSocket, and fault injection.
//!
//! ```no_run
//! # async fn demo() -> Result<(), osmo_sim::SimError> {
//! use osmo_sim::{Dialect, SeedBackend, SeedToken, SimConfig, Simulator};
//! let sim = Simulator::start(
//!     SimConfig::new(Dialect::V6_0)
//!         .backend(SeedBackend::new("default"))
//!         .token(SeedToken::service("osmo-operator-default", &["osmo-backend"])),
//! )
//! .await?;
//! let url = sim.base_url();
//! let token = sim.seeded_token("osmo-operator-default");
//! # let _ = (url, token);
//! sim.shutdown().await;
//! # Ok(()) }
//! ```

mod auth;
mod backends;
mod config;
mod control;
mod cors;
mod dialect;
mod errors;
mod faults;
mod history;
mod jwt;
mod keep_alive;
mod listener;
mod merge_patch;
mod operator;
mod params;
mod pool_model;
mod pool_templates;
mod pool_views;
mod pool_writes;
mod pools;
mod pydantic;
mod routes;
mod seed;
mod server;
mod simulator;
mod state;
mod timestamps;
mod tokens;
mod user_roles;
mod user_tokens;
mod users;
mod version;

pub use backends::HEARTBEAT_WINDOW;
pub use config::SimConfig;
pub use dialect::Dialect;
pub use errors::SimError;
pub use faults::{FaultConfig, FaultStats, INJECTED_ERROR_TEXT};
pub use jwt::JwtClaims;
pub use operator::{OperatorConfig, OperatorHandle, OperatorStatus, TokenSource};
pub use seed::{Seed, SeedBackend, SeedPool, SeedRevision, SeedToken, SeedUser};
pub use simulator::{BackendState, SeededToken, SimHandle, Simulator, TokenState};

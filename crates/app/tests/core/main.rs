//! The application core's use cases, without Tauri: an `AppCore` opened on a temporary folder
//! with a memory keyring, its events collected by a `Recorder` (`../support`), against osmo-sim
//! and (where a use case needs a cluster) the real API server shared by this test binary.
#![allow(clippy::unwrap_used)]

mod admin_ops;
mod contexts;
mod dashboard;
mod rotations;
mod sandbox;
mod sandbox_setup;
mod setup;
mod tokens;

#[path = "../support/mod.rs"]
mod support;

pub use support::*;

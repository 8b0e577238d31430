//! Integration tests of the scheduler-settings editor: against osmo-sim in both dialects, and a
//! tiny local server for the ConfigMap-mode 409 that osmo-sim does not produce.

#![allow(clippy::unwrap_used)]

mod common;
mod errors;
mod fake_service;
mod history;
mod save;

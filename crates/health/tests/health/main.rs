//! Integration tests: the uptime history on disk, the poller with fake sources (paused time),
//! and the poller against osmo-sim in both dialects (real time).
#![allow(clippy::unwrap_used)]

mod common;
mod history;
mod poller_fake;
mod poller_sim;

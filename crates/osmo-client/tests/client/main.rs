//! Integration tests of the OSMO client: against osmo-sim in both dialects, against tiny local
//! fake servers (proxy pages, a fake identity provider), and the CLI login import.

#![allow(clippy::unwrap_used)]

mod backend_decode;
mod backend_update;
mod bounds;
mod cli_login;
mod common;
mod device_code;
mod fake_service;
mod sim_auth;
mod sim_faults;
mod tls;

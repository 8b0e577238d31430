//! The sessions registry against osmo-sim (both dialects), a memory keyring that can be made
//! unavailable, and a real settings file on disk.
#![allow(clippy::unwrap_used)]

mod common;
mod development_and_cli;
mod device_code;
mod for_this_run;
mod token_sign_in;

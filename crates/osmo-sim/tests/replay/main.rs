//! Integration tests of the OSMO simulator: fixture replay (both dialects, HTTP and WebSocket),
//! the online rule, heartbeats, token expiry and JWT credentials, fault injection, and the binary.
#![allow(clippy::unwrap_used)]

mod compare;
mod exchanges;

use serde_json::Value;

/// Loads a fixture copied into `tests/fixtures/`.
pub fn load_fixture(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}
mod admin_ops;
mod admin_rules;
mod binary;
mod credentials;
mod faults;
mod operator;
mod websocket;

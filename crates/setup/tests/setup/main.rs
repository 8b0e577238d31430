//! The setup wizard's library end to end: the real Kubernetes API server (osmo-admin-test-cluster),
//! the OSMO simulator in both dialects, the helm stand-in (`HelmSandbox`) and a simulated operator
//! (osmo-admin-operator-sim) that starts once the stand-in created the listener Deployment.
//!
//! One cluster serves every test (started on first use); each test has its own namespaces, helm
//! release, simulator and folder. Needs `tests/cluster/build.sh` to have been run once.
#![allow(clippy::unwrap_used)]

mod common;
mod confirm;
mod failures;
mod fresh;
mod installer;
mod progress;
mod resume;

//! The tokens library against a real Kubernetes API server (osmo-admin-test-cluster), the OSMO
//! simulator in both dialects, and simulated operators (osmo-admin-operator-sim) that follow the
//! listener Deployment and read their token from the Secret, heartbeating with it.
//!
//! One cluster serves every test (started on first use); each test has its own namespace and
//! simulator. Needs `tests/cluster/build.sh` to have been run once (or `OSMO_ADMIN_KUBE_BIN`).
#![allow(clippy::unwrap_used)]

mod common;
mod forms;
mod rotation_failures;
mod rotation_resume;
mod rotation_success;

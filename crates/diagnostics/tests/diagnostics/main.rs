//! Diagnostics against a real Kubernetes API server (osmo-admin-test-cluster: kube-apiserver
//! v1.20.2 with RBAC and kube-controller-manager, no scheduler or kubelet) and the OSMO simulator.
//!
//! One cluster serves every test (started on first use; its watchdog stops it when the test
//! process exits). Each test works in its own namespaces. Needs `tests/cluster/build.sh` to have
//! been run once (or `OSMO_ADMIN_KUBE_BIN`).
#![allow(clippy::unwrap_used)]

mod common;
mod inspection;
mod scheduler;
mod why_offline;

//! What the sandbox looks like right now, as the app shows it.

use std::path::PathBuf;

use chrono::{NaiveDate, NaiveDateTime};
use osmo_admin_core::BackendLink;

use crate::world::OperatorKind;

/// The status of an operator that will run in the local cluster while that cluster starts.
pub const WAITING_FOR_CLUSTER: &str = "starting (waiting for the local cluster)";

#[derive(Debug, Clone)]
pub struct SandboxSnapshot {
    pub services: Vec<ServiceSnapshot>,
    pub cluster: ClusterSnapshot,
    /// The backends whose operator runs in the sandbox cluster, linked to its context for the run
    /// (the service is the sandbox service's name, which is also its session's); none until the
    /// cluster runs.
    pub links: Vec<BackendLink>,
}

#[derive(Debug, Clone)]
pub struct ServiceSnapshot {
    pub name: String,
    /// What `/api/version` reports.
    pub version: String,
    pub url: String,
    /// Where the simulated operator runs, in words.
    pub operator_where: String,
    pub backends: Vec<BackendSnapshot>,
    pub tokens: Vec<TokenSnapshot>,
}

#[derive(Debug, Clone)]
pub struct BackendSnapshot {
    pub name: String,
    pub online: bool,
    /// `None` until its operator has connected once.
    pub last_heartbeat: Option<NaiveDateTime>,
    /// What keeps it alive in this run (not only what was planned: an operator the cluster
    /// could not take, or one with an expired token without a cluster, is `None`; one waiting
    /// for the starting cluster is `Simulated`).
    pub operator: OperatorKind,
    /// For a simulated operator: connected, or why not ([`WAITING_FOR_CLUSTER`] while the
    /// cluster it will run in starts).
    pub operator_status: Option<String>,
}

#[derive(Debug, Clone)]
pub struct TokenSnapshot {
    pub owner: String,
    pub name: String,
    pub expires_at: NaiveDate,
    pub roles: Vec<String>,
}

#[derive(Debug, Clone)]
pub enum ClusterSnapshot {
    /// The local Kubernetes API server is starting (a few seconds), in the background: the
    /// services already answer; the operators that will run in the cluster wait for it.
    Starting,
    Running {
        server: String,
        /// The kubeconfig for the app, its only context named `context`.
        kubeconfig: PathBuf,
        context: String,
    },
    Absent {
        reason: String,
    },
}

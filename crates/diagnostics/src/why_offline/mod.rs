//! "Why is it offline?": ordered checks from the OSMO service down to the operator's pods.
//!
//! Order: service reachable, backend known, last heartbeat, cluster reachable, namespaces
//! present, token secret present and non-empty, the token accepted by the service (exchanged
//! without being shown, [`osmo_admin_osmo_client::check_access_token`]), operator Deployments
//! present, pods running, warning events in the last hour. The cluster checks are skipped when
//! no Kubernetes context is linked. See [`report`] for how the first failure is picked.

mod cluster;
pub mod report;
mod service;

use std::sync::Arc;
use std::time::Duration;

use osmo_admin_osmo_client::Session;
use tokio_util::sync::CancellationToken;

use crate::cluster_side::{inspect, read_token};
use crate::target::ClusterTarget;
use osmo_admin_kube::operator::{run, KubeAction, Limits};
pub use report::{Check, CheckKind, Diagnosis, Verdict};

/// What to diagnose.
#[derive(Debug, Clone)]
pub struct DiagnoseInput {
    pub session: Arc<Session>,
    pub backend: String,
    /// The backend's linked cluster; `None` skips the cluster checks.
    pub cluster: Option<ClusterTarget>,
    /// Per call (OSMO or Kubernetes).
    pub timeout: Duration,
}

impl DiagnoseInput {
    /// No cluster, 10 s per call.
    pub fn new(session: Arc<Session>, backend: impl Into<String>) -> Self {
        Self {
            session,
            backend: backend.into(),
            cluster: None,
            timeout: Duration::from_secs(10),
        }
    }

    pub fn with_cluster(mut self, cluster: ClusterTarget) -> Self {
        self.cluster = Some(cluster);
        self
    }

    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

/// Runs every check. Never fails: what could not be checked is a check's finding. Stops early
/// (remaining calls answer "cancelled") when `cancel` fires.
pub async fn diagnose(input: &DiagnoseInput, cancel: &CancellationToken) -> Diagnosis {
    let session = input.session.as_ref();
    let (mut checks, _backend) =
        service::service_checks(session, &input.backend, input.timeout, cancel).await;
    let service_ok = checks.first().is_some_and(|c| c.verdict == Verdict::Pass);
    let Some(target) = &input.cluster else {
        checks.push(Check::skipped(
            CheckKind::ClusterReachable,
            "no Kubernetes context is linked to this backend",
        ));
        checks.extend(cluster::all_skipped("no Kubernetes context is linked"));
        return Diagnosis::from_checks(&input.backend, checks, None);
    };
    let limits = Limits::new(input.timeout, cancel.clone());
    let version = run(
        &limits,
        KubeAction::new("get", "the server version", None),
        target.client.apiserver_version(),
    )
    .await;
    match version {
        Ok(v) => checks.push(Check::pass(
            CheckKind::ClusterReachable,
            format!(
                "the API server answered (Kubernetes {}.{})",
                v.major, v.minor
            ),
        )),
        Err(e) => {
            checks.push(Check::fail(
                CheckKind::ClusterReachable,
                e.short(),
                e.to_string(),
            ));
            checks.extend(cluster::all_skipped("the cluster could not be reached"));
            return Diagnosis::from_checks(&input.backend, checks, None);
        }
    }
    let side = inspect(target, &limits).await;
    checks.push(cluster::namespaces(&side));
    let secret = cluster::token_secret(&side, target);
    let secret_ok = secret.verdict == Verdict::Pass;
    checks.push(secret);
    checks.push(match (service_ok, secret_ok) {
        (false, _) => Check::skipped(CheckKind::TokenAccepted, "the service could not be asked"),
        (true, false) => Check::skipped(CheckKind::TokenAccepted, "there is no token to check"),
        (true, true) => match read_token(target, &limits).await {
            Ok(Some(token)) => {
                service::token_check(session, target, &token, input.timeout, cancel).await
            }
            Ok(None) => Check::skipped(CheckKind::TokenAccepted, "there is no token to check"),
            Err(e) => Check::warn(CheckKind::TokenAccepted, e.short(), e.to_string()),
        },
    });
    checks.push(cluster::deployments(&side, target));
    checks.push(cluster::pods(&side, target));
    checks.push(cluster::warning_events(&side, target));
    Diagnosis::from_checks(&input.backend, checks, Some(side))
}

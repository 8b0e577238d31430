//! "Why is it offline?": ordered checks from the OSMO service down to the operator's pods.
//!
//! Order: service reachable, backend known, last heartbeat, a Kubernetes context linked,
//! cluster reachable, the backend's token not expired (as the caller found it: [`TokenInUse`]),
//! namespaces present, token secret present and non-empty, the token accepted by the service
//! (exchanged without being shown, [`osmo_admin_osmo_client::check_access_token`]), operator
//! Deployments present, pods running, warning events in the last hour. The cluster checks are
//! skipped when no usable context is linked; for a backend that is not online, the missing link
//! is then a failure whose next step is to link one. See [`report`] for how the first failure is
//! picked.

mod cluster;
pub mod report;
mod service;
pub mod token;

use std::sync::Arc;
use std::time::Duration;

use osmo_admin_osmo_client::Session;
use tokio_util::sync::CancellationToken;

use crate::cluster_side::{inspect, read_token};
use crate::target::ClusterTarget;
use osmo_admin_kube::operator::{run, KubeAction, Limits};
pub use report::{Check, CheckKind, Diagnosis, Verdict};
pub use token::{TokenInUse, TokenState, UsedToken, ROTATE_NOW};

/// The backend's cluster as the caller knows it.
#[derive(Debug, Clone)]
pub enum ClusterLink {
    /// No Kubernetes context is linked to the backend: the cluster checks are skipped.
    NotLinked,
    /// A context is linked but could not be used (`reason`: e.g. it is gone from the kubeconfig).
    Unusable { context: String, reason: String },
    /// The linked cluster; `context` names its kubeconfig context when there is one.
    Linked {
        context: Option<String>,
        target: ClusterTarget,
    },
}

/// What to diagnose.
#[derive(Debug, Clone)]
pub struct DiagnoseInput {
    pub session: Arc<Session>,
    pub backend: String,
    pub cluster: ClusterLink,
    /// The token the backend uses, as the caller found it; `None`: not looked up.
    pub token: Option<TokenInUse>,
    /// Per call (OSMO or Kubernetes).
    pub timeout: Duration,
}

impl DiagnoseInput {
    /// No cluster, no token looked up, 10 s per call.
    pub fn new(session: Arc<Session>, backend: impl Into<String>) -> Self {
        Self {
            session,
            backend: backend.into(),
            cluster: ClusterLink::NotLinked,
            token: None,
            timeout: Duration::from_secs(10),
        }
    }

    /// A cluster given directly (no kubeconfig context named).
    pub fn with_cluster(mut self, cluster: ClusterTarget) -> Self {
        self.cluster = ClusterLink::Linked {
            context: None,
            target: cluster,
        };
        self
    }

    pub fn with_link(mut self, link: ClusterLink) -> Self {
        self.cluster = link;
        self
    }

    pub fn with_token(mut self, token: TokenInUse) -> Self {
        self.token = Some(token);
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
    let (mut checks, backend) =
        service::service_checks(session, &input.backend, input.timeout, cancel).await;
    let service_ok = checks.first().is_some_and(|c| c.verdict == Verdict::Pass);
    let online = backend.as_ref().is_some_and(|b| b.online);
    let token = token::expiry_check(&input.backend, input.token.as_ref());
    let (context, target) = match &input.cluster {
        ClusterLink::NotLinked => {
            checks.push(cluster::not_linked(&input.backend, online));
            return without_cluster(input, checks, token, "no Kubernetes context is linked");
        }
        ClusterLink::Unusable { context, reason } => {
            checks.push(Check::fail(
                CheckKind::ContextLinked,
                format!("context {context} is linked but cannot be used: {reason}"),
                format!("Fix context {context} in your kubeconfig, or link {} to another context, then check again.", input.backend),
            ));
            return without_cluster(input, checks, token, "the linked context cannot be used");
        }
        ClusterLink::Linked { context, target } => (context, target),
    };
    checks.push(cluster::linked(context.as_deref(), target));
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
            checks.push(token);
            checks.extend(cluster::all_skipped("the cluster could not be reached"));
            return Diagnosis::from_checks(&input.backend, checks, None);
        }
    }
    checks.push(token);
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

/// The rest of the checks when no cluster can be looked at: the token's expiry still counts.
fn without_cluster(
    input: &DiagnoseInput,
    mut checks: Vec<Check>,
    token: Check,
    why: &str,
) -> Diagnosis {
    checks.push(Check::skipped(CheckKind::ClusterReachable, why));
    checks.push(token);
    checks.extend(cluster::all_skipped(why));
    Diagnosis::from_checks(&input.backend, checks, None)
}

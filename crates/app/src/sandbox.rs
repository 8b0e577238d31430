//! The sandbox: simulated OSMO services to try the app with, clearly labelled as such.

use osmo_admin_sandbox::{
    BackendSnapshot, ClusterSnapshot, OperatorKind, SandboxOptions, ServiceSnapshot, SlotView,
    TokenSnapshot,
};
use serde::Serialize;
use ts_rs::TS;

use crate::{contexts, lock, AppCore};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SandboxState {
    Off,
    Starting,
    Running,
    Failed,
}

/// The running sandbox's local Kubernetes cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SandboxClusterState {
    /// Starting in the background: the services already answer; the operators that will run
    /// in the cluster wait for it, and its context is lent once it runs.
    Starting,
    Running,
    /// Not asked for, not built, failed to start, or the sandbox does not run.
    Absent,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SandboxView {
    pub state: SandboxState,
    /// Why starting failed, when it did.
    pub error: Option<String>,
    pub services: Vec<SandboxServiceDto>,
    pub cluster_state: SandboxClusterState,
    /// The local Kubernetes API server's address, when it runs.
    pub cluster_server: Option<String>,
    /// Its kubeconfig (a cluster-admin token for a throwaway local cluster).
    pub cluster_kubeconfig: Option<String>,
    /// While it starts, that it does; why there is no local cluster, when there is none.
    pub cluster_note: Option<String>,
}

/// The cluster's note while it starts.
pub const CLUSTER_STARTING_NOTE: &str = "The local Kubernetes cluster is starting (a few seconds): the simulated operators that will run in it wait for it, and its context osmo-sandbox joins Connections once it runs.";

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SandboxServiceDto {
    pub name: String,
    pub version: String,
    pub url: String,
    pub operator_where: String,
    pub backends: Vec<SandboxBackendDto>,
    pub tokens: Vec<SandboxTokenDto>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SandboxOperatorKind {
    Simulated,
    KeptAlive,
    None,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SandboxBackendDto {
    pub name: String,
    pub online: bool,
    /// UTC, RFC 3339; `null` until its operator first connected.
    pub last_heartbeat: Option<String>,
    pub operator: SandboxOperatorKind,
    pub operator_status: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SandboxTokenDto {
    pub owner: String,
    pub name: String,
    /// `YYYY-MM-DD`, a UTC date.
    pub expires_at: String,
    pub roles: Vec<String>,
}

impl From<SlotView> for SandboxView {
    fn from(view: SlotView) -> Self {
        let empty = |state, error| SandboxView {
            state,
            error,
            services: Vec::new(),
            cluster_state: SandboxClusterState::Absent,
            cluster_server: None,
            cluster_kubeconfig: None,
            cluster_note: None,
        };
        match view {
            SlotView::Off => empty(SandboxState::Off, None),
            SlotView::Starting => empty(SandboxState::Starting, None),
            SlotView::Failed(reason) => empty(SandboxState::Failed, Some(reason)),
            SlotView::Running(snapshot) => {
                let (cluster_state, cluster_server, cluster_kubeconfig, cluster_note) =
                    match snapshot.cluster {
                        ClusterSnapshot::Starting => (
                            SandboxClusterState::Starting,
                            None,
                            None,
                            Some(CLUSTER_STARTING_NOTE.to_owned()),
                        ),
                        ClusterSnapshot::Running {
                            server, kubeconfig, ..
                        } => (
                            SandboxClusterState::Running,
                            Some(server),
                            Some(kubeconfig.display().to_string()),
                            None,
                        ),
                        ClusterSnapshot::Absent { reason } => {
                            (SandboxClusterState::Absent, None, None, Some(reason))
                        }
                    };
                SandboxView {
                    state: SandboxState::Running,
                    error: None,
                    services: snapshot.services.into_iter().map(service).collect(),
                    cluster_state,
                    cluster_server,
                    cluster_kubeconfig,
                    cluster_note,
                }
            }
        }
    }
}

fn service(s: ServiceSnapshot) -> SandboxServiceDto {
    SandboxServiceDto {
        name: s.name,
        version: s.version,
        url: s.url,
        operator_where: s.operator_where,
        backends: s.backends.into_iter().map(backend).collect(),
        tokens: s.tokens.into_iter().map(token).collect(),
    }
}

fn backend(b: BackendSnapshot) -> SandboxBackendDto {
    SandboxBackendDto {
        name: b.name,
        online: b.online,
        last_heartbeat: b.last_heartbeat.map(|t| t.and_utc().to_rfc3339()),
        operator: match b.operator {
            OperatorKind::Simulated => SandboxOperatorKind::Simulated,
            OperatorKind::KeptAlive => SandboxOperatorKind::KeptAlive,
            OperatorKind::None => SandboxOperatorKind::None,
        },
        operator_status: b.operator_status,
    }
}

fn token(t: TokenSnapshot) -> SandboxTokenDto {
    SandboxTokenDto {
        owner: t.owner,
        name: t.name,
        expires_at: t.expires_at.format("%Y-%m-%d").to_string(),
        roles: t.roles,
    }
}

/// Starts the sandbox's services and lists them, signed in, for the run; returns as soon as they
/// are (its local cluster, when built, still starting: it is lent to the app once it runs). The
/// shell labels the window while the sandbox runs.
pub async fn start(core: &AppCore) -> SandboxView {
    let view = core.sandbox.start(SandboxOptions::default()).await;
    if let SlotView::Failed(reason) = &view {
        tracing::warn!(%reason, "sandbox failed to start");
    }
    if let SlotView::Running(snapshot) = &view {
        list_services(core, snapshot).await;
        // A run killed before its stop left its setups behind: they belong to another run.
        for service in lock(&core.sandbox_services).iter() {
            crate::setup::forget_progress(core, service);
        }
        lend_cluster_when_settled(core);
    }
    view.into()
}

/// Once the sandbox's cluster has started (or at once when it runs already), its context and its
/// backends' links join the app's for this run (never saved), so the Tokens, Scheduler and Setup
/// screens work on the sandbox as on a real cluster; the UI hears it as a kubeconfig change.
fn lend_cluster_when_settled(core: &AppCore) {
    let settled = core.sandbox.cluster_settled();
    let weak = core.downgrade();
    core.spawn(async move {
        settled.await;
        if let Some(core) = weak.upgrade() {
            lend_cluster(&core);
        }
    });
}

/// Lends the running sandbox's cluster, if it runs. Decided and lent under the sandbox services'
/// lock, which [`stop`] holds while it takes the loan back: a loan never outlives the sandbox.
fn lend_cluster(core: &AppCore) {
    let lent = {
        let _loan = lock(&core.sandbox_services);
        match core.sandbox.view() {
            SlotView::Running(snapshot) => match &snapshot.cluster {
                ClusterSnapshot::Running { kubeconfig, .. } => {
                    core.links.lend(snapshot.links.clone());
                    core.kube.lend(Some(kubeconfig.clone()));
                    true
                }
                _ => false,
            },
            _ => false,
        }
    };
    if lent {
        contexts::files_changed(core);
    }
}

/// The sandbox's services join the sessions list for this run, signed in in development mode.
async fn list_services(core: &AppCore, snapshot: &osmo_admin_sandbox::SandboxSnapshot) {
    let cancel = osmo_admin_osmo_client::CancellationToken::new();
    for service in &snapshot.services {
        let added = match core
            .sessions
            .add_service_for_run(&service.name, &service.url, None, &cancel)
            .await
        {
            Ok(id) => {
                lock(&core.sandbox_services).push(id.clone());
                core.sessions
                    .sign_in_development(&id, SANDBOX_USER, &cancel)
                    .await
            }
            Err(err) => Err(err),
        };
        if let Err(err) = added {
            tracing::warn!(service = %service.name, %err, "sandbox service not listed");
        }
    }
}

/// Who the sandbox's sessions are signed in as.
pub const SANDBOX_USER: &str = "sandbox-admin";

pub fn status(core: &AppCore) -> SandboxView {
    core.sandbox.view().into()
}

/// Stops everything the sandbox started (its cluster even while it starts) and takes back what
/// it lent.
pub async fn stop(core: &AppCore) -> SandboxView {
    let view = core.sandbox.stop().await;
    let services = {
        let mut services = lock(&core.sandbox_services);
        core.links.lend(Vec::new());
        core.kube.lend(None);
        std::mem::take(&mut *services)
    };
    for service in services {
        crate::setup::forget_progress(core, &service);
        if let Err(err) = core.sessions.remove_service(&service).await {
            tracing::warn!(%service, %err, "sandbox service not removed");
        }
    }
    contexts::files_changed(core);
    view.into()
}

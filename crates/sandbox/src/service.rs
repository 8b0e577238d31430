//! One simulated OSMO service of the sandbox: its simulator, seeded with the backends that need
//! no operator and every backend's token, and where its simulated operators run (the
//! [`Placement`], decided once the local cluster has started or could not).

use std::sync::Arc;
use std::time::Duration;

use chrono::{Days, Utc};
use osmo_admin_operator_sim::ClusterOperator;
use osmo_sim::{
    Dialect, OperatorConfig, OperatorHandle, SeedBackend, SeedPool, SeedToken, SimConfig,
    SimHandle, Simulator, TokenSource,
};

use crate::snapshot::{BackendSnapshot, ServiceSnapshot, TokenSnapshot, WAITING_FOR_CLUSTER};
use crate::world::{service_account, BackendPlan, OperatorKind, BACKENDS, POOLS};
use crate::SandboxError;

pub(crate) struct Service {
    pub name: String,
    pub sim: SimHandle,
    /// Appended to its backends' namespaces in the cluster.
    pub suffix: &'static str,
    /// The backends with a simulated operator, each with the token it was given (held only to
    /// hand to its operator: written to the cluster's Secret, or kept in memory).
    pub operator_tokens: Vec<(BackendPlan, String)>,
}

/// Where a service's simulated operators run; empty while the local cluster starts.
#[derive(Default)]
pub(crate) struct Placement {
    /// Simulated operators by backend name; they run until the placement is dropped.
    pub operators: Vec<(&'static str, Operator)>,
    /// Backends whose operator runs in the cluster, with the namespace of its Secret.
    pub in_cluster: Vec<(&'static str, String)>,
    /// One sentence per operator: where it runs, or why it does not.
    pub notes: Vec<String>,
}

pub(crate) enum Operator {
    InCluster(ClusterOperator),
    InMemory(OperatorHandle),
}

impl Operator {
    /// The operator's state in words: connected, or why not.
    fn describe(&self) -> String {
        use osmo_admin_operator_sim::ClusterOperatorStatus as Cluster;
        use osmo_sim::OperatorStatus as Status;
        let status = match self {
            Operator::InMemory(handle) => handle.status(),
            Operator::InCluster(op) => match op.status() {
                Cluster::Running(status) => status,
                Cluster::NoDeployment => return "not running: its Deployment is gone".into(),
                Cluster::ClusterUnreachable(err) => return format!("cluster unreachable: {err}"),
            },
        };
        match status {
            Status::Starting => "starting".into(),
            Status::Connected => "connected, heartbeating".into(),
            Status::Failed(reason) => format!("failing: {reason}"),
        }
    }
}

impl Service {
    /// The namespace its backend's workflows run in.
    pub fn workflow_namespace(&self, plan: &BackendPlan) -> String {
        format!("{}{}", plan.workflow_namespace, self.suffix)
    }

    /// A simulated operator's configuration for `plan`, its token yet to be given.
    pub fn operator_config(&self, plan: &BackendPlan, heartbeat: Duration) -> OperatorConfig {
        let unused: TokenSource = Arc::new(|| Err("replaced".into()));
        let dialect = self.sim.dialect();
        let mut operator = OperatorConfig::new(self.sim.base_url(), dialect, plan.name, unused);
        operator.heartbeat_interval = heartbeat;
        operator.k8s_namespace = self.workflow_namespace(plan);
        operator
    }

    /// Without a cluster: each operator holds its token in memory, except those whose token
    /// has expired (without a cluster it could never be rotated): they get no operator at all.
    pub fn place_in_memory(&self, heartbeat: Duration) -> Placement {
        let mut placement = Placement::default();
        for (plan, token) in &self.operator_tokens {
            if plan.token_expired() {
                continue;
            }
            let token = token.clone();
            let mut operator = self.operator_config(plan, heartbeat);
            operator.token = Arc::new(move || Ok(token.clone()));
            placement.operators.push((
                plan.name,
                Operator::InMemory(OperatorHandle::start(operator)),
            ));
            placement.notes.push(format!(
                "{}: simulated operator (token held in memory)",
                plan.name
            ));
        }
        placement
    }

    /// What it looks like now; `cluster_starting`: its in-cluster operators wait for the cluster.
    pub fn snapshot(&self, placement: &Placement, cluster_starting: bool) -> ServiceSnapshot {
        let waits =
            |plan: &BackendPlan| cluster_starting && plan.operator == OperatorKind::Simulated;
        let backends = BACKENDS
            .iter()
            .map(|plan| {
                let state = self.sim.backend(plan.name);
                let running = placement
                    .operators
                    .iter()
                    .find(|(name, _)| *name == plan.name);
                BackendSnapshot {
                    name: plan.name.to_owned(),
                    online: state.as_ref().is_some_and(|b| b.online),
                    last_heartbeat: state.map(|b| b.last_heartbeat),
                    // What runs or will, not what was planned (an operator the cluster could
                    // not take, or an expired one without a cluster, is none).
                    operator: match (plan.operator, running) {
                        (OperatorKind::KeptAlive, _) => OperatorKind::KeptAlive,
                        (_, Some(_)) => OperatorKind::Simulated,
                        (_, None) if waits(plan) => OperatorKind::Simulated,
                        (_, None) => OperatorKind::None,
                    },
                    operator_status: match running {
                        Some((_, op)) => Some(op.describe()),
                        None if waits(plan) => Some(WAITING_FOR_CLUSTER.to_owned()),
                        None => None,
                    },
                }
            })
            .collect();
        let tokens = self
            .sim
            .tokens()
            .into_iter()
            .map(|t| TokenSnapshot {
                owner: t.user_name,
                name: t.token_name,
                expires_at: t.expires_at,
                roles: t.roles,
            })
            .collect();
        let waiting: Vec<&str> = self.operator_tokens.iter().map(|(p, _)| p.name).collect();
        let notes: Vec<String> = match (cluster_starting, waiting.len()) {
            (true, 0) | (false, _) => placement.notes.clone(),
            (true, 1) => vec![format!(
                "{}: operator waiting for the local cluster, which is starting",
                waiting[0]
            )],
            (true, _) => vec![format!(
                "{}: operators waiting for the local cluster, which is starting",
                waiting.join(", ")
            )],
        };
        ServiceSnapshot {
            name: self.name.clone(),
            version: self.sim.dialect().version_string(),
            url: self.sim.base_url(),
            operator_where: if notes.is_empty() {
                "no simulated operator".to_owned()
            } else {
                notes.join("; ")
            },
            backends,
            tokens,
        }
    }
}

/// Starts a service's simulator with its backends, pools and tokens; its simulated operators
/// are placed later.
pub(crate) async fn start_service(
    dialect: Dialect,
    name: &str,
    suffix: &'static str,
) -> Result<Service, SandboxError> {
    let version = if dialect == Dialect::V6_0 {
        "6.0"
    } else {
        "6.4"
    };
    let failed = |reason: String| SandboxError::Simulator { version, reason };
    let hours_ago = |h: i64| (Utc::now() - chrono::Duration::hours(h)).naive_utc();

    let mut config = SimConfig::new(dialect);
    for plan in BACKENDS {
        if dialect != Dialect::V6_0 {
            config = config.user(service_account(plan.name), &["osmo-backend"]);
        }
        let mut seeded = match plan.operator {
            OperatorKind::KeptAlive => SeedBackend::new(plan.name).keep_alive(),
            // Its operator never connected since its token expired, hours ago.
            OperatorKind::None => SeedBackend::new(plan.name).last_heartbeat(hours_ago(3)),
            OperatorKind::Simulated if plan.token_expired() => {
                SeedBackend::new(plan.name).last_heartbeat(hours_ago(3))
            }
            // Registered by its operator's `init` once it connects.
            OperatorKind::Simulated => continue,
        };
        seeded.k8s_namespace = Some(format!("{}{suffix}", plan.workflow_namespace));
        config = config.backend(seeded);
    }
    for (pool, backend) in POOLS {
        config = config.pool(SeedPool {
            name: pool.to_owned(),
            backend: backend.to_owned(),
            description: format!("Sandbox pool on {backend}"),
            enable_maintenance: false,
        });
    }
    let sim = Simulator::start(config)
        .await
        .map_err(|err| failed(err.to_string()))?;

    let mut operator_tokens = Vec::new();
    for plan in BACKENDS {
        let token = create_token(
            &sim,
            dialect,
            plan.name,
            plan.token,
            plan.token_expires_in_days,
        )
        .map_err(failed)?;
        if plan.operator == OperatorKind::Simulated {
            operator_tokens.push((plan, token));
        }
    }
    Ok(Service {
        name: name.to_owned(),
        sim,
        suffix,
        operator_tokens,
    })
}

/// Creates a backend's token (6.0: service token; 6.2+: a token of its service-account user),
/// then moves its expiry into the past when the plan says it has expired.
fn create_token(
    sim: &SimHandle,
    dialect: Dialect,
    backend: &str,
    name: &str,
    expires_in_days: i64,
) -> Result<String, String> {
    let today = Utc::now().date_naive();
    let future = today + Days::new(expires_in_days.unsigned_abs().max(1));
    let seed = match dialect {
        Dialect::V6_0 => SeedToken::service(name, &["osmo-backend"]),
        _ => SeedToken::for_user(service_account(backend), name, &["osmo-backend"]),
    }
    .expires_at(future);
    let value = sim.create_token(seed).map_err(|err| err.to_string())?;
    if expires_in_days < 0 {
        let past = today - Days::new(expires_in_days.unsigned_abs());
        let owner = sim
            .tokens()
            .into_iter()
            .find(|t| t.token_name == name)
            .map(|t| t.user_name)
            .ok_or_else(|| format!("token {name} vanished"))?;
        sim.set_token_expires_at(&owner, name, past);
    }
    Ok(value)
}

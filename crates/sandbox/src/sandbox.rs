//! Starting the sandbox (its services at once, its local cluster in the background), what it
//! looks like right now, and stopping it.

use std::future::Future;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use osmo_admin_core::{BackendLink, BackendRef};
use osmo_admin_setup::ChartInstaller;
use osmo_sim::{Dialect, SimHandle};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::local_cluster::{self, LocalCluster};
use crate::service::{start_service, Placement, Service};
use crate::snapshot::{ClusterSnapshot, SandboxSnapshot};
use crate::world::V64_SUFFIX;

#[derive(Debug, Clone)]
pub struct SandboxOptions {
    /// Start the local Kubernetes API server when its binaries are present.
    pub with_cluster: bool,
    /// How often simulated operators heartbeat (the real one: 20 s).
    pub heartbeat_interval: Duration,
}

impl Default for SandboxOptions {
    fn default() -> Self {
        Self {
            with_cluster: true,
            heartbeat_interval: Duration::from_secs(20),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("the simulated OSMO {version} service could not start: {reason}")]
    Simulator {
        version: &'static str,
        reason: String,
    },
}

/// A running sandbox. Its services answer as soon as [`Sandbox::start`] returns; its local
/// cluster starts in the background ([`ClusterSnapshot::Starting`] until then). [`Sandbox::stop`]
/// stops the cluster, even one still starting; dropping the sandbox stops everything it started
/// (a cluster still starting a moment later, on the runtime).
pub struct Sandbox {
    shared: Arc<Shared>,
    /// Starting the local cluster, while it does.
    starter: Mutex<Option<JoinHandle<()>>>,
}

/// What the sandbox shares with the task starting its cluster.
struct Shared {
    world: Mutex<World>,
    services: Vec<Service>,
    /// `true` once the cluster has started or could not, or the sandbox stopped; never `false` again.
    settled: watch::Sender<bool>,
}

struct World {
    /// Where each service's operators run, in the order of `services`; none while the cluster starts.
    placements: Vec<Placement>,
    cluster: Cluster,
}

enum Cluster {
    Starting,
    Running(LocalCluster),
    Absent(String),
}

/// The sandbox cluster's context name in the kubeconfig it writes.
pub const SANDBOX_CONTEXT: &str = "osmo-sandbox";

impl Sandbox {
    /// Starts the two services and, when asked for and built, the local cluster in the
    /// background; returns as soon as the services answer.
    pub async fn start(options: SandboxOptions) -> Result<Sandbox, SandboxError> {
        let mut services = Vec::new();
        for (dialect, name, suffix) in [
            (Dialect::V6_0, "sandbox-6.0", ""),
            (Dialect::V6_4, "sandbox-6.4", V64_SUFFIX),
        ] {
            services.push(start_service(dialect, name, suffix).await?);
        }
        let heartbeat = options.heartbeat_interval;
        let without_cluster = |reason: String| World {
            placements: in_memory(&services, heartbeat),
            cluster: Cluster::Absent(reason),
        };
        let world = if !options.with_cluster {
            without_cluster("the local cluster was not asked for".to_owned())
        } else if let Err(err) = osmo_admin_test_cluster::kube_bin_dir() {
            without_cluster(err.to_string())
        } else {
            World {
                placements: Vec::new(),
                cluster: Cluster::Starting,
            }
        };
        let starting = matches!(world.cluster, Cluster::Starting);
        let (settled, _) = watch::channel(!starting);
        let shared = Arc::new(Shared {
            world: Mutex::new(world),
            services,
            settled,
        });
        let starter = starting.then(|| tokio::spawn(start_cluster(shared.clone(), heartbeat)));
        tracing::info!(cluster_starting = starting, "sandbox services started");
        Ok(Sandbox {
            shared,
            starter: Mutex::new(starter),
        })
    }

    /// Resolves once the local cluster has started or could not (at once when it was not asked
    /// for or cannot start), or the sandbox stopped.
    pub fn cluster_settled(&self) -> impl Future<Output = ()> + Send + 'static {
        let mut settled = self.shared.settled.subscribe();
        async move {
            let _ = settled.wait_for(|done| *done).await;
        }
    }

    /// Stops the local cluster (abandoning its start when it still starts: nothing of it runs
    /// once this returns) and the simulated operators; the services stop when the sandbox is
    /// dropped.
    pub async fn stop(&self) {
        let starter = lock(&self.starter).take();
        if let Some(starter) = starter {
            starter.abort();
            let _ = starter.await;
        }
        let stopped = World {
            placements: Vec::new(),
            cluster: Cluster::Absent("the sandbox was stopped".to_owned()),
        };
        let World {
            placements,
            cluster,
        } = std::mem::replace(&mut *lock(&self.shared.world), stopped);
        self.shared.settled.send_replace(true);
        drop(placements);
        if let Cluster::Running(cluster) = cluster {
            cluster.stop().await;
        }
    }

    pub fn snapshot(&self) -> SandboxSnapshot {
        let world = lock(&self.shared.world);
        let cluster = match &world.cluster {
            Cluster::Starting => ClusterSnapshot::Starting,
            Cluster::Running(local) => ClusterSnapshot::Running {
                server: local.cluster.server_url().to_owned(),
                kubeconfig: local.kubeconfig.clone(),
                context: SANDBOX_CONTEXT.to_owned(),
            },
            Cluster::Absent(reason) => ClusterSnapshot::Absent {
                reason: reason.clone(),
            },
        };
        let starting = matches!(world.cluster, Cluster::Starting);
        let none = Placement::default();
        let placed: Vec<(&Service, &Placement)> = self
            .shared
            .services
            .iter()
            .enumerate()
            .map(|(i, service)| (service, world.placements.get(i).unwrap_or(&none)))
            .collect();
        let links = placed
            .iter()
            .flat_map(|(service, placement)| {
                placement
                    .in_cluster
                    .iter()
                    .filter_map(|(backend, namespace)| {
                        let backend = BackendRef::new(service.name.as_str(), *backend);
                        BackendLink::new(backend, SANDBOX_CONTEXT, Some(namespace)).ok()
                    })
            })
            .collect();
        SandboxSnapshot {
            services: placed
                .iter()
                .map(|(service, placement)| service.snapshot(placement, starting))
                .collect(),
            cluster,
            links,
        }
    }

    /// The sandbox's chart installer when `context` of `kubeconfig` is the context it lends (its
    /// cluster runs): helm simulated on its own cluster, for setup's step 3.
    pub fn chart_installer(
        &self,
        context: &str,
        kubeconfig: &Path,
    ) -> Option<Arc<dyn ChartInstaller>> {
        let world = lock(&self.shared.world);
        let Cluster::Running(local) = &world.cluster else {
            return None;
        };
        let installer: Arc<dyn ChartInstaller> = local.helm.clone();
        local.helm.serves(context, kubeconfig).then_some(installer)
    }

    /// The simulator handles, for tests and for faults injected from the UI later.
    pub fn simulators(&self) -> impl Iterator<Item = (&str, &SimHandle)> {
        self.shared
            .services
            .iter()
            .map(|s| (s.name.as_str(), &s.sim))
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(starter) = lock(&self.starter).take() {
            starter.abort();
        }
    }
}

/// Starts the local cluster and places the operators there, or in memory when it cannot start.
async fn start_cluster(shared: Arc<Shared>, heartbeat: Duration) {
    let started = local_cluster::start(&shared.services, heartbeat).await;
    settle(&shared, started, heartbeat);
}

/// The cluster started (its operators placed) or could not: the operators then run in memory.
fn settle(
    shared: &Shared,
    started: Result<(LocalCluster, Vec<Placement>), String>,
    heartbeat: Duration,
) {
    let world = match started {
        Ok((cluster, placements)) => World {
            placements,
            cluster: Cluster::Running(cluster),
        },
        Err(reason) => {
            tracing::warn!(%reason, "sandbox cluster did not start");
            World {
                placements: in_memory(&shared.services, heartbeat),
                cluster: Cluster::Absent(reason),
            }
        }
    };
    let running = matches!(world.cluster, Cluster::Running(_));
    *lock(&shared.world) = world;
    shared.settled.send_replace(true);
    tracing::info!(running, "sandbox cluster settled");
}

fn in_memory(services: &[Service], heartbeat: Duration) -> Vec<Placement> {
    services
        .iter()
        .map(|service| service.place_in_memory(heartbeat))
        .collect()
}

/// A poisoned lock only means another task panicked; the data is still whole.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::world::OperatorKind;
    use crate::WAITING_FOR_CLUSTER;

    /// A sandbox whose cluster is starting, without starting one.
    async fn starting() -> Sandbox {
        let services = vec![
            start_service(Dialect::V6_0, "sandbox-6.0", "")
                .await
                .unwrap(),
            start_service(Dialect::V6_4, "sandbox-6.4", V64_SUFFIX)
                .await
                .unwrap(),
        ];
        let shared = Arc::new(Shared {
            world: Mutex::new(World {
                placements: Vec::new(),
                cluster: Cluster::Starting,
            }),
            services,
            settled: watch::channel(false).0,
        });
        Sandbox {
            shared,
            starter: Mutex::new(None),
        }
    }

    fn operator(snapshot: &SandboxSnapshot, backend: &str) -> (OperatorKind, Option<String>) {
        let b = snapshot.services[0]
            .backends
            .iter()
            .find(|b| b.name == backend)
            .unwrap();
        (b.operator, b.operator_status.clone())
    }

    #[tokio::test]
    async fn a_cluster_that_cannot_start_says_why_and_its_operators_run_in_memory() {
        let sandbox = starting().await;
        let before = sandbox.snapshot();
        assert!(matches!(before.cluster, ClusterSnapshot::Starting));
        for backend in ["gpu-east", "dgx-lab"] {
            assert_eq!(
                operator(&before, backend),
                (
                    OperatorKind::Simulated,
                    Some(WAITING_FOR_CLUSTER.to_owned())
                ),
                "{backend} waits for the cluster"
            );
        }
        assert_eq!(
            operator(&before, "gpu-west"),
            (OperatorKind::KeptAlive, None)
        );
        assert_eq!(
            before.services[0].operator_where,
            "gpu-east, dgx-lab: operators waiting for the local cluster, which is starting"
        );
        assert!(before.links.is_empty());
        let settled = sandbox.cluster_settled();

        let heartbeat = Duration::from_millis(200);
        settle(
            &sandbox.shared,
            Err("etcd would not start".into()),
            heartbeat,
        );
        tokio::time::timeout(Duration::from_secs(5), settled)
            .await
            .expect("settled once the cluster failed");
        let after = sandbox.snapshot();
        let ClusterSnapshot::Absent { reason } = &after.cluster else {
            panic!("{:?}", after.cluster);
        };
        assert_eq!(reason, "etcd would not start");
        assert!(after.links.is_empty());
        // As without a cluster: gpu-east's operator holds its token in memory; dgx-lab, whose
        // expired token could never be rotated, has none.
        assert_eq!(operator(&after, "dgx-lab"), (OperatorKind::None, None));
        assert_eq!(
            after.services[0].operator_where,
            "gpu-east: simulated operator (token held in memory)"
        );
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while operator(&sandbox.snapshot(), "gpu-east").1.as_deref()
            != Some("connected, heartbeating")
        {
            assert!(
                tokio::time::Instant::now() < deadline,
                "{:?}",
                sandbox.snapshot()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

//! The loop that follows a listener Deployment and runs an `osmo_sim` operator for it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use kube::Api;
use osmo_sim::{OperatorConfig, OperatorHandle, OperatorStatus, TokenSource};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::{SecretRef, LISTENER_DEPLOYMENT};

/// What to follow and how the operator talks to OSMO.
#[derive(Clone)]
pub struct ClusterOperatorConfig {
    pub client: kube::Client,
    /// The token's Secret; its namespace is also where the Deployment is looked for.
    pub secret: SecretRef,
    /// The listener Deployment's name.
    pub deployment: String,
    /// The OSMO side. Its `token` source is replaced by the Secret.
    pub operator: OperatorConfig,
    /// How often the Deployment is checked.
    pub poll_interval: Duration,
}

impl ClusterOperatorConfig {
    /// The chart's defaults for the Secret and the Deployment, a 1 s poll.
    pub fn new(client: kube::Client, operator: OperatorConfig) -> Self {
        Self {
            client,
            secret: SecretRef::default(),
            deployment: LISTENER_DEPLOYMENT.into(),
            operator,
            poll_interval: Duration::from_secs(1),
        }
    }
}

/// What the simulated operator is doing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClusterOperatorStatus {
    /// The Deployment does not exist or has no replicas: nothing runs.
    NoDeployment,
    /// The Deployment could not be read (the text says why); the last state is kept.
    ClusterUnreachable(String),
    /// An operator runs; its own status.
    Running(OperatorStatus),
}

/// A running follower; dropping it stops it and its operator.
pub struct ClusterOperator {
    status: watch::Receiver<ClusterOperatorStatus>,
    restarts: watch::Receiver<u32>,
    task: JoinHandle<()>,
}

impl ClusterOperator {
    pub fn start(config: ClusterOperatorConfig) -> Self {
        let (status_tx, status) = watch::channel(ClusterOperatorStatus::NoDeployment);
        let (restarts_tx, restarts) = watch::channel(0);
        let task = tokio::spawn(follow(config, status_tx, restarts_tx));
        Self {
            status,
            restarts,
            task,
        }
    }

    pub fn status(&self) -> ClusterOperatorStatus {
        self.status.borrow().clone()
    }

    /// How many times a changed pod template restarted the operator.
    pub fn restarts(&self) -> u32 {
        *self.restarts.borrow()
    }

    /// Waits until `pred(status)` holds or `timeout` passes; returns the last status.
    pub async fn wait_for(
        &self,
        timeout: Duration,
        pred: impl Fn(&ClusterOperatorStatus) -> bool,
    ) -> ClusterOperatorStatus {
        let mut rx = self.status.clone();
        let _ = tokio::time::timeout(timeout, rx.wait_for(|status| pred(status))).await;
        let status = rx.borrow().clone();
        status
    }
}

impl Drop for ClusterOperator {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The token as last read from the Secret; read again only when the pod template changes.
type TokenCache = Arc<Mutex<Result<String, String>>>;

async fn follow(
    config: ClusterOperatorConfig,
    status: watch::Sender<ClusterOperatorStatus>,
    restarts: watch::Sender<u32>,
) {
    let deployments: Api<Deployment> =
        Api::namespaced(config.client.clone(), &config.secret.namespace);
    let token: TokenCache = Arc::new(Mutex::new(Err("not read yet".into())));
    let mut running: Option<(OperatorHandle, String)> = None;

    loop {
        match deployments.get_opt(&config.deployment).await {
            Err(err) => {
                status.send_replace(ClusterOperatorStatus::ClusterUnreachable(err.to_string()));
            }
            Ok(deployment) => match deployment.as_ref().and_then(pod_template) {
                None => {
                    if running.take().is_some() {
                        tracing::info!(backend = %config.operator.backend, "listener Deployment gone: operator stopped");
                    }
                    status.send_replace(ClusterOperatorStatus::NoDeployment);
                }
                Some(template) => {
                    let changed = running.as_ref().map(|(_, seen)| *seen != template);
                    if changed != Some(false) {
                        let read = config.secret.read(&config.client).await;
                        *lock(&token) = read;
                    }
                    match (running.as_mut(), changed) {
                        (Some((handle, seen)), Some(true)) => {
                            tracing::info!(backend = %config.operator.backend, "pod template changed: operator restarts");
                            handle.restart();
                            *seen = template;
                            restarts.send_modify(|n| *n += 1);
                        }
                        (None, _) => {
                            let mut operator = config.operator.clone();
                            let cache = token.clone();
                            let source: TokenSource = Arc::new(move || lock(&cache).clone());
                            operator.token = source;
                            running = Some((OperatorHandle::start(operator), template));
                        }
                        _ => {}
                    }
                    if let Some((handle, _)) = &running {
                        status.send_replace(ClusterOperatorStatus::Running(handle.status()));
                    }
                }
            },
        }
        tokio::time::sleep(config.poll_interval).await;
    }
}

/// The pod template as text when the Deployment wants at least one pod.
fn pod_template(deployment: &Deployment) -> Option<String> {
    let spec = deployment.spec.as_ref()?;
    if spec.replicas == Some(0) {
        return None;
    }
    serde_json::to_string(&spec.template).ok()
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

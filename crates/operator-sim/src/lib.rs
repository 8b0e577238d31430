//! Simulated backend operators that behave, toward the cluster, like the real chart-installed one.
//!
//! A [`ClusterOperator`] watches one backend's listener Deployment in a real Kubernetes API server
//! (polling, so it needs nothing but `get` on Deployments and Secrets):
//! - no Deployment (or zero replicas): no operator runs, as before `helm install`;
//! - the Deployment appears: the operator reads its token from the Secret the chart mounts
//!   (namespace, secret, key), exchanges it, sends `init` and heartbeats (`osmo_sim::OperatorHandle`);
//! - the pod template changes (`kubectl rollout restart` sets an annotation; a new image does too):
//!   the Secret is read again and the operator reconnects, like a new pod would;
//! - a rejected token: it keeps failing and sends no heartbeat, so the backend goes offline.
//!
//! Non-goals: pods, nodes and events are not simulated; the worker Deployment is not followed.

mod chart;
mod cluster_operator;
mod secret_ref;

pub use chart::{listener_deployment, worker_deployment};
pub use cluster_operator::{ClusterOperator, ClusterOperatorConfig, ClusterOperatorStatus};
pub use secret_ref::{SecretRef, LISTENER_DEPLOYMENT, WORKER_DEPLOYMENT};

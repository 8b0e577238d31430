//! Testing a context: can the app reach the API server, does it accept the credentials, and may they
//! do what backend setup and token rotation need.
//!
//! Scope: [`probe_context`] builds a client (running an exec plugin if any), asks `/version` twice (the
//! second, on the warm connection, gives the round-trip time), then asks a SelfSubjectAccessReview per
//! [`crate::permissions::required`] permission. Every step has a timeout; dropping the future cancels
//! it. `Ok` means reachable and authenticated; every failure is one plain [`Error`].
//!
//! Non-goals: changing anything on the cluster, checking the OSMO operator's health.

use std::time::{Duration, Instant};

use serde::Serialize;

use crate::connect::{client_for, ConnectOptions, ResolvedContext};
use crate::contexts::AuthKind;
use crate::failure::{self, Target};
use crate::kubeconfig::KubeconfigSet;
use crate::permissions::{self, PermissionCheck};
use crate::{Error, DEFAULT_OPERATOR_NAMESPACE};

/// What [`probe_context`] needs besides the context.
#[derive(Debug, Clone)]
pub struct ProbeOptions {
    /// Timeouts and the plugin PATH.
    pub connect: ConnectOptions,
    /// The namespace the OSMO operator lives in.
    pub operator_namespace: String,
}

impl Default for ProbeOptions {
    fn default() -> Self {
        ProbeOptions {
            connect: ConnectOptions::default(),
            operator_namespace: DEFAULT_OPERATOR_NAMESPACE.into(),
        }
    }
}

/// The result of testing a context that is reachable and whose credentials work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProbeReport {
    /// The context's name.
    pub context: String,
    /// The server URL.
    pub server: String,
    /// The server's `gitVersion` (e.g. `v1.30.2`).
    pub server_version: String,
    /// Time of a `/version` request on an open connection, in milliseconds.
    pub round_trip_ms: u64,
    /// Time of the first request, including TCP, TLS and any exec plugin, in milliseconds.
    pub first_response_ms: u64,
    /// Whether the server accepted the credentials (always true in a report: a rejection is an error).
    pub authenticated: bool,
    /// One entry per needed permission, in order.
    pub permissions: Vec<PermissionCheck>,
}

impl ProbeReport {
    /// Whether every needed permission is granted.
    pub fn all_granted(&self) -> bool {
        self.permissions.iter().all(|p| p.allowed)
    }

    /// The kubectl-style sentences for what is missing.
    pub fn missing(&self) -> Vec<String> {
        self.permissions
            .iter()
            .filter_map(|p| p.missing.clone())
            .collect()
    }
}

/// Tests context `name` of `set`.
pub async fn probe_context(
    set: &KubeconfigSet,
    name: &str,
    options: &ProbeOptions,
) -> Result<ProbeReport, Error> {
    let context = set.resolve(name)?;
    probe_resolved(&context, options).await
}

/// Tests an already resolved context.
pub async fn probe_resolved(
    context: &ResolvedContext,
    options: &ProbeOptions,
) -> Result<ProbeReport, Error> {
    let started = Instant::now();
    let client = client_for(context, &options.connect).await?;
    let connect = &options.connect;
    let target = context.target(connect.connect_timeout);
    // The first request also connects: allow for the handshake.
    let first_limit = connect.connect_timeout + connect.request_timeout;
    let version = version_of(&client, &target, first_limit).await?;
    let target = Target {
        timeout: connect.request_timeout,
        ..target
    };
    let first_response_ms = millis(started.elapsed());

    let warm = Instant::now();
    version_of(&client, &target, connect.request_timeout).await?;
    let round_trip_ms = millis(warm.elapsed());

    let checks = permissions::check(
        &client,
        permissions::required(&options.operator_namespace),
        &target,
        connect.request_timeout,
    )
    .await
    .map_err(|e| match (&e, &context.auth) {
        // Anonymous requests may read /version but not ask about permissions.
        (Error::Forbidden { .. }, AuthKind::None) => {
            failure::from_status(401, "Unauthorized", "", &target)
        }
        _ => e,
    })?;

    Ok(ProbeReport {
        context: context.name.clone(),
        server: context.server.clone(),
        server_version: version,
        round_trip_ms,
        first_response_ms,
        authenticated: true,
        permissions: checks,
    })
}

async fn version_of(
    client: &kube::Client,
    target: &Target,
    limit: Duration,
) -> Result<String, Error> {
    match tokio::time::timeout(limit, client.apiserver_version()).await {
        Err(_) => Err(Error::Timeout {
            server: target.server.clone(),
            what: "/version".into(),
            after: limit,
        }),
        Ok(Err(e)) => Err(failure::classify(&e, target)),
        Ok(Ok(info)) => Ok(info.git_version),
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

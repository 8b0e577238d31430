//! "Why is it offline?" and, for an online backend, its health check: `osmo-admin-diagnostics`'
//! ordered checks for one backend, with its linked cluster when there is one and the token it
//! uses (as the Tokens screen tells it: [`crate::tokens::used_token`]).

use std::time::Duration;

use osmo_admin_core::{BackendName, BackendRef, ServiceId};
use osmo_admin_diagnostics::{
    diagnose, CheckKind, ClusterLink, DiagnoseInput, Diagnosis, TokenInUse, Verdict,
};
use osmo_admin_osmo_client::CancellationToken;
use serde::Serialize;
use ts_rs::TS;

use super::{count, Prefs};
use crate::error::IpcError;
use crate::{clusters, tokens, AppCore};

/// How long finding the backend's token (its Secret, the service's token list) may take.
const TOKEN_LOOKUP_TIMEOUT: Duration = Duration::from_secs(15);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum VerdictDto {
    Pass,
    Fail,
    Warn,
    Skipped,
}

/// Which check it is (the UI offers linking a context on `ContextLinked`, rotating the token on
/// `TokenExpiry`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub enum CheckKindDto {
    ServiceReachable,
    BackendKnown,
    Heartbeat,
    ContextLinked,
    ClusterReachable,
    TokenExpiry,
    Namespaces,
    TokenSecret,
    TokenAccepted,
    Deployments,
    Pods,
    WarningEvents,
}

impl From<CheckKind> for CheckKindDto {
    fn from(kind: CheckKind) -> Self {
        match kind {
            CheckKind::ServiceReachable => Self::ServiceReachable,
            CheckKind::BackendKnown => Self::BackendKnown,
            CheckKind::Heartbeat => Self::Heartbeat,
            CheckKind::ContextLinked => Self::ContextLinked,
            CheckKind::ClusterReachable => Self::ClusterReachable,
            CheckKind::TokenExpiry => Self::TokenExpiry,
            CheckKind::Namespaces => Self::Namespaces,
            CheckKind::TokenSecret => Self::TokenSecret,
            CheckKind::TokenAccepted => Self::TokenAccepted,
            CheckKind::Deployments => Self::Deployments,
            CheckKind::Pods => Self::Pods,
            CheckKind::WarningEvents => Self::WarningEvents,
        }
    }
}

/// One check of "why is it offline?" (or of a health check).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CheckDto {
    pub kind: CheckKindDto,
    pub title: String,
    pub verdict: VerdictDto,
    pub finding: String,
    pub next_step: Option<String>,
}

/// The ordered checks and the one to fix first.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DiagnosisDto {
    pub session: ServiceId,
    pub backend: BackendName,
    pub checks: Vec<CheckDto>,
    /// Index into `checks` of the failure to fix first.
    pub first_failure: Option<u32>,
    pub summary: String,
    /// No check failed or warned.
    pub healthy: bool,
    /// A context is linked (otherwise the cluster checks are skipped).
    pub linked: bool,
    /// Why the linked cluster could not be used for the checks.
    pub cluster_error: Option<String>,
}

pub(crate) fn diagnosis_dto(
    session: ServiceId,
    d: Diagnosis,
    linked: bool,
    cluster_error: Option<String>,
) -> DiagnosisDto {
    let healthy = d
        .checks
        .iter()
        .all(|c| matches!(c.verdict, Verdict::Pass | Verdict::Skipped));
    DiagnosisDto {
        session,
        backend: BackendName::new(d.backend),
        healthy,
        checks: d
            .checks
            .into_iter()
            .map(|c| CheckDto {
                kind: c.kind.into(),
                title: c.title,
                verdict: match c.verdict {
                    Verdict::Pass => VerdictDto::Pass,
                    Verdict::Fail => VerdictDto::Fail,
                    Verdict::Warn => VerdictDto::Warn,
                    Verdict::Skipped => VerdictDto::Skipped,
                },
                finding: c.finding,
                next_step: c.next_step,
            })
            .collect(),
        first_failure: d.first_failure.map(count),
        summary: d.summary,
        linked,
        cluster_error,
    }
}

/// The ordered checks for `backend` and the one to fix first: "why is it offline?" for an
/// offline backend, its health check for an online one.
pub async fn diagnose_backend(
    core: &AppCore,
    backend: BackendRef,
) -> Result<DiagnosisDto, IpcError> {
    let osmo = core.sessions.session(&backend.service)?;
    let link = Prefs::of(core).link(&backend).cloned();
    let cancel = CancellationToken::new();
    let token = tokio::time::timeout(
        TOKEN_LOOKUP_TIMEOUT,
        tokens::used_token(core, &backend, osmo.clone(), &cancel),
    )
    .await
    .unwrap_or_else(|_| {
        TokenInUse::Unreadable(format!(
            "the token list did not answer within {} s",
            TOKEN_LOOKUP_TIMEOUT.as_secs()
        ))
    });
    let mut cluster_error = None;
    let cluster = match &link {
        None => ClusterLink::NotLinked,
        Some(l) => {
            let namespace = core
                .health
                .snapshots()
                .into_iter()
                .filter(|s| s.session == backend.service.as_str())
                .find_map(|s| {
                    s.rows
                        .iter()
                        .find(|r| r.name == backend.backend.as_str())
                        .map(|r| r.k8s_namespace.clone())
                })
                .unwrap_or_default();
            match clusters::target(core, l, &namespace).await {
                Ok(target) => ClusterLink::Linked {
                    context: Some(l.context().to_owned()),
                    target,
                },
                Err(e) => {
                    cluster_error = Some(e.message.clone());
                    ClusterLink::Unusable {
                        context: l.context().to_owned(),
                        reason: e.message,
                    }
                }
            }
        }
    };
    let input = DiagnoseInput::new(osmo, backend.backend.to_string())
        .with_timeout(Duration::from_secs(10))
        .with_link(cluster)
        .with_token(token);
    let diagnosis = diagnose(&input, &cancel).await;
    tracing::info!(%backend, first_failure = ?diagnosis.first_failure, "backend diagnosed");
    Ok(diagnosis_dto(
        backend.service,
        diagnosis,
        link.is_some(),
        cluster_error,
    ))
}

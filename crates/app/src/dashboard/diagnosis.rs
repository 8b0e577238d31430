//! "Why is it offline?": `osmo-admin-diagnostics`' ordered checks for one backend, with its
//! linked cluster when there is one.

use std::time::Duration;

use osmo_admin_core::{BackendName, BackendRef, ServiceId};
use osmo_admin_diagnostics::{diagnose, DiagnoseInput, Diagnosis, Verdict};
use osmo_admin_osmo_client::CancellationToken;
use serde::Serialize;
use ts_rs::TS;

use super::{count, Prefs};
use crate::error::IpcError;
use crate::{clusters, AppCore};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum VerdictDto {
    Pass,
    Fail,
    Warn,
    Skipped,
}

/// One check of "why is it offline?".
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CheckDto {
    pub kind: String,
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
    DiagnosisDto {
        session,
        backend: BackendName::new(d.backend),
        checks: d
            .checks
            .into_iter()
            .map(|c| CheckDto {
                kind: serde_json::to_value(c.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
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

/// The ordered checks for `backend` and the one to fix first.
pub async fn diagnose_backend(
    core: &AppCore,
    backend: BackendRef,
) -> Result<DiagnosisDto, IpcError> {
    let osmo = core.sessions.session(&backend.service)?;
    let link = Prefs::of(core).link(&backend).cloned();
    let mut input = DiagnoseInput::new(osmo.clone(), backend.backend.to_string())
        .with_timeout(Duration::from_secs(10));
    let mut cluster_error = None;
    if let Some(l) = &link {
        let namespace = core
            .health
            .snapshots()
            .into_iter()
            .filter(|s| s.session == backend.service.as_str())
            .flat_map(|s| s.rows)
            .find(|r| r.name == backend.backend.as_str())
            .map(|r| r.k8s_namespace)
            .unwrap_or_default();
        match clusters::target(core, l, &namespace).await {
            Ok(target) => input = input.with_cluster(target),
            Err(e) => cluster_error = Some(e.message),
        }
    }
    let diagnosis = diagnose(&input, &CancellationToken::new()).await;
    tracing::info!(%backend, first_failure = ?diagnosis.first_failure, "backend diagnosed");
    Ok(diagnosis_dto(
        backend.service,
        diagnosis,
        link.is_some(),
        cluster_error,
    ))
}

//! Deleting a backend from its service (`osmo config delete BACKEND`), with what depends on it
//! said first: the pools that name it (left naming a backend that no longer exists), a linked
//! context and its operator (left alone unless the user also asks). The service deletes an online
//! backend too, while its operator keeps running: the plan warns, and offers to stop the
//! operator first (its Deployments deleted) when a context is linked.

use osmo_admin_core::{BackendRef, ErrorCode};
use osmo_admin_kube::operator::{delete_operator_deployments, Limits};
use osmo_admin_osmo_client::OsmoError;
use serde::Serialize;
use ts_rs::TS;

use crate::error::IpcError;
use crate::operations::RequestId;
use crate::{clusters, AppCore};

/// The context and operator namespace a backend is linked to.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LinkedOperatorDto {
    pub context: String,
    pub operator_namespace: String,
    /// `helm uninstall …` for the rest of the operator's release (Secret, roles).
    pub uninstall_command: String,
}

/// What deleting a backend touches, shown before the user confirms.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeletionPlanDto {
    pub backend: BackendRef,
    /// Its heartbeat is fresh: its operator is running and connected.
    pub online: bool,
    /// Pools that run on it: they stay, naming a backend that no longer exists, until switched.
    pub pools: Vec<String>,
    pub link: Option<LinkedOperatorDto>,
}

/// What the user asked for besides the delete itself.
#[derive(Debug, Clone, Default, serde::Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeletionChoicesDto {
    /// Delete the operator's Deployments in the linked namespace first.
    pub stop_operator: bool,
    /// Forget the link to its context afterwards.
    pub unlink: bool,
}

/// What happened, from a re-read after the delete.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeletionDto {
    /// The backend is no longer in the service's list.
    pub gone: bool,
    /// Each thing done, in order, in words.
    pub done: Vec<String>,
    /// What is left for the user to see to (pools naming it, a running operator).
    pub left: Vec<String>,
}

fn uninstall_command(context: &str, namespace: &str) -> String {
    format!("helm uninstall osmo-operator --namespace {namespace} --kube-context {context}")
}

/// Reads what deleting `backend` would touch.
pub async fn plan(
    state: &AppCore,
    backend: BackendRef,
    operation: Option<RequestId>,
) -> Result<DeletionPlanDto, IpcError> {
    let running = state.operations.begin_request(operation);
    let cancel = running.token();
    let osmo = state.sessions.session(&backend.service)?;
    let (found, pools) = tokio::try_join!(
        osmo.get_backend(&backend.backend, cancel),
        osmo.list_pools(cancel)
    )?;
    let link = state.links.of(&backend).map(|l| LinkedOperatorDto {
        context: l.context().to_owned(),
        operator_namespace: l.operator_namespace().to_owned(),
        uninstall_command: uninstall_command(l.context(), l.operator_namespace()),
    });
    Ok(DeletionPlanDto {
        online: found.online,
        pools: pools
            .into_iter()
            .filter(|p| p.backend == backend.backend.as_str())
            .map(|p| p.name)
            .collect(),
        link,
        backend,
    })
}

/// Deletes `backend` from its service (after stopping its operator when asked), then re-reads.
pub async fn delete(
    state: &AppCore,
    backend: BackendRef,
    choices: DeletionChoicesDto,
    operation: Option<RequestId>,
) -> Result<DeletionDto, IpcError> {
    let running = state.operations.begin_request(operation);
    let cancel = running.token();
    let osmo = state.sessions.session(&backend.service)?;
    let link = state.links.of(&backend);
    let mut done = Vec::new();
    let mut left = Vec::new();
    if choices.stop_operator {
        let Some(link) = &link else {
            return Err(IpcError::new(
                ErrorCode::InvalidInput,
                format!("Backend {} is linked to no context, so its operator cannot be stopped from here. Nothing was deleted.", backend.backend),
            ));
        };
        let client = clusters::client(state, link.context()).await?;
        let limits = Limits {
            cancel: cancel.clone(),
            ..Limits::default()
        };
        let stopped = delete_operator_deployments(&client, link.operator_namespace(), &limits)
            .await
            .map_err(|e| {
                IpcError::new(
                    e.code(),
                    format!("{e} The backend was not deleted; try again, or delete it without stopping the operator."),
                )
            })?;
        done.push(if stopped.is_empty() {
            format!(
                "No operator Deployment was running in namespace {} of {}.",
                link.operator_namespace(),
                link.context()
            )
        } else {
            format!(
                "Stopped the operator: deleted {} in namespace {} of {}.",
                stopped.join(", "),
                link.operator_namespace(),
                link.context()
            )
        });
    }
    let answer = osmo
        .delete_backend(
            &backend.backend,
            &format!("Delete backend {}", backend.backend),
            cancel,
        )
        .await;
    tracing::info!(%backend, ok = answer.is_ok(), "backend delete sent");
    let backends = osmo.list_backends(cancel).await;
    let gone = match (answer.as_ref().err(), backends) {
        (_, Ok(list)) => !list.iter().any(|b| b.name == backend.backend.as_str()),
        (Some(refused), Err(_)) => {
            return Err(IpcError::new(
                refused.code(),
                format!("{refused} Reading the backends again failed too, so whether {} is deleted is unknown: refresh the dashboard.", backend.backend),
            ))
        }
        (None, Err(reread)) => {
            return Err(IpcError::new(
                reread.code(),
                format!("The service accepted the delete of {}, but reading its backends again failed: {reread}", backend.backend),
            ))
        }
    };
    if !gone {
        let why = answer
            .err()
            .map(|e: OsmoError| e.to_string())
            .unwrap_or_else(|| "the service answered that it was deleted".to_owned());
        return Err(IpcError::new(
            ErrorCode::Conflict,
            format!(
                "Backend {} is still there after the delete ({why}). Nothing else was changed.",
                backend.backend
            ),
        ));
    }
    done.push(format!(
        "Deleted backend {} from {}.",
        backend.backend, backend.service
    ));
    if choices.unlink && link.is_some() {
        state.settings.change(|s| {
            s.unlink_backend(&backend);
            Ok::<_, IpcError>(())
        })?;
        state.links.forget_lent(&backend);
        done.push("Forgot its link to the context.".to_owned());
    }
    if let Ok(pools) = osmo.list_pools(cancel).await {
        let naming: Vec<String> = pools
            .into_iter()
            .filter(|p| p.backend == backend.backend.as_str())
            .map(|p| p.name)
            .collect();
        if !naming.is_empty() {
            left.push(format!(
                "{} still {} {}: switch {} to another backend, or delete {}.",
                naming.join(", "),
                if naming.len() == 1 { "names" } else { "name" },
                backend.backend,
                if naming.len() == 1 { "it" } else { "them" },
                if naming.len() == 1 { "it" } else { "them" },
            ));
        }
    }
    if let (Some(link), false) = (&link, choices.stop_operator) {
        left.push(format!(
            "Its operator in namespace {} of {} was left as it was; if it still runs, uninstall it: {}",
            link.operator_namespace(),
            link.context(),
            uninstall_command(link.context(), link.operator_namespace())
        ));
    }
    state.health.poll_now();
    Ok(DeletionDto { gone, done, left })
}

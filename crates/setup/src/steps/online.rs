//! Step 5: wait for the backend to appear and report `online` (a heartbeat within 2 minutes,
//! osmo-api.md §3.3), up to the plan's timeout. When it does not, the "why is it offline?"
//! checks run against the service and this cluster and their verdict is the outcome.

use osmo_admin_diagnostics::{diagnose, ClusterTarget, DiagnoseInput, SecretRef};
use osmo_admin_osmo_client::{Backend, CancellationToken};

use super::{within, Setup, StepOutcome, StepState};
use crate::error::SetupError;
use crate::log::StepLog;

/// The backend of the plan, if the service knows it.
pub(crate) async fn find_backend(
    setup: &Setup,
    cancel: &CancellationToken,
) -> Result<Option<Backend>, SetupError> {
    let name = &setup.plan.backend_name;
    let what = "list the service's backends";
    let all = within(setup.plan.call_timeout, cancel, what, async {
        setup
            .session
            .list_backends(cancel)
            .await
            .map_err(SetupError::from)
    })
    .await?;
    Ok(all.into_iter().find(|b| &b.name == name))
}

/// What to wait for.
pub(crate) enum Wanted {
    Present,
    Online,
}

/// Polls until the backend is as wanted (`Some`) or the plan's timeout passed (`None`).
pub(crate) async fn wait_for(
    setup: &Setup,
    wanted: Wanted,
    cancel: &CancellationToken,
) -> Result<Option<Backend>, SetupError> {
    let deadline = tokio::time::Instant::now() + setup.plan.online_timeout;
    loop {
        if let Some(b) = find_backend(setup, cancel).await? {
            if matches!(wanted, Wanted::Present) || b.online {
                return Ok(Some(b));
            }
        }
        if tokio::time::Instant::now() >= deadline {
            return Ok(None);
        }
        tokio::select! {
            () = cancel.cancelled() => return Err(SetupError::Cancelled),
            () = tokio::time::sleep(setup.plan.poll_interval) => {}
        }
    }
}

fn heartbeat(b: &Backend) -> String {
    b.last_heartbeat
        .map(|t| format!("last heartbeat {t} UTC"))
        .unwrap_or_else(|| "no heartbeat yet".into())
}

pub async fn check(setup: &Setup, cancel: &CancellationToken) -> Result<StepState, SetupError> {
    let name = &setup.plan.backend_name;
    let wait = setup.plan.online_timeout.as_secs();
    Ok(match find_backend(setup, cancel).await? {
        Some(b) if b.online => StepState::Done {
            what: format!("Backend {name} is online ({}).", heartbeat(&b)),
        },
        Some(b) => StepState::NotDone {
            what_it_will_do: format!(
                "Wait up to {wait} s for backend {name} to report online (it is offline, {}).",
                heartbeat(&b)
            ),
        },
        None => StepState::NotDone {
            what_it_will_do: format!(
                "Wait up to {wait} s for backend {name} to appear and report online."
            ),
        },
    })
}

pub(crate) async fn run(
    setup: &Setup,
    log: &StepLog<'_>,
    cancel: &CancellationToken,
) -> Result<StepOutcome, SetupError> {
    if let StepState::Done { what } = check(setup, cancel).await? {
        return Ok(StepOutcome::AlreadyDone { what });
    }
    let name = &setup.plan.backend_name;
    log.info(format!(
        "Waiting up to {} s for backend {name} to report online...",
        setup.plan.online_timeout.as_secs()
    ));
    let started = tokio::time::Instant::now();
    match wait_for(setup, Wanted::Online, cancel).await? {
        Some(b) => Ok(StepOutcome::Done {
            what: format!("Backend {name} is online ({}).", heartbeat(&b)),
        }),
        None => not_online(setup, started.elapsed().as_secs(), log, cancel).await,
    }
}

/// Runs the "why is it offline?" checks and makes their verdict the outcome.
pub(crate) async fn not_online(
    setup: &Setup,
    waited_seconds: u64,
    log: &StepLog<'_>,
    cancel: &CancellationToken,
) -> Result<StepOutcome, SetupError> {
    let p = &setup.plan;
    log.info(format!(
        "Backend {} did not report online within {waited_seconds} s; running the offline checks.",
        p.backend_name
    ));
    let target = ClusterTarget {
        client: setup.client.clone(),
        operator_namespace: p.operator_namespace.clone(),
        workflow_namespace: p.workflow_namespace.clone(),
        secret: SecretRef {
            name: p.secret_name.clone(),
            key: p.secret_key.clone(),
        },
    };
    let input = DiagnoseInput::new(setup.session.clone(), &p.backend_name)
        .with_cluster(target)
        .with_timeout(p.call_timeout);
    let diagnosis = diagnose(&input, cancel).await;
    log.info(diagnosis.summary.clone());
    Ok(StepOutcome::NotOnline {
        waited_seconds,
        diagnosis,
    })
}

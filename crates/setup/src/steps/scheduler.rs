//! Step 4: the backend's scheduler settings (the scheduler editor's form, the KAI preset by
//! default) saved through osmo-admin-scheduler (`osmo config update BACKEND ...`), and whether
//! that scheduler is installed in the cluster (osmo-admin-diagnostics' `scheduler_presence`).
//! The backend exists only once its operator connected, so the run waits for it to appear.

use osmo_admin_diagnostics::{scheduler_presence, Limits, SchedulerPresence};
use osmo_admin_osmo_client::{Backend, CancellationToken};
use osmo_admin_scheduler::{
    kai_preset, load, preview, save, FieldChange, SaveOutcome, SchedulerForm,
};

use super::online::{find_backend, wait_for, Wanted};
use super::{Setup, StepOutcome, StepState};
use crate::error::SetupError;
use crate::log::StepLog;

/// The form step 4 applies.
pub fn form(setup: &Setup) -> SchedulerForm {
    setup
        .plan
        .scheduler
        .form
        .clone()
        .unwrap_or_else(|| kai_preset(setup.session.dialect()))
}

/// Whether the form's scheduler is installed in the cluster.
pub async fn presence(setup: &Setup, cancel: &CancellationToken) -> SchedulerPresence {
    let limits = Limits::new(setup.plan.call_timeout, cancel.clone());
    scheduler_presence(&setup.client, &form(setup).scheduler_type, &limits).await
}

fn presence_text(form: &SchedulerForm, p: &SchedulerPresence) -> String {
    let kind = &form.scheduler_type;
    match p {
        SchedulerPresence::Present { evidence } => format!("Scheduler {kind} is installed in the cluster ({evidence})."),
        SchedulerPresence::Absent { looked_for } => format!(
            "Scheduler {kind} is NOT installed in the cluster (looked for {looked_for}): install it, or workflows will not be scheduled."
        ),
        SchedulerPresence::Unknown { reason } => format!("Whether scheduler {kind} is installed is unknown: {reason}."),
    }
}

fn changes_text(changes: &[FieldChange]) -> String {
    changes
        .iter()
        .map(|c| format!("{} {} → {}", c.field, c.before, c.after))
        .collect::<Vec<_>>()
        .join(", ")
}

async fn changes(
    setup: &Setup,
    backend: &Backend,
    cancel: &CancellationToken,
) -> Result<Vec<FieldChange>, SetupError> {
    let loaded = load(&setup.session, &backend.name, cancel).await?;
    Ok(preview(&loaded, &form(setup))?.1)
}

pub async fn check(setup: &Setup, cancel: &CancellationToken) -> Result<StepState, SetupError> {
    let f = form(setup);
    let found = presence(setup, cancel).await;
    let absent = matches!(found, SchedulerPresence::Absent { .. });
    let here = presence_text(&f, &found);
    let name = &setup.plan.backend_name;
    let Some(backend) = find_backend(setup, cancel).await? else {
        return Ok(StepState::NotDone {
            what_it_will_do: format!(
                "Once backend {name} appears (its operator's first connection creates it): set scheduler {} ({}). {here}",
                f.scheduler_type, f.scheduler_name
            ),
        });
    };
    let changes = changes(setup, &backend, cancel).await?;
    Ok(if changes.is_empty() && absent {
        // The settings are saved, but nothing in the cluster will schedule the workflows.
        StepState::Partial {
            done: format!(
                "Backend {name} uses scheduler {} ({}).",
                f.scheduler_type, f.scheduler_name
            ),
            what_it_will_do: here,
        }
    } else if changes.is_empty() {
        StepState::Done {
            what: format!(
                "Backend {name} already uses scheduler {} ({}). {here}",
                f.scheduler_type, f.scheduler_name
            ),
        }
    } else {
        StepState::NotDone {
            what_it_will_do: format!(
                "Change backend {name}'s scheduler settings: {}. {here}",
                changes_text(&changes)
            ),
        }
    })
}

pub(crate) async fn run(
    setup: &Setup,
    log: &StepLog<'_>,
    cancel: &CancellationToken,
) -> Result<StepOutcome, SetupError> {
    let name = &setup.plan.backend_name;
    if find_backend(setup, cancel).await?.is_none() {
        log.info(format!(
            "Waiting for backend {name} to appear (its operator's first connection creates it)..."
        ));
    }
    let started = tokio::time::Instant::now();
    if wait_for(setup, Wanted::Present, cancel).await?.is_none() {
        return super::online::not_online(setup, started.elapsed().as_secs(), log, cancel).await;
    }
    let f = form(setup);
    let found = presence(setup, cancel).await;
    log.info(presence_text(&f, &found));
    let outcome = save_settings(setup, &f, log, cancel).await?;
    Ok(match (outcome, &found) {
        (
            StepOutcome::Done { what } | StepOutcome::AlreadyDone { what },
            SchedulerPresence::Absent { .. },
        ) => StepOutcome::DoneWithWarning {
            what,
            warning: presence_text(&f, &found),
        },
        (other, _) => other,
    })
}

/// Saves the form's settings on the backend (once more after a conflict).
async fn save_settings(
    setup: &Setup,
    f: &SchedulerForm,
    log: &StepLog<'_>,
    cancel: &CancellationToken,
) -> Result<StepOutcome, SetupError> {
    let name = &setup.plan.backend_name;
    for command in setup.commands(super::StepId::Scheduler) {
        log.command(command);
    }
    let description = &setup.plan.scheduler.description;
    // A conflict means someone changed the settings between load and save: load once more.
    for _ in 0..2 {
        let loaded = load(&setup.session, name, cancel).await?;
        match save(&setup.session, &loaded, f, description, cancel).await? {
            SaveOutcome::Saved { changes, .. } => {
                return Ok(StepOutcome::Done {
                    what: format!(
                        "Saved backend {name}'s scheduler settings: {}.",
                        changes_text(&changes)
                    ),
                })
            }
            SaveOutcome::NothingChanged => {
                return Ok(StepOutcome::AlreadyDone {
                    what: format!(
                        "Backend {name} already uses scheduler {} ({}).",
                        f.scheduler_type, f.scheduler_name
                    ),
                })
            }
            SaveOutcome::Conflict { their_changes, .. } => {
                log.info(format!(
                    "Someone changed the settings meanwhile ({}); loading them again.",
                    changes_text(&their_changes)
                ));
            }
        }
    }
    Err(SetupError::KeptChanging(format!(
        "Backend {name}'s scheduler settings keep changing while saving: try step 4 again."
    )))
}

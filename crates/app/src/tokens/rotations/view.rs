//! A journaled rotation as the screen shows it: its step list (the journal's facts, this run's
//! events, and for an interrupted one the effects seen in the cluster and the service) and its
//! words (for an interrupted one, `osmo-admin-tokens`' `now_in_words`: from what was seen, not
//! from the journal's last entry).

use osmo_admin_core::{BackendName, ServiceId};
use osmo_admin_tokens::rotation::{
    now_in_words, Direction, Journal, Observed, Status, Step, Truth, Watched,
};

use super::dto::{
    now_dto, phase_state, rfc3339, RotationStatusDto, RotationView, StepStateDto, StepView,
};
use super::Entry;

/// The step list: the journal's facts and the effects seen, overridden by this run's events.
fn steps(entry: &Entry, effect_seen: &[Step]) -> Vec<StepView> {
    let j = &entry.journal;
    let rolling = j.direction == Direction::RollingBack
        || entry
            .events
            .iter()
            .any(|e| Step::ROLL_BACK.contains(&e.step));
    let list: Vec<Step> = Step::FORWARD
        .iter()
        .chain(if rolling { &Step::ROLL_BACK[..] } else { &[] })
        .copied()
        .collect();
    let open = matches!(j.status, Status::Running | Status::Failed);
    list.into_iter()
        .map(|step| {
            let last = entry.events.iter().rev().find(|e| e.step == step);
            let (state, message) = match last {
                Some(e) => (phase_state(e.phase), Some(e.message.clone())),
                None => {
                    let journaled = if Step::FORWARD.contains(&step) {
                        j.reached.is_some_and(|r| step <= r)
                    } else {
                        j.rolled_back.contains(&step)
                    };
                    let state = if journaled || effect_seen.contains(&step) {
                        StepStateDto::Done
                    } else if open && j.in_progress == Some(step) {
                        if j.status == Status::Failed {
                            StepStateDto::Failed
                        } else {
                            StepStateDto::Interrupted
                        }
                    } else {
                        StepStateDto::Pending
                    };
                    (state, None)
                }
            };
            StepView {
                step: step.into(),
                title: step.title().to_owned(),
                state,
                message,
            }
        })
        .collect()
}

/// Words for a rotation found on disk: where it stands from what was seen (or, until the cluster
/// and the service were checked, what the journal makes certain), and what to do.
fn interrupted_words(entry: &Entry, truth: &Truth) -> String {
    let j = &entry.journal;
    match (&j.status, &j.failure) {
        (Status::Failed, Some(failure)) => format!(
            "Stopped in an earlier run after a failure: {failure} {} Retry it or roll it back.",
            truth.words
        ),
        _ => format!(
            "Interrupted when the app stopped. {} Resume it or roll it back.",
            truth.words
        ),
    }
}

pub(super) fn view_of(entry: &Entry) -> RotationView {
    let j = &entry.journal;
    let interrupted = entry.rotation.is_none() && j.is_unfinished() && !entry.running;
    let status = if entry.running {
        RotationStatusDto::Running
    } else if interrupted {
        RotationStatusDto::Interrupted
    } else {
        match j.status {
            Status::Running => RotationStatusDto::Running,
            Status::Failed => RotationStatusDto::Failed,
            Status::Completed => RotationStatusDto::Completed,
            Status::RolledBack => RotationStatusDto::RolledBack,
        }
    };
    let seen = entry.seen.as_ref().filter(|_| interrupted);
    let truth = interrupted.then(|| now_in_words(j, seen.map(|(_, s)| s)));
    let (words, can_retry, can_roll_back) = match (&entry.state, &truth) {
        (_, Some(truth)) => (
            interrupted_words(entry, truth),
            true,
            j.reached != Some(Step::DeleteOldToken) && !old_token_seen_gone(j, seen),
        ),
        (Some(s), None) if !entry.running => (s.words.clone(), s.can_retry, s.can_roll_back),
        _ => (
            format!(
                "Rotating the token of backend {}: see the steps below.",
                j.plan.backend
            ),
            false,
            false,
        ),
    };
    let effect_seen = truth.map(|t| t.effect_seen).unwrap_or_default();
    RotationView {
        id: j.id.clone(),
        backend: Some(BackendName::new(j.plan.backend.as_str())),
        session: entry
            .link
            .as_ref()
            .map(|l| ServiceId::new(l.session.as_str())),
        context: entry.link.as_ref().map(|l| l.context.clone()),
        secret: j.plan.secret.to_string(),
        new_token: j.new_token.name.clone(),
        old_token: j.plan.old_token.as_ref().map(ToString::to_string),
        status,
        rolling_back: j.direction == Direction::RollingBack,
        running: entry.running,
        steps: steps(entry, &effect_seen),
        words,
        failure: if entry.running {
            None
        } else {
            j.failure.clone()
        },
        can_retry: can_retry && !entry.running,
        can_roll_back: can_roll_back && !entry.running,
        started_at: rfc3339(j.created_at),
        updated_at: rfc3339(j.updated_at),
        set_aside: None,
        now: seen.map(|(w, s)| now_dto(w, s)),
    }
}

/// The old token was seen missing from OSMO (killed after deleting it, say): a roll back would
/// put a token the service refuses back into the Secret, so it is not offered (the library
/// refuses it too).
fn old_token_seen_gone(j: &Journal, seen: Option<&(Watched, Observed)>) -> bool {
    match (&j.plan.old_token, seen) {
        (Some(old), Some((_, observed))) => observed.exists(old) == Some(false),
        _ => false,
    }
}

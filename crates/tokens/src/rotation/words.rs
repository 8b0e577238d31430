//! A rotation's state in words, for the screen after a failure or on the next start.

use super::{Direction, Journal, RotationState, Status, Step};

pub(super) fn state(j: &Journal, holding_value: bool) -> RotationState {
    let new = &j.new_token.name;
    let old = j
        .plan
        .old_token
        .as_ref()
        .map_or("the old token".to_owned(), |o| format!("the old token {o}"));
    let secret = &j.plan.secret;
    let words = match (j.direction, j.status) {
        (Direction::Forward, Status::Completed) => format!(
            "Done: backend {} runs with the new token {new}; {}.",
            j.plan.backend,
            if j.plan.delete_old && j.plan.old_token.is_some() { format!("{old} is deleted") } else { format!("{old} was kept") }
        ),
        (Direction::Forward, _) => match j.reached {
            None if j.create_attempted => format!("The old token is still in the secret and in use. The new token {new} may or may not exist in OSMO: retrying replaces it, rolling back deletes it."),
            None => "Nothing has changed: the old token is still in the secret and in use.".to_owned(),
            Some(Step::CreateToken) if holding_value => format!("The new token {new} exists in OSMO but is not in the secret yet; its value is held here (show it once so it is not lost). The old token is still in the secret and in use."),
            Some(Step::CreateToken) => format!("The new token {new} exists in OSMO but its value was lost when the app stopped; the old token is still in the secret and in use. Retrying creates the new token again; rolling back deletes it."),
            Some(Step::WriteSecret) => format!("The new token {new} is in secret {secret} (the previous value is kept under key {}), but the operator has not been restarted, so it still runs with {old}.", secret.previous_key()),
            Some(Step::RestartOperator) => format!("The new token {new} is in the secret and the operator was restarted{}, but it has not come back online (no heartbeat since the restart).", j.restarted_at.map(|t| format!(" at {} UTC", t.format("%H:%M:%S"))).unwrap_or_default()),
            Some(_) => format!("The backend is online with the new token {new}; {old} has not been deleted yet (the previous value is still kept under key {}).", secret.previous_key()),
        },
        (Direction::RollingBack, Status::RolledBack) => format!("Rolled back: the secret holds {old} again and the new token {new} is deleted."),
        (Direction::RollingBack, _) => {
            let done = |s: Step| j.rolled_back.contains(&s);
            format!(
                "Rolling back: {}; {}; {}.",
                if done(Step::RestoreSecret) { "the secret holds the previous token again" } else { "the secret may still hold the new token (the previous value is kept under its .previous key)" },
                if done(Step::RestartAgain) { "the operator was restarted" } else { "the operator has not been restarted again" },
                if done(Step::DeleteNewToken) { format!("the new token {new} is deleted") } else { format!("the new token {new} still exists") },
            )
        }
    };
    let open = matches!(j.status, Status::Running | Status::Failed);
    let stopped_at = j.in_progress.filter(|_| open);
    RotationState {
        id: j.id.clone(),
        status: j.status,
        direction: j.direction,
        reached: j.reached,
        stopped_at,
        words,
        failure: j.failure.clone(),
        can_retry: open,
        can_roll_back: open && j.reached != Some(Step::DeleteOldToken),
    }
}

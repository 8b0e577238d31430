//! A rotation in words from its journal alone (the cluster and the service not read yet): only
//! what the journal makes certain (a step's end is journaled after its effect), and for the step
//! the app stopped in, that it may or may not have taken effect.

use super::old_name;
use crate::rotation::{Direction, Journal, Status, Step};

/// A finished rotation (completed or rolled back): the journal says it all.
pub(super) fn finished(j: &Journal) -> String {
    crate::rotation::words::state(j, false).words
}

/// An open rotation.
pub(super) fn open(j: &Journal) -> String {
    match j.direction {
        Direction::Forward => forward(j),
        Direction::RollingBack => backward(j),
    }
}

fn forward(j: &Journal) -> String {
    let new = &j.new_token.name;
    let old = old_name(j);
    let secret = &j.plan.secret;
    let previous = secret.previous_key();
    let certain = match j.reached {
        None if j.create_attempted && j.in_progress != Some(Step::CreateToken) => {
            format!("The secret still holds {old}; the new token {new} may exist in OSMO.")
        }
        None => String::new(),
        Some(Step::CreateToken) => format!("The new token {new} was created in OSMO."),
        Some(Step::WriteSecret) => format!(
            "The new token {new} is in secret {secret} (the previous value is kept under key {previous})."
        ),
        Some(Step::RestartOperator) => format!(
            "The new token {new} is in the secret and the operator was restarted{}.",
            j.restarted_at
                .map(|t| format!(" at {}", super::clock(t)))
                .unwrap_or_default()
        ),
        Some(Step::WaitForHeartbeat) => {
            format!("The backend came back online with the new token {new}.")
        }
        Some(_) => format!(
            "Every step finished; the previous value may still be kept under key {previous}."
        ),
    };
    // A step that failed may still have taken effect (an answer lost on the way back).
    let stopped = |doing: &str| match j.status {
        Status::Failed => format!("{} failed", super::capital(doing)),
        _ => format!("The app stopped while {doing}"),
    };
    let open = match j.in_progress {
        Some(Step::CreateToken) if j.create_attempted => format!("{}, so it may or may not exist in OSMO; the secret still holds {old}.", stopped(&format!("creating the new token {new}"))),
        Some(Step::CreateToken) | None if j.reached.is_none() && !j.create_attempted => format!("Nothing has changed: the secret still holds {old}."),
        Some(Step::WriteSecret) => format!("{}, so the secret may already hold it (with {old} kept under key {previous}) or still hold {old}.", stopped("writing it into the secret")),
        Some(Step::RestartOperator) => format!("{}, so it may or may not have been restarted (until then it ran with the old token).", stopped("restarting the operator")),
        Some(Step::WaitForHeartbeat) => format!("{}; it may have come back online since.", stopped("waiting for the backend's heartbeat")),
        Some(Step::DeleteOldToken) => format!("{}, so it may or may not be deleted.", stopped(&format!("deleting {old}"))),
        None => match j.reached {
            Some(Step::CreateToken) => format!("It was not written into the secret yet; the secret still holds {old}."),
            Some(Step::WriteSecret) => format!("The operator has not been restarted yet, so it still runs with {old}."),
            Some(Step::RestartOperator) => "The backend had not heartbeated since the restart.".to_owned(),
            Some(Step::WaitForHeartbeat) => format!("{} is not deleted yet.", super::capital(&old)),
            _ => String::new(),
        },
        Some(other) => format!("{}.", stopped(&format!("doing \"{}\"", other.title().to_lowercase()))),
    };
    let check = if j.in_progress.is_some() {
        " Checking the cluster and the service tells which."
    } else {
        ""
    };
    [certain, open]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        + check
}

fn backward(j: &Journal) -> String {
    let new = &j.new_token.name;
    let done = |s: Step| j.rolled_back.contains(&s);
    let state = |s: Step, yes: String, no: String| {
        if done(s) {
            yes
        } else if j.in_progress == Some(s) {
            format!(
                "the app stopped while doing \"{}\", so that may or may not have happened",
                s.title().to_lowercase()
            )
        } else {
            no
        }
    };
    let parts = [
        state(
            Step::RestoreSecret,
            "the secret holds the previous token again".into(),
            "the secret may still hold the new token (the previous value is kept under its .previous key)".into(),
        ),
        state(
            Step::RestartAgain,
            "the operator was restarted again".into(),
            "the operator has not been restarted again".into(),
        ),
        state(
            Step::DeleteNewToken,
            format!("the new token {new} is deleted"),
            format!("the new token {new} still exists"),
        ),
    ];
    format!("Rolling back: {}.", parts.join("; "))
}

//! An open rotation in words from what the cluster and the service show now. Each part says what
//! was seen; what could not be read is said as such, never guessed from the journal.

use chrono::{DateTime, Utc};

use super::{clock, new_ref, old_name, Observed, Truth};
use crate::create::TokenRef;
use crate::rotation::{Journal, Step};

/// Whether the Secret holds rotation `j`'s new token: its annotations name it, or mark the
/// Secret as written by `j` (both are set by the same write). `None`: the Secret was not read.
fn holds_new(j: &Journal, seen: &Observed) -> Option<bool> {
    let s = seen.secret.as_ref()?;
    Some(
        s.exists
            && (s.holder.as_ref() == Some(&new_ref(j)) || s.rotation.as_deref() == Some(&j.id)),
    )
}

/// The latest restart after `after` and after the Secret last changed (so the operator reads what
/// the Secret holds now): stamped on the Deployments, or journaled (`Err`: the Deployments could
/// not be read).
fn restart(
    j: &Journal,
    seen: &Observed,
    after: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, ()> {
    let stamped = seen.restarted_at.ok_or(())?;
    let changed = seen.secret.as_ref().and_then(|s| s.last_changed);
    let after = changed.map_or(after, |c| c.max(after));
    Ok(stamped
        .into_iter()
        .chain(j.restarted_at)
        .filter(|t| *t > after)
        .max())
}

/// The Secret could not be read: only what the journal makes certain, and why.
fn secret_unread(j: &Journal, seen: &Observed, what: &str) -> Truth {
    Truth {
        words: format!(
            "Secret {} could not be read now, so where the {what} stands is not known: {}{}",
            j.plan.secret,
            super::journal_only::open(j),
            unread(seen)
        ),
        effect_seen: Vec::new(),
    }
}

fn existence(seen: &Observed, token: &TokenRef, name: &str) -> (Option<bool>, String) {
    match seen.exists(token) {
        Some(true) => (Some(true), format!("{name} still exists in OSMO")),
        Some(false) => (
            Some(false),
            format!("{name} does not exist in OSMO any more"),
        ),
        None => (
            None,
            format!("whether {name} still exists in OSMO could not be checked"),
        ),
    }
}

fn unread(seen: &Observed) -> String {
    if seen.notes.is_empty() {
        String::new()
    } else {
        format!(" (Not read: {}.)", seen.notes.join("; "))
    }
}

/// Going forward.
pub(super) fn forward(j: &Journal, seen: &Observed) -> Truth {
    let new = new_ref(j);
    let secret = &j.plan.secret;
    let old = old_name(j);
    let mut done = Vec::new();
    let Some(written) = holds_new(j, seen) else {
        return secret_unread(j, seen, "rotation");
    };
    let (new_exists, _) = existence(seen, &new, "the new token");
    if new_exists == Some(true) || written {
        done.push(Step::CreateToken);
    }
    let words = if !written {
        let s = seen.secret.clone().unwrap_or_default();
        let holds = match (&s.holder, s.exists) {
            (_, false) => format!("Secret {secret} does not exist"),
            (Some(h), _) if Some(h) == j.plan.old_token.as_ref() => {
                format!("Secret {secret} still holds {old}")
            }
            (Some(h), _) => format!("Secret {secret} holds token {h}, which is neither the old nor the new token of this rotation"),
            (None, _) => format!("Secret {secret} still holds the token it held before"),
        };
        let old_gone = match &j.plan.old_token {
            Some(o) if seen.exists(o) == Some(false) => format!(
                ", but {old} does not exist in OSMO any more, so the backend cannot sign in with it"
            ),
            _ => String::new(),
        };
        let created = match new_exists {
            Some(true) => format!("The new token {new} exists in OSMO but was not written into the secret; its value was lost when the app stopped, so resuming creates it again and rolling back deletes it."),
            Some(false) => format!("The new token {new} does not exist in OSMO and was not written into the secret: nothing has changed yet."),
            None => format!("The new token {new} was not written into the secret; whether it exists in OSMO could not be checked."),
        };
        format!("{holds}{old_gone}. {created}")
    } else {
        done.push(Step::WriteSecret);
        let s = seen.secret.clone().unwrap_or_default();
        let kept = if s.previous_kept {
            format!("{old} is kept under key {}", secret.previous_key())
        } else {
            format!(
                "no previous value is kept under key {} any more",
                secret.previous_key()
            )
        };
        let running = match restart(j, seen, j.created_at) {
            Err(()) => "Whether the operator was restarted since could not be checked.".to_owned(),
            Ok(None) => format!(
                "The operator has not been restarted since the secret changed, so it still runs with {old}."
            ),
            Ok(Some(at)) => {
                done.push(Step::RestartOperator);
                let beat = match seen.last_heartbeat {
                    Some(Some(hb)) if hb > at => {
                        done.push(Step::WaitForHeartbeat);
                        format!("and the backend has heartbeated since ({}), so it runs with the new token", clock(hb))
                    }
                    Some(_) => "but the backend has not heartbeated since the restart".to_owned(),
                    None => {
                        "; whether the backend heartbeated since could not be checked".to_owned()
                    }
                };
                format!("The operator was restarted at {} {beat}.", clock(at))
            }
        };
        let old_state = match &j.plan.old_token {
            Some(o) => {
                let (exists, words) = existence(seen, o, &old);
                let wanted_gone = !j.plan.delete_old || exists == Some(false);
                if wanted_gone && !s.previous_kept && done.contains(&Step::WaitForHeartbeat) {
                    done.push(Step::DeleteOldToken);
                }
                format!(" {}.", super::capital(&words))
            }
            None => String::new(),
        };
        format!("The new token {new} is in secret {secret}; {kept}. {running}{old_state}")
    };
    Truth {
        words: format!("{words}{}", unread(seen)),
        effect_seen: done,
    }
}

/// Rolling back.
pub(super) fn backward(j: &Journal, seen: &Observed) -> Truth {
    let new = new_ref(j);
    let secret = &j.plan.secret;
    let mut done = Vec::new();
    let Some(written) = holds_new(j, seen) else {
        return secret_unread(j, seen, "roll back");
    };
    let s = seen.secret.clone().unwrap_or_default();
    let holds = if written {
        let kept = if s.previous_kept {
            format!(
                "the previous value is kept under key {}",
                secret.previous_key()
            )
        } else {
            format!(
                "no previous value is kept under key {}, so it cannot be restored from there",
                secret.previous_key()
            )
        };
        format!("Secret {secret} still holds the new token {new} ({kept})")
    } else {
        done.push(Step::RestoreSecret);
        format!("Secret {secret} holds the previous token, not the new one")
    };
    let again = if j.rolled_back.contains(&Step::RestartAgain) {
        "the operator was restarted again".to_owned()
    } else if written {
        "the operator has not been restarted again".to_owned()
    } else {
        // The forward restart is journaled; a restart stamped after it (and after the Secret was
        // restored) is the roll back's.
        let forward_restart = j.restarted_at.unwrap_or(j.created_at).max(j.created_at);
        match restart(j, seen, forward_restart) {
            Ok(Some(at)) => {
                done.push(Step::RestartAgain);
                format!("the operator was restarted again at {}", clock(at))
            }
            Ok(None) => {
                "the operator has not been restarted since the secret was restored, so it may still run with the new token"
                    .to_owned()
            }
            Err(()) => "whether the operator was restarted again could not be checked".to_owned(),
        }
    };
    let (exists, gone) = existence(seen, &new, &format!("the new token {new}"));
    if exists == Some(false) {
        done.push(Step::DeleteNewToken);
    }
    Truth {
        words: format!("Rolling back: {holds}; {again}; {gone}.{}", unread(seen)),
        effect_seen: done,
    }
}

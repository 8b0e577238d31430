//! A rotation found after a restart, in words from what the cluster and the service show now
//! ([`Observed`]), not from the journal's last entry: the app may have stopped just after a
//! step's effect and before the journal said so (the Secret already holds the new token while the
//! journal still says "writing"). [`now_in_words`] is the one place that decides those words;
//! without an observation it says only what the journal makes certain, and that a step the app
//! stopped in may or may not have taken effect. [`set_aside_in_words`] does the same for a
//! journal that could not be read.

mod journal_only;
mod seen;
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;

use chrono::{DateTime, Utc};

use crate::create::TokenRef;
use crate::rotation::plan::SecretTarget;
use crate::rotation::salvage::JournalFacts;
use crate::rotation::{Direction, Journal, Status, Step};

/// What the cluster and the service show now about a rotation's backend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observed {
    /// When it was read.
    pub at: DateTime<Utc>,
    /// The token Secret; `None`: it could not be read (`notes` says why).
    pub secret: Option<SecretSeen>,
    /// Of the tokens asked about, those that exist in OSMO; `None`: they could not be listed.
    pub existing: Option<Vec<TokenRef>>,
    /// The latest restart stamped on the operator's Deployments: `Some(None)` none is stamped,
    /// `None` they could not be read.
    pub restarted_at: Option<Option<DateTime<Utc>>>,
    /// The backend's last heartbeat: `Some(None)` never, `None` it could not be read.
    pub last_heartbeat: Option<Option<DateTime<Utc>>>,
    /// What could not be read, in words.
    pub notes: Vec<String>,
}

/// The token Secret as read now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecretSeen {
    /// The Secret exists (else the rest is empty).
    pub exists: bool,
    /// The token its annotations name (`None`: this app did not write it).
    pub holder: Option<TokenRef>,
    /// `<key>.previous` is there: a rotation kept the old value and has not finished.
    pub previous_kept: bool,
    /// The unfinished rotation that wrote it, per its annotation.
    pub rotation: Option<String>,
    /// When it last changed (its latest `managedFields` time, to the second): an operator
    /// restarted after that reads what it holds now.
    pub last_changed: Option<DateTime<Utc>>,
}

impl Observed {
    /// Whether `token` exists in OSMO; `None` when unknown.
    pub fn exists(&self, token: &TokenRef) -> Option<bool> {
        self.existing.as_ref().map(|list| list.contains(token))
    }
}

/// A rotation's state now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Truth {
    /// The state in words.
    pub words: String,
    /// Steps whose effect is seen now although the journal may not say so (for the step list).
    pub effect_seen: Vec<Step>,
}

/// The state of rotation `j` in words: from `seen` when the cluster and the service were read
/// (what they show wins over the journal), else only what the journal makes certain.
pub fn now_in_words(j: &Journal, seen: Option<&Observed>) -> Truth {
    let open = matches!(j.status, Status::Running | Status::Failed);
    match (seen, open, j.direction) {
        (_, false, _) => Truth {
            words: journal_only::finished(j),
            effect_seen: Vec::new(),
        },
        (Some(seen), true, Direction::Forward) => seen::forward(j, seen),
        (Some(seen), true, Direction::RollingBack) => seen::backward(j, seen),
        (None, true, _) => Truth {
            words: journal_only::open(j),
            effect_seen: Vec::new(),
        },
    }
}

/// What the cluster and the service show for a journal that could not be read, from what could
/// be read of it (`facts`; the caller adds what is known from elsewhere).
pub fn set_aside_in_words(facts: &JournalFacts, seen: Option<&Observed>) -> String {
    let Some(seen) = seen else {
        return "What the cluster and the service show now has not been checked yet.".to_owned();
    };
    let mut out = Vec::new();
    match (&facts.secret, &seen.secret) {
        (_, None) => out.push("The token secret could not be read now.".to_owned()),
        (target, Some(s)) => out.push(secret_sentence(target.as_ref(), s)),
    }
    let tokens: Vec<String> = [("new", &facts.new_token), ("old", &facts.old_token)]
        .into_iter()
        .filter_map(|(which, t)| t.as_ref().map(|t| (which, t)))
        .map(|(which, t)| match seen.exists(t) {
            Some(true) => format!("the {which} token {t} exists"),
            Some(false) => format!("the {which} token {t} does not exist"),
            None => format!("whether the {which} token {t} exists could not be checked"),
        })
        .collect();
    if !tokens.is_empty() {
        out.push(format!("In OSMO, {}.", tokens.join("; ")));
    }
    out.join(" ")
}

fn secret_sentence(target: Option<&SecretTarget>, s: &SecretSeen) -> String {
    let name = target.map_or("The token secret".to_owned(), |t| format!("Secret {t}"));
    if !s.exists {
        return format!("{name} does not exist.");
    }
    let holds = match &s.holder {
        Some(h) => format!("{name} holds token {h} (per its annotations)"),
        None => format!("{name} does not name the token it holds (this app did not write it)"),
    };
    let previous = if s.previous_kept {
        "; a previous value is still kept beside it, so a rotation wrote it and did not finish"
    } else {
        "; no previous value is kept beside it"
    };
    let rotation = s
        .rotation
        .as_ref()
        .map(|id| format!("; it is marked as written by rotation {id}"))
        .unwrap_or_default();
    format!("{holds}{previous}{rotation}.")
}

/// A time for the words.
fn clock(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// The old token for the words.
fn old_name(j: &Journal) -> String {
    j.plan
        .old_token
        .as_ref()
        .map_or("the old token".to_owned(), |o| format!("the old token {o}"))
}

/// The new token of `j`.
fn new_ref(j: &Journal) -> TokenRef {
    TokenRef {
        owner: j.new_token.owner.clone(),
        name: j.new_token.name.clone(),
    }
}

/// `s` with its first letter in upper case.
fn capital(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

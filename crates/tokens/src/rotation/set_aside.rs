//! Journals that cannot be read are never dropped: each is moved aside in its folder as
//! `<id>.json.unreadable-<UTC time>` (never deleted, never over another one), so the next start
//! does not take it for "no rotation", and what can still be read of it ([`JournalFacts`]) is
//! kept with it. It blocks a new rotation of the same backend and Secret until someone who has
//! checked the cluster and the service marks it resolved ([`mark_resolved`]: a `.resolved` file
//! beside it; the journal itself stays).

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::error::TokensError;
use crate::rotation::journal::{scan, Journal};
use crate::rotation::plan::RotationPlan;
use crate::rotation::salvage::{readable_part, JournalFacts};

/// What a set-aside journal's name says after the original name.
pub const UNREADABLE: &str = "unreadable";
const RESOLVED: &str = ".resolved";

/// A journal that could not be read, kept aside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetAside {
    /// Where it is now.
    pub path: PathBuf,
    /// Where it was (`<dir>/<id>.json`); files beside it (the app's `<id>.link`) are named after it.
    pub original: PathBuf,
    /// When it was set aside (from its name).
    pub at: Option<DateTime<Utc>>,
    /// Why it could not be read.
    pub reason: String,
    /// What could still be read of it.
    pub facts: JournalFacts,
    /// Someone checked and marked it resolved: it blocks nothing any more.
    pub resolved: bool,
}

/// Moves the unreadable journal at `path` aside; returns where it went.
pub(crate) fn set_aside(path: &Path, reason: &str) -> Result<PathBuf, TokensError> {
    let moved =
        osmo_admin_core::aside::move_aside(path, UNREADABLE).map_err(|e| TokensError::Journal {
            path: path.to_owned(),
            action: "set aside",
            detail: format!("{e} (it could not be read: {reason})"),
        })?;
    tracing::warn!(from = %path.display(), to = %moved.display(), %reason, "unreadable rotation journal set aside");
    Ok(moved)
}

/// The journals set aside in `dir` (resolved ones included), oldest first.
pub fn set_aside_journals(dir: &Path) -> Vec<SetAside> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let marker = format!(".json.{UNREADABLE}-");
    let mut found: Vec<SetAside> = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_str()?.to_owned();
            if name.ends_with(RESOLVED) {
                return None;
            }
            let (stem, _) = name.split_once(&marker)?;
            let path = entry.path();
            Some(read(&path, dir.join(format!("{stem}.json")), &name))
        })
        .collect();
    found.sort_by(|a, b| (a.at, &a.path).cmp(&(b.at, &b.path)));
    found
}

impl SetAside {
    /// An unreadable journal that could not even be moved: listed where it is.
    pub(crate) fn in_place(path: &Path, why: String) -> Self {
        let text = std::fs::read(path).unwrap_or_default();
        Self {
            path: path.to_owned(),
            original: path.to_owned(),
            at: None,
            reason: why,
            facts: readable_part(&String::from_utf8_lossy(&text)),
            resolved: resolved_marker(path).exists(),
        }
    }
}

fn read(path: &Path, original: PathBuf, name: &str) -> SetAside {
    let (reason, facts) = match std::fs::read(path) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            let reason = match Journal::load(path) {
                Err(TokensError::Journal { detail, .. }) => detail,
                Err(other) => other.to_string(),
                Ok(_) => "it could not be read when it was set aside".to_owned(),
            };
            (reason, readable_part(&text))
        }
        Err(e) => (e.to_string(), JournalFacts::default()),
    };
    SetAside {
        resolved: resolved_marker(path).exists(),
        at: osmo_admin_core::aside::set_aside_at(name, UNREADABLE),
        path: path.to_owned(),
        original,
        reason,
        facts,
    }
}

fn resolved_marker(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(RESOLVED);
    PathBuf::from(name)
}

/// Records that someone checked the cluster and the service for the set-aside journal at `path`:
/// it stops blocking. The journal stays where it is.
pub fn mark_resolved(path: &Path) -> Result<(), TokensError> {
    let err = |detail: String| TokensError::Journal {
        path: path.to_owned(),
        action: "marked resolved",
        detail,
    };
    if !path.exists() {
        return Err(err("it is not there any more".into()));
    }
    let text = format!("{{\"resolved_at\": \"{}\"}}\n", Utc::now().to_rfc3339());
    std::fs::write(resolved_marker(path), text).map_err(|e| err(e.to_string()))
}

/// The unresolved set-aside journal in `dir` that names the same backend and Secret as `plan`,
/// if any (one whose backend or Secret cannot be read blocks nothing here).
pub fn set_aside_for(dir: &Path, plan: &RotationPlan) -> Option<SetAside> {
    scan(dir).set_aside.into_iter().find(|s| {
        let f = &s.facts;
        !s.resolved
            && f.backend.as_deref() == Some(plan.backend.as_str())
            && f.secret
                .as_ref()
                .is_some_and(|t| t.namespace == plan.secret.namespace && t.name == plan.secret.name)
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::rotation::journal::tests::journal;

    #[test]
    fn unreadable_journals_are_kept_aside_and_block_until_resolved() {
        let dir = tempfile::tempdir().unwrap();
        let mut good = journal("gpu");
        let path = good.path_in(dir.path());
        good.save(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, &text[..text.len() / 2]).unwrap();

        assert!(crate::rotation::unfinished(dir.path()).is_empty());
        assert!(!path.exists(), "moved");
        let aside = set_aside_journals(dir.path());
        assert_eq!(aside.len(), 1, "{aside:?}");
        let a = &aside[0];
        assert_eq!(a.original, path);
        assert_eq!(
            std::fs::read_to_string(&a.path).unwrap(),
            text[..text.len() / 2]
        );
        assert_eq!(a.facts.backend.as_deref(), Some("gpu"));
        assert_eq!(a.facts.id.as_deref(), Some(good.id.as_str()));
        assert!(a.reason.contains("EOF"), "{}", a.reason);
        assert!(!a.resolved);

        let other = journal("cpu");
        assert_eq!(set_aside_for(dir.path(), &good.plan).unwrap().path, a.path);
        assert_eq!(set_aside_for(dir.path(), &other.plan), None);

        mark_resolved(&a.path).unwrap();
        assert!(a.path.exists(), "kept");
        assert!(set_aside_journals(dir.path())[0].resolved);
        assert_eq!(set_aside_for(dir.path(), &good.plan), None);
    }
}

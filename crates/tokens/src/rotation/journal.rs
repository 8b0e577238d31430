//! The rotation journal: one JSON file per rotation (`<dir>/<id>.json`, written to a temporary
//! file and renamed, so a crash leaves the old or the new version, never half of one). It is
//! rewritten when a step starts and when it ends, and never holds a token's value: the new
//! value lives only in memory until it is in the Secret, and the previous value is kept in the
//! Secret itself (key `<key>.previous`).

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use osmo_admin_core::quote::quote_text;
use serde::{Deserialize, Serialize};

use crate::error::TokensError;
use crate::form::ValidToken;
use crate::rotation::plan::RotationPlan;
use crate::rotation::set_aside::{set_aside, set_aside_journals, SetAside};
use crate::rotation::step::Step;

/// The journal format version.
pub const JOURNAL_VERSION: u32 = 1;

/// Where a rotation stands overall.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    /// Running, or interrupted (a crash or quit) while running.
    Running,
    /// A step failed; waiting for retry or roll back.
    Failed,
    Completed,
    RolledBack,
}

/// Going forward or undoing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Direction {
    Forward,
    RollingBack,
}

/// The persisted state of one rotation (no secret values).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Journal {
    pub version: u32,
    pub id: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub plan: RotationPlan,
    /// The validated new token (owner, name, expiry, roles).
    pub new_token: ValidToken,
    pub status: Status,
    pub direction: Direction,
    /// The last forward step finished.
    pub reached: Option<Step>,
    /// A step started and not finished (it failed, or the app stopped during it).
    pub in_progress: Option<Step>,
    /// Roll-back steps finished.
    pub rolled_back: Vec<Step>,
    /// The creation of the new token was sent at least once (it may exist in the service).
    pub create_attempted: bool,
    /// 6.2+: the service-account user was created by this rotation.
    pub user_created: bool,
    /// When the operator Deployments were last restarted.
    pub restarted_at: Option<DateTime<Utc>>,
    /// The roll back put the previous value back into the Secret.
    pub secret_restored: bool,
    /// The last failure, in words.
    pub failure: Option<String>,
}

impl Journal {
    pub fn new(id: String, plan: RotationPlan, new_token: ValidToken) -> Self {
        let now = Utc::now();
        Self {
            version: JOURNAL_VERSION,
            id,
            created_at: now,
            updated_at: now,
            plan,
            new_token,
            status: Status::Running,
            direction: Direction::Forward,
            reached: None,
            in_progress: None,
            rolled_back: Vec::new(),
            create_attempted: false,
            user_created: false,
            restarted_at: None,
            secret_restored: false,
            failure: None,
        }
    }

    /// The journal's file in `dir`.
    pub fn path_in(&self, dir: &Path) -> PathBuf {
        dir.join(format!("{}.json", self.id))
    }

    /// True while something remains to do (resume or roll back on the next start).
    pub fn is_unfinished(&self) -> bool {
        matches!(self.status, Status::Running | Status::Failed)
    }

    /// Writes the journal to `path` atomically.
    pub fn save(&mut self, path: &Path) -> Result<(), TokensError> {
        self.updated_at = Utc::now();
        let err = |detail: String| TokensError::Journal {
            path: path.to_owned(),
            action: "written",
            detail,
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| err(e.to_string()))?;
        }
        let text = serde_json::to_string_pretty(self).map_err(|e| err(e.to_string()))?;
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, text).map_err(|e| err(e.to_string()))?;
        std::fs::rename(&tmp, path).map_err(|e| err(e.to_string()))
    }

    /// Reads a journal.
    pub fn load(path: &Path) -> Result<Self, TokensError> {
        let err = |detail: String| TokensError::Journal {
            path: path.to_owned(),
            action: "read",
            detail,
        };
        let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
        // The parser's description may copy a value of the file whole.
        let journal: Journal =
            serde_json::from_str(&text).map_err(|e| err(quote_text(&e.to_string())))?;
        if journal.version != JOURNAL_VERSION {
            return Err(err(format!("unknown version {}", journal.version)));
        }
        Ok(journal)
    }
}

/// A new rotation id: the backend's name (letters, digits, `-`) and the time.
pub fn new_id(backend: &str) -> String {
    let safe: String = backend
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{safe}-{}", Utc::now().format("%Y%m%dT%H%M%S%6f"))
}

/// The rotation folder as found: the unfinished journals (to resume or roll back each) and the
/// journals set aside because they could not be read (resolved ones included).
#[derive(Debug, Default)]
pub struct Scan {
    pub unfinished: Vec<(PathBuf, Journal)>,
    pub set_aside: Vec<SetAside>,
}

/// Reads every journal in `dir`. One that cannot be read is moved aside, never dropped: it is
/// listed in [`Scan::set_aside`] (in place, with why, when even moving it failed).
pub fn scan(dir: &Path) -> Scan {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Scan::default();
    };
    let mut unfinished = Vec::new();
    let mut stuck = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        match Journal::load(&path) {
            Ok(j) if j.is_unfinished() => unfinished.push((path, j)),
            Ok(_) => {}
            Err(e) => {
                let reason = match e {
                    TokensError::Journal { detail, .. } => detail,
                    other => other.to_string(),
                };
                if let Err(moving) = set_aside(&path, &reason) {
                    tracing::error!(%moving, "unreadable rotation journal left in place");
                    stuck.push(SetAside::in_place(&path, moving.to_string()));
                }
            }
        }
    }
    unfinished.sort_by(|a, b| a.0.cmp(&b.0));
    let mut set_aside = set_aside_journals(dir);
    set_aside.extend(stuck);
    Scan {
        unfinished,
        set_aside,
    }
}

/// The unfinished rotations in `dir` (for the next start: resume or roll back each). Unreadable
/// journals are set aside ([`scan`] lists them).
pub fn unfinished(dir: &Path) -> Vec<(PathBuf, Journal)> {
    scan(dir).unfinished
}

/// The id of an unfinished rotation in `dir` for the same backend and Secret, if any: two
/// rotations of one backend at once would fight over the Secret.
pub fn unfinished_for(dir: &Path, plan: &RotationPlan) -> Option<String> {
    unfinished(dir).into_iter().find_map(|(_, j)| {
        let same = j.plan.backend == plan.backend
            && j.plan.secret.namespace == plan.secret.namespace
            && j.plan.secret.name == plan.secret.name;
        same.then_some(j.id)
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(crate) mod tests {
    use super::*;
    use crate::form::NewToken;

    pub(crate) fn journal(backend: &str) -> Journal {
        let form = NewToken {
            owner: None,
            name: "t-new".into(),
            expires_at: "2027-01-15".into(),
            roles: vec!["osmo-backend".into()],
            description: String::new(),
            for_operator: true,
        };
        let valid = ValidToken {
            owner: "t-new".into(),
            name: "t-new".into(),
            expires_on: chrono::NaiveDate::from_ymd_opt(2027, 1, 15).unwrap(),
            roles: form.roles.clone(),
            description: String::new(),
        };
        Journal::new(
            new_id(backend),
            RotationPlan::new(backend, form, None),
            valid,
        )
    }

    #[test]
    fn saved_journals_load_back_and_unfinished_ones_are_found() {
        let dir = tempfile::tempdir().unwrap();
        let mut running = journal("gpu/east");
        assert!(!running.id.contains('/'));
        let path = running.path_in(dir.path());
        running.reached = Some(Step::WriteSecret);
        running.save(&path).unwrap();
        assert_eq!(Journal::load(&path).unwrap(), running);
        let mut done = journal("cpu");
        done.status = Status::Completed;
        done.save(&done.path_in(dir.path())).unwrap();
        std::fs::write(dir.path().join("broken.json"), "{").unwrap();

        let found = scan(dir.path());
        assert_eq!(found.unfinished.len(), 1);
        assert_eq!(found.unfinished[0].1, running);
        assert_eq!(found.set_aside.len(), 1, "the broken one");
        assert!(!dir.path().join("broken.json").exists());
        assert_eq!(
            unfinished_for(dir.path(), &running.plan),
            Some(running.id.clone())
        );
        assert_eq!(unfinished_for(dir.path(), &done.plan), None);
    }

    /// Found by the fuzz target `rotation_journals`: the parser's description copied a 90 KB
    /// status whole into the reason a set-aside journal shows.
    #[test]
    fn the_reason_quotes_a_huge_value_shortly() {
        let dir = tempfile::tempdir().unwrap();
        let mut j = journal("gpu");
        let path = j.path_in(dir.path());
        j.save(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let huge = "R".repeat(100_000);
        std::fs::write(&path, text.replace("\"Running\"", &format!("\"{huge}\""))).unwrap();
        let found = scan(dir.path());
        let reason = &found.set_aside[0].reason;
        assert!(reason.starts_with("unknown variant"), "{reason}");
        assert!(
            reason.chars().count() < 400,
            "{} characters",
            reason.chars().count()
        );
    }
}

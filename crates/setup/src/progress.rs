//! The wizard's progress on disk, so an interrupted setup can resume: the plan (no secrets),
//! which steps finished when, and step 1's token from just before its creation is sent until
//! step 2 has written it into the Secret (its name only, never its value), as JSON in `<folder>/<backend>.json` (the caller picks the folder,
//! e.g. `<data dir>/setup`). Resuming re-checks every step against the cluster and the service
//! anyway; the file only says where the wizard was and restores the form.
//!
//! A file that cannot be read never stops the wizard: it is moved aside, kept as
//! `<backend>.json.unreadable-<UTC time>` (never over another one), and reading goes on as if
//! there were no progress; [`Progress::set_aside_files`] lists those files for a notice.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use osmo_admin_core::quote::quote_text;
use serde::{Deserialize, Serialize};

use crate::error::SetupError;
use crate::plan::SetupPlan;
use crate::steps::StepId;
use osmo_admin_tokens::TokenRef;

/// The format's version.
pub const PROGRESS_VERSION: u32 = 1;

/// What a set-aside progress file's name says after the original name.
const UNREADABLE: &str = "unreadable";

/// A progress file that could not be read, kept aside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetAside {
    /// Where it is now (where it was, when even moving it failed).
    pub path: PathBuf,
    /// When it was set aside (from its name).
    pub at: Option<DateTime<Utc>>,
    /// Why it could not be read.
    pub reason: String,
}

/// What reading a backend's progress found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The saved progress (`None`: none, or it could not be read).
    pub progress: Option<Progress>,
    /// The file that could not be read and was set aside by this read.
    pub set_aside: Option<SetAside>,
}

/// A finished step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finished {
    pub step: StepId,
    pub at: DateTime<Utc>,
    /// What was done or found, in words.
    pub what: String,
}

/// One backend's setup progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub version: u32,
    /// The OSMO session (its service's name) and the Kubernetes context of the last run, so
    /// resuming picks them again (absent in files of earlier versions).
    #[serde(default)]
    pub session: Option<String>,
    #[serde(default)]
    pub context: Option<String>,
    pub plan: SetupPlan,
    pub finished: Vec<Finished>,
    pub updated_at: DateTime<Utc>,
    /// Step 1's token, saved just before its creation is sent (it did not exist then) and
    /// cleared once step 2 has written it into the Secret. Its value is only ever in memory, so
    /// when a run stops in between, a token of this name that no Secret of the plan holds is
    /// this setup's own orphan: the next run deletes it and creates it again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_sent: Option<TokenRef>,
}

impl Progress {
    pub fn new(plan: SetupPlan) -> Self {
        Self {
            version: PROGRESS_VERSION,
            session: None,
            context: None,
            plan,
            finished: Vec::new(),
            updated_at: Utc::now(),
            token_sent: None,
        }
    }

    /// `<dir>/<backend>.json`.
    pub fn path(dir: &Path, backend: &str) -> PathBuf {
        dir.join(format!("{backend}.json"))
    }

    /// The saved progress of `backend`, `None` when there is none or it could not be read (it is
    /// then set aside: see [`Progress::read`]). Never fails.
    pub fn load(dir: &Path, backend: &str) -> Result<Option<Self>, SetupError> {
        Ok(Self::read(dir, backend).progress)
    }

    /// Reads `backend`'s progress; a file that cannot be read is moved aside (kept) and reading
    /// goes on as if there were none.
    pub fn read(dir: &Path, backend: &str) -> Found {
        let path = Self::path(dir, backend);
        let reason = match std::fs::read_to_string(&path) {
            Ok(text) => match Self::parse(&text) {
                Ok(progress) => {
                    return Found {
                        progress: Some(progress),
                        set_aside: None,
                    }
                }
                Err(reason) => reason,
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Found {
                    progress: None,
                    set_aside: None,
                }
            }
            Err(e) => e.to_string(),
        };
        let set_aside = match osmo_admin_core::aside::move_aside(&path, UNREADABLE) {
            Ok(moved) => {
                tracing::warn!(from = %path.display(), to = %moved.display(), %reason, "unreadable setup progress set aside");
                SetAside {
                    at: moved_at(&moved),
                    path: moved,
                    reason,
                }
            }
            Err(e) => {
                tracing::error!(path = %path.display(), %reason, "unreadable setup progress could not be set aside: {e}");
                SetAside {
                    path,
                    at: None,
                    reason: format!("{reason}; setting it aside failed too: {e}"),
                }
            }
        };
        Found {
            progress: None,
            set_aside: Some(set_aside),
        }
    }

    fn parse(text: &str) -> Result<Self, String> {
        let progress: Self =
            // The parser's description may copy a value of the file whole.
            serde_json::from_str(text).map_err(|e| {
                format!("not a setup progress file ({})", quote_text(&e.to_string()))
            })?;
        if progress.version > PROGRESS_VERSION {
            return Err(format!(
                "written by a newer version of the app (format {}, this one reads {PROGRESS_VERSION})",
                progress.version
            ));
        }
        Ok(progress)
    }

    /// The progress files of `backend` set aside in `dir`, oldest first.
    pub fn set_aside_files(dir: &Path, backend: &str) -> Vec<SetAside> {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        let prefix = format!("{backend}.json.{UNREADABLE}-");
        let mut found: Vec<SetAside> = entries
            .flatten()
            .filter(|e| {
                e.file_name()
                    .to_str()
                    .is_some_and(|n| n.starts_with(&prefix))
            })
            .map(|e| {
                let path = e.path();
                let reason = match std::fs::read_to_string(&path) {
                    Ok(text) => Self::parse(&text).err().unwrap_or_default(),
                    Err(e) => e.to_string(),
                };
                SetAside {
                    at: moved_at(&path),
                    path,
                    reason,
                }
            })
            .collect();
        found.sort_by(|a, b| (a.at, &a.path).cmp(&(b.at, &b.path)));
        found
    }

    /// Writes the file atomically (temporary file, then rename).
    pub fn save(&self, dir: &Path) -> Result<(), SetupError> {
        let path = Self::path(dir, &self.plan.backend_name);
        std::fs::create_dir_all(dir).map_err(|e| io(dir, "create", e.to_string()))?;
        let text =
            serde_json::to_string_pretty(self).map_err(|e| io(&path, "write", e.to_string()))?;
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, text).map_err(|e| io(&tmp, "write", e.to_string()))?;
        std::fs::rename(&tmp, &path).map_err(|e| io(&path, "write", e.to_string()))
    }

    /// Records `step` as finished (replacing an earlier record of it).
    pub fn mark(&mut self, step: StepId, what: &str) {
        self.finished.retain(|f| f.step != step);
        self.finished.push(Finished {
            step,
            at: Utc::now(),
            what: what.into(),
        });
        self.finished.sort_by_key(|f| f.step);
        self.updated_at = Utc::now();
    }

    pub fn is_finished(&self, step: StepId) -> bool {
        self.finished.iter().any(|f| f.step == step)
    }

    /// The first step not finished yet (`None`: all five are).
    pub fn next_step(&self) -> Option<StepId> {
        StepId::ALL.into_iter().find(|s| !self.is_finished(*s))
    }
}

fn moved_at(path: &Path) -> Option<DateTime<Utc>> {
    let name = path.file_name()?.to_str()?;
    osmo_admin_core::aside::set_aside_at(name, UNREADABLE)
}

fn io(path: &Path, action: &str, detail: String) -> SetupError {
    SetupError::Io {
        what: format!("{action} {}", path.display()),
        detail,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn progress_round_trips_and_names_the_next_step() {
        let dir = tempfile::tempdir().unwrap();
        let plan = SetupPlan::new("gpu", "https://osmo.example.com", "6.0.0");
        assert!(Progress::load(dir.path(), "gpu").unwrap().is_none());
        let mut p = Progress::new(plan);
        p.mark(StepId::Cluster, "namespaces and secret created");
        p.mark(StepId::Token, "token created");
        p.mark(StepId::Token, "token created again");
        p.save(dir.path()).unwrap();
        let back = Progress::load(dir.path(), "gpu").unwrap().unwrap();
        assert_eq!(back, p);
        assert_eq!(back.finished.len(), 2);
        assert_eq!(back.finished[0].step, StepId::Token);
        assert_eq!(back.next_step(), Some(StepId::Operator));
    }

    /// Found by the fuzz target `setup_progress`: the parser's description copied a 45 KB value
    /// whole into the reason shown.
    #[test]
    fn the_reason_quotes_a_huge_value_shortly() {
        let dir = tempfile::tempdir().unwrap();
        let huge = "n".repeat(100_000);
        std::fs::write(
            Progress::path(dir.path(), "gpu"),
            format!("{{\"version\": \"{huge}\"}}"),
        )
        .unwrap();
        let reason = Progress::read(dir.path(), "gpu").set_aside.unwrap().reason;
        assert!(
            reason.starts_with("not a setup progress file (invalid type: string"),
            "{reason}"
        );
        assert!(
            reason.chars().count() < 400,
            "{} characters",
            reason.chars().count()
        );
    }

    #[test]
    fn an_unreadable_file_is_set_aside_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = Progress::path(dir.path(), "gpu");
        let mut newer = Progress::new(SetupPlan::new("gpu", "https://osmo.example.com", "6.0.0"));
        newer.version = PROGRESS_VERSION + 1;
        let newer = serde_json::to_string(&newer).unwrap();
        for text in ["{\"version\": 1, \"plan\": {", newer.as_str()] {
            std::fs::write(&path, text).unwrap();
            let found = Progress::read(dir.path(), "gpu");
            assert_eq!(found.progress, None);
            let aside = found.set_aside.unwrap();
            assert!(!path.exists());
            assert_eq!(std::fs::read_to_string(&aside.path).unwrap(), text);
            assert!(aside.at.is_some());
        }
        assert!(Progress::load(dir.path(), "gpu").unwrap().is_none());
        let listed = Progress::set_aside_files(dir.path(), "gpu");
        assert_eq!(listed.len(), 2, "{listed:?}");
        assert!(listed
            .iter()
            .any(|a| a.reason.contains("not a setup progress file")));
        assert!(listed.iter().any(|a| a.reason.contains("newer version")));
        assert!(Progress::set_aside_files(dir.path(), "gp").is_empty());
    }
}

//! The wizard's progress on disk, so an interrupted setup can resume: the plan (no secrets) and
//! which steps finished when, as JSON in `<folder>/<backend>.json` (the caller picks the folder,
//! e.g. `<data dir>/setup`). Resuming re-checks every step against the cluster and the service
//! anyway; the file only says where the wizard was and restores the form.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::SetupError;
use crate::plan::SetupPlan;
use crate::steps::StepId;

/// The format's version.
pub const PROGRESS_VERSION: u32 = 1;

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
        }
    }

    /// `<dir>/<backend>.json`.
    pub fn path(dir: &Path, backend: &str) -> PathBuf {
        dir.join(format!("{backend}.json"))
    }

    /// The saved progress of `backend`, `None` when there is none.
    pub fn load(dir: &Path, backend: &str) -> Result<Option<Self>, SetupError> {
        let path = Self::path(dir, backend);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io(&path, "read", e.to_string())),
        };
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| io(&path, "read", format!("not a setup progress file ({e})")))
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
        std::fs::write(Progress::path(dir.path(), "gpu"), "{").unwrap();
        assert!(Progress::load(dir.path(), "gpu").is_err());
    }
}

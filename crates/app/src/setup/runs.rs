//! The Setup screen's running state: one connected `osmo-admin-setup` [`Setup`] per backend (of
//! one service), reused while the context and plan stay the same (so a token created by step 1
//! stays in memory for step 2, as the library requires), and whether a step of that backend runs
//! in the background now (one at a time per backend).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use osmo_admin_core::BackendRef;
use osmo_admin_setup::{Setup, SetupPlan};

use crate::lock;

struct Entry {
    context: String,
    setup: Arc<Setup>,
}

#[derive(Default)]
pub struct SetupRuns {
    entries: Mutex<HashMap<BackendRef, Entry>>,
    running: Mutex<HashMap<BackendRef, String>>,
}

impl SetupRuns {
    /// The connected setup of `backend` when it was made with the same context and plan.
    pub fn find(
        &self,
        backend: &BackendRef,
        context: &str,
        plan: &SetupPlan,
    ) -> Option<Arc<Setup>> {
        let entries = lock(&self.entries);
        let entry = entries.get(backend)?;
        (entry.context == context && entry.setup.plan() == plan).then(|| entry.setup.clone())
    }

    /// Keeps `setup` as the backend's current one (replacing an older plan's).
    pub fn keep(&self, backend: BackendRef, context: &str, setup: Arc<Setup>) {
        lock(&self.entries).insert(
            backend,
            Entry {
                context: context.to_owned(),
                setup,
            },
        );
    }

    /// Marks a step of `backend` as running; `Err` names the step already running.
    pub fn try_start(&self, backend: &BackendRef, step: &str) -> Result<(), String> {
        let mut running = lock(&self.running);
        if let Some(other) = running.get(backend) {
            return Err(other.clone());
        }
        running.insert(backend.clone(), step.to_owned());
        Ok(())
    }

    pub fn finish(&self, backend: &BackendRef) {
        lock(&self.running).remove(backend);
    }

    /// The step of `backend` running now, if any.
    pub fn running(&self, backend: &BackendRef) -> Option<String> {
        lock(&self.running).get(backend).cloned()
    }
}

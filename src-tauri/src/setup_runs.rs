//! The Setup screen's running state, kept in `AppState`: one connected `osmo-admin-setup`
//! [`Setup`] per backend name, reused while the session, context and plan stay the same (so a
//! token created by step 1 stays in memory for step 2, as the library requires), and whether a
//! step of that backend runs in the background now (one at a time per backend).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use osmo_admin_setup::{Setup, SetupPlan};

use crate::state::lock;

struct Entry {
    session: String,
    context: String,
    setup: Arc<Setup>,
}

#[derive(Default)]
pub struct SetupRuns {
    entries: Mutex<HashMap<String, Entry>>,
    running: Mutex<HashMap<String, String>>,
}

impl SetupRuns {
    /// The connected setup of `plan.backend_name` when it was made with the same session,
    /// context and plan.
    pub fn find(&self, session: &str, context: &str, plan: &SetupPlan) -> Option<Arc<Setup>> {
        let entries = lock(&self.entries);
        let entry = entries.get(&plan.backend_name)?;
        (entry.session == session && entry.context == context && entry.setup.plan() == plan)
            .then(|| entry.setup.clone())
    }

    /// Keeps `setup` as the backend's current one (replacing an older plan's).
    pub fn keep(&self, session: &str, context: &str, setup: Arc<Setup>) {
        let backend = setup.plan().backend_name.clone();
        lock(&self.entries).insert(
            backend,
            Entry {
                session: session.to_owned(),
                context: context.to_owned(),
                setup,
            },
        );
    }

    /// Marks a step of `backend` as running; `Err` names the step already running.
    pub fn try_start(&self, backend: &str, step: &str) -> Result<(), String> {
        let mut running = lock(&self.running);
        if let Some(other) = running.get(backend) {
            return Err(other.clone());
        }
        running.insert(backend.to_owned(), step.to_owned());
        Ok(())
    }

    pub fn finish(&self, backend: &str) {
        lock(&self.running).remove(backend);
    }

    /// The step of `backend` running now, if any.
    pub fn running(&self, backend: &str) -> Option<String> {
        lock(&self.running).get(backend).cloned()
    }
}

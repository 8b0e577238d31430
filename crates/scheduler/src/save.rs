//! Loading and saving a backend's scheduler settings safely (osmo-api.md §3.4).
//!
//! [`load`] reads the backend and keeps what the form was loaded with. [`save`]:
//! 1. validates the form ([`crate::validate`]) and diffs it against what was loaded; no change ⇒
//!    [`SaveOutcome::NothingChanged`], and nothing is sent at all;
//! 2. requires a change description (it becomes the config-history entry);
//! 3. re-reads the backend: if its scheduler settings differ from what was loaded, someone else
//!    changed them ⇒ [`SaveOutcome::Conflict`] with theirs and yours, nothing written;
//! 4. sends `{"configs": {"scheduler_settings": <all of it>}, "description": …}` (the service
//!    replaces `scheduler_settings` whole; no `coscheduling` at 6.2+; unknown sub-fields that
//!    were loaded are sent back unchanged);
//! 5. re-reads the backend and returns what the service stored.
//!
//! The service has no compare-and-swap, so a change landing between steps 3 and 4 still wins
//! the race; the window is one round trip.

use osmo_admin_osmo_client::{CancellationToken, Dialect, SchedulerSettings, Session};
use serde::Serialize;
use serde_json::Map;

use crate::diff::{diff, FieldChange};
use crate::error::{Operation, SchedulerError};
use crate::schema::{SchedulerForm, DESCRIPTION};
use crate::validate::{validate, FieldViolation};

/// A backend's scheduler settings as loaded into the form.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Loaded {
    pub backend: String,
    pub dialect: Dialect,
    /// Exactly what the service returned; [`save`] compares against it.
    pub settings: SchedulerSettings,
    /// The form showing `settings`.
    pub form: SchedulerForm,
}

/// The result of [`save`] when nothing failed.
#[derive(Debug, Clone, PartialEq, Serialize)]
// Returned once per save: boxing `Conflict` would only make matching on it clumsier.
#[allow(clippy::large_enum_variant)]
pub enum SaveOutcome {
    /// Written; `stored` is what the service returned afterwards.
    Saved {
        changes: Vec<FieldChange>,
        stored: SchedulerSettings,
    },
    /// The form equals what was loaded: nothing was sent.
    NothingChanged,
    /// Someone changed the settings since they were loaded: nothing was written. Reload (or
    /// save `yours` again after [`load`]ing `theirs`).
    Conflict {
        /// What the form was loaded with.
        loaded: SchedulerSettings,
        /// What the service holds now.
        theirs: SchedulerSettings,
        /// What this save would have written.
        yours: SchedulerSettings,
        /// loaded → theirs.
        their_changes: Vec<FieldChange>,
        /// loaded → yours.
        your_changes: Vec<FieldChange>,
    },
}

/// Reads `backend`'s scheduler settings for the form.
pub async fn load(
    session: &Session,
    backend: &str,
    cancel: &CancellationToken,
) -> Result<Loaded, SchedulerError> {
    let settings = read(session, backend, cancel).await?;
    let dialect = session.dialect();
    Ok(Loaded {
        backend: backend.to_owned(),
        dialect,
        form: SchedulerForm::from_settings(dialect, &settings),
        settings,
    })
}

/// What the form would send, and what that changes against what was loaded.
pub fn preview(
    loaded: &Loaded,
    form: &SchedulerForm,
) -> Result<(SchedulerSettings, Vec<FieldChange>), SchedulerError> {
    let mut yours = validate(loaded.dialect, form).map_err(SchedulerError::Invalid)?;
    yours.extra = loaded.settings.extra.clone();
    let changes = diff(&loaded.settings, &yours);
    Ok((yours, changes))
}

/// Saves `form` over `loaded` with `description` (see the module docs for the steps).
pub async fn save(
    session: &Session,
    loaded: &Loaded,
    form: &SchedulerForm,
    description: &str,
    cancel: &CancellationToken,
) -> Result<SaveOutcome, SchedulerError> {
    let (yours, changes) = preview(loaded, form)?;
    if changes.is_empty() {
        return Ok(SaveOutcome::NothingChanged);
    }
    let description = description.trim();
    if description.is_empty() {
        return Err(SchedulerError::Invalid(vec![FieldViolation::new(
            DESCRIPTION,
            "Describe the change (it is recorded in the backend's config history).",
        )]));
    }
    let backend = loaded.backend.as_str();
    let theirs = read(session, backend, cancel).await?;
    if theirs != loaded.settings {
        return Ok(SaveOutcome::Conflict {
            their_changes: diff(&loaded.settings, &theirs),
            your_changes: changes,
            loaded: loaded.settings.clone(),
            theirs,
            yours,
        });
    }
    let value = serde_json::to_value(&yours).map_err(|e| {
        SchedulerError::Osmo(osmo_admin_osmo_client::OsmoError::Internal(e.to_string()))
    })?;
    let mut configs = Map::new();
    configs.insert("scheduler_settings".into(), value);
    session
        .update_backend(backend, configs, description, cancel)
        .await
        .map_err(|e| SchedulerError::from_osmo(e, backend, Operation::Update))?;
    tracing::info!(backend, fields = changes.len(), "scheduler settings saved");
    let stored = read(session, backend, cancel).await?;
    Ok(SaveOutcome::Saved { changes, stored })
}

async fn read(
    session: &Session,
    backend: &str,
    cancel: &CancellationToken,
) -> Result<SchedulerSettings, SchedulerError> {
    session
        .get_backend(backend, cancel)
        .await
        .map(|b| b.scheduler_settings)
        .map_err(|e| SchedulerError::from_osmo(e, backend, Operation::Read))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn preview_keeps_unknown_fields_that_were_loaded() {
        let settings: SchedulerSettings = serde_json::from_value(json!({"scheduler_type": "kai", "scheduler_name": "kai-scheduler", "scheduler_timeout": 30, "queue": "q1"})).unwrap();
        let loaded = Loaded {
            backend: "gpu".into(),
            dialect: Dialect::V6_2,
            form: SchedulerForm::from_settings(Dialect::V6_2, &settings),
            settings,
        };
        let (yours, changes) = preview(&loaded, &loaded.form).unwrap();
        assert!(changes.is_empty());
        assert_eq!(serde_json::to_value(&yours).unwrap()["queue"], "q1");
        let mut form = loaded.form.clone();
        form.scheduler_timeout = "60".into();
        let (yours, changes) = preview(&loaded, &form).unwrap();
        assert_eq!(changes.len(), 1);
        assert_eq!(serde_json::to_value(&yours).unwrap()["queue"], "q1");
    }
}

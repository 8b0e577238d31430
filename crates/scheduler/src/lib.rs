//! Editing an OSMO backend's scheduler settings safely, as a library (no Tauri).
//!
//! * [`schema`]: the form ([`SchedulerForm`]) and what the UI renders ([`FormSchema`]) per
//!   [`Dialect`] (6.0/6.1: four scheduler types and `coscheduling`; 6.2+: `kai` only).
//! * [`validate`]: the service's rules checked before sending ([`warnings`]: what it accepts but
//!   is unwise), each [`FieldViolation`] naming its field; [`preset`]: the deployment guide's KAI
//!   settings.
//! * [`diff`]: field, before, after; an empty diff is "nothing changed".
//! * [`save`]: [`load`] then [`save()`]: nothing sent when nothing changed, a description
//!   required, a [`SaveOutcome::Conflict`] when someone else changed the settings since loading,
//!   `scheduler_settings` sent whole, and what the service stored read back.
//! * [`history`]: earlier settings of one backend from the config history, for undo.
//!
//! Failures are [`SchedulerError`]s with [`SchedulerError::code`].

pub mod diff;
pub mod error;
pub mod history;
pub mod preset;
pub mod save;
pub mod schema;
pub mod validate;

pub use diff::{diff, FieldChange};
pub use error::{Operation, SchedulerError};
pub use history::{scheduler_revisions, settings_history, SettingsRevision};
pub use osmo_admin_osmo_client::{Dialect, SchedulerSettings};
pub use preset::kai_preset;
pub use save::{load, preview, save, Loaded, SaveOutcome};
pub use schema::{schema, FieldKind, FieldSchema, FormSchema, SchedulerForm};
pub use validate::{validate, warnings, FieldViolation};

//! Undo: earlier scheduler settings of one backend, from `GET /api/configs/history`
//! (osmo-api.md §3.5).
//!
//! Every BACKEND revision stores a snapshot of *all* backends, whichever one changed. This reads
//! all BACKEND revisions (oldest first, pages of 1000), takes this backend's `scheduler_settings`
//! out of each snapshot, and keeps only the revisions where they changed (the first one it
//! appears in included), newest first, each with who, when and why, and a form prepared with them.
//! A revision whose settings hold values the app does not expect is shown as stored, with
//! warnings (never left out).

use chrono::NaiveDateTime;
use osmo_admin_osmo_client::{
    BackendWarning, CancellationToken, Dialect, HistoryEntry, HistoryQuery, SchedulerSettings,
    Session,
};
use serde::Serialize;
use serde_json::Value;

use crate::error::{Operation, SchedulerError};
use crate::schema::SchedulerForm;

const PAGE: u64 = 1000;
/// Stops after this many pages (a million revisions) rather than loop forever.
const MAX_PAGES: u64 = 1000;

/// One revision in which the backend's scheduler settings changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SettingsRevision {
    pub revision: u64,
    /// Who made the change (`system` for the operator's own entries).
    pub username: String,
    /// Naive UTC.
    pub created_at: Option<NaiveDateTime>,
    pub description: String,
    pub tags: Vec<String>,
    /// The settings after this revision.
    pub settings: SchedulerSettings,
    /// `settings` as a form, ready to review and save.
    pub form: SchedulerForm,
    /// The newest revision (normally what the backend has now).
    pub latest: bool,
    /// What was odd in the stored settings (e.g. a negative timeout), each with the stored value.
    pub warnings: Vec<BackendWarning>,
}

/// The backend's scheduler-settings revisions, newest first.
pub async fn settings_history(
    session: &Session,
    backend: &str,
    cancel: &CancellationToken,
) -> Result<Vec<SettingsRevision>, SchedulerError> {
    let mut entries = Vec::new();
    for page in 0..MAX_PAGES {
        let query = HistoryQuery {
            config_types: vec!["BACKEND".into()],
            offset: page * PAGE,
            limit: PAGE,
            ..HistoryQuery::default()
        };
        let got = session
            .config_history(&query, cancel)
            .await
            .map_err(|e| SchedulerError::from_osmo(e, backend, Operation::History))?;
        let full = got.len() as u64 >= PAGE;
        entries.extend(got);
        if !full {
            break;
        }
    }
    Ok(scheduler_revisions(session.dialect(), backend, entries))
}

/// The revisions of `entries` (BACKEND history, any order) in which `backend`'s scheduler
/// settings changed, newest first.
pub fn scheduler_revisions(
    dialect: Dialect,
    backend: &str,
    mut entries: Vec<HistoryEntry>,
) -> Vec<SettingsRevision> {
    entries.retain(|e| e.config_type == "BACKEND");
    entries.sort_by_key(|e| e.revision);
    let mut previous: Option<SchedulerSettings> = None;
    let mut out = Vec::new();
    for e in entries {
        let Value::Array(snapshot) = &e.data else {
            continue;
        };
        let mine = snapshot
            .iter()
            .find(|b| b.get("name").and_then(Value::as_str) == Some(backend));
        let Some(mine) = mine else {
            // Deleted (or not created yet): a later re-creation counts as a change.
            previous = None;
            continue;
        };
        let Some(stored) = mine.get("scheduler_settings") else {
            continue;
        };
        let (settings, warnings) = SchedulerSettings::from_stored(stored);
        if previous.as_ref() == Some(&settings) {
            continue;
        }
        previous = Some(settings.clone());
        out.push(SettingsRevision {
            revision: e.revision,
            username: e.username,
            created_at: e.created_at,
            description: e.description,
            tags: e.tags.unwrap_or_default(),
            form: SchedulerForm::from_settings(dialect, &settings),
            settings,
            latest: false,
            warnings,
        });
    }
    out.reverse();
    if let Some(first) = out.first_mut() {
        first.latest = true;
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(
        revision: u64,
        name: &str,
        user: &str,
        description: &str,
        data: Value,
    ) -> HistoryEntry {
        HistoryEntry {
            config_type: "BACKEND".into(),
            name: name.into(),
            revision,
            username: user.into(),
            created_at: None,
            description: description.into(),
            tags: None,
            data,
        }
    }

    fn b(name: &str, t: &str, co: bool) -> Value {
        json!({"name": name, "dashboard_url": "", "scheduler_settings": {"scheduler_type": t, "scheduler_name": format!("{t}-scheduler"), "coscheduling": co, "scheduler_timeout": 30}})
    }

    /// The shape of osmo-6.0.0.json's `config_history_backend`: an initial empty snapshot, two
    /// creations, changes to both backends and a change of another field.
    #[test]
    fn keeps_only_this_backends_scheduler_changes_newest_first() {
        let entries = vec![
            entry(
                5,
                "gpu-east",
                "admin",
                "Updated backend 'gpu-east'",
                json!([b("default", "kai", true), b("gpu-east", "kai", true)]),
            ),
            entry(1, "", "system", "Initial configuration", json!([])),
            entry(
                2,
                "gpu-east",
                "system",
                "Create backend gpu-east",
                json!([b("gpu-east", "default", false)]),
            ),
            entry(
                3,
                "default",
                "system",
                "Create backend default",
                json!([
                    b("default", "default", false),
                    b("gpu-east", "default", false)
                ]),
            ),
            entry(
                4,
                "default",
                "admin",
                "Enable KAI",
                json!([b("default", "kai", true), b("gpu-east", "default", false)]),
            ),
            entry(
                6,
                "gpu-east",
                "admin",
                "partial",
                json!([b("default", "kai", true), b("gpu-east", "volcano", false)]),
            ),
            entry(
                7,
                "gpu-east",
                "testuser",
                "dashboard",
                json!([b("default", "kai", true), b("gpu-east", "volcano", false)]),
            ),
        ];
        let revs = scheduler_revisions(Dialect::V6_0, "gpu-east", entries.clone());
        let got: Vec<_> = revs
            .iter()
            .map(|r| (r.revision, r.settings.scheduler_type.as_str(), r.latest))
            .collect();
        assert_eq!(
            got,
            [
                (6, "volcano", true),
                (5, "kai", false),
                (2, "default", false)
            ]
        );
        assert_eq!(revs[1].username, "admin");
        assert_eq!(revs[1].form.coscheduling, Some(true));

        let revs = scheduler_revisions(Dialect::V6_0, "default", entries);
        let got: Vec<_> = revs
            .iter()
            .map(|r| (r.revision, r.description.as_str()))
            .collect();
        assert_eq!(got, [(4, "Enable KAI"), (3, "Create backend default")]);
    }

    #[test]
    fn deletion_and_recreation_and_omitted_data() {
        let entries = vec![
            entry(
                2,
                "x",
                "system",
                "Create backend x",
                json!([b("x", "kai", true)]),
            ),
            entry(3, "x", "admin", "Deleted backend 'x'", json!([])),
            entry(
                4,
                "x",
                "system",
                "Create backend x",
                json!([b("x", "kai", true)]),
            ),
            entry(5, "x", "admin", "omitted", Value::Null),
        ];
        let revs = scheduler_revisions(Dialect::V6_0, "x", entries);
        assert_eq!(revs.iter().map(|r| r.revision).collect::<Vec<_>>(), [4, 2]);
        assert!(scheduler_revisions(Dialect::V6_0, "nope", vec![]).is_empty());
    }

    /// osmo-negative-timeout.json's `v6_0_0_config_history_backend_negative_timeout`: the
    /// revision storing `-1` is shown as stored, with a warning, not left out.
    #[test]
    fn an_odd_stored_value_is_shown_with_a_warning() {
        let settings = |timeout: i64| json!({"name": "gpu-offline", "scheduler_settings": {"coscheduling": false, "scheduler_name": "default-scheduler", "scheduler_type": "default", "scheduler_timeout": timeout}});
        let entries = vec![
            entry(
                16,
                "gpu-offline",
                "admin",
                "negative scheduler_timeout (-1)",
                json!([settings(-1)]),
            ),
            entry(13, "gpu-offline", "admin", "restore", json!([settings(30)])),
            entry(
                17,
                "gpu-offline",
                "admin",
                "odd type",
                json!([{"name": "gpu-offline", "scheduler_settings": {"scheduler_type": "default", "scheduler_name": "default-scheduler", "scheduler_timeout": "soon"}}]),
            ),
        ];
        let revs = scheduler_revisions(Dialect::V6_0, "gpu-offline", entries);
        let got: Vec<_> = revs
            .iter()
            .map(|r| {
                (
                    r.revision,
                    r.form.scheduler_timeout.as_str(),
                    r.warnings.len(),
                )
            })
            .collect();
        assert_eq!(got, [(17, "", 1), (16, "-1", 1), (13, "30", 0)]);
        assert_eq!(revs[0].warnings[0].stored, Some(json!("soon")));
        assert!(revs[1].warnings[0].problem.contains("negative"));
    }
}

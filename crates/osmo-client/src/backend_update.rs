//! Writing a backend and reading config history (osmo-api.md §3.1, §3.4, §3.5).
//!
//! [`Session::update_backend`]: `POST /api/configs/backend/{name}` with
//! `{"configs": {…}, "description": …}`, same path and shape in both dialects. Only the top-level
//! keys given are written; an object such as `scheduler_settings` replaces the stored one whole.
//! The service answers 200 `null`; errors are [`OsmoError`]s as everywhere (422 `Rejected`,
//! 403 `Forbidden`, 409 `Conflict` when configs are managed by a ConfigMap, 500 "Backend X is not
//! found." `NotFound`). A `POST` is never retried.
//!
//! [`Session::config_history`]: one page of `GET /api/configs/history` ([`HistoryQuery`]).

use chrono::NaiveDateTime;
use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use tokio_util::sync::CancellationToken;

use crate::backends::path_segment;
use crate::error::OsmoError;
use crate::session::Session;
use crate::Result;

/// One config-history revision. For `BACKEND`, `data` is a snapshot of every backend (a list of
/// Backend JSON objects), and `name` is the backend the change was about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub config_type: String,
    #[serde(default)]
    pub name: String,
    pub revision: u64,
    #[serde(default)]
    pub username: String,
    /// Naive UTC.
    pub created_at: Option<NaiveDateTime>,
    #[serde(default)]
    pub description: String,
    /// `null` at 6.0 when no tags were given.
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    /// `null` with `omit_data`.
    #[serde(default)]
    pub data: Value,
}

/// Filters of `GET /api/configs/history` (the subset the app uses).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryQuery {
    /// e.g. `BACKEND`; empty = all types.
    pub config_types: Vec<String>,
    /// Only revisions about this config name.
    pub name: Option<String>,
    pub offset: u64,
    /// 1..=1000 (the service caps it at 1000).
    pub limit: u64,
    /// Newest first instead of oldest first.
    pub descending: bool,
    pub omit_data: bool,
}

impl Default for HistoryQuery {
    fn default() -> Self {
        Self {
            config_types: Vec::new(),
            name: None,
            offset: 0,
            limit: 20,
            descending: false,
            omit_data: false,
        }
    }
}

#[derive(Deserialize)]
struct HistoryPage {
    configs: Vec<HistoryEntry>,
}

impl Session {
    /// `POST /api/configs/backend/{name}` with `{"configs": configs, "description": description}`.
    /// `configs` holds the top-level keys to write (e.g. `scheduler_settings`), each in full.
    pub async fn update_backend(
        &self,
        name: &str,
        configs: Map<String, Value>,
        description: &str,
        cancel: &CancellationToken,
    ) -> Result<()> {
        if configs.is_empty() {
            return Err(OsmoError::InvalidInput(format!(
                "Nothing to update on backend {name}."
            )));
        }
        let body = json!({ "configs": configs, "description": description });
        let reply = self
            .call(
                Method::POST,
                &format!("/api/configs/backend/{}", path_segment(name)),
                &[],
                Some(body),
                cancel,
            )
            .await?;
        if reply.is_success() {
            Ok(())
        } else {
            Err(reply.error())
        }
    }

    /// One page of `GET /api/configs/history`.
    pub async fn config_history(
        &self,
        query: &HistoryQuery,
        cancel: &CancellationToken,
    ) -> Result<Vec<HistoryEntry>> {
        let offset = query.offset.to_string();
        let limit = query.limit.clamp(1, 1000).to_string();
        let mut pairs: Vec<(&str, &str)> = vec![
            ("offset", offset.as_str()),
            ("limit", limit.as_str()),
            ("order", if query.descending { "DESC" } else { "ASC" }),
        ];
        for t in &query.config_types {
            pairs.push(("config_types", t.as_str()));
        }
        if let Some(n) = &query.name {
            pairs.push(("name", n.as_str()));
        }
        if query.omit_data {
            pairs.push(("omit_data", "true"));
        }
        let page: HistoryPage = self
            .call(Method::GET, "/api/configs/history", &pairs, None, cancel)
            .await?
            .json()?;
        Ok(page.configs)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_history_entries_of_both_dialects() {
        let v60 = r#"{"configs": [{"config_type": "BACKEND", "name": "", "revision": 1, "username": "system", "created_at": "2026-11-28T17:08:47.773954", "description": "Initial configuration", "tags": ["initial-config"], "data": []}, {"config_type": "BACKEND", "name": "gpu-east", "revision": 8, "username": "testuser", "created_at": "2026-11-28T17:10:52.291544", "description": "no x-osmo-user", "tags": null, "data": [{"name": "gpu-east", "scheduler_settings": {"coscheduling": false, "scheduler_name": "default-scheduler", "scheduler_type": "volcano", "scheduler_timeout": 30}}]}]}"#;
        let page: HistoryPage = serde_json::from_str(v60).unwrap();
        assert_eq!(page.configs.len(), 2);
        assert_eq!(
            page.configs[0].tags.as_deref(),
            Some(&["initial-config".to_owned()][..])
        );
        let e = &page.configs[1];
        assert_eq!(
            (e.revision, e.name.as_str(), e.username.as_str()),
            (8, "gpu-east", "testuser")
        );
        assert!(e.tags.is_none());
        assert_eq!(e.data[0]["scheduler_settings"]["scheduler_type"], "volcano");
        assert_eq!(
            e.created_at.unwrap().to_string(),
            "2026-11-28 17:10:52.291544"
        );
        let omitted = r#"{"configs": [{"config_type": "BACKEND", "name": "gpu-east", "revision": 2, "username": "system", "created_at": "2026-11-28T17:09:34", "description": "Create backend gpu-east", "tags": [], "data": null}]}"#;
        let page: HistoryPage = serde_json::from_str(omitted).unwrap();
        assert!(page.configs[0].data.is_null());
    }
}

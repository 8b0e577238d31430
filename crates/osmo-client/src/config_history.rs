//! Config history of every config type (osmo-api.md §3.5, §12): revisions, the service's own
//! diff between two revisions, tags, and the rollback.
//!
//! The service's rollback is global for its config type: rolling `BACKEND` back deletes every
//! backend missing from that revision and rewrites all the others; rolling `POOL` back re-creates
//! every pool. A caller previews what [`Session::roll_back`] will change with
//! [`Session::config_diff`] between the current revision and the target before calling it.

use chrono::NaiveDateTime;
use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tokio_util::sync::CancellationToken;

use crate::session::Session;
use crate::Result;

/// A config type whose history the app shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ConfigType {
    Backend,
    Pool,
}

impl ConfigType {
    /// As the service spells it in queries and bodies (`BACKEND`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Backend => "BACKEND",
            Self::Pool => "POOL",
        }
    }

    /// As the service spells it in paths (`backend`).
    fn path(self) -> &'static str {
        match self {
            Self::Backend => "backend",
            Self::Pool => "pool",
        }
    }
}

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
    /// Only this revision.
    pub revision: Option<u64>,
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
            revision: None,
        }
    }
}

#[derive(Deserialize)]
struct HistoryPage {
    configs: Vec<HistoryEntry>,
}

/// `GET /api/configs/diff`: the whole config type's data at two revisions (secrets obfuscated by
/// the service). For `BACKEND` each side is a list of backends; for `POOL` an object
/// `{"pools": {name: pool}}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ConfigDiff {
    pub first_data: Value,
    pub second_data: Value,
}

impl Session {
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
        let revision = query.revision.map(|r| r.to_string());
        if let Some(r) = &revision {
            pairs.push(("revision", r.as_str()));
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

    /// The data of `config_type` at revisions `first` and `second`.
    pub async fn config_diff(
        &self,
        config_type: ConfigType,
        first: u64,
        second: u64,
        cancel: &CancellationToken,
    ) -> Result<ConfigDiff> {
        let (first, second) = (first.to_string(), second.to_string());
        self.call(
            Method::GET,
            "/api/configs/diff",
            &[
                ("config_type", config_type.as_str()),
                ("first_revision", first.as_str()),
                ("second_revision", second.as_str()),
            ],
            None,
            cancel,
        )
        .await?
        .json()
    }

    /// Sets and removes tags of one revision.
    pub async fn tag_revision(
        &self,
        config_type: ConfigType,
        revision: u64,
        set: &[String],
        delete: &[String],
        cancel: &CancellationToken,
    ) -> Result<()> {
        let path = format!(
            "/api/configs/history/{}/revision/{revision}/tags",
            config_type.path()
        );
        let mut body = serde_json::Map::new();
        if !set.is_empty() {
            body.insert("set_tags".into(), json!(set));
        }
        if !delete.is_empty() {
            body.insert("delete_tags".into(), json!(delete));
        }
        let body = Value::Object(body);
        self.write(Method::POST, &path, Some(body), cancel).await
    }

    /// Rolls the whole config type back to `revision` (global: see the module's note).
    pub async fn roll_back(
        &self,
        config_type: ConfigType,
        revision: u64,
        description: &str,
        cancel: &CancellationToken,
    ) -> Result<()> {
        let body = json!({
            "config_type": config_type.as_str(),
            "revision": revision,
            "description": description,
        });
        self.write(
            Method::POST,
            "/api/configs/history/rollback",
            Some(body),
            cancel,
        )
        .await
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

//! Backends (osmo-api.md §3): `GET /api/configs/backend` and `GET /api/configs/backend/{name}`,
//! same paths in both dialects. [`Backend`] keeps fields it does not know in `extra`, so newer
//! services lose nothing when a backend is read and written back. Each backend of a list is
//! decoded on its own and leniently ([`Backend::from_stored`], in `backend_decode`): a value the
//! app does not expect makes a [`BackendWarning`] on that backend, never a failed list.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

use crate::backend_decode::fitting_backends;
pub use crate::backend_decode::BackendWarning;
use crate::error::OsmoError;
use crate::listing::Listing;
use crate::session::Session;
use crate::Result;

const BACKEND_LIST: &str = "/api/configs/backend";

/// A compute backend as the service reports it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Backend {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub k8s_uid: String,
    #[serde(default)]
    pub k8s_namespace: String,
    #[serde(default)]
    pub dashboard_url: String,
    #[serde(default)]
    pub grafana_url: String,
    #[serde(default)]
    pub tests: Vec<String>,
    #[serde(default)]
    pub scheduler_settings: SchedulerSettings,
    #[serde(default)]
    pub node_conditions: NodeConditions,
    /// Naive UTC.
    pub last_heartbeat: Option<NaiveDateTime>,
    /// Naive UTC.
    pub created_date: Option<NaiveDateTime>,
    #[serde(default)]
    pub router_address: String,
    /// Server-computed: a heartbeat within the last 2 minutes.
    #[serde(default)]
    pub online: bool,
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// What was odd in the stored backend (a value of the wrong type, a negative timeout, an
    /// unknown scheduler type, a missing field), each with the value as stored. Filled by
    /// [`Backend::from_stored`]; never sent to the service.
    #[serde(skip)]
    pub warnings: Vec<BackendWarning>,
}

/// `scheduler_settings` (6.0 has `coscheduling`; 6.2+ does not).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SchedulerSettings {
    #[serde(default)]
    pub scheduler_type: String,
    #[serde(default)]
    pub scheduler_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coscheduling: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Seconds; signed because the service stores a negative value as given (osmo-api.md §12).
    pub scheduler_timeout: Option<i64>,
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Listing<Backend> {
    /// The backends, each decoded on its own (an odd one carries warnings, the others are
    /// exact); in one pass when all fit, as nearly always.
    pub fn decode(&self) -> Result<Vec<Backend>> {
        if let Some(backends) = fitting_backends(&self.reply.body) {
            return Ok(backends);
        }
        let body: serde_json::Value = self.reply.json()?;
        match body.get("backends") {
            Some(serde_json::Value::Array(items)) => {
                Ok(items.iter().map(Backend::from_stored).collect())
            }
            _ => Err(OsmoError::bad_body(
                &format!("GET {BACKEND_LIST}"),
                "no \"backends\" list",
            )),
        }
    }
}

/// `node_conditions`: rules (condition regex → status regex) and the label prefix.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NodeConditions {
    pub rules: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub prefix: String,
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Session {
    /// All backends, each decoded on its own (an odd one carries warnings, the others are exact).
    pub async fn list_backends(&self, cancel: &CancellationToken) -> Result<Vec<Backend>> {
        self.backend_listing(cancel).await?.decode()
    }

    /// `GET /api/configs/backend`, not decoded yet (for a poller that decodes only what moved).
    pub async fn backend_listing(&self, cancel: &CancellationToken) -> Result<Listing<Backend>> {
        self.listing(BACKEND_LIST, cancel).await
    }

    /// One backend, decoded leniently; an unknown name is `NotFound` (the service answers 500
    /// "… is not found").
    pub async fn get_backend(&self, name: &str, cancel: &CancellationToken) -> Result<Backend> {
        let path = format!("/api/configs/backend/{}", path_segment(name));
        let body: serde_json::Value = self.get_json(&path, cancel).await?;
        if !body.is_object() {
            return Err(OsmoError::bad_body(
                &format!("GET {path}"),
                "the backend is not a JSON object",
            ));
        }
        Ok(Backend::from_stored(&body))
    }
}

/// Percent-encodes one path segment.
pub(crate) fn path_segment(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_dialects_and_keeps_unknown_fields() {
        let v60 = r#"{"name": "default", "description": "", "version": "6.0.0", "k8s_uid": "fake-uid-default", "k8s_namespace": "osmo-workflows", "dashboard_url": "", "grafana_url": "", "tests": [], "scheduler_settings": {"scheduler_type": "default", "scheduler_name": "default-scheduler", "coscheduling": false, "scheduler_timeout": 30}, "node_conditions": {"rules": {"Ready": "True"}, "prefix": "osmo.nvidia.com/"}, "last_heartbeat": "2026-11-28T17:10:34.333188", "created_date": "2026-11-28T17:09:34.283088", "router_address": "", "online": true, "future_field": {"x": 1}}"#;
        let b: Backend = serde_json::from_str(v60).unwrap();
        assert_eq!(b.name, "default");
        assert_eq!(b.scheduler_settings.coscheduling, Some(false));
        assert_eq!(b.node_conditions.rules.as_ref().unwrap()["Ready"], "True");
        assert!(b.online);
        assert_eq!(b.extra["future_field"]["x"], 1);
        let back = serde_json::to_value(&b).unwrap();
        assert_eq!(back["future_field"]["x"], 1);
        assert_eq!(back["last_heartbeat"], "2026-11-28T17:10:34.333188");

        let v64 = r#"{"name": "gpu", "scheduler_settings": {"scheduler_type": "kai", "scheduler_name": "kai-scheduler", "scheduler_timeout": 30}, "node_conditions": {"rules": null, "prefix": "osmo.nvidia.com/"}, "last_heartbeat": "2026-11-28T17:14:01.265106", "created_date": "2026-11-28T17:13:41.206150", "online": false}"#;
        let b: Backend = serde_json::from_str(v64).unwrap();
        assert_eq!(b.scheduler_settings.coscheduling, None);
        assert!(serde_json::to_value(&b).unwrap()["scheduler_settings"]
            .get("coscheduling")
            .is_none());
        assert!(b.node_conditions.rules.is_none());
    }

    #[test]
    fn path_segments_are_encoded() {
        assert_eq!(path_segment("gpu east/1"), "gpu%20east%2F1");
    }
}

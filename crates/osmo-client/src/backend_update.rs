//! Writing and deleting a backend (osmo-api.md §3.1, §3.4, §12).
//!
//! [`Session::update_backend`]: `POST /api/configs/backend/{name}` with
//! `{"configs": {…}, "description": …}`, same path and shape in both dialects. Only the top-level
//! keys given are written; an object such as `scheduler_settings` replaces the stored one whole.
//! The service answers 200 `null`; errors are [`OsmoError`]s as everywhere (422 `Rejected`,
//! 403 `Forbidden`, 409 `Conflict` when configs are managed by a ConfigMap, 500 "Backend X is not
//! found." `NotFound`). A `POST` is never retried.
//!
//! [`Session::delete_backend`]: `DELETE /api/configs/backend/{name}` with a body.

use reqwest::Method;
use serde_json::{json, Map, Value};
use tokio_util::sync::CancellationToken;

use crate::backends::path_segment;
use crate::error::OsmoError;
use crate::session::Session;
use crate::Result;

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
        self.write(
            Method::POST,
            &format!("/api/configs/backend/{}", path_segment(name)),
            Some(body),
            cancel,
        )
        .await
    }

    /// `DELETE /api/configs/backend/{name}` with `{"description", "force": false}` (the service
    /// refuses a delete without a body). The service answers 200 for an unknown name too, and
    /// deletes an online backend at once (its operator keeps running): the caller re-reads.
    pub async fn delete_backend(
        &self,
        name: &str,
        description: &str,
        cancel: &CancellationToken,
    ) -> Result<()> {
        let body = json!({ "description": description, "force": false });
        self.write(
            Method::DELETE,
            &format!("/api/configs/backend/{}", path_segment(name)),
            Some(body),
            cancel,
        )
        .await
    }
}

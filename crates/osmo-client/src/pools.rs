//! Pools (osmo-api.md §5, §12): a pool names exactly one backend (a string); a backend can serve
//! many pools. Same routes in both dialects.
//!
//! Some writes answer 500 and still change the pool and its history (a PATCH naming an unknown
//! backend or `""`, a DELETE of a pool whose backend is gone), and `PUT /api/configs/pool` naming
//! an unknown backend answers 200: callers re-read with [`Session::list_pools`] after every
//! write, above all after a failed one.

use reqwest::Method;
use serde::Serialize;
use serde_json::{json, Value};
use tokio_util::sync::CancellationToken;

use crate::backends::path_segment;
use crate::error::OsmoError;
use crate::listing::Listing;
use crate::session::Session;
use crate::Result;

const POOL_LIST: &str = "/api/configs/pool";

/// A pool as the admin view stores it: the fields the app shows. Read leniently: a field of an
/// unexpected type reads as empty rather than failing the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pool {
    pub name: String,
    pub description: String,
    /// `ONLINE`, `OFFLINE` or `MAINTENANCE`, computed by the service from its backend.
    pub status: String,
    /// The one backend the pool runs on (may name a backend that no longer exists, or be "").
    pub backend: String,
}

impl Pool {
    fn from_stored(key: &str, stored: &Value) -> Self {
        let text = |field: &str| {
            stored
                .get(field)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let name = text("name");
        Self {
            name: if name.is_empty() {
                key.to_owned()
            } else {
                name
            },
            description: text("description"),
            status: text("status"),
            backend: text("backend"),
        }
    }
}

impl Listing<Pool> {
    /// Every pool, sorted by name.
    pub fn decode(&self) -> Result<Vec<Pool>> {
        let body: Value = self.reply.json()?;
        let mut pools: Vec<Pool> = match body.get("pools") {
            Some(Value::Object(pools)) => pools
                .iter()
                .map(|(key, stored)| Pool::from_stored(key, stored))
                .collect(),
            // Accepted too: a list of pools, each naming itself.
            Some(Value::Array(pools)) => pools
                .iter()
                .map(|stored| Pool::from_stored("", stored))
                .filter(|p| !p.name.is_empty())
                .collect(),
            _ => {
                return Err(OsmoError::bad_body(
                    &format!("GET {POOL_LIST}"),
                    "no \"pools\" object",
                ))
            }
        };
        pools.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(pools)
    }
}

impl Session {
    /// Every pool (`GET /api/configs/pool`), sorted by name.
    pub async fn list_pools(&self, cancel: &CancellationToken) -> Result<Vec<Pool>> {
        self.pool_listing(cancel).await?.decode()
    }

    /// `GET /api/configs/pool`, not decoded yet (for a poller that decodes only what moved).
    pub async fn pool_listing(&self, cancel: &CancellationToken) -> Result<Listing<Pool>> {
        self.listing(POOL_LIST, cancel).await
    }

    /// Creates pool `name` on `backend` (`PUT /api/configs/pool` naming only this pool; the
    /// others are left as they are). `change` is the history entry's description.
    pub async fn create_pool(
        &self,
        name: &str,
        backend: &str,
        description: &str,
        change: &str,
        cancel: &CancellationToken,
    ) -> Result<()> {
        let mut configs = serde_json::Map::new();
        configs.insert(
            name.to_owned(),
            json!({ "description": description, "backend": backend }),
        );
        let body = json!({ "configs": configs, "description": change });
        self.write(Method::PUT, "/api/configs/pool", Some(body), cancel)
            .await
    }

    /// Points pool `name` at `backend` (`PATCH /api/configs/pool/{name}`).
    pub async fn set_pool_backend(
        &self,
        name: &str,
        backend: &str,
        change: &str,
        cancel: &CancellationToken,
    ) -> Result<()> {
        let body = json!({ "configs_dict": { "backend": backend }, "description": change });
        let path = format!("/api/configs/pool/{}", path_segment(name));
        self.write(Method::PATCH, &path, Some(body), cancel).await
    }

    /// Deletes pool `name` (`DELETE /api/configs/pool/{name}` with `{"description"}`; an unknown
    /// pool answers 200).
    pub async fn delete_pool(
        &self,
        name: &str,
        change: &str,
        cancel: &CancellationToken,
    ) -> Result<()> {
        let body = json!({ "description": change });
        let path = format!("/api/configs/pool/{}", path_segment(name));
        self.write(Method::DELETE, &path, Some(body), cancel).await
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_pool_leniently_and_falls_back_to_its_key() {
        let stored = json!({"name": "a", "description": "A", "status": "ONLINE", "backend": "gpu", "platforms": {}});
        assert_eq!(
            Pool::from_stored("a", &stored),
            Pool {
                name: "a".into(),
                description: "A".into(),
                status: "ONLINE".into(),
                backend: "gpu".into()
            }
        );
        let odd = json!({"backend": ["x", "y"], "status": 3});
        let pool = Pool::from_stored("b", &odd);
        assert_eq!(
            (
                pool.name.as_str(),
                pool.backend.as_str(),
                pool.status.as_str()
            ),
            ("b", "", "")
        );
    }
}

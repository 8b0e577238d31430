//! Discovery: what a service is before signing in. `GET /api/version` picks the [`Dialect`];
//! `GET /api/auth/login` ([`LoginInfo`]) says which sign-in methods it offers (all null: a
//! development service without authentication).

use reqwest::Method;
use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

use crate::dialect::{Dialect, ServiceVersion};
use crate::error::OsmoError;
use crate::http::{HttpClient, Request};
use crate::Result;

/// The identity-provider endpoints of a service (osmo-api.md §1.2).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginInfo {
    pub device_endpoint: Option<String>,
    pub device_client_id: Option<String>,
    pub browser_endpoint: Option<String>,
    pub browser_client_id: Option<String>,
    pub token_endpoint: Option<String>,
    pub logout_endpoint: Option<String>,
}

fn set(v: &Option<String>) -> bool {
    v.as_deref().is_some_and(|s| !s.trim().is_empty())
}

impl LoginInfo {
    /// No IdP configured: the service runs without authentication (development mode).
    pub fn is_development(&self) -> bool {
        !set(&self.device_endpoint) && !set(&self.token_endpoint) && !set(&self.browser_endpoint)
    }

    /// The device-code flow can be used (device and token endpoints and a client id).
    pub fn offers_device_code(&self) -> bool {
        set(&self.device_endpoint) && set(&self.token_endpoint) && set(&self.device_client_id)
    }
}

/// What `Connection::open` learned about a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Discovery {
    pub version: ServiceVersion,
    pub dialect: Dialect,
    pub login: LoginInfo,
}

impl Discovery {
    pub(crate) async fn run(http: &HttpClient, cancel: &CancellationToken) -> Result<Self> {
        let reply = http
            .send(Request::new(Method::GET, http.url("/api/version")?), cancel)
            .await?;
        let raw: serde_json::Value = reply.json()?;
        let version = ServiceVersion::from_json(&raw).ok_or_else(|| {
            OsmoError::bad_body(
                &reply.target,
                "no major/minor version: is this an OSMO service?",
            )
        })?;
        let reply = http
            .send(
                Request::new(Method::GET, http.url("/api/auth/login")?),
                cancel,
            )
            .await?;
        let login: LoginInfo = reply.json()?;
        Ok(Self {
            dialect: version.dialect(),
            version,
            login,
        })
    }
}

//! Discovery: what a service is before signing in. `GET /api/version` names a version; below 6.2
//! (every 6.2.x reports 6.0, osmo-api.md §12) one probe decides the [`Dialect`]: a
//! `POST /api/auth/jwt/access_token` with a token that cannot be valid, the public route every
//! client signs in through, answers 400 "invalid length" at 6.2+ and 405 at 6.0/6.1, and changes
//! nothing. [`DialectEvidence`] says which answer decided. `GET /api/auth/login` ([`LoginInfo`])
//! says which sign-in methods the service offers (all null: a development service without
//! authentication).

use reqwest::Method;
use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

use crate::dialect::{Dialect, DialectEvidence, EvidenceKind, ServiceVersion};
use crate::error::OsmoError;
use crate::http::{Body, HttpClient, Request};
use crate::Result;

/// The exchange route whose `POST` exists only at 6.2+.
const PROBE_PATH: &str = "/api/auth/jwt/access_token";
/// A token no service accepts (too short for either generation), so the probe changes nothing.
const PROBE_TOKEN: &str = "dialect-probe";

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
    /// What decided `dialect` (for the session's details).
    pub evidence: DialectEvidence,
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
        let (dialect, evidence) = if version.dialect() == Dialect::V6_2 {
            decide(&version, None)
        } else {
            let probe = probe_exchange(http, cancel).await?;
            decide(&version, Some(probe))
        };
        let reply = http
            .send(
                Request::new(Method::GET, http.url("/api/auth/login")?),
                cancel,
            )
            .await?;
        let login: LoginInfo = reply.json()?;
        Ok(Self {
            dialect,
            evidence,
            version,
            login,
        })
    }
}

/// `POST /api/auth/jwt/access_token` with [`PROBE_TOKEN`]: the status, or why there is none.
/// Only cancellation is an error; any other failure leaves the version number to decide.
async fn probe_exchange(
    http: &HttpClient,
    cancel: &CancellationToken,
) -> Result<std::result::Result<u16, String>> {
    let mut request = Request::new(Method::POST, http.url(PROBE_PATH)?);
    request.body = Body::Json(serde_json::json!({ "token": PROBE_TOKEN }));
    match http.send(request, cancel).await {
        Ok(reply) => Ok(Ok(reply.status)),
        Err(OsmoError::Cancelled) => Err(OsmoError::Cancelled),
        Err(e) => Ok(Err(e.to_string())),
    }
}

/// The dialect from the reported version and, below 6.2, the probe's answer.
fn decide(
    version: &ServiceVersion,
    probe: Option<std::result::Result<u16, String>>,
) -> (Dialect, DialectEvidence) {
    let by_number = version.dialect();
    let (kind, dialect, why) = match probe {
        None => (
            EvidenceKind::VersionNumber,
            by_number,
            "which names it".to_owned(),
        ),
        Some(Ok(status @ (404 | 405))) => (
            EvidenceKind::ExchangeByPostMissing,
            Dialect::V6_0,
            format!("and POST {PROBE_PATH} answered {status} (no token exchange by POST, as at 6.0/6.1)"),
        ),
        Some(Ok(status @ (200..=299 | 400 | 422))) => (
            EvidenceKind::ExchangeByPostExists,
            Dialect::V6_2,
            format!("but POST {PROBE_PATH} answered {status} (the token exchange of 6.2 and later exists; 6.2.x reports 6.0)"),
        ),
        Some(Ok(status)) => (
            EvidenceKind::ProbeInconclusive,
            by_number,
            format!("and POST {PROBE_PATH} answered {status}, which tells neither apart, so the number decides"),
        ),
        Some(Err(failure)) => (
            EvidenceKind::ProbeInconclusive,
            by_number,
            format!("and POST {PROBE_PATH} gave no answer ({failure}), so the number decides"),
        ),
    };
    let sentence = format!(
        "Version {version} reported, {why}: {} dialect.",
        dialect.label()
    );
    (dialect, DialectEvidence { kind, sentence })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn version(major: u32, minor: u32, revision: u32) -> ServiceVersion {
        ServiceVersion {
            major,
            minor,
            revision,
            hash: String::new(),
        }
    }

    #[test]
    fn a_6_2_x_reporting_6_0_is_told_by_its_exchange() {
        // osmo-6.2.10.json `jwt_exchange_wrong_length`: 400; osmo-6.0.0.json
        // `jwt_exchange_post_not_in_6_0`: 405.
        let (d, e) = decide(&version(6, 0, 0), Some(Ok(400)));
        assert_eq!(
            (d, e.kind),
            (Dialect::V6_2, EvidenceKind::ExchangeByPostExists)
        );
        assert!(
            e.sentence.starts_with(
                "Version 6.0.0 reported, but POST /api/auth/jwt/access_token answered 400"
            ),
            "{}",
            e.sentence
        );
        assert!(e.sentence.ends_with(": 6.2+ dialect."), "{}", e.sentence);
        let (d, e) = decide(&version(6, 1, 3), Some(Ok(405)));
        assert_eq!(
            (d, e.kind),
            (Dialect::V6_0, EvidenceKind::ExchangeByPostMissing)
        );
        assert!(e.sentence.ends_with(": 6.0/6.1 dialect."), "{}", e.sentence);
    }

    #[test]
    fn the_number_decides_at_6_2_and_when_the_probe_tells_nothing() {
        let (d, e) = decide(&version(6, 4, 0), None);
        assert_eq!((d, e.kind), (Dialect::V6_2, EvidenceKind::VersionNumber));
        assert_eq!(
            e.sentence,
            "Version 6.4.0 reported, which names it: 6.2+ dialect."
        );
        for probe in [Ok(401), Ok(403), Ok(502), Err("timed out".to_owned())] {
            let (d, e) = decide(&version(6, 0, 0), Some(probe.clone()));
            assert_eq!(
                (d, e.kind),
                (Dialect::V6_0, EvidenceKind::ProbeInconclusive),
                "{probe:?}"
            );
        }
    }
}

//! [`Dialect`]: which OSMO API generation a service speaks, and [`DialectEvidence`]: what
//! decided it (discovery, `crate::discovery`).
//!
//! 6.0/6.1: service tokens, `GET` token exchange, JWT in `x-osmo-auth`.
//! 6.2 and later: users + tokens, `POST` token exchange, JWT in `Authorization: Bearer`.
//! Every 6.2.x answers `/api/version` with 6.0 (its version file was kept only from 6.3), so a
//! version below 6.2 is checked against what the service offers.

use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::OsmoError;
use osmo_admin_secrets::Secret;

/// The service's version (`/api/version`; the fields are strings in practice, numbers tolerated).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceVersion {
    pub major: u32,
    pub minor: u32,
    pub revision: u32,
    pub hash: String,
}

impl ServiceVersion {
    pub(crate) fn from_json(v: &Value) -> Option<Self> {
        let num = |k: &str| match v.get(k)? {
            Value::String(s) => s.trim().parse().ok(),
            Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
            _ => None,
        };
        Some(Self {
            major: num("major")?,
            minor: num("minor")?,
            revision: num("revision").unwrap_or(0),
            hash: v
                .get("hash")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned(),
        })
    }

    /// The dialect this version number names. Below 6.2 it may be a 6.2.x service reporting
    /// 6.0: discovery then asks the service itself ([`DialectEvidence`]).
    pub fn dialect(&self) -> Dialect {
        if (self.major, self.minor) >= (6, 2) {
            Dialect::V6_2
        } else {
            Dialect::V6_0
        }
    }
}

impl std::fmt::Display for ServiceVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.revision)
    }
}

/// OSMO API generation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Dialect {
    /// 6.0 and 6.1.
    V6_0,
    /// 6.2 and later (6.3, 6.4 ...).
    V6_2,
}

impl Dialect {
    /// `6.0/6.1` or `6.2+`, as a person reads it.
    pub fn label(self) -> &'static str {
        match self {
            Dialect::V6_0 => "6.0/6.1",
            Dialect::V6_2 => "6.2+",
        }
    }

    /// The header carrying a JWT on API calls (osmo-api.md §1.4).
    pub(crate) fn auth_header(self, jwt: &Secret) -> Result<(HeaderName, HeaderValue), OsmoError> {
        let (name, value) = match self {
            Dialect::V6_0 => (
                HeaderName::from_static("x-osmo-auth"),
                jwt.expose().to_owned(),
            ),
            Dialect::V6_2 => (AUTHORIZATION, format!("Bearer {}", jwt.expose())),
        };
        let mut value = HeaderValue::from_str(&value).map_err(|_| {
            OsmoError::Internal(
                "the sign-in token contains characters not allowed in a header".into(),
            )
        })?;
        value.set_sensitive(true);
        Ok((name, value))
    }
}

/// What decided a service's [`Dialect`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// `/api/version` reported 6.2 or later: the number alone decides.
    VersionNumber,
    /// `/api/version` reported below 6.2, but `POST /api/auth/jwt/access_token` (the 6.2+ token
    /// exchange) exists: a 6.2.x service, which reports 6.0.
    ExchangeByPostExists,
    /// `/api/version` reported below 6.2 and `POST /api/auth/jwt/access_token` answered 405 or
    /// 404, as 6.0/6.1 do.
    ExchangeByPostMissing,
    /// `/api/version` reported below 6.2 and the probe gave no clear answer (a gateway refusing
    /// it, a server error, no answer): the number decides.
    ProbeInconclusive,
}

/// What decided a service's [`Dialect`]: a kind and a sentence for the session's details, e.g.
/// "version 6.0.0 reported, but POST /api/auth/jwt/access_token answered 400 …: 6.2+ dialect".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DialectEvidence {
    pub kind: EvidenceKind,
    pub sentence: String,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn versions_pick_the_dialect() {
        let v =
            ServiceVersion::from_json(&json!({"major":"6","minor":"0","revision":"0","hash":""}))
                .unwrap();
        assert_eq!(v.dialect(), Dialect::V6_0);
        assert_eq!(v.to_string(), "6.0.0");
        let v =
            ServiceVersion::from_json(&json!({"major":"6","minor":"1","revision":"3"})).unwrap();
        assert_eq!(v.dialect(), Dialect::V6_0);
        let v = ServiceVersion::from_json(&json!({"major":6,"minor":2,"revision":10,"hash":"abc"}))
            .unwrap();
        assert_eq!(v.dialect(), Dialect::V6_2);
        let v =
            ServiceVersion::from_json(&json!({"major":"7","minor":"0","revision":"0"})).unwrap();
        assert_eq!(v.dialect(), Dialect::V6_2);
        assert!(ServiceVersion::from_json(&json!({"status":"OK"})).is_none());
    }

    #[test]
    fn auth_header_per_dialect() {
        let jwt = Secret::new("a.b.c");
        let (n, v) = Dialect::V6_0.auth_header(&jwt).unwrap();
        assert_eq!((n.as_str(), v.to_str().unwrap()), ("x-osmo-auth", "a.b.c"));
        let (n, v) = Dialect::V6_2.auth_header(&jwt).unwrap();
        assert_eq!(
            (n.as_str(), v.to_str().unwrap()),
            ("authorization", "Bearer a.b.c")
        );
        assert!(v.is_sensitive());
    }
}

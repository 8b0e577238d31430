//! [`Identity`]: who a JWT says the user is (name, roles, expiry), read from its payload
//! WITHOUT verifying the signature: the client cannot verify it (the gateway does); this is for
//! display and for knowing when to refresh.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::error::OsmoError;
use osmo_admin_secrets::Secret;

/// The claims of a JWT that the app shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Identity {
    /// `unique_name` (OSMO-issued), else `preferred_username`, `name`, `email`, `sub`.
    pub user: String,
    pub roles: Vec<String>,
    /// `osmo_token_name` of OSMO-issued JWTs.
    pub token_name: Option<String>,
    pub issued_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
}

impl Identity {
    /// Decodes the payload of `jwt` (header.payload.signature).
    pub fn from_jwt(jwt: &Secret) -> Result<Self, OsmoError> {
        let bad = |why: &str| OsmoError::NotOsmo {
            target: "sign-in".into(),
            what: format!("the token the service issued is not a readable JWT ({why})"),
        };
        let payload = jwt
            .expose()
            .split('.')
            .nth(1)
            .ok_or_else(|| bad("no payload"))?;
        let bytes = URL_SAFE_NO_PAD
            .decode(payload.trim_end_matches('='))
            .map_err(|_| bad("payload is not base64url"))?;
        let claims: Value =
            serde_json::from_slice(&bytes).map_err(|_| bad("payload is not JSON"))?;
        let text = |k: &str| claims.get(k).and_then(Value::as_str).map(str::to_owned);
        let time = |k: &str| {
            claims
                .get(k)
                .and_then(Value::as_f64)
                .and_then(|s| DateTime::<Utc>::from_timestamp(s as i64, 0))
        };
        let user = ["unique_name", "preferred_username", "name", "email", "sub"]
            .iter()
            .find_map(|k| text(k))
            .ok_or_else(|| bad("no user name claim"))?;
        let roles = match claims.get("roles") {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            Some(Value::String(s)) => vec![s.clone()],
            _ => Vec::new(),
        };
        Ok(Self {
            user,
            roles,
            token_name: text("osmo_token_name"),
            issued_at: time("iat"),
            expires_at: time("exp"),
        })
    }
}

/// Builds an unsigned JWT with these claims (tests and fakes).
#[doc(hidden)]
pub fn unsigned_jwt(claims: &Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    format!("{header}.{payload}.sig")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use osmo_admin_core::ErrorCode;
    use serde_json::json;

    #[test]
    fn reads_osmo_claims() {
        let jwt = unsigned_jwt(&json!({
            "iss":"osmo","aud":"osmo","iat":1_764_000_000,"nbf":1_764_000_000,"exp":1_764_000_300,
            "unique_name":"backend-operator","roles":["osmo-backend"],"osmo_token_name":"backend-token"
        }));
        let id = Identity::from_jwt(&Secret::new(jwt)).unwrap();
        assert_eq!(id.user, "backend-operator");
        assert_eq!(id.roles, vec!["osmo-backend"]);
        assert_eq!(id.token_name.as_deref(), Some("backend-token"));
        assert_eq!(id.expires_at.unwrap().timestamp(), 1_764_000_300);
    }

    #[test]
    fn falls_back_to_idp_claims_and_rejects_garbage() {
        let jwt = unsigned_jwt(&json!({"preferred_username":"alice","exp":2_000_000_000}));
        assert_eq!(Identity::from_jwt(&Secret::new(jwt)).unwrap().user, "alice");
        for bad in ["nodots", "a.!!!.c", "a.bm90IGpzb24.c"] {
            let err = Identity::from_jwt(&Secret::new(bad)).unwrap_err();
            assert_eq!(err.code(), ErrorCode::ServerError, "{bad}");
            assert!(!err.to_string().contains(bad), "leaks the token: {err}");
        }
    }
}

//! Exchanging an OSMO access token for a short-lived OSMO JWT (osmo-api.md §1.5):
//! 6.0/6.1 `GET /api/auth/jwt/access_token?access_token=…`, 6.2+ `POST … {"token": …}`.
//!
//! A refusal ("Access Token has expired", "Access Token is invalid", "… invalid length N") is
//! [`Exchange::Refused`], which a session turns into "sign in again".

use chrono::{DateTime, Utc};
use reqwest::Method;
use serde_json::{json, Value};
use tokio_util::sync::CancellationToken;

use crate::dialect::Dialect;
use crate::error::OsmoError;
use crate::http::{Body, HttpClient, Request};
use crate::identity::Identity;
use osmo_admin_secrets::Secret;

/// A JWT and when it expires.
#[derive(Debug, Clone)]
pub struct Jwt {
    pub token: Secret,
    pub expires_at: DateTime<Utc>,
}

/// Why an exchange did not give a JWT.
#[derive(Debug)]
pub(crate) enum Exchange {
    /// The service refused the access token; the text is the service's reason.
    Refused(String),
    /// Anything else (network, server error, ...).
    Failed(OsmoError),
}

impl From<OsmoError> for Exchange {
    fn from(e: OsmoError) -> Self {
        Exchange::Failed(e)
    }
}

/// Plain-words explanation of a refusal.
pub(crate) fn explain_refusal(server_message: &str) -> String {
    let lower = server_message.to_ascii_lowercase();
    let what = if lower.contains("expired") {
        "the access token has expired. Create a new token (osmo token set) and sign in with it."
    } else if lower.contains("length") {
        "that is not an OSMO access token (wrong length). Paste the whole token shown when it was created."
    } else {
        "the access token is not valid: it was deleted, or belongs to another OSMO service. Create a new token and sign in with it."
    };
    format!("the service refused the access token (\"{server_message}\"): {what}")
}

pub(crate) async fn exchange(
    http: &HttpClient,
    dialect: Dialect,
    access_token: &Secret,
    cancel: &CancellationToken,
) -> Result<Jwt, Exchange> {
    let mut url = http.url("/api/auth/jwt/access_token")?;
    let req = match dialect {
        Dialect::V6_0 => {
            url.query_pairs_mut()
                .append_pair("access_token", access_token.expose());
            Request::new(Method::GET, url)
        }
        Dialect::V6_2 => {
            let mut r = Request::new(Method::POST, url);
            r.body = Body::Json(json!({ "token": access_token.expose() }));
            r
        }
    };
    let reply = http.send(req, cancel).await?;
    if matches!(reply.status, 400 | 401 | 403) {
        let err = reply.error();
        let refused = err
            .server_message()
            .filter(|m| m.to_ascii_lowercase().contains("access token"))
            .map(str::to_owned);
        return Err(match refused {
            Some(m) => Exchange::Refused(m),
            None => Exchange::Failed(err),
        });
    }
    let body: Value = reply.json()?;
    let token = body
        .get("token")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| OsmoError::bad_body(&reply.target, "no token in the answer"))?;
    let token = Secret::new(token);
    let expires_at = body
        .get("expires_at")
        .and_then(Value::as_f64)
        .and_then(|s| DateTime::<Utc>::from_timestamp(s as i64, 0))
        .or_else(|| Identity::from_jwt(&token).ok().and_then(|i| i.expires_at))
        .ok_or_else(|| OsmoError::bad_body(&reply.target, "no expiry in the answer"))?;
    Ok(Jwt { token, expires_at })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_explained() {
        assert!(
            explain_refusal("Access Token has expired").contains("has expired. Create a new token")
        );
        assert!(explain_refusal("Access token has invalid length 5").contains("wrong length"));
        assert!(explain_refusal("Access Token is invalid").contains("deleted"));
    }
}

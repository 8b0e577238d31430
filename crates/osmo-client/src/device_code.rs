//! The OAuth 2.0 device-code sign-in (RFC 8628) against the IdP endpoints discovery gives
//! (osmo-api.md §1.3): [`DeviceCodeStart::start`] asks for a user code and a verification URL to
//! show; [`DeviceCodeStart::wait`] polls the token endpoint at the given interval, honouring
//! `authorization_pending`, `slow_down` (interval + 5 s), `expired_token` and `access_denied`,
//! until tokens, the code's expiry, or cancellation (token or dropping the future).
//! Also the IdP refresh-token grant used by sessions.

use std::time::Duration;

use chrono::{DateTime, Utc};
use osmo_admin_core::ErrorCode;
use reqwest::Method;
use serde_json::Value;
use tokio_util::sync::CancellationToken;
use url::Url;

use crate::discovery::LoginInfo;
use crate::error::OsmoError;
use crate::http::{Body, HttpClient, Reply, Request};
use crate::Result;
use osmo_admin_core::quote::quote_text;
use osmo_admin_secrets::Secret;

/// `DEFAULT_OAUTH_SCOPE` of the OSMO CLI.
pub const SCOPE: &str = "openid offline_access profile";
const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// Tokens from the IdP. The `id_token` is what OSMO accepts as the bearer credential.
#[derive(Debug, Clone)]
pub struct IdpTokens {
    pub id_token: Secret,
    pub refresh_token: Option<Secret>,
    pub token_endpoint: Url,
    pub client_id: String,
}

/// A started device-code sign-in: show `user_code` and `verification_uri`, then `wait`.
#[derive(Debug)]
pub struct DeviceCodeStart {
    pub user_code: String,
    pub verification_uri: String,
    pub verification_uri_complete: Option<String>,
    pub message: Option<String>,
    pub expires_at: DateTime<Utc>,
    pub interval: Duration,
    device_code: Secret,
    token_endpoint: Url,
    client_id: String,
    http: HttpClient,
    min_interval: Duration,
    slow_down_step: Duration,
}

fn endpoint(raw: Option<&str>, what: &str) -> Result<Url> {
    let raw = raw.filter(|s| !s.trim().is_empty()).ok_or_else(|| OsmoError::SignIn {
        code: ErrorCode::InvalidInput,
        message: format!("This OSMO service offers no {what}; device-code sign-in is not available. Use an access token instead."),
    })?;
    Url::parse(raw).map_err(|e| OsmoError::SignIn {
        code: ErrorCode::ServerError,
        message: format!("The service's {what} \"{raw}\" is not a URL ({e}); ask the OSMO administrator to fix the service's auth settings."),
    })
}

fn idp_error(reply: &Reply) -> Option<(String, Option<String>)> {
    let v: Value = serde_json::from_slice(&reply.body).ok()?;
    let e = quote_text(v.get("error")?.as_str()?);
    let d = v
        .get("error_description")
        .and_then(Value::as_str)
        .map(quote_text);
    Some((e, d))
}

impl DeviceCodeStart {
    /// `POST {device_endpoint}` with `client_id` and `scope`.
    pub async fn start(
        http: &HttpClient,
        login: &LoginInfo,
        cancel: &CancellationToken,
    ) -> Result<Self> {
        let device = endpoint(
            login.device_endpoint.as_deref(),
            "device-authorization endpoint",
        )?;
        let token_endpoint = endpoint(login.token_endpoint.as_deref(), "token endpoint")?;
        let client_id = login
            .device_client_id
            .clone()
            .filter(|c| !c.is_empty())
            .ok_or_else(|| OsmoError::SignIn {
                code: ErrorCode::InvalidInput,
                message: "This OSMO service names no client id for device-code sign-in. Use an access token instead.".into(),
            })?;
        let mut req = Request::new(Method::POST, device);
        req.body = Body::Form(vec![
            ("client_id", client_id.clone()),
            ("scope", SCOPE.into()),
        ]);
        let reply = http.send(req, cancel).await?;
        let body: Value = reply.json()?;
        let text = |k: &str| body.get(k).and_then(Value::as_str).map(str::to_owned);
        let (Some(device_code), Some(user_code), Some(verification_uri)) = (
            text("device_code"),
            text("user_code"),
            text("verification_uri").or_else(|| text("verification_url")),
        ) else {
            return Err(OsmoError::bad_body(
                &reply.target,
                "no device_code, user_code or verification_uri",
            ));
        };
        let expires_in = body
            .get("expires_in")
            .and_then(Value::as_u64)
            .unwrap_or(600);
        let interval = body.get("interval").and_then(Value::as_u64).unwrap_or(5);
        Ok(Self {
            user_code,
            verification_uri,
            verification_uri_complete: text("verification_uri_complete"),
            message: text("message"),
            expires_at: Utc::now() + chrono::Duration::seconds(expires_in as i64),
            interval: Duration::from_secs(interval),
            device_code: Secret::new(device_code),
            token_endpoint,
            client_id,
            http: http.clone(),
            min_interval: Duration::from_secs(1),
            slow_down_step: Duration::from_secs(5),
        })
    }

    /// Changes the poll timing: the floor under the IdP's `interval` (default 1 s, so an IdP
    /// saying 0 is not hammered) and what `slow_down` adds (RFC 8628: 5 s). For tests.
    pub fn with_poll_timing(mut self, min_interval: Duration, slow_down_step: Duration) -> Self {
        self.min_interval = min_interval;
        self.slow_down_step = slow_down_step;
        self
    }

    /// Polls until the user finished (tokens), refused, the code expired, or `cancel`.
    pub async fn wait(self, cancel: &CancellationToken) -> Result<IdpTokens> {
        let mut interval = self.interval;
        loop {
            if Utc::now() >= self.expires_at {
                return Err(expired());
            }
            tokio::select! {
                biased;
                _ = cancel.cancelled() => return Err(OsmoError::Cancelled),
                _ = tokio::time::sleep(interval.max(self.min_interval)) => {}
            }
            let mut req = Request::new(Method::POST, self.token_endpoint.clone());
            req.body = Body::Form(vec![
                ("grant_type", DEVICE_GRANT.into()),
                ("device_code", self.device_code.expose().to_owned()),
                ("client_id", self.client_id.clone()),
            ]);
            let reply = self.http.send(req, cancel).await?;
            if reply.is_success() {
                return tokens_from(&reply, &self.token_endpoint, &self.client_id, None);
            }
            match idp_error(&reply) {
                Some((e, _)) if e == "authorization_pending" => {}
                Some((e, _)) if e == "slow_down" => interval += self.slow_down_step,
                Some((e, _)) if e == "expired_token" => return Err(expired()),
                Some((e, _)) if e == "access_denied" => {
                    return Err(OsmoError::SignIn {
                        code: ErrorCode::Unauthorized,
                        message: "Sign-in was refused at the identity provider (access denied). Start again and approve the request, or ask your administrator for access to OSMO.".into(),
                    })
                }
                Some((e, d)) => {
                    return Err(OsmoError::SignIn {
                        code: ErrorCode::Rejected,
                        message: format!(
                            "The identity provider refused the device-code sign-in ({e}{}). Start again; if it keeps failing, ask the OSMO administrator to check the service's auth settings.",
                            d.map(|d| format!(": {d}")).unwrap_or_default()
                        ),
                    })
                }
                None => return Err(reply.error()),
            }
        }
    }
}

fn expired() -> OsmoError {
    OsmoError::SignIn {
        code: ErrorCode::Timeout,
        message: "The sign-in code expired before sign-in was completed in the browser. Start again and finish within the time shown.".into(),
    }
}

fn tokens_from(
    reply: &Reply,
    token_endpoint: &Url,
    client_id: &str,
    old_refresh: Option<&Secret>,
) -> Result<IdpTokens> {
    let body: Value = reply.json()?;
    let id_token = body
        .get("id_token")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            OsmoError::bad_body(&reply.target, "the identity provider sent no id_token")
        })?;
    let refresh_token = body
        .get("refresh_token")
        .and_then(Value::as_str)
        .map(Secret::new)
        .or_else(|| old_refresh.cloned());
    Ok(IdpTokens {
        id_token: Secret::new(id_token),
        refresh_token,
        token_endpoint: token_endpoint.clone(),
        client_id: client_id.to_owned(),
    })
}

/// The refresh-token grant. `Ok(Err(reason))` when the IdP refused the refresh token.
pub(crate) async fn refresh(
    http: &HttpClient,
    token_endpoint: &Url,
    client_id: &str,
    refresh_token: &Secret,
    cancel: &CancellationToken,
) -> Result<std::result::Result<IdpTokens, String>> {
    let mut req = Request::new(Method::POST, token_endpoint.clone());
    req.body = Body::Form(vec![
        ("grant_type", "refresh_token".into()),
        ("refresh_token", refresh_token.expose().to_owned()),
        ("client_id", client_id.to_owned()),
    ]);
    let reply = http.send(req, cancel).await?;
    if matches!(reply.status, 400 | 401) {
        let reason = idp_error(&reply)
            .map(|(e, d)| d.unwrap_or(e))
            .unwrap_or_else(|| format!("HTTP {}", reply.status));
        return Ok(Err(format!(
            "the identity provider refused to renew the sign-in ({reason}). Sign in again."
        )));
    }
    tokens_from(&reply, token_endpoint, client_id, Some(refresh_token)).map(Ok)
}

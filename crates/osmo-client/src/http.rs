//! [`HttpClient`]: one HTTP client per service (and so per session).
//!
//! TLS is always verified (rustls with the bundled web roots, plus the connection's own CA
//! certificate when given). Connect and request timeouts; idempotent `GET`s are retried a bounded
//! number of times with exponential backoff on dropped connections and 500/502/503/504 (never on
//! timeouts, TLS failures or other methods); every call can be cancelled with a
//! [`CancellationToken`] or by dropping its future. No `x-osmo-client-version` header is sent
//! (a malformed one turns any request into a 500). Redirects are not followed (the credential
//! header must not reach another host); a 3xx is an error naming the problem. Logs name method,
//! host and path only. Answers larger than [`MAX_ANSWER_BYTES`] are refused.

use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use reqwest::Method;
use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;
use url::Url;

use crate::error::{target, OsmoError};
use crate::Result;

/// The largest answer body read: bigger answers are refused (checked while reading, so no more
/// than this is ever held in memory). OSMO's largest lists are a few MiB.
pub const MAX_ANSWER_BYTES: usize = 16 * 1024 * 1024;

/// An OSMO service as the user entered it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceSpec {
    /// The name the user gave the connection.
    pub name: String,
    /// Base URL, e.g. `https://osmo.example.com`.
    pub url: String,
    /// Extra CA certificate(s) in PEM, added to the trusted roots.
    pub custom_ca_pem: Option<String>,
}

/// Timeouts, retries and refresh margin of a client.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub connect_timeout: Duration,
    /// Whole request, body included.
    pub request_timeout: Duration,
    /// Extra attempts for an idempotent `GET` (0 = no retry).
    pub get_retries: u32,
    /// First retry delay; doubled each retry.
    pub retry_backoff: Duration,
    /// Renew a JWT this long before it expires.
    pub refresh_margin: Duration,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            get_retries: 2,
            retry_backoff: Duration::from_millis(500),
            refresh_margin: Duration::from_secs(30),
        }
    }
}

/// A request body.
pub(crate) enum Body {
    None,
    Json(serde_json::Value),
    Form(Vec<(&'static str, String)>),
}

/// One request. Not `Debug`: its URL, headers or form may carry a secret.
pub(crate) struct Request {
    pub method: Method,
    pub url: Url,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    pub body: Body,
}

impl Request {
    pub fn new(method: Method, url: Url) -> Self {
        Self {
            method,
            url,
            headers: Vec::new(),
            body: Body::None,
        }
    }
}

/// A complete answer (any status).
pub(crate) struct Reply {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    pub target: String,
}

impl Reply {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The error this reply stands for.
    pub fn error(&self) -> OsmoError {
        OsmoError::from_reply(
            &self.target,
            self.status,
            self.content_type.as_deref(),
            &self.body,
        )
    }

    /// The body as `T`, or the error the reply stands for.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T> {
        if !self.is_success() {
            return Err(self.error());
        }
        let ct = self
            .content_type
            .as_deref()
            .unwrap_or("")
            .to_ascii_lowercase();
        if ct.contains("html") {
            return Err(OsmoError::from_reply(
                &self.target,
                self.status,
                Some(&ct),
                &self.body,
            ));
        }
        serde_json::from_slice(&self.body).map_err(|e| OsmoError::bad_body(&self.target, e))
    }
}

/// HTTP client bound to one OSMO service.
#[derive(Debug, Clone)]
pub struct HttpClient {
    client: reqwest::Client,
    base: Url,
    config: ClientConfig,
}

impl HttpClient {
    pub fn new(spec: &ServiceSpec, config: ClientConfig) -> Result<Self> {
        let base = parse_base_url(&spec.url)?;
        let mut builder = reqwest::Client::builder()
            .use_rustls_tls()
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .user_agent(concat!("osmo-backend-admin/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none());
        if let Some(pem) = spec
            .custom_ca_pem
            .as_deref()
            .filter(|p| !p.trim().is_empty())
        {
            let certs = reqwest::Certificate::from_pem_bundle(pem.as_bytes())
                .ok()
                .filter(|c| !c.is_empty())
                .ok_or_else(|| {
                    OsmoError::InvalidInput(format!(
                        "The CA certificate of connection \"{}\" is not a PEM certificate: paste the \
                         text between -----BEGIN CERTIFICATE----- and -----END CERTIFICATE-----, \
                         both lines included.",
                        spec.name
                    ))
                })?;
            for cert in certs {
                builder = builder.add_root_certificate(cert);
            }
        }
        let client = builder
            .build()
            .map_err(|e| OsmoError::Internal(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self {
            client,
            base,
            config,
        })
    }

    pub fn base_url(&self) -> &Url {
        &self.base
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// `path` (e.g. `/api/version`) under the base URL.
    pub(crate) fn url(&self, path: &str) -> Result<Url> {
        let mut url = self.base.clone();
        let base_path = url.path().trim_end_matches('/').to_owned();
        url.set_path(&format!("{base_path}/{}", path.trim_start_matches('/')));
        Ok(url)
    }

    /// Sends `req`, retrying idempotent `GET`s, until an answer, an error or cancellation.
    pub(crate) async fn send(&self, req: Request, cancel: &CancellationToken) -> Result<Reply> {
        let retries = if req.method == Method::GET {
            self.config.get_retries
        } else {
            0
        };
        let target = target(req.method.as_str(), &req.url);
        let mut attempt = 0;
        loop {
            let outcome = tokio::select! {
                biased;
                _ = cancel.cancelled() => return Err(OsmoError::Cancelled),
                r = self.send_once(&req, &target) => r,
            };
            let retryable = match &outcome {
                // Not the 500 "Backend X is not found": retrying cannot help.
                Ok(reply) => {
                    matches!(reply.status, 500 | 502 | 503 | 504)
                        && reply.error().code() != osmo_admin_core::ErrorCode::NotFound
                }
                Err(OsmoError::Unreachable { .. }) => true,
                Err(_) => false,
            };
            if !retryable || attempt >= retries {
                return outcome;
            }
            let delay = self.config.retry_backoff * 2u32.saturating_pow(attempt);
            tracing::debug!(%target, attempt, ?delay, "retrying GET");
            attempt += 1;
            tokio::select! {
                biased;
                _ = cancel.cancelled() => return Err(OsmoError::Cancelled),
                _ = tokio::time::sleep(delay) => {}
            }
        }
    }

    async fn send_once(&self, req: &Request, target: &str) -> Result<Reply> {
        let mut builder = self.client.request(req.method.clone(), req.url.clone());
        for (name, value) in &req.headers {
            builder = builder.header(name, value);
        }
        builder = match &req.body {
            Body::None => builder,
            Body::Json(v) => builder.json(v),
            Body::Form(f) => builder.form(f),
        };
        let response = builder
            .send()
            .await
            .map_err(|e| self.transport(e, target))?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = self.read_body(response, target).await?;
        tracing::debug!(%target, status, "OSMO call");
        Ok(Reply {
            status,
            content_type,
            body,
            target: target.to_owned(),
        })
    }

    /// The body, read chunk by chunk and refused past [`MAX_ANSWER_BYTES`].
    async fn read_body(&self, mut response: reqwest::Response, target: &str) -> Result<Vec<u8>> {
        let too_large = || OsmoError::NotOsmo {
            target: target.to_owned(),
            what: format!(
                "the answer is larger than the {} MiB this app accepts, so it was not read",
                MAX_ANSWER_BYTES / (1024 * 1024)
            ),
        };
        let announced = response.content_length().unwrap_or(0);
        if announced > MAX_ANSWER_BYTES as u64 {
            return Err(too_large());
        }
        let mut body = Vec::with_capacity(announced as usize);
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.transport(e, target))?
        {
            if body.len() + chunk.len() > MAX_ANSWER_BYTES {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    fn transport(&self, err: reqwest::Error, target: &str) -> OsmoError {
        let err = err.without_url();
        let chain = error_chain(&err);
        let target = target.to_owned();
        if err.is_timeout() {
            return OsmoError::Timeout {
                target,
                seconds: (self.config.request_timeout.as_millis().div_ceil(1000) as u64).max(1),
            };
        }
        let lower = chain.to_ascii_lowercase();
        if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") {
            return OsmoError::Tls {
                target,
                detail: chain,
            };
        }
        let detail = if err.is_connect() {
            format!("cannot connect ({chain})")
        } else {
            format!("the connection was closed before a complete answer ({chain})")
        };
        OsmoError::Unreachable { target, detail }
    }
}

fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = err.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

fn parse_base_url(raw: &str) -> Result<Url> {
    let trimmed = raw.trim().trim_end_matches('/');
    let url = Url::parse(trimmed).map_err(|e| {
        OsmoError::InvalidInput(format!(
            "The service URL \"{trimmed}\" is not valid ({e}); enter it like https://osmo.example.com."
        ))
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(OsmoError::InvalidInput(format!(
            "The service URL \"{trimmed}\" must start with https:// (or http:// for a local service) and name a host."
        )));
    }
    if url.query().is_some() || !url.username().is_empty() || url.password().is_some() {
        return Err(OsmoError::InvalidInput(format!(
            "The service URL for host {} must not contain a query or credentials.",
            url.host_str().unwrap_or_default()
        )));
    }
    Ok(url)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use osmo_admin_core::ErrorCode;

    fn spec(url: &str) -> ServiceSpec {
        ServiceSpec {
            name: "test".into(),
            url: url.into(),
            custom_ca_pem: None,
        }
    }

    #[test]
    fn urls_are_validated_and_joined() {
        let c =
            HttpClient::new(&spec("https://osmo.example.com/"), ClientConfig::default()).unwrap();
        assert_eq!(
            c.url("/api/version").unwrap().as_str(),
            "https://osmo.example.com/api/version"
        );
        let c = HttpClient::new(
            &spec("https://h.example.com/osmo/"),
            ClientConfig::default(),
        )
        .unwrap();
        assert_eq!(
            c.url("api/version").unwrap().as_str(),
            "https://h.example.com/osmo/api/version"
        );
        for bad in [
            "osmo.example.com",
            "ftp://x",
            "https://u:p@x.example.com",
            "https://x.example.com?a=1",
        ] {
            let err = HttpClient::new(&spec(bad), ClientConfig::default()).unwrap_err();
            assert_eq!(err.code(), ErrorCode::InvalidInput, "{bad}");
        }
    }

    #[test]
    fn a_bad_ca_pem_is_invalid_input() {
        let mut s = spec("https://osmo.example.com");
        s.custom_ca_pem = Some("not a certificate".into());
        let err = HttpClient::new(&s, ClientConfig::default()).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput);
        assert!(err.to_string().contains("BEGIN CERTIFICATE"), "{err}");
    }
}

//! [`OsmoError`]: every way an OSMO call can fail, with an [`ErrorCode`] for the UI and a sentence
//! for a person (what failed, where, what to do).
//!
//! [`OsmoError::from_reply`] reads every error body shape the OSMO services and the proxies in
//! front of them produce (osmo-api.md §9, §11): JSON `message`/`error_code`, FastAPI `detail`
//! (a string or a 422 list), 403 as JSON or `text/plain`, 500 "Internal server error: ...", an HTML
//! page, an empty body, or garbage. Messages name the method, host and path, never the query
//! (the 6.0 token exchange carries the access token there).

use osmo_admin_core::quote::quote_text;
use osmo_admin_core::ErrorCode;
use serde_json::Value;
use url::Url;

/// What failed and how, for the UI (`code()`) and the person (`Display`).
#[derive(Debug, thiserror::Error)]
pub enum OsmoError {
    /// Bad input detected before anything was sent.
    #[error("{0}")]
    InvalidInput(String),
    /// Connection refused, DNS failure, connection dropped without an answer.
    #[error("Could not reach the OSMO service for {target}: {detail}. Check the URL, your network and VPN, and that the service is running.")]
    Unreachable { target: String, detail: String },
    /// TLS handshake or certificate failure.
    #[error("The secure connection for {target} failed: {detail}. If the service uses a private certificate authority, add its CA certificate (PEM) to the connection.")]
    Tls { target: String, detail: String },
    /// No answer in time.
    #[error("The OSMO service did not answer {target} within {seconds} s. It may be overloaded or unreachable; try again later.")]
    Timeout { target: String, seconds: u64 },
    /// Cancelled by the user (or the caller dropped interest).
    #[error("The operation was cancelled.")]
    Cancelled,
    /// The service answered with an error status.
    #[error("{message}")]
    Api {
        status: u16,
        code: ErrorCode,
        /// The service's own text (`message`, `detail`, or the plain-text body), if any.
        server_message: Option<String>,
        message: String,
    },
    /// The service answered something that is not the OSMO API (HTML page, garbage, empty body).
    #[error("{target} failed: {what}. The URL may point at a proxy or web page instead of the OSMO service, or the service is misbehaving; check the URL and try again.")]
    NotOsmo { target: String, what: String },
    /// The session's credentials are expired or revoked; the user must sign in again.
    #[error("Sign in to {service} again: {reason}")]
    SignInAgain { service: String, reason: String },
    /// The call does not exist in the service's API version.
    #[error("{what} is not available on OSMO {version}.")]
    NotInThisVersion { what: String, version: String },
    /// A sign-in step failed (device code denied or expired, credentials refused at sign-in).
    #[error("{message}")]
    SignIn { code: ErrorCode, message: String },
    /// The CLI's login file could not be used.
    #[error("{message}")]
    CliLogin { code: ErrorCode, message: String },
    /// A bug or unexpected state.
    #[error("Internal error: {0}. Please report this.")]
    Internal(String),
}

impl OsmoError {
    pub fn code(&self) -> ErrorCode {
        match self {
            OsmoError::InvalidInput(_) => ErrorCode::InvalidInput,
            OsmoError::Unreachable { .. } => ErrorCode::Unreachable,
            OsmoError::Tls { .. } => ErrorCode::TlsFailed,
            OsmoError::Timeout { .. } => ErrorCode::Timeout,
            OsmoError::Cancelled => ErrorCode::Cancelled,
            OsmoError::Api { code, .. } => *code,
            OsmoError::NotOsmo { .. } => ErrorCode::ServerError,
            OsmoError::SignInAgain { .. } => ErrorCode::SessionExpired,
            OsmoError::NotInThisVersion { .. } => ErrorCode::NotFound,
            OsmoError::SignIn { code, .. } | OsmoError::CliLogin { code, .. } => *code,
            OsmoError::Internal(_) => ErrorCode::Internal,
        }
    }

    /// The HTTP status, when the service answered with an error status.
    pub fn status(&self) -> Option<u16> {
        match self {
            OsmoError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The service's own error text, if it sent one.
    pub fn server_message(&self) -> Option<&str> {
        match self {
            OsmoError::Api { server_message, .. } => server_message.as_deref(),
            _ => None,
        }
    }

    /// Turns an error reply into an error. `target` is from [`target`].
    pub fn from_reply(target: &str, status: u16, content_type: Option<&str>, body: &[u8]) -> Self {
        if (300..400).contains(&status) {
            return OsmoError::NotOsmo {
                target: target.to_owned(),
                what: format!(
                    "the service answered HTTP {status}, a redirect (often to a sign-in page or to \
                     https://); enter the address the OSMO service is really at"
                ),
            };
        }
        let shape = BodyShape::read(content_type, body);
        let server_message = match &shape {
            BodyShape::Text(t) => Some(t.clone()),
            BodyShape::Html | BodyShape::Empty | BodyShape::Garbage => None,
        };
        if server_message.is_none() && (status >= 500 || matches!(shape, BodyShape::Html)) {
            let what = format!(
                "the service answered HTTP {status} with {}",
                shape.describe()
            );
            return OsmoError::NotOsmo {
                target: target.to_owned(),
                what,
            };
        }
        let code = code_for(status, server_message.as_deref());
        let quoted = match &server_message {
            Some(m) => format!(": \"{m}\""),
            None => format!(" with {}", shape.describe()),
        };
        let advice = match server_message.as_deref() {
            Some(m) if status == 400 && is_missing_gateway_header(m) => WITHOUT_GATEWAY,
            _ => advice(code),
        };
        let message =
            format!("{target} failed: the service answered HTTP {status}{quoted}. {advice}");
        OsmoError::Api {
            status,
            code,
            server_message,
            message,
        }
    }

    /// A 2xx body that is not the expected JSON.
    pub(crate) fn bad_body(target: &str, err: impl std::fmt::Display) -> Self {
        OsmoError::NotOsmo {
            target: target.to_owned(),
            what: format!(
                "the answer is not the expected OSMO JSON ({})",
                quote_text(&err.to_string())
            ),
        }
    }
}

/// `"GET host/path"`: what a message names as the failed call (never the query).
pub fn target(method: &str, url: &Url) -> String {
    let host = match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_owned(),
        _ => String::new(),
    };
    format!("{method} {host}{}", url.path())
}

enum BodyShape {
    Text(String),
    Html,
    Empty,
    Garbage,
}

impl BodyShape {
    fn read(content_type: Option<&str>, body: &[u8]) -> Self {
        let text = String::from_utf8_lossy(body);
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return BodyShape::Empty;
        }
        let ct = content_type.unwrap_or("").to_ascii_lowercase();
        if ct.contains("html") || trimmed.starts_with('<') {
            return BodyShape::Html;
        }
        match serde_json::from_str::<Value>(trimmed) {
            Ok(v) => match json_message(&v) {
                Some(m) => BodyShape::Text(quote_text(&m)),
                None => BodyShape::Garbage,
            },
            Err(_)
                if ct.contains("json") || trimmed.starts_with('{') || trimmed.starts_with('[') =>
            {
                BodyShape::Garbage
            }
            // Plain text (authz sidecar "access denied", Envoy "Jwt is expired").
            Err(_) => BodyShape::Text(quote_text(trimmed)),
        }
    }

    fn describe(&self) -> &'static str {
        match self {
            BodyShape::Text(_) => "a message",
            BodyShape::Html => {
                "an HTML page instead of the OSMO API (a proxy or sign-in page may be in the way)"
            }
            BodyShape::Empty => "an empty body",
            BodyShape::Garbage => "a body that is not valid OSMO JSON",
        }
    }
}

/// `message`, `detail` (string or FastAPI list), or a JSON string body.
fn json_message(v: &Value) -> Option<String> {
    if let Some(m) = v.get("message").and_then(Value::as_str) {
        return Some(m.to_owned());
    }
    match v.get("detail") {
        Some(Value::String(s)) => return Some(s.clone()),
        Some(Value::Array(items)) => {
            let parts: Vec<String> = items.iter().map(detail_item).collect();
            if !parts.is_empty() {
                return Some(parts.join("; "));
            }
        }
        _ => {}
    }
    if let Some(e) = v.get("error").and_then(Value::as_str) {
        let desc = v.get("error_description").and_then(Value::as_str);
        return Some(match desc {
            Some(d) => format!("{e}: {d}"),
            None => e.to_owned(),
        });
    }
    v.as_str().map(str::to_owned)
}

/// One 422 item: `loc` (skipping "body"/"query") and `msg`.
fn detail_item(item: &Value) -> String {
    let loc: Vec<String> = item
        .get("loc")
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .map(|p| match p {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .filter(|p| p != "body" && p != "query" && p != "path")
                .collect()
        })
        .unwrap_or_default();
    let msg = item
        .get("msg")
        .and_then(Value::as_str)
        .unwrap_or("invalid value");
    if loc.is_empty() {
        msg.to_owned()
    } else {
        format!("{}: {msg}", loc.join("."))
    }
}

fn code_for(status: u16, server_message: Option<&str>) -> ErrorCode {
    let msg = server_message.unwrap_or("").to_ascii_lowercase();
    match status {
        400 if msg.contains("has expired") => ErrorCode::SessionExpired,
        400 | 422 | 429 => ErrorCode::Rejected,
        401 => ErrorCode::Unauthorized,
        403 => ErrorCode::Forbidden,
        404 | 405 => ErrorCode::NotFound,
        409 => ErrorCode::Conflict,
        408 | 504 => ErrorCode::Timeout,
        // OSMOBackendError for an unknown backend is a 500 at every version.
        500 if msg.contains("is not found") => ErrorCode::NotFound,
        s if s >= 500 => ErrorCode::ServerError,
        _ => ErrorCode::Rejected,
    }
}

/// What the service's 400 "Could not find header for user, x-osmo-user" means (osmo-api.md §1):
/// the core service expects its gateway to have checked the sign-in and set `x-osmo-user`.
const WITHOUT_GATEWAY: &str =
    "The URL reaches the OSMO service directly, without the gateway in front of it (the \
     gateway checks the sign-in and adds the x-osmo-user header the service needs). Use the \
     gateway's URL instead: the address the OSMO CLI and web UI use.";

fn is_missing_gateway_header(server_message: &str) -> bool {
    server_message
        .to_ascii_lowercase()
        .contains("could not find header for user")
}

fn advice(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::Rejected => "Check the values sent and try again.",
        ErrorCode::Unauthorized => "The credentials were refused; sign in again.",
        ErrorCode::Forbidden => "Your account is not allowed to do this; ask an OSMO administrator for a role that allows it (for example osmo-admin).",
        ErrorCode::NotFound => "It may have been deleted, or this OSMO version does not have it.",
        ErrorCode::Conflict => "It changed or already exists; reload and try again.",
        ErrorCode::Timeout => "The service or a proxy in front of it timed out; try again later.",
        ErrorCode::SessionExpired => "Create a new access token or sign in again.",
        _ => "The OSMO service failed; try again later or check the service logs.",
    }
}

/// The CLI's message when its stored ID token expired and it has nothing to renew it with.
pub const CLI_NO_REFRESH_TOKEN: &str = "Token is expired, but no refresh token is present";

/// Explains an OSMO CLI or backend-operator error text in plain words, when it is one of the
/// sign-in messages people get stuck on; `None` for other texts.
pub fn explain_cli_error(text: &str) -> Option<String> {
    if text.contains(CLI_NO_REFRESH_TOKEN) {
        return Some(
            "\"Token is expired, but no refresh token is present\" means the OSMO CLI (or a backend \
             operator) holds a sign-in whose short-lived ID token has expired, and that sign-in has \
             no refresh token to get a new one. It is usually an access-token login whose token \
             expired or was deleted (at OSMO 6.0 a backend operator keeps logging it every 5 seconds: \
             check `osmo token list --service`). Fix it by creating a new access token, putting it \
             where the CLI or operator reads it (for an operator: its token Secret, then restart the \
             operator), or by running `osmo login` again."
                .to_owned(),
        );
    }
    if text.contains("Unable to refresh login token")
        || text.contains("No token refresh url provided")
    {
        return Some(
            "The OSMO CLI could not renew its sign-in: the identity provider or the OSMO service \
             refused the stored refresh credential (it expired, was revoked, or the login file is \
             from another service). Run `osmo login` again."
                .to_owned(),
        );
    }
    None
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const T: &str = "GET osmo.example.com/api/configs/backend";

    #[test]
    fn a_missing_user_header_means_the_gateway_is_bypassed() {
        let e = reply(
            400,
            "application/json",
            r#"{"message": "Could not find header for user, x-osmo-user", "error_code": "USER", "workflow_id": null}"#,
        );
        let text = e.to_string();
        assert!(text.contains("without the gateway"), "{text}");
        assert!(text.contains("Use the gateway's URL"), "{text}");
        assert!(!text.contains("Check the values sent"), "{text}");
        let other = reply(
            400,
            "application/json",
            r#"{"message": "Token name 1bad must match regex"}"#,
        );
        assert!(other.to_string().contains("Check the values sent"));
    }

    fn reply(status: u16, ct: &str, body: &str) -> OsmoError {
        OsmoError::from_reply(T, status, Some(ct), body.as_bytes())
    }

    #[test]
    fn osmo_json_message_with_error_code() {
        let e = reply(
            400,
            "application/json",
            r#"{"message":"Token name 1x must match regex","error_code":"USER","workflow_id":null}"#,
        );
        assert_eq!(e.code(), ErrorCode::Rejected);
        assert_eq!(e.server_message(), Some("Token name 1x must match regex"));
        let text = e.to_string();
        assert!(
            text.contains(T) && text.contains("HTTP 400") && text.contains("regex"),
            "{text}"
        );
    }

    #[test]
    fn fastapi_422_detail_lists_of_both_versions() {
        let v60 = r#"{"detail":[{"loc":["query","access_token"],"msg":"field required","type":"value_error.missing"}]}"#;
        let v64 = r#"{"detail":[{"type":"missing","loc":["body","configs"],"msg":"Field required","input":null},{"type":"x","loc":["query","count",0],"msg":"bad"}]}"#;
        let e = reply(422, "application/json", v60);
        assert_eq!(e.code(), ErrorCode::Rejected);
        assert_eq!(e.server_message(), Some("access_token: field required"));
        let e = reply(422, "application/json", v64);
        assert_eq!(
            e.server_message(),
            Some("configs: Field required; count.0: bad")
        );
    }

    #[test]
    fn detail_string_and_404_405() {
        let e = reply(404, "application/json", r#"{"detail":"Not Found"}"#);
        assert_eq!(e.code(), ErrorCode::NotFound);
        assert_eq!(e.server_message(), Some("Not Found"));
        let e = reply(
            405,
            "application/json",
            r#"{"detail":"Method Not Allowed"}"#,
        );
        assert_eq!(e.code(), ErrorCode::NotFound);
    }

    #[test]
    fn forbidden_as_json_and_as_plain_text() {
        let e = reply(
            403,
            "application/json",
            r#"{"message":"Forbidden","error_code":403}"#,
        );
        assert_eq!(e.code(), ErrorCode::Forbidden);
        assert!(e.to_string().contains("not allowed"), "{e}");
        let e = reply(403, "text/plain", "access denied");
        assert_eq!(e.code(), ErrorCode::Forbidden);
        assert_eq!(e.server_message(), Some("access denied"));
    }

    #[test]
    fn envoy_401_plain_text() {
        let e = reply(401, "text/plain", "Jwt is expired");
        assert_eq!(e.code(), ErrorCode::Unauthorized);
        assert!(e.to_string().contains("Jwt is expired"));
    }

    #[test]
    fn internal_server_error_and_unknown_backend() {
        let e = reply(
            500,
            "application/json",
            r#"{"message":"Internal server error: simulated fault"}"#,
        );
        assert_eq!(e.code(), ErrorCode::ServerError);
        assert!(e.to_string().contains("simulated fault"), "{e}");
        let e = reply(
            500,
            "application/json",
            r#"{"message":"Internal server error: Backend nope is not found."}"#,
        );
        assert_eq!(e.code(), ErrorCode::NotFound);
    }

    #[test]
    fn html_empty_and_garbage_bodies() {
        for (status, ct, body, needle) in [
            (
                502,
                "text/html",
                "<html><body>Bad Gateway</body></html>",
                "HTML page",
            ),
            (
                200,
                "text/html",
                "<!DOCTYPE html><title>Sign in</title>",
                "HTML page",
            ),
            (500, "application/json", "", "empty body"),
            (
                503,
                "application/json",
                "{\"message\": \"Internal",
                "not valid OSMO JSON",
            ),
        ] {
            let e = reply(status, ct, body);
            assert_eq!(e.code(), ErrorCode::ServerError, "{body}");
            let text = e.to_string();
            assert!(
                text.contains(needle) && text.contains("check the URL"),
                "{text}"
            );
        }
        let e = reply(400, "application/json", "");
        assert_eq!(e.code(), ErrorCode::Rejected);
        assert!(e.to_string().contains("empty body"));
    }

    #[test]
    fn redirects_are_not_the_api() {
        let e = reply(302, "text/html", "");
        assert_eq!(e.code(), ErrorCode::ServerError);
        assert!(e.to_string().contains("redirect"), "{e}");
    }

    #[test]
    fn expired_token_middleware_is_session_expired() {
        let e = reply(
            400,
            "application/json",
            r#"{"message":"Access token my-laptop has expired.","error_code":"OSMO_ERROR"}"#,
        );
        assert_eq!(e.code(), ErrorCode::SessionExpired);
    }

    #[test]
    fn target_never_contains_the_query() {
        let url =
            Url::parse("https://osmo.example.com/api/auth/jwt/access_token?access_token=abc123")
                .unwrap();
        let t = target("GET", &url);
        assert_eq!(t, "GET osmo.example.com/api/auth/jwt/access_token");
    }

    #[test]
    fn explains_the_cli_refresh_token_message() {
        let text = explain_cli_error(
            "Connection failed with error: {'message': 'Token is expired, but no refresh token is present'}",
        )
        .unwrap();
        assert!(
            text.contains("expired") && text.contains("new access token"),
            "{text}"
        );
        assert!(explain_cli_error("Unable to refresh login token (status code 400)").is_some());
        assert!(explain_cli_error("something else").is_none());
    }
}

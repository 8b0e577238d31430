//! Fault injection for reliability tests: added latency, random 500s (with the service's 500 body),
//! bursts of failures, dropped connections (socket closed without a response) and malformed JSON
//! bodies, optionally limited to a path prefix. Set through [`crate::SimHandle::set_faults`] or
//! `POST /__sim/faults`.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::errors::ApiError;
use crate::server::ConnectionKill;
use crate::state::Shared;

/// What to inject. All fields default to "nothing".
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultConfig {
    /// Delay added before every affected request, in milliseconds.
    pub latency_ms: u64,
    /// Probability (0..=1) that a request answers 500 `{"message":"Internal server error: …"}`.
    pub error_rate: f64,
    /// The next N affected requests answer 500 (a burst).
    pub fail_next: u32,
    /// Probability that the connection is closed without a response.
    pub drop_rate: f64,
    /// The next N affected requests get their connection closed without a response.
    pub drop_next: u32,
    /// Probability that a response body is replaced by malformed JSON (status kept).
    pub malformed_rate: f64,
    /// The next N affected responses get a malformed JSON body.
    pub malformed_next: u32,
    /// Only requests whose path starts with this prefix are affected (all OSMO paths if unset).
    pub path_prefix: Option<String>,
}

/// How many faults were injected so far.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultStats {
    /// Requests that were delayed.
    pub delayed: u64,
    /// Requests answered with an injected 500.
    pub failed: u64,
    /// Connections dropped.
    pub dropped: u64,
    /// Responses with a malformed body.
    pub malformed: u64,
}

#[derive(Debug, Default)]
pub(crate) struct FaultState {
    pub config: FaultConfig,
    pub stats: FaultStats,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Action {
    Pass,
    Fail,
    Drop,
    Malformed,
}

/// The text of injected 500s.
pub const INJECTED_ERROR_TEXT: &str = "simulated fault";

impl FaultState {
    fn decide(&mut self, path: &str) -> (Duration, Action) {
        let c = &mut self.config;
        if c.path_prefix
            .as_deref()
            .is_some_and(|p| !path.starts_with(p))
        {
            return (Duration::ZERO, Action::Pass);
        }
        let latency = Duration::from_millis(c.latency_ms);
        let roll = |rate: f64| rate > 0.0 && rand::random::<f64>() < rate;
        let action = if c.drop_next > 0 {
            c.drop_next -= 1;
            Action::Drop
        } else if c.fail_next > 0 {
            c.fail_next -= 1;
            Action::Fail
        } else if c.malformed_next > 0 {
            c.malformed_next -= 1;
            Action::Malformed
        } else if roll(c.drop_rate) {
            Action::Drop
        } else if roll(c.error_rate) {
            Action::Fail
        } else if roll(c.malformed_rate) {
            Action::Malformed
        } else {
            Action::Pass
        };
        if !latency.is_zero() {
            self.stats.delayed += 1;
        }
        match action {
            Action::Fail => self.stats.failed += 1,
            Action::Drop => self.stats.dropped += 1,
            Action::Malformed => self.stats.malformed += 1,
            Action::Pass => {}
        }
        (latency, action)
    }
}

/// Makes a JSON body unparsable: keeps the first half and appends garbage.
pub(crate) fn corrupt(body: &[u8]) -> Vec<u8> {
    let mut out = body[..body.len() / 2].to_vec();
    out.extend_from_slice(b"<<<malformed");
    out
}

/// Middleware applying the current [`FaultConfig`].
pub(crate) async fn inject(
    State(shared): State<Arc<Shared>>,
    req: Request,
    next: Next,
) -> Response {
    let (latency, action) = shared.faults().decide(req.uri().path());
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    match action {
        Action::Pass => next.run(req).await,
        Action::Fail => ApiError::Internal(INJECTED_ERROR_TEXT.into()).into_response(),
        Action::Drop => match req.extensions().get::<ConnectionKill>() {
            Some(kill) => {
                kill.fire();
                std::future::pending::<Response>().await
            }
            None => ApiError::Internal(INJECTED_ERROR_TEXT.into()).into_response(),
        },
        Action::Malformed => {
            let resp = next.run(req).await;
            let (mut parts, body) = resp.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(corrupt(&bytes)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bursts_count_down_and_prefix_scopes() {
        let mut s = FaultState {
            config: FaultConfig {
                fail_next: 2,
                path_prefix: Some("/api/configs".into()),
                ..FaultConfig::default()
            },
            ..FaultState::default()
        };
        assert_eq!(s.decide("/api/version").1, Action::Pass);
        assert_eq!(s.decide("/api/configs/backend").1, Action::Fail);
        assert_eq!(s.decide("/api/configs/backend").1, Action::Fail);
        assert_eq!(s.decide("/api/configs/backend").1, Action::Pass);
        assert_eq!(s.stats.failed, 2);
    }

    #[test]
    fn corrupted_json_does_not_parse() {
        for body in [&b"null"[..], b"{\"a\":1}", b""] {
            assert!(serde_json::from_slice::<serde_json::Value>(&corrupt(body)).is_err());
        }
    }
}

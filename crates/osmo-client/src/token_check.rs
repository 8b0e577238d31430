//! Checking an OSMO access token without signing in with it and without showing it: the
//! "is the token in the operator's Secret accepted?" question of the diagnostics.
//!
//! [`check_access_token`] runs the same exchange a backend operator runs at start
//! (osmo-api.md §1.5, §6.3) and reads who the resulting JWT names. The token and the JWT are
//! [`Secret`]s throughout; the result holds neither.

use chrono::{DateTime, Utc};
use serde::Serialize;
use tokio_util::sync::CancellationToken;

use crate::dialect::Dialect;
use crate::error::OsmoError;
use crate::http::HttpClient;
use crate::identity::Identity;
use crate::token_exchange::{exchange, explain_refusal, Exchange};
use osmo_admin_secrets::Secret;

/// What the service said about an access token.
#[derive(Debug)]
pub enum TokenCheck {
    /// The service exchanged it for a JWT. `expires_at` is the JWT's expiry (minutes away; the
    /// access token itself usually lives longer), `user` and `roles` are the JWT's claims.
    Accepted {
        expires_at: Option<DateTime<Utc>>,
        user: Option<String>,
        roles: Vec<String>,
    },
    /// The service refused it; `reason` says why in plain words (expired, unknown, wrong length).
    Rejected { reason: String },
    /// The check itself failed (network, timeout, server error): nothing is known about the token.
    Failed(OsmoError),
}

/// A serializable summary of a [`TokenCheck`] (no secrets either way).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum TokenCheckSummary {
    Accepted {
        expires_at: Option<DateTime<Utc>>,
        user: Option<String>,
        roles: Vec<String>,
    },
    Rejected {
        reason: String,
    },
    Failed {
        message: String,
    },
}

impl TokenCheck {
    /// The same answer without the error value, for display.
    pub fn summary(&self) -> TokenCheckSummary {
        match self {
            TokenCheck::Accepted {
                expires_at,
                user,
                roles,
            } => TokenCheckSummary::Accepted {
                expires_at: *expires_at,
                user: user.clone(),
                roles: roles.clone(),
            },
            TokenCheck::Rejected { reason } => TokenCheckSummary::Rejected {
                reason: reason.clone(),
            },
            TokenCheck::Failed(e) => TokenCheckSummary::Failed {
                message: e.to_string(),
            },
        }
    }
}

/// Exchanges `token` with the service behind `http` (speaking `dialect`) and reports whether it
/// was accepted. Never signs anyone in and never returns or logs the token or the JWT.
/// Cancelled through `cancel` (or by dropping the future); timeouts are `http`'s.
pub async fn check_access_token(
    http: &HttpClient,
    dialect: Dialect,
    token: &Secret,
    cancel: &CancellationToken,
) -> TokenCheck {
    if token.expose().trim().is_empty() {
        return TokenCheck::Rejected {
            reason: "the token is empty".into(),
        };
    }
    match exchange(http, dialect, token, cancel).await {
        Ok(jwt) => {
            let identity = Identity::from_jwt(&jwt.token).ok();
            TokenCheck::Accepted {
                expires_at: Some(jwt.expires_at),
                user: identity.as_ref().map(|i| i.user.clone()),
                roles: identity.map(|i| i.roles).unwrap_or_default(),
            }
        }
        Err(Exchange::Refused(message)) => TokenCheck::Rejected {
            reason: explain_refusal(&message),
        },
        Err(Exchange::Failed(e)) => TokenCheck::Failed(e),
    }
}

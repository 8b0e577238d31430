//! Access tokens and users: 6.0/6.1 service tokens (`GET /api/auth/access_token/service`),
//! 6.2+ users (`GET /api/auth/user`) and their tokens (`GET /api/auth/user/{id}/access_token`).
//! Calling one dialect's endpoint on the other is [`OsmoError::NotInThisVersion`].

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

use crate::backends::path_segment;
use crate::dialect::Dialect;
use crate::error::OsmoError;
use crate::session::Session;
use crate::Result;

/// An access token's metadata (never its value: the service cannot return it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessTokenInfo {
    pub user_name: String,
    pub token_name: String,
    /// Naive UTC; the token is expired from this date on.
    pub expires_at: NaiveDateTime,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub roles: Vec<String>,
    /// 6.0 only: `USER` or `SERVICE`.
    #[serde(default)]
    pub access_type: Option<String>,
}

/// A 6.2+ user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub created_by: Option<String>,
}

/// One page of `GET /api/auth/user`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPage {
    pub total_results: u64,
    pub start_index: u64,
    pub items_per_page: u64,
    pub users: Vec<User>,
}

impl Session {
    fn require(&self, dialect: Dialect, what: &str) -> Result<()> {
        if self.dialect() == dialect {
            Ok(())
        } else {
            Err(OsmoError::NotInThisVersion {
                what: what.to_owned(),
                version: self.discovery().version.to_string(),
            })
        }
    }

    /// 6.0/6.1: every service token.
    pub async fn list_service_tokens(
        &self,
        cancel: &CancellationToken,
    ) -> Result<Vec<AccessTokenInfo>> {
        self.require(Dialect::V6_0, "Listing service tokens")?;
        self.get_json("/api/auth/access_token/service", cancel)
            .await
    }

    /// 6.2+: users, 1-based `start_index`, at most 1000 per page.
    pub async fn list_users(
        &self,
        start_index: u64,
        count: u64,
        cancel: &CancellationToken,
    ) -> Result<UserPage> {
        self.require(Dialect::V6_2, "Listing users")?;
        let (start, count) = (
            start_index.max(1).to_string(),
            count.clamp(1, 1000).to_string(),
        );
        self.call(
            reqwest::Method::GET,
            "/api/auth/user",
            &[("start_index", &start), ("count", &count)],
            None,
            cancel,
        )
        .await?
        .json()
    }

    /// 6.2+: a user's tokens.
    pub async fn list_user_tokens(
        &self,
        user_id: &str,
        cancel: &CancellationToken,
    ) -> Result<Vec<AccessTokenInfo>> {
        self.require(Dialect::V6_2, "Listing a user's tokens")?;
        self.get_json(
            &format!("/api/auth/user/{}/access_token", path_segment(user_id)),
            cancel,
        )
        .await
    }
}

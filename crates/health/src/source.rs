//! Where a session's rows come from: the [`BackendSource`] trait, and [`SessionSource`], its
//! implementation over an OSMO [`Session`] (backends + pools, fetched together). Tests use fakes.

use std::sync::Arc;

use async_trait::async_trait;
use osmo_admin_osmo_client::{CancellationToken, Session};

use crate::error::Result;
use crate::rows::{rows_for_session, BackendRow};

/// What one fetch gives.
#[derive(Debug, Clone, PartialEq)]
pub enum Fetched {
    /// The session's rows (without `offline_since`), and what they were made from.
    Rows {
        rows: Vec<BackendRow>,
        tag: FetchTag,
    },
    /// The source read again exactly what it made the rows tagged `last` from.
    Unchanged,
}

/// What a fetch's rows were made from: the same tag, the same rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FetchTag(pub [u64; 2]);

/// One session's backends, fetched on demand. Implementations must be cheap to call repeatedly;
/// the poller wraps each call in its own timeout and drops the future when it expires.
#[async_trait]
pub trait BackendSource: Send + Sync + 'static {
    /// The session's name (unique among the poller's sessions; it keys rows and history).
    fn session(&self) -> &str;
    /// All backends of the session, as rows; or [`Fetched::Unchanged`] when what they would be
    /// made from is what the rows tagged `last` (the caller's) were made from.
    async fn fetch(&self, last: Option<FetchTag>) -> Result<Fetched>;
}

/// A [`BackendSource`] over a signed-in OSMO session: `GET /api/configs/backend` and
/// `GET /api/configs/pool`, concurrently. Either failing fails the poll. Both answers are
/// decoded only when their bytes moved since the caller's rows (most polls read the same
/// pools, and backends whose heartbeats did not move).
#[derive(Debug, Clone)]
pub struct SessionSource {
    name: String,
    session: Arc<Session>,
}

impl SessionSource {
    /// Named after the session's service.
    pub fn new(session: Arc<Session>) -> Self {
        let name = session.spec().name.clone();
        Self::named(name, session)
    }

    /// With an explicit name.
    pub fn named(name: impl Into<String>, session: Arc<Session>) -> Self {
        SessionSource {
            name: name.into(),
            session,
        }
    }
}

#[async_trait]
impl BackendSource for SessionSource {
    fn session(&self) -> &str {
        &self.name
    }

    async fn fetch(&self, last: Option<FetchTag>) -> Result<Fetched> {
        // Dropping this future (the poller's timeout, or the poller stopping) abandons the calls.
        let cancel = CancellationToken::new();
        let (backends, pools) = futures::future::join(
            self.session.backend_listing(&cancel),
            self.session.pool_listing(&cancel),
        )
        .await;
        let (backends, pools) = (backends?, pools?);
        let tag = FetchTag([backends.digest(), pools.digest()].map(|d| d.value()));
        if last == Some(tag) {
            return Ok(Fetched::Unchanged);
        }
        Ok(Fetched::Rows {
            rows: rows_for_session(&self.name, &backends.decode()?, &pools.decode()?),
            tag,
        })
    }
}

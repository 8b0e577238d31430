//! Where a session's rows come from: the [`BackendSource`] trait, and [`SessionSource`], its
//! implementation over an OSMO [`Session`] (backends + pools, fetched together). Tests use fakes.

use std::sync::Arc;

use async_trait::async_trait;
use osmo_admin_osmo_client::{CancellationToken, Session};

use crate::error::Result;
use crate::rows::{rows_for_session, BackendRow};

/// One session's backends, fetched on demand. Implementations must be cheap to call repeatedly;
/// the poller wraps each call in its own timeout and drops the future when it expires.
#[async_trait]
pub trait BackendSource: Send + Sync + 'static {
    /// The session's name (unique among the poller's sessions; it keys rows and history).
    fn session(&self) -> &str;
    /// All backends of the session, as rows (without `offline_since`).
    async fn fetch(&self) -> Result<Vec<BackendRow>>;
}

/// A [`BackendSource`] over a signed-in OSMO session: `GET /api/configs/backend` and
/// `GET /api/configs/pool`, concurrently. Either failing fails the poll.
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

    async fn fetch(&self) -> Result<Vec<BackendRow>> {
        // Dropping this future (the poller's timeout, or the poller stopping) abandons the calls.
        let cancel = CancellationToken::new();
        let (backends, pools) = futures::future::join(
            self.session.list_backends(&cancel),
            self.session.list_pools(&cancel),
        )
        .await;
        Ok(rows_for_session(&self.name, &backends?, &pools?))
    }
}

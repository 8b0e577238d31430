//! Live refresh: one task per session, each polling its [`BackendSource`] on its own interval.
//!
//! * Each poll runs under its own timeout; a slow or dead session only delays itself.
//! * On errors the wait grows exponentially ([`Backoff`]), capped, and resets on success.
//! * A failed poll keeps the last rows, marked `stale`, with `updated_at` (the last success) and
//!   the error.
//! * Every poll (success or failure) is reported to the [`HealthSink`] as a [`HealthUpdate`].
//! * Hysteresis: a backend is shown offline only when the server's own `online` flag says so
//!   (never from heartbeat age here, never because a poll failed); `offline_since` comes from the
//!   observed history (see `Tracker` below for the exact rule).
//! * Interval changes apply at once ([`Poller::set_interval`]); [`Poller::poll_now`] skips the
//!   wait. Dropping the [`Poller`] (or removing a session) aborts its tasks.
//!
//! Sessions are added from inside a Tokio runtime (the tasks are `tokio::spawn`ed).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use osmo_admin_core::ErrorCode;
use serde::Serialize;
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::backoff::{Backoff, BackoffPolicy};
use crate::error::HealthError;
use crate::history::History;
use crate::rows::{BackendRow, SessionTotals};
use crate::source::{BackendSource, FetchTag, Fetched};
use crate::uptime::StatusChange;

/// The server's rule: offline once the last heartbeat is older than this (osmo-api.md §3.3).
pub const HEARTBEAT_WINDOW: chrono::Duration = chrono::Duration::minutes(2);

/// Polling settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PollerConfig {
    /// Wait between the end of one poll and the start of the next (default 10 s).
    pub interval: Duration,
    /// Longest a single poll may take (default 15 s).
    pub timeout: Duration,
    pub backoff: BackoffPolicy,
}

impl Default for PollerConfig {
    fn default() -> Self {
        PollerConfig {
            interval: Duration::from_secs(10),
            timeout: Duration::from_secs(15),
            backoff: BackoffPolicy::default(),
        }
    }
}

/// Why the last poll failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PollError {
    pub code: ErrorCode,
    pub message: String,
    pub at: DateTime<Utc>,
}

/// What is known about one session's backends.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionSnapshot {
    pub session: String,
    /// The rows of the last successful poll (kept when later polls fail). Shared: a snapshot is
    /// copied for every update and every read, its rows only when a poll brings new ones.
    pub rows: Arc<[BackendRow]>,
    pub totals: SessionTotals,
    /// When `rows` were fetched; `None` before the first success.
    pub updated_at: Option<DateTime<Utc>>,
    /// The last poll failed: `rows` are from `updated_at`, not current.
    pub stale: bool,
    /// The last poll's error, if it failed.
    pub error: Option<PollError>,
    pub consecutive_failures: u32,
    /// Polls finished so far (successes and failures).
    pub polls: u64,
    /// Milliseconds until the next poll (interval, or the backoff after errors).
    pub next_poll_ms: u64,
}

impl SessionSnapshot {
    fn new(session: &str) -> Self {
        SessionSnapshot {
            session: session.to_owned(),
            rows: Arc::new([]),
            totals: SessionTotals::default(),
            updated_at: None,
            stale: false,
            error: None,
            consecutive_failures: 0,
            polls: 0,
            next_poll_ms: 0,
        }
    }
}

/// One finished poll.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HealthUpdate {
    pub snapshot: SessionSnapshot,
    /// Backends whose `online` flag flipped since the previous successful poll.
    pub changes: Vec<StatusChange>,
}

/// Receives every [`HealthUpdate`]; called from the session's task, so keep it quick.
pub trait HealthSink: Send + Sync + 'static {
    fn update(&self, update: HealthUpdate);
}

impl HealthSink for tokio::sync::mpsc::UnboundedSender<HealthUpdate> {
    fn update(&self, update: HealthUpdate) {
        let _ = self.send(update);
    }
}

/// The history shared by all session tasks.
pub type SharedHistory = Arc<Mutex<History>>;

struct SessionTask {
    handle: JoinHandle<()>,
    interval: watch::Sender<Duration>,
    poke: Arc<Notify>,
    snapshot: Arc<Mutex<SessionSnapshot>>,
}

impl Drop for SessionTask {
    fn drop(&mut self) {
        self.handle.abort();
    }
}

/// Polls sessions; dropping it stops all polling.
pub struct Poller {
    config: PollerConfig,
    sink: Arc<dyn HealthSink>,
    history: Option<SharedHistory>,
    sessions: BTreeMap<String, SessionTask>,
}

impl std::fmt::Debug for Poller {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Poller")
            .field("config", &self.config)
            .field("sessions", &self.sessions.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl Poller {
    pub fn new(config: PollerConfig, sink: Arc<dyn HealthSink>) -> Self {
        Poller {
            config,
            sink,
            history: None,
            sessions: BTreeMap::new(),
        }
    }

    /// Records status changes in `history` and derives `offline_since` from it.
    pub fn with_history(mut self, history: SharedHistory) -> Self {
        self.history = Some(history);
        self
    }

    /// Starts polling a session at once (replacing one with the same name).
    pub fn add_session(&mut self, source: Arc<dyn BackendSource>) {
        let name = source.session().to_owned();
        let (interval_tx, interval_rx) = watch::channel(self.config.interval);
        let poke = Arc::new(Notify::new());
        let snapshot = Arc::new(Mutex::new(SessionSnapshot::new(&name)));
        let task = SessionLoop {
            source,
            timeout: self.config.timeout,
            backoff: Backoff::new(self.config.backoff),
            interval: interval_rx,
            poke: poke.clone(),
            snapshot: snapshot.clone(),
            sink: self.sink.clone(),
            tracker: Tracker::new(&name, self.history.clone()),
            rows_tag: None,
        };
        let handle = tokio::spawn(task.run());
        self.sessions.insert(
            name,
            SessionTask {
                handle,
                interval: interval_tx,
                poke,
                snapshot,
            },
        );
    }

    /// Stops polling a session; `false` if it was not polled.
    pub fn remove_session(&mut self, session: &str) -> bool {
        self.sessions.remove(session).is_some()
    }

    /// The polled sessions' names.
    pub fn sessions(&self) -> Vec<String> {
        self.sessions.keys().cloned().collect()
    }

    /// Sets the interval of every session (and of sessions added later); applies at once.
    pub fn set_interval(&mut self, interval: Duration) {
        self.config.interval = interval;
        for t in self.sessions.values() {
            let _ = t.interval.send(interval);
        }
    }

    /// Sets one session's interval; `false` if it is not polled.
    pub fn set_session_interval(&self, session: &str, interval: Duration) -> bool {
        self.sessions
            .get(session)
            .map(|t| t.interval.send(interval))
            .is_some()
    }

    /// Polls a session now instead of waiting (also ends a backoff wait); `false` if unknown.
    pub fn poll_now(&self, session: &str) -> bool {
        self.sessions
            .get(session)
            .map(|t| t.poke.notify_one())
            .is_some()
    }

    /// The latest snapshot of a session.
    pub fn snapshot(&self, session: &str) -> Option<SessionSnapshot> {
        self.sessions
            .get(session)
            .map(|t| lock(&t.snapshot).clone())
    }

    /// The latest snapshots of all sessions, by session name.
    pub fn snapshots(&self) -> Vec<SessionSnapshot> {
        self.sessions
            .values()
            .map(|t| lock(&t.snapshot).clone())
            .collect()
    }

    /// Stops all polling (the same as dropping the poller).
    pub fn stop(self) {}
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

struct SessionLoop {
    source: Arc<dyn BackendSource>,
    timeout: Duration,
    backoff: Backoff,
    interval: watch::Receiver<Duration>,
    poke: Arc<Notify>,
    snapshot: Arc<Mutex<SessionSnapshot>>,
    sink: Arc<dyn HealthSink>,
    tracker: Tracker,
    /// What the snapshot's rows were made from (the source's tag of the last poll that
    /// answered).
    rows_tag: Option<FetchTag>,
}

impl SessionLoop {
    async fn run(mut self) {
        loop {
            let fetch = self.source.fetch(self.rows_tag);
            let result = match tokio::time::timeout(self.timeout, fetch).await {
                Ok(r) => r,
                Err(_) => Err(HealthError::Timeout {
                    session: self.source.session().to_owned(),
                    after: self.timeout,
                }),
            };
            let now = Utc::now();
            let mut changes = Vec::new();
            match result {
                Ok(fetched) => {
                    self.backoff.on_success();
                    let rows = match fetched {
                        Fetched::Rows { rows, tag } => {
                            self.rows_tag = Some(tag);
                            rows
                        }
                        // The same rows again (readers keep seeing them meanwhile): they are
                        // observed now all the same.
                        Fetched::Unchanged => lock(&self.snapshot).rows.to_vec(),
                    };
                    let gap = watch_gap(*self.interval.borrow());
                    let rows = self.tracker.observe(rows, now, gap, &mut changes);
                    let mut s = lock(&self.snapshot);
                    s.totals = SessionTotals::of(&rows);
                    s.rows = rows.into();
                    s.updated_at = Some(now);
                    s.stale = false;
                    s.error = None;
                }
                Err(e) => {
                    self.backoff.on_failure();
                    tracing::debug!(session = %self.source.session(), error = %e, "health poll failed");
                    let mut s = lock(&self.snapshot);
                    s.stale = true;
                    s.error = Some(PollError {
                        code: e.code(),
                        message: e.to_string(),
                        at: now,
                    });
                }
            }
            let ended = Instant::now();
            let delay = self.backoff.delay(*self.interval.borrow_and_update());
            let snapshot = {
                let mut s = lock(&self.snapshot);
                s.polls += 1;
                s.consecutive_failures = self.backoff.failures();
                s.next_poll_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
                s.clone()
            };
            self.sink.update(HealthUpdate { snapshot, changes });
            let mut deadline = ended + delay;
            loop {
                tokio::select! {
                    _ = tokio::time::sleep_until(deadline) => break,
                    _ = self.poke.notified() => break,
                    changed = self.interval.changed() => {
                        if changed.is_err() {
                            return;
                        }
                        deadline = ended + self.backoff.delay(*self.interval.borrow_and_update());
                    }
                }
            }
        }
    }
}

/// The longest pause between two polls that still counts as watching throughout: two intervals
/// and a minute (a slow answer or one failed poll does not break it; the app closed does).
pub fn watch_gap(interval: Duration) -> chrono::Duration {
    chrono::Duration::from_std(interval * 2 + Duration::from_secs(60))
        .unwrap_or(chrono::Duration::MAX)
}

/// What the tracker knows about one backend.
#[derive(Debug, Clone, Copy)]
struct Known {
    online: bool,
    /// Since when it is in this state.
    since: DateTime<Utc>,
    /// The last poll that saw it.
    seen_at: DateTime<Utc>,
}

/// Follows each backend's server flag across polls: detects flips, records them in the history,
/// and derives `offline_since`.
///
/// `offline_since` is when the current offline run began: for a flip seen while polling, the
/// server's own moment (last heartbeat + 2 minutes), but not before the poll that last saw the
/// backend online and not after now; for a backend first seen offline, the history's record of
/// that offline run if there is one, else the same server moment (not before the history's
/// last record). Each state change is stored in the history at that moment.
pub(crate) struct Tracker {
    session: String,
    history: Option<SharedHistory>,
    known: HashMap<String, Known>,
}

impl Tracker {
    pub(crate) fn new(session: &str, history: Option<SharedHistory>) -> Self {
        Tracker {
            session: session.to_owned(),
            history,
            known: HashMap::new(),
        }
    }

    pub(crate) fn observe(
        &mut self,
        mut rows: Vec<BackendRow>,
        now: DateTime<Utc>,
        gap: chrono::Duration,
        changes: &mut Vec<StatusChange>,
    ) -> Vec<BackendRow> {
        let mut to_record = Vec::new();
        for row in &mut rows {
            let known = match self.known.get(&row.name) {
                Some(k) if k.online == row.online => Known { seen_at: now, ..*k },
                Some(k) => {
                    let since = transition_time(row, k.seen_at, now);
                    let change = self.change(row, since);
                    to_record.push(change.clone());
                    changes.push(change);
                    Known {
                        online: row.online,
                        since,
                        seen_at: now,
                    }
                }
                None => self.first_sight(row, now, &mut to_record),
            };
            row.offline_since = (!row.online).then_some(known.since);
            match self.known.get_mut(&row.name) {
                Some(k) => *k = known,
                None => {
                    self.known.insert(row.name.clone(), known);
                }
            }
        }
        // Every backend of this poll was seen now: the others are gone.
        self.known.retain(|_, k| k.seen_at == now);
        self.record(&to_record);
        self.record_watched(&rows, now, gap);
        rows
    }

    /// Notes that the app saw these backends now (uptime counts only watched time).
    fn record_watched(&self, rows: &[BackendRow], now: DateTime<Utc>, gap: chrono::Duration) {
        if let Some(h) = &self.history {
            let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
            if let Err(e) = lock(h).record_watched(&self.session, &names, to_millis(now), gap) {
                tracing::warn!(error = %e, "recording in the uptime history failed");
            }
        }
    }

    fn first_sight(
        &self,
        row: &BackendRow,
        now: DateTime<Utc>,
        to_record: &mut Vec<StatusChange>,
    ) -> Known {
        let last = self.history.as_ref().and_then(|h| {
            lock(h)
                .last_state(&self.session, &row.name)
                .map_err(|e| tracing::warn!(error = %e, "reading the uptime history failed"))
                .ok()
                .flatten()
        });
        let since = match &last {
            Some(l) if l.online == row.online => to_millis(l.observed_at.min(now)),
            Some(l) => transition_time(row, l.observed_at, now),
            None => transition_time(row, DateTime::<Utc>::MIN_UTC, now),
        };
        if last.as_ref().is_none_or(|l| l.online != row.online) {
            to_record.push(self.change(row, since));
        }
        Known {
            online: row.online,
            since,
            seen_at: now,
        }
    }

    fn change(&self, row: &BackendRow, at: DateTime<Utc>) -> StatusChange {
        StatusChange {
            session: self.session.clone(),
            backend: row.name.clone(),
            online: row.online,
            observed_at: at,
        }
    }

    fn record(&self, changes: &[StatusChange]) {
        if let (Some(h), false) = (&self.history, changes.is_empty()) {
            if let Err(e) = lock(h).record_changes(changes) {
                tracing::warn!(error = %e, "recording in the uptime history failed");
            }
        }
    }
}

/// When a backend entered its current state, between `not_before` and `now`.
fn transition_time(
    row: &BackendRow,
    not_before: DateTime<Utc>,
    now: DateTime<Utc>,
) -> DateTime<Utc> {
    let estimate = if row.online {
        now
    } else {
        row.last_heartbeat
            .map(|hb| hb + HEARTBEAT_WINDOW)
            .unwrap_or(now)
    };
    to_millis(estimate.max(not_before).min(now))
}

/// The history stores milliseconds; keep the same precision so restarts agree.
fn to_millis(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(t.timestamp_millis()).unwrap_or(t)
}

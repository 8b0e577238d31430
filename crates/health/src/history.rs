//! Uptime history: every observed status change, and when the app watched, in a local SQLite
//! file.
//!
//! Table `status_changes(session, backend, online, observed_at)`: a change is stored only when it
//! differs from the backend's last stored state, so unchanged polls add nothing. Table
//! `watched(session, backend, start, end)`: the stretches of time the app polled the backend
//! ([`History::record_watched`] extends the last one while polls keep coming). Uptime counts only
//! watched time ([`crate::uptime`]). Records older than 7 days are pruned (on open and at most
//! hourly while recording), except each backend's newest change before the cutoff, which carries
//! its state into the window. Schema 1 files (without `watched`) are upgraded in place: their
//! past is unknown. A file that is not a readable SQLite database is moved
//! aside (`<name>.corrupt-<UTC time>`) and a fresh one created. A file written by a newer version
//! of the app is left untouched and nothing is read from it: this run's history is kept in memory
//! only. Either way [`History::recovery`] says so, in words for the user.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use rusqlite::{params, Connection, ErrorCode as SqlErrorCode, OptionalExtension};

use crate::error::{HealthError, Result};
use crate::uptime::{segments, uptime_ratio, Segment, StatusChange, Watched, WEEK};

/// Where "now" comes from (injectable for tests).
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// How long records are kept.
pub const RETENTION: Duration = WEEK;

const PRUNE_EVERY: Duration = Duration::hours(1);
/// A watched stretch's end is moved only when it moves by this much: a dashboard polling every
/// 10 s writes once a minute per session, not six times, and at most a minute of watching is
/// not in the file when the app stops. The poller's gap (two intervals and a minute) still
/// counts a stretch whose stored end is that far behind as ongoing.
const EXTEND_BY_AT_LEAST: Duration = Duration::minutes(1);
const SCHEMA_VERSION: i64 = 2;

/// Why the history in use is not the one in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recovery {
    /// The file was corrupt: it was moved to `moved_to` and a new, empty history started.
    MovedAside {
        /// Where the broken file now is.
        moved_to: PathBuf,
        /// What was wrong with it.
        reason: String,
    },
    /// The file was written by a newer version of the app (schema `version`): it is kept as it
    /// is, nothing is read from it, and this run's history is kept in memory only.
    Newer { path: PathBuf, version: i64 },
}

impl Recovery {
    /// A sentence for the user.
    pub fn notice(&self) -> String {
        match self {
            Recovery::MovedAside { moved_to, reason } => format!(
                "The uptime history could not be read ({reason}); it was moved to {} and a new, empty history was started.",
                moved_to.display()
            ),
            Recovery::Newer { path, version } => format!(
                "The uptime history {} was written by a newer version of the app (schema {version}, this one reads {SCHEMA_VERSION}). \
                 It is kept as it is and not read; until you update the app, uptime counts from this run only and is not saved.",
                path.display()
            ),
        }
    }
}

/// The uptime history database.
pub struct History {
    conn: Connection,
    path: PathBuf,
    clock: Clock,
    recovery: Option<Recovery>,
    last_prune: Option<DateTime<Utc>>,
    /// Each backend's last watched stretch (`id`, `end`) as this run wrote it, by session.
    last_watched: HashMap<String, HashMap<String, (i64, i64)>>,
}

impl std::fmt::Debug for History {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("History")
            .field("path", &self.path)
            .field("recovery", &self.recovery)
            .finish_non_exhaustive()
    }
}

impl History {
    /// Opens (or creates) the history at `path`, with the system clock.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        Self::open_with_clock(path, Arc::new(Utc::now))
    }

    /// Opens (or creates) the history at `path` with an injected clock.
    pub fn open_with_clock(path: impl AsRef<Path>, clock: Clock) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| HealthError::Io {
                action: "create the folder",
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let (conn, recovery) = match open_checked(&path) {
            Ok(Opened::Current(conn)) => (conn, None),
            Ok(Opened::Newer(version)) => {
                let recovery = Recovery::Newer {
                    path: path.clone(),
                    version,
                };
                tracing::warn!(path = %path.display(), "{}", recovery.notice());
                let conn = Connection::open_in_memory()
                    .and_then(|conn| create_schema(&conn).map(|()| conn))
                    .map_err(|source| db(&path, source))?;
                (conn, Some(recovery))
            }
            Err(e) if is_corruption(&e) => {
                let now = clock();
                let moved_to = move_aside(&path, now)?;
                let recovery = Recovery::MovedAside {
                    moved_to,
                    reason: e.to_string(),
                };
                tracing::warn!(path = %path.display(), "{}", recovery.notice());
                let conn = match open_checked(&path).map_err(|source| db(&path, source))? {
                    Opened::Current(conn) => conn,
                    Opened::Newer(_) => unreachable_newer(&path)?,
                };
                (conn, Some(recovery))
            }
            Err(source) => return Err(db(&path, source)),
        };
        let mut history = History {
            conn,
            path,
            clock,
            recovery,
            last_prune: None,
            last_watched: HashMap::new(),
        };
        history.prune()?;
        Ok(history)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Set when a corrupt file was moved aside, or a newer file left unread, while opening.
    pub fn recovery(&self) -> Option<&Recovery> {
        self.recovery.as_ref()
    }

    /// The injected clock's "now".
    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// Records a status observed now; stored only if it differs from the last stored state.
    /// Returns whether a record was added.
    pub fn record(&mut self, session: &str, backend: &str, online: bool) -> Result<bool> {
        let change = StatusChange {
            session: session.to_owned(),
            backend: backend.to_owned(),
            online,
            observed_at: self.now(),
        };
        self.record_change(&change)
    }

    /// Records `change` if it differs from the state stored at its time. Returns whether a record
    /// was added.
    pub fn record_change(&mut self, change: &StatusChange) -> Result<bool> {
        Ok(self.record_changes(std::slice::from_ref(change))? == 1)
    }

    /// Records several changes in one transaction (one disk sync for a whole poll), each only if
    /// it differs from the state stored at its time. Returns how many records were added.
    pub fn record_changes(&mut self, changes: &[StatusChange]) -> Result<usize> {
        if changes.is_empty() {
            return Ok(0);
        }
        let tx = self.conn.transaction().map_err(|e| db(&self.path, e))?;
        let mut added = 0;
        for change in changes {
            let last = state_at(&tx, &change.session, &change.backend, change.observed_at)
                .map_err(|e| db(&self.path, e))?;
            if last.is_some_and(|l| l.online == change.online) {
                continue;
            }
            tx.execute(
                "INSERT INTO status_changes (session, backend, online, observed_at) VALUES (?1, ?2, ?3, ?4)",
                params![
                    change.session,
                    change.backend,
                    change.online,
                    change.observed_at.timestamp_millis()
                ],
            )
            .map_err(|e| db(&self.path, e))?;
            added += 1;
        }
        tx.commit().map_err(|e| db(&self.path, e))?;
        let now = self.now();
        if self.last_prune.is_none_or(|t| now - t >= PRUNE_EVERY) {
            self.prune()?;
        }
        Ok(added)
    }

    /// The last stored state of a backend (its newest record).
    pub fn last_state(&self, session: &str, backend: &str) -> Result<Option<StatusChange>> {
        self.state_at(session, backend, DateTime::<Utc>::MAX_UTC)
    }

    /// The backend's state at `at`: its newest record at or before `at`.
    pub fn state_at(
        &self,
        session: &str,
        backend: &str,
        at: DateTime<Utc>,
    ) -> Result<Option<StatusChange>> {
        state_at(&self.conn, session, backend, at).map_err(|e| db(&self.path, e))
    }

    /// The changes of a backend at or after `since`, oldest first. The state at `since` itself is
    /// [`History::state_at`].
    pub fn timeline(
        &self,
        session: &str,
        backend: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<StatusChange>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT online, observed_at FROM status_changes WHERE session = ?1 AND backend = ?2 AND observed_at >= ?3 ORDER BY observed_at, id",
            )
            .map_err(|e| db(&self.path, e))?;
        let rows = stmt
            .query_map(params![session, backend, since.timestamp_millis()], |r| {
                Ok((r.get::<_, bool>(0)?, r.get::<_, i64>(1)?))
            })
            .map_err(|e| db(&self.path, e))?;
        rows.map(|r| {
            r.map(|(online, t)| change(session, backend, online, t))
                .map_err(|e| db(&self.path, e))
        })
        .collect()
    }

    /// Notes that the app polled `backends` of `session` at `at`: each one's last watched
    /// stretch is extended to `at` when it ended at most `gap` before, else a new one starts.
    /// A stretch that would move by less than [`EXTEND_BY_AT_LEAST`] is left as it is, and
    /// the file is not touched when no stretch moves. The file is read only for a backend this
    /// run has not seen yet; the stretches extended are updated in one statement.
    pub fn record_watched(
        &mut self,
        session: &str,
        backends: &[impl AsRef<str>],
        at: DateTime<Utc>,
        gap: Duration,
    ) -> Result<()> {
        let t = at.timestamp_millis();
        let known = self.last_watched.get(session);
        // A stretch that ended less than EXTEND_BY_AT_LEAST before `t` stays as it is.
        let stays_at = |end: i64| t - end < EXTEND_BY_AT_LEAST.num_milliseconds();
        let stays = |backend: &str| {
            known
                .and_then(|k| k.get(backend))
                .is_some_and(|&(_, end)| stays_at(end))
        };
        // Most polls move no stretch: nothing to read or write, not even a transaction to open.
        if backends.iter().all(|b| stays(b.as_ref())) {
            return Ok(());
        }
        let tx = self.conn.transaction().map_err(|e| db(&self.path, e))?;
        let mut extended = Vec::new();
        // Each backend's last stretch (id, end) as it will be in the file.
        let mut last_stretches = Vec::with_capacity(backends.len());
        let mut started = false;
        for backend in backends.iter().map(AsRef::as_ref) {
            let last = match known.and_then(|k| k.get(backend)) {
                Some(&last) => Some(last),
                None => tx
                    .prepare_cached(
                        "SELECT id, end FROM watched WHERE session = ?1 AND backend = ?2 ORDER BY end DESC, id DESC LIMIT 1",
                    )
                    .and_then(|mut stmt| {
                        stmt.query_row(params![session, backend], |r| Ok((r.get(0)?, r.get(1)?)))
                            .optional()
                    })
                    .map_err(|e| db(&self.path, e))?,
            };
            let stretch = match last {
                Some((id, end)) if stays_at(end) => (id, end),
                Some((id, end)) if t - end <= gap.num_milliseconds() => {
                    extended.push(id);
                    (id, t)
                }
                _ => {
                    tx.execute(
                        "INSERT INTO watched (session, backend, start, end) VALUES (?1, ?2, ?3, ?3)",
                        params![session, backend, t],
                    )
                    .map_err(|e| db(&self.path, e))?;
                    started = true;
                    (tx.last_insert_rowid(), t)
                }
            };
            last_stretches.push((backend, stretch));
        }
        for ids in extended.chunks(500) {
            let sql = format!(
                "UPDATE watched SET end = ?1 WHERE id IN ({})",
                vec!["?"; ids.len()].join(", ")
            );
            tx.execute(
                &sql,
                rusqlite::params_from_iter(std::iter::once(t).chain(ids.iter().copied())),
            )
            .map_err(|e| db(&self.path, e))?;
        }
        if started || !extended.is_empty() {
            tx.commit().map_err(|e| db(&self.path, e))?;
        }
        let known = match self.last_watched.get_mut(session) {
            Some(known) => known,
            None => self.last_watched.entry(session.to_owned()).or_default(),
        };
        for (backend, stretch) in last_stretches {
            match known.get_mut(backend) {
                Some(last) => *last = stretch,
                None => {
                    known.insert(backend.to_owned(), stretch);
                }
            }
        }
        Ok(())
    }

    /// The stretches the app watched the backend that end at or after `since`, oldest first.
    pub fn watched(
        &self,
        session: &str,
        backend: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<Watched>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT start, end FROM watched WHERE session = ?1 AND backend = ?2 AND end >= ?3 ORDER BY start, id",
            )
            .map_err(|e| db(&self.path, e))?;
        let rows = stmt
            .query_map(params![session, backend, since.timestamp_millis()], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
            })
            .map_err(|e| db(&self.path, e))?;
        let at = |ms: i64| DateTime::from_timestamp_millis(ms).unwrap_or_default();
        rows.map(|r| {
            r.map(|(from, to)| Watched {
                from: at(from),
                to: at(to),
            })
            .map_err(|e| db(&self.path, e))
        })
        .collect()
    }

    /// The backend's timeline from `since` to now: watched time online or offline, the rest
    /// unknown ([`crate::uptime::segments`]). A watched stretch that ended at most `ongoing` ago
    /// is taken to go on until now (the next poll is not due yet: [`crate::poller::watch_gap`]).
    pub fn segments(
        &self,
        session: &str,
        backend: &str,
        since: DateTime<Utc>,
        ongoing: Duration,
    ) -> Result<Vec<Segment>> {
        let now = self.now();
        let anchor = self.state_at(session, backend, since)?.map(|c| c.online);
        let changes: Vec<(DateTime<Utc>, bool)> = self
            .timeline(session, backend, since)?
            .into_iter()
            .map(|c| (c.observed_at, c.online))
            .collect();
        let mut watched = self.watched(session, backend, since)?;
        for w in &mut watched {
            if w.to < now && now - w.to <= ongoing {
                w.to = now;
            }
        }
        Ok(segments(anchor, &changes, &watched, since, now))
    }

    /// The fraction of the watched part of the last `window` (e.g. [`crate::DAY`],
    /// [`crate::WEEK`]) the backend was online; `None` when none of it was watched.
    pub fn uptime(&self, session: &str, backend: &str, window: Duration) -> Result<Option<f64>> {
        let since = self.now() - window;
        let segments = self.segments(session, backend, since, Duration::zero())?;
        Ok(uptime_ratio(&segments))
    }

    /// Deletes records older than [`RETENTION`], keeping each backend's newest change before the
    /// cutoff, and watched stretches that ended before it. Returns how many were deleted.
    pub fn prune(&mut self) -> Result<usize> {
        let now = self.now();
        let cutoff = (now - RETENTION).timestamp_millis();
        let n = self
            .conn
            .execute(
                "DELETE FROM status_changes WHERE observed_at < ?1 AND id NOT IN (
                    SELECT id FROM (
                        SELECT id, ROW_NUMBER() OVER (PARTITION BY session, backend ORDER BY observed_at DESC, id DESC) AS rn
                        FROM status_changes WHERE observed_at < ?1
                    ) WHERE rn = 1
                )",
                params![cutoff],
            )
            .map_err(|e| db(&self.path, e))?;
        let w = self
            .conn
            .execute("DELETE FROM watched WHERE end < ?1", params![cutoff])
            .map_err(|e| db(&self.path, e))?;
        self.last_prune = Some(now);
        Ok(n + w)
    }

    /// How many records are stored.
    pub fn count(&self) -> Result<usize> {
        self.conn
            .query_row("SELECT COUNT(*) FROM status_changes", [], |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| usize::try_from(n).unwrap_or_default())
            .map_err(|e| db(&self.path, e))
    }
}

fn state_at(
    conn: &Connection,
    session: &str,
    backend: &str,
    at: DateTime<Utc>,
) -> rusqlite::Result<Option<StatusChange>> {
    conn.prepare_cached(
        "SELECT online, observed_at FROM status_changes WHERE session = ?1 AND backend = ?2 AND observed_at <= ?3 ORDER BY observed_at DESC, id DESC LIMIT 1",
    )?
    .query_row(params![session, backend, at.timestamp_millis()], |r| {
        Ok((r.get::<_, bool>(0)?, r.get::<_, i64>(1)?))
    })
    .optional()
    .map(|o| o.map(|(online, t)| change(session, backend, online, t)))
}

fn change(session: &str, backend: &str, online: bool, millis: i64) -> StatusChange {
    StatusChange {
        session: session.to_owned(),
        backend: backend.to_owned(),
        online,
        observed_at: DateTime::from_timestamp_millis(millis).unwrap_or_default(),
    }
}

fn db(path: &Path, source: rusqlite::Error) -> HealthError {
    HealthError::Database {
        path: path.to_path_buf(),
        source,
    }
}

/// What opening the file found.
enum Opened {
    /// A file of this app's schema (or a new one), ready.
    Current(Connection),
    /// A file of a newer schema: left as it is.
    Newer(i64),
}

/// Opens the file, checks it and creates the schema (not in a newer file).
fn open_checked(path: &Path) -> rusqlite::Result<Opened> {
    let conn = Connection::open(path)?;
    let check: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if check != "ok" {
        return Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
            Some(format!("integrity check failed: {check}")),
        ));
    }
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Ok(Opened::Newer(version));
    }
    // Every poll of every session writes a transaction: in WAL mode with `synchronous = NORMAL`
    // a commit appends to the log without waiting for the disk (a power cut may lose the last
    // polls' stretches, never the file). Set only on a file of this version: a newer one is left
    // untouched.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    create_schema(&conn)?;
    Ok(Opened::Current(conn))
}

fn create_schema(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS status_changes (
            id INTEGER PRIMARY KEY,
            session TEXT NOT NULL,
            backend TEXT NOT NULL,
            online INTEGER NOT NULL,
            observed_at INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS status_changes_by_backend
            ON status_changes (session, backend, observed_at);
        CREATE TABLE IF NOT EXISTS watched (
            id INTEGER PRIMARY KEY,
            session TEXT NOT NULL,
            backend TEXT NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS watched_by_backend ON watched (session, backend, end);
        PRAGMA user_version = 2;",
    )?;
    // The tables must have the expected columns (a foreign file with the same table name fails).
    conn.prepare("SELECT id, session, backend, online, observed_at FROM status_changes LIMIT 0")?;
    conn.prepare("SELECT id, session, backend, start, end FROM watched LIMIT 0")?;
    Ok(())
}

/// A fresh file just created after moving the old one aside cannot be newer; if another process
/// wrote one there meanwhile, say so instead of using it.
fn unreachable_newer(path: &Path) -> Result<Connection> {
    Err(HealthError::Io {
        action: "start a new history (a newer version of the app wrote one meanwhile)",
        path: path.to_path_buf(),
        source: std::io::Error::from(std::io::ErrorKind::AlreadyExists),
    })
}

fn is_corruption(e: &rusqlite::Error) -> bool {
    match e {
        rusqlite::Error::SqliteFailure(f, _) => matches!(
            f.code,
            SqlErrorCode::DatabaseCorrupt | SqlErrorCode::NotADatabase
        ),
        _ => false,
    }
}

/// Renames the file (and its journal, if any) to `<name>.corrupt-<time>`.
fn move_aside(path: &Path, now: DateTime<Utc>) -> Result<PathBuf> {
    let suffix = format!("corrupt-{}", now.format("%Y%m%dT%H%M%S%.3fZ"));
    let with = |p: &Path| {
        let mut s = p.as_os_str().to_owned();
        s.push(format!(".{suffix}"));
        PathBuf::from(s)
    };
    let moved_to = with(path);
    std::fs::rename(path, &moved_to).map_err(|source| HealthError::Io {
        action: "move aside the corrupt file",
        path: path.to_path_buf(),
        source,
    })?;
    for ext in ["-journal", "-wal", "-shm"] {
        let mut s = path.as_os_str().to_owned();
        s.push(ext);
        let side = PathBuf::from(s);
        if side.exists() {
            let _ = std::fs::rename(&side, with(&side));
        }
    }
    Ok(moved_to)
}

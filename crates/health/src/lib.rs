//! Backend health across OSMO sessions, as a library (no Tauri).
//!
//! * [`rows`]: one [`BackendRow`] per backend per session (name, online flag, heartbeat, offline
//!   since, version, namespace, scheduler, pools) and [`SessionTotals`].
//! * [`source`]: [`BackendSource`], where rows come from; [`SessionSource`] over an OSMO session.
//! * [`poller`]: [`Poller`], one task per session with its own interval, timeout and
//!   [`backoff`]; reports every poll to a [`HealthSink`].
//! * [`history`]: [`History`], observed status changes in SQLite (7 days), with
//!   [`History::timeline`] and [`History::uptime`] ([`uptime`] does the arithmetic).
//! * [`detail`]: a backend's fields as name/value pairs and its config-history changes.
//! * [`notify`]: [`decide`] which "went offline" / "came back" notifications to raise.
//!
//! Errors are [`HealthError`] with [`HealthError::code`].

pub mod backoff;
pub mod config_diff;
pub mod detail;
pub mod error;
pub mod history;
pub mod notify;
pub mod poller;
pub mod rows;
pub mod source;
pub mod uptime;

pub use backoff::{Backoff, BackoffPolicy};
pub use config_diff::{config_changes, EntityChange, EntityChangeKind};
pub use detail::{backend_changes, backend_fields, BackendChange, FieldChange};
pub use error::{HealthError, Result};
pub use history::{Clock, History, Recovery, RETENTION};
pub use notify::{decide, Notification, NotificationKind};
pub use poller::{
    watch_gap, HealthSink, HealthUpdate, PollError, Poller, PollerConfig, SessionSnapshot,
    SharedHistory, HEARTBEAT_WINDOW,
};
pub use rows::{pools_by_backend, rows_for_session, BackendRow, SessionTotals};
pub use source::{BackendSource, FetchTag, Fetched, SessionSource};
pub use uptime::{observed, segments, uptime_ratio, Segment, StatusChange, Watched, DAY, WEEK};

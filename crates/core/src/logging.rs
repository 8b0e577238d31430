//! Logging to a rotating file in the platform log folder.
//!
//! One file a day, the last [`KEPT_LOG_FILES`] kept. The level comes from `OSMO_ADMIN_LOG`
//! (a level, or `target=level` pairs separated by commas, as `tracing_subscriber`'s `Targets`
//! reads them; default `info`). Secrets never reach a log: they are wrapped in
//! `osmo_admin_secrets::Secret`, whose `Debug` and `Display` print a redaction.

use std::path::Path;

use tracing::Subscriber;
use tracing_appender::non_blocking::{NonBlocking, NonBlockingBuilder, WorkerGuard};
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// How many daily log files are kept.
pub const KEPT_LOG_FILES: usize = 7;
/// Log file names start with this.
pub const LOG_FILE_PREFIX: &str = "osmo-backend-admin";
/// How many lines wait for the log writer's thread at most; more are dropped rather than making
/// the app wait. `tracing_appender`'s default, 128,000, is a queue of 4 MiB allocated (and
/// touched) at start, for an app that logs a few lines a minute.
const QUEUED_LOG_LINES: usize = 4_096;

#[derive(Debug, thiserror::Error)]
pub enum LoggingError {
    #[error("could not open the log folder {path}: {reason}")]
    Open { path: String, reason: String },
    #[error("logging was already set up")]
    AlreadyInitialised,
}

/// Keeps the background log writer alive; logs are flushed when it is dropped.
#[must_use = "logs stop being written when the guard is dropped"]
pub struct LogGuard(#[allow(dead_code)] WorkerGuard);

/// A non-blocking writer to the rotating log files in `log_dir`.
pub fn rolling_writer(log_dir: &Path) -> Result<(NonBlocking, LogGuard), LoggingError> {
    let open_error = |reason: String| LoggingError::Open {
        path: log_dir.display().to_string(),
        reason,
    };
    // Created first: the appender prunes old files at start and complains if the folder is missing.
    std::fs::create_dir_all(log_dir).map_err(|err| open_error(err.to_string()))?;
    let appender = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix(LOG_FILE_PREFIX)
        .filename_suffix("log")
        .max_log_files(KEPT_LOG_FILES)
        .build(log_dir)
        .map_err(|err| open_error(err.to_string()))?;
    let (writer, guard) = NonBlockingBuilder::default()
        .buffered_lines_limit(QUEUED_LOG_LINES)
        .lossy(true)
        .finish(appender);
    Ok((writer, LogGuard(guard)))
}

/// Installs the global subscriber writing to `log_dir`, at the level `OSMO_ADMIN_LOG` asks for.
pub fn init(log_dir: &Path) -> Result<LogGuard, LoggingError> {
    let (writer, guard) = rolling_writer(log_dir)?;
    subscriber(writer, std::env::var("OSMO_ADMIN_LOG").ok().as_deref())
        .try_init()
        .map_err(|_| LoggingError::AlreadyInitialised)?;
    Ok(guard)
}

/// Plain-text events to `writer`, filtered by [`level_filter`] alone (the fmt layer adds no
/// level cap of its own, so `debug` reaches the file when asked for).
fn subscriber(writer: NonBlocking, setting: Option<&str>) -> impl Subscriber + Send + Sync {
    tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(writer)
                .with_ansi(false),
        )
        .with(level_filter(setting))
}

/// What `OSMO_ADMIN_LOG` asks for (`debug`, `osmo_admin_health=debug,info`); `info` when it is
/// unset or not understood.
fn level_filter(setting: Option<&str>) -> Targets {
    setting
        .and_then(|s| s.parse::<Targets>().ok())
        .unwrap_or_else(|| Targets::new().with_default(LevelFilter::INFO))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_level_comes_from_the_setting_and_is_info_otherwise() {
        let debug = level_filter(Some("debug"));
        assert!(debug.would_enable("osmo_admin_health", &tracing::Level::DEBUG));
        let mixed = level_filter(Some("osmo_admin_health=debug,warn"));
        assert!(mixed.would_enable("osmo_admin_health::poller", &tracing::Level::DEBUG));
        assert!(!mixed.would_enable("tauri", &tracing::Level::INFO));
        for unset in [None, Some("osmo_admin=loudest")] {
            let info = level_filter(unset);
            assert!(
                info.would_enable("tauri", &tracing::Level::INFO),
                "{unset:?}"
            );
            assert!(
                !info.would_enable("tauri", &tracing::Level::DEBUG),
                "{unset:?}"
            );
        }
    }

    #[test]
    fn events_land_in_a_dated_file_at_the_level_asked_for() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("logs");
        let (writer, guard) = rolling_writer(&dir).unwrap();
        tracing::subscriber::with_default(subscriber(writer, Some("debug")), || {
            tracing::info!(backend = "gpu-east", "backend went offline");
            tracing::debug!("polled 20 backends");
            tracing::trace!("decoded a heartbeat");
        });
        drop(guard);
        let files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .collect();
        assert_eq!(files.len(), 1, "{files:?}");
        let name = files[0].file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with(LOG_FILE_PREFIX) && name.ends_with(".log"),
            "{name}"
        );
        let text = std::fs::read_to_string(&files[0]).unwrap();
        assert!(
            text.contains("backend went offline") && text.contains("gpu-east"),
            "{text}"
        );
        assert!(
            text.contains("polled 20 backends"),
            "debug was asked for: {text}"
        );
        assert!(
            !text.contains("decoded a heartbeat"),
            "trace was not: {text}"
        );
    }
}

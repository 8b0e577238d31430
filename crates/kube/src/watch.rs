//! Watching the kubeconfig files: one debounced callback after a burst of changes.
//!
//! Editors and `kubectl` replace a kubeconfig by writing a temporary file and renaming it over
//! the old one, which a watch on the file itself would lose; so the folders holding the files are
//! watched and events are kept only for the files themselves. A folder that does not exist (no
//! `~/.kube` yet) is skipped. The callback should re-read the files: [`crate::KubeconfigSet`]
//! keeps the last good contents of a file caught half-written.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use notify_debouncer_mini::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_mini::{new_debouncer, DebounceEventResult, Debouncer};

use crate::Error;

/// How long the files must be quiet before the callback runs.
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(300);

/// Watches a set of files until dropped.
pub struct KubeconfigWatcher {
    _debouncer: Debouncer<RecommendedWatcher>,
    watched_dirs: Vec<PathBuf>,
}

impl KubeconfigWatcher {
    /// Calls `on_change` (on the watcher's thread) once per burst of changes to any of `files`.
    pub fn start(
        files: &[PathBuf],
        debounce: Duration,
        on_change: impl Fn() + Send + 'static,
    ) -> Result<Self, Error> {
        let wanted: BTreeSet<PathBuf> = files.iter().map(|f| normalized(f)).collect();
        let dirs: BTreeSet<PathBuf> = wanted
            .iter()
            .filter_map(|f| f.parent().map(Path::to_path_buf))
            .collect();
        let filter = wanted.clone();
        let mut debouncer =
            new_debouncer(debounce, move |result: DebounceEventResult| match result {
                Ok(events) if events.iter().any(|e| filter.contains(&normalized(&e.path))) => {
                    on_change()
                }
                Ok(_) => {}
                Err(err) => tracing::warn!(%err, "kubeconfig watcher error"),
            })
            .map_err(|err| watch_error(Path::new("."), err))?;
        let mut watched_dirs = Vec::new();
        for dir in dirs {
            if !dir.is_dir() {
                tracing::debug!(dir = %dir.display(), "not watching a folder that does not exist");
                continue;
            }
            debouncer
                .watcher()
                .watch(&dir, RecursiveMode::NonRecursive)
                .map_err(|err| watch_error(&dir, err))?;
            watched_dirs.push(dir);
        }
        Ok(Self {
            _debouncer: debouncer,
            watched_dirs,
        })
    }

    /// The folders being watched.
    pub fn watched_dirs(&self) -> &[PathBuf] {
        &self.watched_dirs
    }
}

/// Events name files by their canonical folder; compare on that.
fn normalized(path: &Path) -> PathBuf {
    match (path.parent(), path.file_name()) {
        (Some(dir), Some(name)) => dir
            .canonicalize()
            .unwrap_or_else(|_| dir.to_path_buf())
            .join(name),
        _ => path.to_path_buf(),
    }
}

fn watch_error(path: &Path, err: impl std::fmt::Display) -> Error {
    Error::Io {
        action: "watch",
        path: path.to_path_buf(),
        source: std::io::Error::other(err.to_string()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    use super::*;

    fn wait_for(count: &AtomicUsize, at_least: usize) -> bool {
        for _ in 0..50 {
            if count.load(Ordering::SeqCst) >= at_least {
                return true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        false
    }

    #[test]
    fn a_burst_of_writes_is_collapsed_and_an_atomic_replace_is_seen() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config");
        std::fs::write(&config, "a").unwrap();
        let count = Arc::new(AtomicUsize::new(0));
        let seen = count.clone();
        let watcher = KubeconfigWatcher::start(
            std::slice::from_ref(&config),
            Duration::from_millis(200),
            move || {
                seen.fetch_add(1, Ordering::SeqCst);
            },
        )
        .unwrap();
        assert_eq!(watcher.watched_dirs().len(), 1);

        for i in 0..50 {
            std::fs::write(&config, format!("edit {i}")).unwrap();
        }
        assert!(wait_for(&count, 1), "no callback after writes");
        std::thread::sleep(Duration::from_millis(600));
        let after_burst = count.load(Ordering::SeqCst);
        // 50 writes make well over 50 inotify events; debounced, they are a reload or two.
        assert!(
            after_burst <= 3,
            "{after_burst} callbacks for one burst of writes"
        );

        // What editors and kubectl do: write elsewhere, rename over.
        let tmp = dir.path().join(".config.tmp");
        std::fs::write(&tmp, "replaced").unwrap();
        std::fs::rename(&tmp, &config).unwrap();
        assert!(
            wait_for(&count, after_burst + 1),
            "no callback after an atomic replace"
        );
    }

    #[test]
    fn other_files_in_the_folder_are_ignored_and_missing_folders_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config");
        std::fs::write(&config, "a").unwrap();
        let count = Arc::new(AtomicUsize::new(0));
        let seen = count.clone();
        let missing = dir.path().join("no-such-folder/config");
        let watcher = KubeconfigWatcher::start(
            &[config.clone(), missing],
            Duration::from_millis(100),
            move || {
                seen.fetch_add(1, Ordering::SeqCst);
            },
        )
        .unwrap();
        assert_eq!(watcher.watched_dirs().len(), 1);
        std::fs::write(dir.path().join("cache.json"), "{}").unwrap();
        std::thread::sleep(Duration::from_millis(800));
        assert_eq!(count.load(Ordering::SeqCst), 0);
    }
}

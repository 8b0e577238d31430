//! Watching the kubeconfig files: one callback after a burst of real changes.
//!
//! Editors and `kubectl` replace a kubeconfig by writing a temporary file and renaming it over
//! the old one, which a watch on the file itself would lose; so the folders holding the files are
//! watched and events are kept only for the files themselves. A folder that does not exist (no
//! `~/.kube` yet) is skipped. Reading a file (opening it, closing it unwritten) is not a change: the
//! callback re-reads the files, and counting its own reads would make it run forever. After a quiet
//! period the files' contents are compared with what was last seen, and only a difference calls
//! back (a save of identical contents or a `touch` does not). The callback should re-read the files:
//! [`crate::KubeconfigSet`] keeps the last good contents of a file caught half-written.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify_debouncer_mini::notify::{
    self, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _,
};

use crate::pointed_file::read_pointed_file;
use crate::Error;

/// How long the files must be quiet before their contents are compared.
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(300);

/// Watches a set of files until dropped.
pub struct KubeconfigWatcher {
    _watcher: RecommendedWatcher,
    watched_dirs: Vec<PathBuf>,
}

/// What a file held when last looked at.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Fingerprint {
    Absent,
    Unreadable(String),
    Contents(u64),
}

impl KubeconfigWatcher {
    /// Calls `on_change` (on the watcher's thread) once per burst of changes that leaves any of
    /// `files` with other contents than before.
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
        let mut seen = fingerprints(&wanted);
        let (changed, quiet) = mpsc::channel::<()>();
        let filter = wanted.clone();
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                match event {
                    Ok(event) if is_change(&event.kind) => {
                        if event.paths.iter().any(|p| filter.contains(&normalized(p))) {
                            // The receiver is gone only while the watcher is being dropped.
                            let _ = changed.send(());
                        }
                    }
                    Ok(_) => {}
                    Err(err) => tracing::warn!(%err, "kubeconfig watcher error"),
                }
            })
            .map_err(|err| watch_error(Path::new("."), err))?;
        std::thread::Builder::new()
            .name("kubeconfig-watch".into())
            .spawn(move || {
                // Ends when the watcher (and with it the sender) is dropped.
                while quiet.recv().is_ok() {
                    loop {
                        match quiet.recv_timeout(debounce) {
                            Ok(()) => continue,
                            Err(mpsc::RecvTimeoutError::Timeout) => break,
                            Err(mpsc::RecvTimeoutError::Disconnected) => return,
                        }
                    }
                    let now = fingerprints(&wanted);
                    if now != seen {
                        seen = now;
                        on_change();
                    }
                }
            })
            .map_err(|err| watch_error(Path::new("."), err))?;
        let mut watched_dirs = Vec::new();
        for dir in dirs {
            if !dir.is_dir() {
                tracing::debug!(dir = %dir.display(), "not watching a folder that does not exist");
                continue;
            }
            watcher
                .watch(&dir, RecursiveMode::NonRecursive)
                .map_err(|err| watch_error(&dir, err))?;
            watched_dirs.push(dir);
        }
        Ok(Self {
            _watcher: watcher,
            watched_dirs,
        })
    }

    /// The folders being watched.
    pub fn watched_dirs(&self) -> &[PathBuf] {
        &self.watched_dirs
    }
}

/// Whether an event can change a file's contents (reads and opens cannot).
fn is_change(kind: &EventKind) -> bool {
    !matches!(kind, EventKind::Access(_))
}

fn fingerprints(files: &BTreeSet<PathBuf>) -> BTreeMap<PathBuf, Fingerprint> {
    files.iter().map(|f| (f.clone(), fingerprint(f))).collect()
}

fn fingerprint(file: &Path) -> Fingerprint {
    if !file.exists() {
        return Fingerprint::Absent;
    }
    match read_pointed_file(file, "read") {
        Ok(bytes) => {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            bytes.hash(&mut hasher);
            Fingerprint::Contents(hasher.finish())
        }
        Err(err) => Fingerprint::Unreadable(err.to_string()),
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

    fn counting_watcher(config: &Path) -> (KubeconfigWatcher, Arc<AtomicUsize>) {
        let count = Arc::new(AtomicUsize::new(0));
        let seen = count.clone();
        let watcher = KubeconfigWatcher::start(
            &[config.to_path_buf()],
            Duration::from_millis(150),
            move || {
                seen.fetch_add(1, Ordering::SeqCst);
            },
        )
        .unwrap();
        (watcher, count)
    }

    #[test]
    fn reading_the_files_as_the_callback_does_is_not_a_change() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config");
        std::fs::copy(
            crate::test_support::fixtures_dir().join("team-a.yaml"),
            &config,
        )
        .unwrap();
        let (_watcher, count) = counting_watcher(&config);
        // What list_contexts does on every call, many times over.
        for _ in 0..20 {
            let mut set = crate::KubeconfigSet::load(vec![crate::SourceFile {
                path: config.clone(),
                origin: crate::FileOrigin::HomeDefault,
            }]);
            set.reload();
            let _ = std::fs::read(&config).unwrap();
            std::thread::sleep(Duration::from_millis(50));
        }
        std::thread::sleep(Duration::from_millis(2000));
        assert_eq!(count.load(Ordering::SeqCst), 0, "reads fired the watcher");
    }

    #[test]
    fn one_real_change_calls_back_once_and_identical_contents_never() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config");
        std::fs::write(&config, "apiVersion: v1\n").unwrap();
        let (_watcher, count) = counting_watcher(&config);

        std::fs::write(&config, "apiVersion: v1\n").unwrap();
        let tmp = dir.path().join(".config.tmp");
        std::fs::write(&tmp, "apiVersion: v1\n").unwrap();
        std::fs::rename(&tmp, &config).unwrap();
        std::thread::sleep(Duration::from_millis(1500));
        assert_eq!(
            count.load(Ordering::SeqCst),
            0,
            "identical contents called back"
        );

        std::fs::write(&config, "apiVersion: v1\nkind: Config\n").unwrap();
        assert!(wait_for(&count, 1), "no callback after a real change");
        // The callback reads the file, as the app does; that must not count as a second change.
        let _ = std::fs::read(&config).unwrap();
        std::thread::sleep(Duration::from_millis(1500));
        assert_eq!(count.load(Ordering::SeqCst), 1);
    }
}

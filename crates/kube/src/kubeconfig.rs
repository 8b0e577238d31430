//! Finding and reading the user's kubeconfig files the way kubectl does.
//!
//! Scope: which files make up the user's configuration ([`discover`]: `KUBECONFIG` as a list of files,
//! else `~/.kube/config`, plus extra files from the app's settings), reading each with kube's own
//! [`Kubeconfig::read_from`] (which also makes relative paths absolute), and keeping them in a
//! [`KubeconfigSet`] that reports each file's state and, on [`KubeconfigSet::reload`], keeps the last
//! good contents of a file that fails to parse (e.g. caught mid-write).
//!
//! Merging follows kubectl: the first file to define a name wins, and `current-context` comes from the
//! first file that sets it. The merged view itself is built in `contexts.rs` and `connect.rs`.
//!
//! Non-goals: watching files (the caller calls `reload`), writing files (only
//! [`crate::set_current_context`] writes), and in-cluster configuration.

use std::collections::HashSet;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use kube::config::{Kubeconfig, KubeconfigError};
use osmo_admin_core::ErrorCode;
use serde::Serialize;

use crate::Error;

/// The separator of the `KUBECONFIG` list on this platform (`;` on Windows, `:` elsewhere).
pub const KUBECONFIG_LIST_SEPARATOR: char = if cfg!(windows) { ';' } else { ':' };

/// Why a file is part of the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum FileOrigin {
    /// Listed in the `KUBECONFIG` environment variable.
    KubeconfigEnv,
    /// `~/.kube/config`, used because `KUBECONFIG` is unset or empty.
    HomeDefault,
    /// Added by the user in the app's settings.
    Extra,
}

/// One kubeconfig file and why it is read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceFile {
    /// The file.
    pub path: PathBuf,
    /// Why it is read.
    pub origin: FileOrigin,
}

/// Splits a `KUBECONFIG` value on `separator`, dropping empty entries (as kubectl does).
///
/// Takes the separator so that both platforms' rules can be tested anywhere; [`discover`] passes
/// [`KUBECONFIG_LIST_SEPARATOR`]. Non-UTF-8 bytes are replaced (lossy).
pub fn split_kubeconfig_list(value: &OsStr, separator: char) -> Vec<PathBuf> {
    value
        .to_string_lossy()
        .split(separator)
        .filter(|s| !s.is_empty())
        .map(PathBuf::from)
        .collect()
}

/// The files that make up the user's configuration, in merge order.
///
/// `kubeconfig_env` is the value of `KUBECONFIG` (pass `std::env::var_os("KUBECONFIG")`), `home_dir` the
/// user's home folder, `extra` the files added in settings (appended after the others). A non-empty
/// `KUBECONFIG` replaces `~/.kube/config`, as in kubectl. A path listed twice is read once, at its first
/// position.
pub fn discover(
    kubeconfig_env: Option<&OsStr>,
    home_dir: Option<&Path>,
    extra: &[PathBuf],
) -> Vec<SourceFile> {
    discover_with_separator(kubeconfig_env, home_dir, extra, KUBECONFIG_LIST_SEPARATOR)
}

/// [`discover`] with an explicit list separator (for tests of the other platform's rules).
pub fn discover_with_separator(
    kubeconfig_env: Option<&OsStr>,
    home_dir: Option<&Path>,
    extra: &[PathBuf],
    separator: char,
) -> Vec<SourceFile> {
    let from_env = kubeconfig_env
        .map(|v| split_kubeconfig_list(v, separator))
        .unwrap_or_default();
    let mut files: Vec<SourceFile> = if from_env.is_empty() {
        home_dir
            .map(|h| SourceFile {
                path: h.join(".kube").join("config"),
                origin: FileOrigin::HomeDefault,
            })
            .into_iter()
            .collect()
    } else {
        from_env
            .into_iter()
            .map(|path| SourceFile {
                path,
                origin: FileOrigin::KubeconfigEnv,
            })
            .collect()
    };
    files.extend(extra.iter().map(|path| SourceFile {
        path: path.clone(),
        origin: FileOrigin::Extra,
    }));
    let mut seen = HashSet::new();
    files.retain(|f| seen.insert(f.path.clone()));
    files
}

/// The state of one file in a [`KubeconfigSet`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum FileState {
    /// Read and parsed; its contents are in use.
    Loaded,
    /// Does not exist. kubectl silently skips missing `KUBECONFIG` entries and a missing
    /// `~/.kube/config`; a missing extra file also carries an error.
    Missing,
    /// Cannot be read or parsed, and there are no earlier good contents: it contributes nothing.
    Broken,
    /// Cannot be parsed now, but earlier good contents are still in use (see the error).
    LastGood,
}

/// A problem with a file, ready for display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileProblem {
    /// The code the UI branches on.
    pub code: ErrorCode,
    /// What is wrong and what to do.
    pub message: String,
    /// 1-based line, when the parser reports one.
    pub line: Option<u64>,
}

/// One file's state, for the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileStatus {
    /// The file.
    pub path: PathBuf,
    /// Why it is read.
    pub origin: FileOrigin,
    /// Its state.
    pub state: FileState,
    /// The current problem, if any (beside the last good contents for [`FileState::LastGood`]).
    pub error: Option<FileProblem>,
    /// How many contexts its contents (current or last good) define.
    pub contexts: usize,
}

#[derive(Debug)]
struct FileEntry {
    source: SourceFile,
    contents: Option<Kubeconfig>,
    error: Option<Error>,
    missing: bool,
}

/// The user's kubeconfig files, read, each with its state.
///
/// Holds, per file, the last contents that parsed and the current error beside them, so that a file
/// caught half-written keeps its contexts until it parses again.
#[derive(Debug, Default)]
pub struct KubeconfigSet {
    files: Vec<FileEntry>,
}

impl KubeconfigSet {
    /// Reads every file. Never fails: problems are reported per file by [`KubeconfigSet::files`].
    pub fn load(sources: Vec<SourceFile>) -> Self {
        let mut set = KubeconfigSet::default();
        set.reload_sources(sources);
        set
    }

    /// Re-reads every file. A file that now fails to parse keeps its last good contents (state
    /// [`FileState::LastGood`]); a file that is gone is dropped (state [`FileState::Missing`]).
    pub fn reload(&mut self) {
        for entry in &mut self.files {
            entry.refresh();
        }
    }

    /// Replaces the list of files (e.g. after `KUBECONFIG` or the settings changed) and re-reads them,
    /// keeping the last good contents of files that stay in the list.
    pub fn reload_sources(&mut self, sources: Vec<SourceFile>) {
        let mut old = std::mem::take(&mut self.files);
        for source in sources {
            let mut entry = match old.iter().position(|e| e.source.path == source.path) {
                Some(i) => {
                    let mut e = old.swap_remove(i);
                    e.source = source;
                    e
                }
                None => FileEntry {
                    source,
                    contents: None,
                    error: None,
                    missing: false,
                },
            };
            entry.refresh();
            self.files.push(entry);
        }
    }

    /// Each file's state, in merge order.
    pub fn files(&self) -> Vec<FileStatus> {
        self.files
            .iter()
            .map(|e| FileStatus {
                path: e.source.path.clone(),
                origin: e.source.origin,
                state: e.state(),
                error: e.error.as_ref().map(|err| FileProblem {
                    code: err.code(),
                    message: err.to_string(),
                    line: match err {
                        Error::KubeconfigInvalid { line, .. } => *line,
                        _ => None,
                    },
                }),
                contexts: e.contents.as_ref().map_or(0, |c| c.contexts.len()),
            })
            .collect()
    }

    /// The files' usable contents (current or last good), in merge order.
    pub fn documents(&self) -> impl Iterator<Item = (&SourceFile, &Kubeconfig)> {
        self.files
            .iter()
            .filter_map(|e| e.contents.as_ref().map(|c| (&e.source, c)))
    }

    /// The current context and the file that sets it: the first file with a non-empty
    /// `current-context`, as in kubectl.
    pub fn current_context(&self) -> Option<(&str, &Path)> {
        self.documents().find_map(|(source, doc)| {
            doc.current_context
                .as_deref()
                .filter(|c| !c.is_empty())
                .map(|c| (c, source.path.as_path()))
        })
    }
}

impl FileEntry {
    fn state(&self) -> FileState {
        match (&self.contents, &self.error, self.missing) {
            (_, _, true) => FileState::Missing,
            (Some(_), None, false) => FileState::Loaded,
            (Some(_), Some(_), false) => FileState::LastGood,
            (None, _, false) => FileState::Broken,
        }
    }

    fn refresh(&mut self) {
        let path = &self.source.path;
        if !path.exists() {
            self.missing = true;
            self.contents = None;
            self.error = (self.source.origin == FileOrigin::Extra)
                .then(|| Error::FileNotFound { path: path.clone() });
            return;
        }
        self.missing = false;
        match read_file(path) {
            Ok(doc) => {
                self.contents = Some(doc);
                self.error = None;
            }
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "kubeconfig file not usable");
                self.error = Some(e);
            }
        }
    }
}

/// Reads and parses one kubeconfig file with kube's own reader.
pub fn read_file(path: &Path) -> Result<Kubeconfig, Error> {
    Kubeconfig::read_from(path).map_err(|e| file_error(path, e))
}

/// Maps kube's error for `path` to ours, with the line where the parser gives one.
pub(crate) fn file_error(path: &Path, e: KubeconfigError) -> Error {
    match e {
        KubeconfigError::ReadConfig(source, _) => {
            if source.kind() == std::io::ErrorKind::InvalidData {
                Error::KubeconfigInvalid {
                    path: path.to_path_buf(),
                    line: None,
                    message: format!("not a text file ({source})"),
                }
            } else {
                Error::Io {
                    action: "read",
                    path: path.to_path_buf(),
                    source,
                }
            }
        }
        KubeconfigError::Parse(inner) => {
            let line = inner.location().map(|l| l.line()).filter(|l| *l > 0);
            Error::KubeconfigInvalid {
                path: path.to_path_buf(),
                line,
                message: parser_message(&inner.to_string()),
            }
        }
        other => Error::KubeconfigInvalid {
            path: path.to_path_buf(),
            line: None,
            message: other.to_string(),
        },
    }
}

/// The parser's message as one line without the position the error already carries
/// ("error: line 9 column 22: unclosed bracket" becomes "unclosed bracket (column 22)").
fn parser_message(text: &str) -> String {
    let first = text.lines().next().unwrap_or(text).trim();
    let message = first.strip_prefix("error: ").unwrap_or(first);
    if let Some((position, rest)) = message
        .strip_prefix("line ")
        .and_then(|m| m.split_once(": "))
    {
        if let Some((_, column)) = position.split_once(" column ") {
            return format!("{rest} (column {column})");
        }
    }
    message.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{fixture, fixtures_dir};

    #[test]
    fn kubeconfig_list_uses_the_platform_separator_and_drops_empty_entries() {
        let unix = split_kubeconfig_list(OsStr::new("/a/one::/b/two:"), ':');
        assert_eq!(unix, vec![PathBuf::from("/a/one"), PathBuf::from("/b/two")]);
        let windows = split_kubeconfig_list(OsStr::new(r"C:\kube\one;;D:\two"), ';');
        assert_eq!(
            windows,
            vec![PathBuf::from(r"C:\kube\one"), PathBuf::from(r"D:\two")]
        );
        assert_eq!(
            KUBECONFIG_LIST_SEPARATOR,
            if cfg!(windows) { ';' } else { ':' }
        );
    }

    #[test]
    fn kubeconfig_env_replaces_home_default_and_extras_come_last_once() {
        let env = OsStr::new("/k/a:/k/b:/k/a");
        let files = discover_with_separator(
            Some(env),
            Some(Path::new("/home/u")),
            &[PathBuf::from("/x/extra"), PathBuf::from("/k/b")],
            ':',
        );
        let got: Vec<_> = files
            .iter()
            .map(|f| (f.path.to_string_lossy().into_owned(), f.origin))
            .collect();
        assert_eq!(
            got,
            vec![
                ("/k/a".to_string(), FileOrigin::KubeconfigEnv),
                ("/k/b".to_string(), FileOrigin::KubeconfigEnv),
                ("/x/extra".to_string(), FileOrigin::Extra),
            ]
        );
    }

    #[test]
    fn empty_or_unset_kubeconfig_falls_back_to_home() {
        for env in [None, Some(OsStr::new("")), Some(OsStr::new("::"))] {
            let files = discover_with_separator(env, Some(Path::new("/home/u")), &[], ':');
            assert_eq!(
                files,
                vec![SourceFile {
                    path: PathBuf::from("/home/u/.kube/config"),
                    origin: FileOrigin::HomeDefault
                }]
            );
        }
        assert!(discover_with_separator(None, None, &[], ':').is_empty());
    }

    #[test]
    fn broken_file_is_reported_with_its_line_while_others_load() {
        let set = KubeconfigSet::load(vec![
            fixture("team-a.yaml", FileOrigin::KubeconfigEnv),
            fixture("broken.yaml", FileOrigin::KubeconfigEnv),
            fixture("team-b.yaml", FileOrigin::KubeconfigEnv),
        ]);
        let files = set.files();
        assert_eq!(files[0].state, FileState::Loaded);
        assert_eq!(files[2].state, FileState::Loaded);
        let broken = &files[1];
        assert_eq!(broken.state, FileState::Broken);
        let problem = broken.error.as_ref().expect("broken file has an error");
        assert_eq!(problem.code, ErrorCode::KubeconfigInvalid);
        // broken.yaml has a tab-indented / unbalanced line 9.
        assert_eq!(problem.line, Some(9), "{}", problem.message);
        assert!(
            problem
                .message
                .contains("broken.yaml line 9: unclosed bracket '{' (column 22): fix the file"),
            "{}",
            problem.message
        );
        assert_eq!(set.documents().count(), 2);
    }

    #[test]
    fn a_file_that_is_yaml_but_not_a_kubeconfig_is_reported_with_its_line() {
        let set = KubeconfigSet::load(vec![fixture("wrong-type.yaml", FileOrigin::Extra)]);
        let problem = set.files()[0].error.clone().expect("an error");
        assert_eq!(problem.code, ErrorCode::KubeconfigInvalid);
        assert_eq!(problem.line, Some(5), "{}", problem.message);
        assert_eq!(set.files()[0].state, FileState::Broken);
    }

    #[test]
    fn parser_messages_lose_the_repeated_position() {
        assert_eq!(
            parser_message("error: line 3 column 7: bad thing\n  | snippet"),
            "bad thing (column 7)"
        );
        assert_eq!(parser_message("something else"), "something else");
    }

    #[test]
    fn missing_env_file_is_skipped_silently_but_a_missing_extra_file_is_an_error() {
        let dir = fixtures_dir();
        let set = KubeconfigSet::load(vec![
            SourceFile {
                path: dir.join("does-not-exist.yaml"),
                origin: FileOrigin::KubeconfigEnv,
            },
            SourceFile {
                path: dir.join("also-missing.yaml"),
                origin: FileOrigin::Extra,
            },
        ]);
        let files = set.files();
        assert_eq!(files[0].state, FileState::Missing);
        assert_eq!(files[0].error, None);
        assert_eq!(files[1].state, FileState::Missing);
        assert_eq!(
            files[1].error.as_ref().map(|p| p.code),
            Some(ErrorCode::NotFound)
        );
    }

    #[test]
    fn reload_keeps_last_good_contents_of_a_file_that_stops_parsing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("config");
        std::fs::copy(fixtures_dir().join("team-a.yaml"), &path).expect("copy");
        let mut set = KubeconfigSet::load(vec![SourceFile {
            path: path.clone(),
            origin: FileOrigin::HomeDefault,
        }]);
        assert_eq!(set.files()[0].state, FileState::Loaded);

        // Half-written: the first lines of the file only.
        let text = std::fs::read_to_string(fixtures_dir().join("broken.yaml")).expect("read");
        std::fs::write(&path, text).expect("write");
        set.reload();
        let status = &set.files()[0];
        assert_eq!(status.state, FileState::LastGood);
        assert_eq!(
            status.error.as_ref().map(|p| p.code),
            Some(ErrorCode::KubeconfigInvalid)
        );
        let names: Vec<_> = set
            .documents()
            .flat_map(|(_, d)| d.contexts.iter().map(|c| c.name.clone()))
            .collect();
        assert_eq!(names, vec!["team-a", "shared"]);

        // Written completely: the new contents replace the last good ones and the error goes.
        std::fs::copy(fixtures_dir().join("team-b.yaml"), &path).expect("copy");
        set.reload();
        assert_eq!(set.files()[0].state, FileState::Loaded);
        assert_eq!(set.files()[0].error, None);
        let names: Vec<_> = set
            .documents()
            .flat_map(|(_, d)| d.contexts.iter().map(|c| c.name.clone()))
            .collect();
        assert_eq!(names, vec!["team-b", "shared"]);

        // Deleted: nothing left to use.
        std::fs::remove_file(&path).expect("remove");
        set.reload();
        assert_eq!(set.files()[0].state, FileState::Missing);
        assert_eq!(set.documents().count(), 0);
    }

    #[test]
    fn current_context_comes_from_the_first_file_that_sets_it() {
        let set = KubeconfigSet::load(vec![
            fixture("no-current.yaml", FileOrigin::KubeconfigEnv),
            fixture("team-b.yaml", FileOrigin::KubeconfigEnv),
            fixture("team-a.yaml", FileOrigin::KubeconfigEnv),
        ]);
        let (name, file) = set.current_context().expect("a current context");
        assert_eq!(name, "team-b");
        assert!(file.ends_with("team-b.yaml"));
    }
}

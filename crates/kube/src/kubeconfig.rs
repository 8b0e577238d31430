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

use crate::pointed_file::read_pointed_file;
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
    /// YAML documents after the first that hold something (ignored, as kubectl does).
    extra_documents: usize,
    /// The current error is an empty file taken for a half-written one (kubectl accepts an empty file).
    empty_now: bool,
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
                    extra_documents: 0,
                    empty_now: false,
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

    /// What makes kubectl see another configuration than the app, or fail where the app goes on,
    /// each a sentence: a file kubectl reads that is broken, YAML documents kubectl ignores, and a
    /// `current-context` that names no context.
    pub fn kubectl_differences(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for entry in &self.files {
            let path = entry.source.path.display();
            if let Some(error) = entry
                .error
                .as_ref()
                .filter(|_| entry.read_by_kubectl() && !entry.empty_now)
            {
                problems.push(format!(
                    "kubectl refuses every command until {path} is fixed ({error}); the app keeps using the other files"
                ));
            }
            if entry.extra_documents > 0 {
                problems.push(format!(
                    "{path} holds {} more YAML document(s) after the first; kubectl reads only the first, so the app ignores the others too",
                    entry.extra_documents
                ));
            }
        }
        if let Some((name, file)) = self.current_context() {
            let defined = self
                .documents()
                .any(|(_, doc)| doc.contexts.iter().any(|c| c.name == name));
            if !defined {
                problems.push(format!(
                    "current-context \"{name}\" (set in {}) is not defined in any kubeconfig file: kubectl fails with \"context was not found for specified context: {name}\" until you switch to an existing context",
                    file.display()
                ));
            }
        }
        problems
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
            self.extra_documents = 0;
            self.error = (self.source.origin == FileOrigin::Extra)
                .then(|| Error::FileNotFound { path: path.clone() });
            return;
        }
        self.missing = false;
        self.empty_now = false;
        let read = read_text(path).and_then(|text| {
            if text.trim().is_empty() && self.contents.is_some() {
                self.empty_now = true;
                // Editors and kubectl truncate a file before writing it again: an empty file seen
                // after good contents is most likely half-written, like a file that stops parsing.
                return Err(Error::KubeconfigInvalid {
                    path: path.clone(),
                    line: None,
                    message: "it is empty now (perhaps caught while being written); its last contents are still used"
                        .into(),
                });
            }
            Ok((parse_text(path, &text)?, extra_documents(&text)))
        });
        match read {
            Ok((doc, extra)) => {
                self.contents = Some(doc);
                self.extra_documents = extra;
                self.error = None;
            }
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "kubeconfig file not usable");
                self.error = Some(e);
            }
        }
    }

    /// Whether kubectl reads this file (it does not know the app's extra files).
    fn read_by_kubectl(&self) -> bool {
        self.source.origin != FileOrigin::Extra
    }
}

/// Reads and parses one kubeconfig file as kubectl does: only a regular file of bounded size, only
/// its first YAML document, and a name defined twice in one list refuses the whole file. Relative
/// file paths in it are made absolute (relative to the file's folder).
pub fn read_file(path: &Path) -> Result<Kubeconfig, Error> {
    parse_text(path, &read_text(path)?)
}

fn read_text(path: &Path) -> Result<String, Error> {
    let bytes = read_pointed_file(path, "read")?;
    String::from_utf8(bytes).map_err(|e| Error::KubeconfigInvalid {
        path: path.to_path_buf(),
        line: None,
        message: format!("not a text file ({e})"),
    })
}

fn parse_text(path: &Path, text: &str) -> Result<Kubeconfig, Error> {
    let first = first_document(text);
    let mut doc = Kubeconfig::from_yaml(first).map_err(|e| match file_error(path, e) {
        // kubectl's parser finds an unclosed quote at the end of the text, not at its start.
        Error::KubeconfigInvalid {
            path,
            line: Some(_),
            message,
        } if message.starts_with("unclosed quote") => Error::KubeconfigInvalid {
            path,
            line: Some(first.matches('\n').count() as u64 + 1),
            message,
        },
        other => other,
    })?;
    refuse_duplicate_names(path, &doc)?;
    if let Some(dir) = path.parent() {
        make_paths_absolute(&mut doc, dir);
    }
    Ok(doc)
}

/// The text of the first YAML document (kubectl ignores the others). Line numbers are kept: only
/// the end is cut, at the next `---` or `...` marker.
fn first_document(text: &str) -> &str {
    let mut offset = 0;
    let mut started = false;
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        let is_marker = |marker: &str| {
            bare.strip_prefix(marker)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
        };
        if is_marker("---") || is_marker("...") {
            if started {
                return &text[..offset];
            }
            started = is_marker("---");
        } else if !bare.trim().is_empty()
            && !bare.trim_start().starts_with('#')
            && !bare.starts_with('%')
        {
            started = true;
        }
        offset += line.len();
    }
    text
}

/// How many YAML documents after the first hold something (kubectl ignores them).
fn extra_documents(text: &str) -> usize {
    let mut rest = &text[first_document(text).len()..];
    let mut count = 0;
    while !rest.is_empty() {
        // Skip the marker line that ended the previous document.
        let after_marker = rest.split_once('\n').map_or("", |(_, r)| r);
        let doc = first_document(after_marker);
        if doc.lines().any(|l| {
            !l.trim().is_empty()
                && !l.trim_start().starts_with('#')
                && !l.starts_with("---")
                && !l.starts_with("...")
        }) {
            count += 1;
        }
        if doc.len() == after_marker.len() {
            break;
        }
        rest = &after_marker[doc.len()..];
    }
    count
}

/// kubectl refuses a file whose clusters, users or contexts list holds a name twice.
fn refuse_duplicate_names(path: &Path, doc: &Kubeconfig) -> Result<(), Error> {
    let lists: [(&str, Vec<&str>); 3] = [
        (
            "cluster",
            doc.clusters.iter().map(|c| c.name.as_str()).collect(),
        ),
        (
            "user",
            doc.auth_infos.iter().map(|u| u.name.as_str()).collect(),
        ),
        (
            "context",
            doc.contexts.iter().map(|c| c.name.as_str()).collect(),
        ),
    ];
    for (what, names) in lists {
        let mut seen = HashSet::new();
        if let Some(twice) = names.into_iter().find(|n| !seen.insert(*n)) {
            return Err(Error::KubeconfigInvalid {
                path: path.to_path_buf(),
                line: None,
                message: format!(
                    "{what} \"{twice}\" is defined twice in this file, so kubectl refuses the whole file (\"duplicate name\"); remove or rename one"
                ),
            });
        }
    }
    Ok(())
}

/// Makes the file paths a kubeconfig names absolute, relative to its folder (as kubectl does).
fn make_paths_absolute(doc: &mut Kubeconfig, dir: &Path) {
    let absolute = |file: &mut Option<String>| {
        if let Some(f) = file.as_mut() {
            if !f.is_empty() && Path::new(f.as_str()).is_relative() {
                *f = dir.join(f.as_str()).to_string_lossy().into_owned();
            }
        }
    };
    for cluster in doc.clusters.iter_mut().filter_map(|c| c.cluster.as_mut()) {
        absolute(&mut cluster.certificate_authority);
    }
    for user in doc
        .auth_infos
        .iter_mut()
        .filter_map(|u| u.auth_info.as_mut())
    {
        absolute(&mut user.client_certificate);
        absolute(&mut user.client_key);
        absolute(&mut user.token_file);
        if let Some(exec) = user.exec.as_mut() {
            // Like client-go, only a command with a path separator is relative to the file.
            if exec
                .command
                .as_deref()
                .is_some_and(|c| c.contains(std::path::MAIN_SEPARATOR))
            {
                absolute(&mut exec.command);
            }
        }
    }
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

    fn temp_config(dir: &Path, name: &str, text: &str, origin: FileOrigin) -> SourceFile {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("write");
        SourceFile { path, origin }
    }

    const TWO_CONTEXTS: &str = "apiVersion: v1\nkind: Config\ncurrent-context: first\nclusters:\n- name: c\n  cluster: {server: 'https://a:1'}\ncontexts:\n- name: first\n  context: {cluster: c}\n";

    #[test]
    fn a_name_defined_twice_in_one_file_refuses_the_file_as_kubectl_does() {
        let dir = tempfile::tempdir().expect("tempdir");
        let text =
            format!("{TWO_CONTEXTS}- name: first\n  context: {{cluster: c, namespace: b}}\n");
        let set = KubeconfigSet::load(vec![temp_config(
            dir.path(),
            "dup",
            &text,
            FileOrigin::HomeDefault,
        )]);
        let status = &set.files()[0];
        assert_eq!(status.state, FileState::Broken);
        let message = &status.error.as_ref().expect("an error").message;
        assert!(
            message.contains("context \"first\" is defined twice"),
            "{message}"
        );
        assert!(set.contexts().contexts.is_empty());
    }

    #[test]
    fn only_the_first_yaml_document_is_read_and_the_others_are_pointed_out() {
        let dir = tempfile::tempdir().expect("tempdir");
        let text = format!("---\n{TWO_CONTEXTS}---\napiVersion: v1\nkind: Config\ncontexts:\n- name: second\n  context: {{cluster: c}}\n");
        let set = KubeconfigSet::load(vec![temp_config(
            dir.path(),
            "multi",
            &text,
            FileOrigin::KubeconfigEnv,
        )]);
        let list = set.contexts();
        let names: Vec<_> = list.contexts.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, vec!["first"]);
        assert_eq!(
            list.kubectl_differences.len(),
            1,
            "{:?}",
            list.kubectl_differences
        );
        assert!(list.kubectl_differences[0].contains("1 more YAML document"));
        assert_eq!(first_document("a: 1\n...\n---\nb: 2\n"), "a: 1\n");
        assert_eq!(first_document("# c\n---\na: 1\n"), "# c\n---\na: 1\n");
    }

    #[test]
    fn a_current_context_that_names_no_context_is_said_the_kubectl_way() {
        let dir = tempfile::tempdir().expect("tempdir");
        let text = TWO_CONTEXTS.replace("current-context: first", "current-context: nope");
        let set = KubeconfigSet::load(vec![temp_config(
            dir.path(),
            "c",
            &text,
            FileOrigin::HomeDefault,
        )]);
        let differences = set.contexts().kubectl_differences;
        assert_eq!(differences.len(), 1, "{differences:?}");
        assert!(
            differences[0].contains("context was not found for specified context: nope"),
            "{differences:?}"
        );
    }

    #[test]
    fn a_broken_file_or_a_folder_kubectl_reads_is_said_to_stop_kubectl_but_an_extra_file_is_not() {
        let dir = tempfile::tempdir().expect("tempdir");
        let folder = dir.path().join("folder");
        std::fs::create_dir(&folder).expect("mkdir");
        let set = KubeconfigSet::load(vec![
            SourceFile {
                path: folder.clone(),
                origin: FileOrigin::KubeconfigEnv,
            },
            fixture("broken.yaml", FileOrigin::KubeconfigEnv),
            temp_config(dir.path(), "good", TWO_CONTEXTS, FileOrigin::KubeconfigEnv),
            fixture("wrong-type.yaml", FileOrigin::Extra),
        ]);
        let list = set.contexts();
        assert_eq!(list.files[0].state, FileState::Broken);
        assert!(list.files[0]
            .error
            .as_ref()
            .is_some_and(|e| e.message.contains("a folder")));
        assert_eq!(list.contexts.len(), 1);
        let differences = &list.kubectl_differences;
        assert_eq!(differences.len(), 2, "{differences:?}");
        assert!(differences[0].contains(&format!(
            "kubectl refuses every command until {} is fixed",
            folder.display()
        )));
        assert!(differences[1].contains("broken.yaml is fixed"));
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_or_a_device_as_a_kubeconfig_is_refused_without_reading() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("fifo");
        assert!(std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo")
            .success());
        let set = KubeconfigSet::load(vec![
            SourceFile {
                path: fifo,
                origin: FileOrigin::KubeconfigEnv,
            },
            SourceFile {
                path: PathBuf::from("/dev/zero"),
                origin: FileOrigin::KubeconfigEnv,
            },
        ]);
        for file in set.files() {
            assert_eq!(file.state, FileState::Broken);
        }
    }

    #[test]
    fn syntax_error_lines_match_kubectl() {
        // kubectl 1.32's "yaml: line N" for each text.
        let cases = [
            ("apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: \"https://x\n", 7),
            ("apiVersion: v1\nkind: Config\nclusters:\n- name: c\n   bad: x\n", 5),
            ("apiVersion: v1\nkind: Config\nclusters:\n\t- name: c\n", 4),
            ("apiVersion: v1\nkind: Config\ncontexts:\n- name: a\n  context: [x\n", 5),
        ];
        let dir = tempfile::tempdir().expect("tempdir");
        let mut got = Vec::new();
        for (i, (text, _)) in cases.iter().enumerate() {
            let source = temp_config(dir.path(), &format!("case{i}"), text, FileOrigin::Extra);
            let err = read_file(&source.path).expect_err("a syntax error");
            got.push(match err {
                Error::KubeconfigInvalid { line, .. } => line,
                other => panic!("{other}"),
            });
        }
        let want: Vec<_> = cases.iter().map(|(_, l)| Some(*l)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_file_emptied_while_being_rewritten_keeps_its_last_contents() {
        let dir = tempfile::tempdir().expect("tempdir");
        let source = temp_config(dir.path(), "config", TWO_CONTEXTS, FileOrigin::HomeDefault);
        let path = source.path.clone();
        let mut set = KubeconfigSet::load(vec![
            source,
            fixture("team-b.yaml", FileOrigin::KubeconfigEnv),
        ]);
        assert_eq!(set.current_context().map(|(n, _)| n), Some("first"));
        std::fs::write(&path, "").expect("truncate");
        set.reload();
        assert_eq!(set.files()[0].state, FileState::LastGood);
        assert_eq!(set.current_context().map(|(n, _)| n), Some("first"));
        assert!(
            set.kubectl_differences().is_empty(),
            "{:?}",
            set.kubectl_differences()
        );
        std::fs::write(&path, TWO_CONTEXTS.replace("first", "again")).expect("rewrite");
        set.reload();
        assert_eq!(set.files()[0].state, FileState::Loaded);
        assert_eq!(set.current_context().map(|(n, _)| n), Some("again"));
        // An empty file never seen with contents is an empty configuration, as for kubectl.
        let empty = KubeconfigSet::load(vec![temp_config(
            dir.path(),
            "empty",
            "",
            FileOrigin::HomeDefault,
        )]);
        assert_eq!(empty.files()[0].state, FileState::Loaded);
    }
}

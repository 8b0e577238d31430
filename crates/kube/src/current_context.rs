//! The only write to a user's kubeconfig: switching `current-context`, as `kubectl config use-context`
//! does, on the user's explicit request.
//!
//! Scope: [`set_current_context`] backs the file up next to itself (`config.bak-<timestamp>`), changes
//! the one `current-context:` line (or appends one), checks by parsing both versions that nothing else
//! changed, and replaces the file atomically with the original's permissions. Symlinks are followed, so
//! the file they point to is written and the link stays.
//!
//! [`KubeconfigSet::current_context_file`] names the file kubectl would write (the first one that sets
//! `current-context`); the caller passes it (or another) explicitly.
//!
//! Non-goals: editing anything else, JSON-formatted kubeconfigs (refused with a clear error).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use kube::config::Kubeconfig;

use crate::kubeconfig::{FileOrigin, FileState, KubeconfigSet};
use crate::Error;

impl KubeconfigSet {
    /// The file `kubectl config use-context` would write: the first file (of `KUBECONFIG` or
    /// `~/.kube/config`, not the app's extra files) that sets `current-context`, else the first of them
    /// that exists. `None` when there is no such file.
    pub fn current_context_file(&self) -> Option<PathBuf> {
        let kubectl_file = |origin: FileOrigin| origin != FileOrigin::Extra;
        self.documents()
            .find(|(source, doc)| {
                kubectl_file(source.origin)
                    && doc
                        .current_context
                        .as_deref()
                        .is_some_and(|c| !c.is_empty())
            })
            .map(|(source, _)| source.path.clone())
            .or_else(|| {
                self.files()
                    .into_iter()
                    .find(|f| kubectl_file(f.origin) && f.state != FileState::Missing)
                    .map(|f| f.path)
            })
    }
}

/// Sets `current-context` of `file` to `name`. Returns the backup's path.
pub fn set_current_context(file: &Path, name: &str) -> Result<PathBuf, Error> {
    set_current_context_at(file, name, Utc::now())
}

/// [`set_current_context`] with the time used for the backup's name.
pub fn set_current_context_at(
    file: &Path,
    name: &str,
    now: DateTime<Utc>,
) -> Result<PathBuf, Error> {
    if name.is_empty() || name.chars().any(char::is_control) {
        return Err(Error::InvalidInput {
            field: "context",
            reason: "must be a non-empty name without control characters".into(),
        });
    }
    let target = std::fs::canonicalize(file).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::FileNotFound {
            path: file.to_path_buf(),
        },
        _ => Error::Io {
            action: "read",
            path: file.to_path_buf(),
            source: e,
        },
    })?;
    let bytes = std::fs::read(&target).map_err(|source| Error::Io {
        action: "read",
        path: target.clone(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|_| Error::KubeconfigInvalid {
        path: target.clone(),
        line: None,
        message: "not UTF-8 text".into(),
    })?;
    let before =
        Kubeconfig::from_yaml(&text).map_err(|e| crate::kubeconfig::file_error(&target, e))?;
    let edited = replace_current_context(&text, name);
    let after = Kubeconfig::from_yaml(&edited).ok();
    if !only_current_context_changed(before, after, name) {
        return Err(Error::KubeconfigInvalid {
            path: target,
            line: None,
            message: format!(
                "current-context cannot be changed here without touching anything else (JSON or an unusual layout): run `kubectl config use-context {name}` instead"
            ),
        });
    }

    let backup = backup_path(&target, now);
    std::fs::copy(&target, &backup).map_err(|source| Error::Io {
        action: "back up",
        path: backup.clone(),
        source,
    })?;
    write_atomically(&target, edited.as_bytes())?;
    tracing::info!(file = %target.display(), backup = %backup.display(), context = name, "current-context changed");
    Ok(backup)
}

/// Replaces the first top-level `current-context:` line, or appends one.
fn replace_current_context(text: &str, name: &str) -> String {
    let line_value = format!("current-context: {}", yaml_scalar(name));
    let mut out = String::with_capacity(text.len() + line_value.len() + 1);
    let mut replaced = false;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        if !replaced && is_current_context_key(body) {
            out.push_str(&line_value);
            out.push_str(&line[body.len()..]);
            replaced = true;
        } else {
            out.push_str(line);
        }
    }
    if !replaced {
        let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
        if !out.is_empty() && !out.ends_with('\n') {
            out.push_str(newline);
        }
        out.push_str(&line_value);
        out.push_str(newline);
    }
    out
}

fn is_current_context_key(line: &str) -> bool {
    line.strip_prefix("current-context")
        .is_some_and(|rest| rest.trim_start_matches([' ', '\t']).starts_with(':'))
}

/// `name` as a YAML scalar: plain when that is unambiguous, else double-quoted (JSON escaping is valid
/// YAML).
fn yaml_scalar(name: &str) -> String {
    let plain_chars = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_.@/:".contains(c));
    let starts_well = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    let ambiguous = matches!(
        name.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
    ) || name.contains(": ")
        || name.ends_with(':');
    if plain_chars && starts_well && !ambiguous {
        name.to_string()
    } else {
        serde_json::Value::String(name.to_string()).to_string()
    }
}

fn only_current_context_changed(before: Kubeconfig, after: Option<Kubeconfig>, name: &str) -> bool {
    let Some(after) = after else { return false };
    let expected = Kubeconfig {
        current_context: Some(name.to_string()),
        ..before
    };
    match (
        serde_json::to_value(&expected),
        serde_json::to_value(&after),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn backup_path(target: &Path, now: DateTime<Utc>) -> PathBuf {
    let file_name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "config".into());
    let stamp = now.format("%Y%m%dT%H%M%SZ");
    let base = target.with_file_name(format!("{file_name}.bak-{stamp}"));
    let mut candidate = base.clone();
    let mut n = 1;
    while candidate.exists() {
        candidate = target.with_file_name(format!("{file_name}.bak-{stamp}-{n}"));
        n += 1;
    }
    candidate
}

fn write_atomically(target: &Path, contents: &[u8]) -> Result<(), Error> {
    let io = |action: &'static str| {
        let path = target.to_path_buf();
        move |source| Error::Io {
            action,
            path,
            source,
        }
    };
    let dir = target.parent().unwrap_or(Path::new("."));
    let permissions = std::fs::metadata(target).map_err(io("read"))?.permissions();
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io("write"))?;
    tmp.write_all(contents).map_err(io("write"))?;
    tmp.as_file().sync_all().map_err(io("write"))?;
    std::fs::set_permissions(tmp.path(), permissions).map_err(io("write"))?;
    tmp.persist(target).map_err(|e| Error::Io {
        action: "replace",
        path: target.to_path_buf(),
        source: e.error,
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::fixtures_dir;
    use chrono::TimeZone;

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 28, 19, 5, 0)
            .single()
            .expect("valid time")
    }

    #[test]
    fn the_file_to_write_is_the_one_kubectl_would_write() {
        use crate::test_support::fixture;
        let set = KubeconfigSet::load(vec![
            fixture("no-current.yaml", FileOrigin::KubeconfigEnv),
            fixture("team-b.yaml", FileOrigin::KubeconfigEnv),
        ]);
        let file = set.current_context_file().expect("a file");
        assert!(file.ends_with("team-b.yaml"), "{}", file.display());

        let set = KubeconfigSet::load(vec![
            fixture("missing.yaml", FileOrigin::KubeconfigEnv),
            fixture("no-current.yaml", FileOrigin::KubeconfigEnv),
            fixture("team-a.yaml", FileOrigin::Extra),
        ]);
        let file = set.current_context_file().expect("a file");
        assert!(file.ends_with("no-current.yaml"), "{}", file.display());

        let only_extra = KubeconfigSet::load(vec![fixture("team-a.yaml", FileOrigin::Extra)]);
        assert_eq!(only_extra.current_context_file(), None);
    }

    #[test]
    fn switches_the_context_keeps_a_backup_and_everything_else() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("config");
        let original = std::fs::read_to_string(fixtures_dir().join("team-a.yaml")).expect("read");
        std::fs::write(&path, &original).expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        }

        let backup = set_current_context_at(&path, "shared", at()).expect("switch");
        assert_eq!(backup, dir.path().join("config.bak-20261128T190500Z"));
        assert_eq!(std::fs::read_to_string(&backup).expect("backup"), original);

        let now = std::fs::read_to_string(&path).expect("read");
        let expected = original.replace("current-context: team-a", "current-context: shared");
        assert_ne!(expected, original);
        assert_eq!(now, expected, "only the one line changes, comments stay");
        assert_eq!(
            crate::read_file(&path)
                .expect("parses")
                .current_context
                .as_deref(),
            Some("shared")
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }

        // A second switch in the same second gets its own backup.
        let second = set_current_context_at(&path, "team-a", at()).expect("switch back");
        assert_eq!(second, dir.path().join("config.bak-20261128T190500Z-1"));
        assert_eq!(std::fs::read_to_string(&path).expect("read"), original);
    }

    #[test]
    fn appends_the_key_when_missing_and_quotes_odd_names() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("kc.yaml");
        let original =
            std::fs::read_to_string(fixtures_dir().join("no-current.yaml")).expect("read");
        std::fs::write(&path, &original).expect("write");
        set_current_context_at(&path, "yes", at()).expect("switch");
        let now = std::fs::read_to_string(&path).expect("read");
        assert_eq!(now, format!("{original}current-context: \"yes\"\n"));
        assert_eq!(
            crate::read_file(&path)
                .expect("parses")
                .current_context
                .as_deref(),
            Some("yes")
        );
        set_current_context_at(&path, "arn:aws:eks:us-east-1:123:cluster/gpu", at())
            .expect("switch");
        assert_eq!(
            crate::read_file(&path)
                .expect("parses")
                .current_context
                .as_deref(),
            Some("arn:aws:eks:us-east-1:123:cluster/gpu")
        );
    }

    #[test]
    fn refuses_what_it_cannot_edit_safely_and_leaves_the_file_alone() {
        let dir = tempfile::tempdir().expect("tempdir");
        let json = dir.path().join("config.json");
        let text = r#"{"apiVersion":"v1","kind":"Config","contexts":[{"name":"a","context":{"cluster":"c"}}],"current-context":"a"}"#;
        std::fs::write(&json, text).expect("write");
        let err = set_current_context_at(&json, "b", at()).expect_err("refused");
        assert_eq!(err.code(), osmo_admin_core::ErrorCode::KubeconfigInvalid);
        assert_eq!(std::fs::read_to_string(&json).expect("read"), text);
        assert_eq!(
            std::fs::read_dir(dir.path()).expect("ls").count(),
            1,
            "no backup left"
        );

        let missing =
            set_current_context_at(&dir.path().join("nope"), "a", at()).expect_err("missing");
        assert_eq!(missing.code(), osmo_admin_core::ErrorCode::NotFound);
        let bad_name = set_current_context_at(&json, "a\nb", at()).expect_err("bad name");
        assert_eq!(bad_name.code(), osmo_admin_core::ErrorCode::InvalidInput);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_kubeconfig_stays_a_symlink() {
        let dir = tempfile::tempdir().expect("tempdir");
        let real = dir.path().join("real-config");
        std::fs::copy(fixtures_dir().join("team-a.yaml"), &real).expect("copy");
        let link = dir.path().join("config");
        std::os::unix::fs::symlink(&real, &link).expect("symlink");
        set_current_context_at(&link, "shared", at()).expect("switch");
        assert!(std::fs::symlink_metadata(&link)
            .expect("meta")
            .file_type()
            .is_symlink());
        assert_eq!(
            crate::read_file(&real)
                .expect("parses")
                .current_context
                .as_deref(),
            Some("shared")
        );
    }
}

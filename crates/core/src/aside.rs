//! Keeping a file the app cannot use beside where it was, never over an earlier one: the
//! settings file, a rotation journal, a setup progress file. The new name is the old one with
//! `.<what>-<UTC time>` appended (`settings.json.corrupt-20250102T030405Z`), then `-2`, `-3`, …
//! when that name is taken, so two set-asides within one second keep both.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime, Utc};

/// How many numbered names are tried after the first.
const MAX_TRIES: u32 = 1000;

/// The `n`th candidate name beside `path` (`n` from 1).
fn candidate(path: &Path, what: &str, stamp: &str, n: u32) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".{what}-{stamp}"));
    if n > 1 {
        name.push(format!("-{n}"));
    }
    PathBuf::from(name)
}

fn stamp() -> String {
    Utc::now().format("%Y%m%dT%H%M%SZ").to_string()
}

fn all_taken(path: &Path, what: &str, stamp: &str) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        format!(
            "{} and {} numbered names after it already exist",
            candidate(path, what, stamp, 1).display(),
            MAX_TRIES - 1
        ),
    )
}

/// Writes `bytes` to a new file beside `path` (created, never replacing one), returning its path.
pub fn write_beside(path: &Path, what: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    let stamp = stamp();
    for n in 1..=MAX_TRIES {
        let candidate = candidate(path, what, &stamp, n);
        let created = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate);
        match created {
            Ok(mut file) => {
                file.write_all(bytes)?;
                file.sync_all()?;
                return Ok(candidate);
            }
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(err) => return Err(err),
        }
    }
    Err(all_taken(path, what, &stamp))
}

/// Renames `path` (a file or anything else there) to a free name beside it and returns the new
/// path. Nothing is copied or deleted: the contents are kept exactly as they were.
pub fn move_aside(path: &Path, what: &str) -> std::io::Result<PathBuf> {
    let stamp = stamp();
    for n in 1..=MAX_TRIES {
        let candidate = candidate(path, what, &stamp, n);
        if fs::symlink_metadata(&candidate).is_ok() {
            continue;
        }
        fs::rename(path, &candidate)?;
        return Ok(candidate);
    }
    Err(all_taken(path, what, &stamp))
}

/// When a file named by [`write_beside`] or [`move_aside`] was set aside, read from its name;
/// `None` when `name` is not `<original>.<what>-<time>[-n]`.
pub fn set_aside_at(name: &str, what: &str) -> Option<DateTime<Utc>> {
    let (_, rest) = name.rsplit_once(&format!(".{what}-"))?;
    let time = rest.split('-').next()?;
    NaiveDateTime::parse_from_str(time, "%Y%m%dT%H%M%SZ")
        .ok()
        .map(|t| t.and_utc())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn moved_files_keep_their_contents_and_never_overwrite_each_other() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gpu.json");
        let mut moved = Vec::new();
        for text in ["{ one", "{ two", "{ three"] {
            fs::write(&path, text).unwrap();
            let to = move_aside(&path, "unreadable").unwrap();
            assert!(!path.exists());
            assert_eq!(fs::read_to_string(&to).unwrap(), text);
            moved.push(to);
        }
        moved.sort();
        moved.dedup();
        assert_eq!(moved.len(), 3, "{moved:?}");
        let name = moved[0].file_name().unwrap().to_str().unwrap();
        assert!(name.starts_with("gpu.json.unreadable-"), "{name}");
        let at = set_aside_at(name, "unreadable").unwrap();
        assert!((Utc::now() - at).num_seconds().abs() < 5, "{at}");
        assert_eq!(set_aside_at("gpu.json", "unreadable"), None);
    }

    #[test]
    fn a_folder_in_the_way_is_moved_aside_too() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gpu.json");
        fs::create_dir(&path).unwrap();
        let to = move_aside(&path, "unreadable").unwrap();
        assert!(to.is_dir() && !path.exists());
    }
}

//! Where the harness scripts and the kube binaries live.
//!
//! Scripts: `<repo>/tests/cluster/{build,start,stop}.sh`, found from this crate's manifest folder.
//! Binaries: `$OSMO_ADMIN_KUBE_BIN`, else `${XDG_CACHE_HOME:-$HOME/.cache}/osmo-backend-admin/kube-1.20.2/bin`
//! (what `tests/cluster/build.sh` prints).

use std::path::{Path, PathBuf};

use crate::Error;

/// Environment variable naming a folder with `kube-apiserver` and `kube-controller-manager`.
pub const KUBE_BIN_ENV: &str = "OSMO_ADMIN_KUBE_BIN";

/// Binaries `start.sh` needs in the bin folder.
const KUBE_BINARIES: [&str; 2] = ["kube-apiserver", "kube-controller-manager"];

/// `<repo>/tests/cluster`.
pub(crate) fn scripts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("..")
        .join("tests")
        .join("cluster")
}

pub(crate) fn script(name: &str) -> PathBuf {
    let dir = scripts_dir();
    let dir = dir.canonicalize().unwrap_or(dir);
    dir.join(name)
}

/// Absolute path of `tests/cluster/build.sh`, for messages.
pub fn build_script() -> PathBuf {
    script("build.sh")
}

/// The folder the binaries are expected in (not checked).
fn expected_bin_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os(KUBE_BIN_ENV).filter(|v| !v.is_empty()) {
        return PathBuf::from(dir);
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(|| PathBuf::from(".cache"));
    cache
        .join("osmo-backend-admin")
        .join("kube-1.20.2")
        .join("bin")
}

/// The folder holding `kube-apiserver` and `kube-controller-manager`, or
/// [`Error::BinariesMissing`] telling to run `tests/cluster/build.sh`.
pub fn kube_bin_dir() -> Result<PathBuf, Error> {
    check_bin_dir(expected_bin_dir())
}

fn check_bin_dir(dir: PathBuf) -> Result<PathBuf, Error> {
    for name in KUBE_BINARIES {
        if !dir.join(name).is_file() {
            return Err(Error::BinariesMissing {
                dir,
                missing: name.to_string(),
                build_script: build_script(),
            });
        }
    }
    Ok(dir)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn missing_binaries_name_the_build_script() {
        let empty = tempfile::tempdir().unwrap();
        let err = check_bin_dir(empty.path().to_path_buf()).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("tests/cluster/build.sh"), "{text}");
        assert!(text.contains("kube-apiserver"), "{text}");
        assert!(build_script().is_file(), "{}", build_script().display());
    }
}

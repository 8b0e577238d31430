//! Reading a file the user points at (a kubeconfig, or a certificate, key or token file a kubeconfig
//! names) without trusting what is there.
//!
//! Only regular files are opened: a FIFO would block the reader until something writes to it, and
//! `/dev/zero` or `/dev/urandom` never end. The size is checked before and while reading, so a file
//! that grows while it is read stops at the limit.
//!
//! Non-goals: the time limit (callers that run inside a deadline read on a blocking thread under it,
//! see `connect.rs`).

use std::io::Read;
use std::path::Path;

use crate::Error;

/// The largest file read: kubeconfigs, PEM files and tokens are kilobytes; a few MiB leaves room for
/// kubeconfigs that embed many clusters.
pub(crate) const MAX_POINTED_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// Reads `path` if it is a regular file of at most [`MAX_POINTED_FILE_BYTES`] (symlinks followed).
pub(crate) fn read_pointed_file(path: &Path, what: &'static str) -> Result<Vec<u8>, Error> {
    read_pointed_file_limited(path, what, MAX_POINTED_FILE_BYTES)
}

pub(crate) fn read_pointed_file_limited(
    path: &Path,
    what: &'static str,
    limit: u64,
) -> Result<Vec<u8>, Error> {
    let io = |source: std::io::Error| Error::Io {
        action: what,
        path: path.to_path_buf(),
        source,
    };
    let metadata = std::fs::metadata(path).map_err(io)?;
    if !metadata.is_file() {
        return Err(io(std::io::Error::other(format!(
            "it is {}, not a regular file: point to a file instead",
            file_kind(&metadata)
        ))));
    }
    let too_big = || {
        io(std::io::Error::other(format!(
            "it is larger than {} KiB, too large to be what it should be: check the path",
            limit / 1024
        )))
    };
    if metadata.len() > limit {
        return Err(too_big());
    }
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(too_big());
    }
    Ok(bytes)
}

fn file_kind(metadata: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = metadata.file_type();
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if metadata.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_is_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("token");
        std::fs::write(&path, "abc\n").expect("write");
        assert_eq!(
            read_pointed_file(&path, "read the token file").expect("read"),
            b"abc\n"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_device_a_fifo_and_a_folder_are_refused_without_reading() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo runs");
        assert!(made.success());
        // A FIFO with no writer: opening it for reading would block forever.
        let err = read_pointed_file(&fifo, "read the client certificate").expect_err("a fifo");
        assert!(err.to_string().contains("named pipe (FIFO)"), "{err}");
        let err = read_pointed_file(Path::new("/dev/zero"), "read").expect_err("a device");
        assert!(err.to_string().contains("a device"), "{err}");
        let err = read_pointed_file(dir.path(), "read").expect_err("a folder");
        assert!(err.to_string().contains("a folder"), "{err}");
    }

    #[test]
    fn a_file_over_the_limit_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("big");
        std::fs::write(&path, vec![b'a'; 2048]).expect("write");
        let err = read_pointed_file_limited(&path, "read", 1024).expect_err("too big");
        assert!(err.to_string().contains("larger than 1 KiB"), "{err}");
        assert!(read_pointed_file_limited(&path, "read", 2048).is_ok());
    }
}

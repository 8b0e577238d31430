//! What the stand-in reads around it and where it prints: [`Environment`] (the variables helm
//! reads and the working folder) and [`Output`] (its stdout and stderr). The `helm-standin` binary
//! passes its process's environment and prints; a program running the stand-in inside itself
//! passes its own and keeps the lines.

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

/// The environment variables helm reads (`HELM_REPOSITORY_CONFIG`, `HELM_CONFIG_HOME`,
/// `XDG_CONFIG_HOME`, `HOME`, `KUBECONFIG`) and the folder relative paths start from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Environment {
    vars: BTreeMap<String, OsString>,
    cwd: PathBuf,
}

impl Environment {
    /// This process's variables and working folder.
    pub fn of_process() -> Self {
        let vars = std::env::vars_os().filter_map(|(k, v)| Some((k.into_string().ok()?, v)));
        Self::new(vars, std::env::current_dir().unwrap_or_default())
    }

    /// Exactly `vars` (none of this process's), relative paths starting at `cwd`.
    pub fn new(
        vars: impl IntoIterator<Item = (String, OsString)>,
        cwd: impl Into<PathBuf>,
    ) -> Self {
        Self {
            vars: vars.into_iter().collect(),
            cwd: cwd.into(),
        }
    }

    /// A variable, when it is set and not empty.
    pub fn var(&self, name: &str) -> Option<&OsStr> {
        self.vars
            .get(name)
            .map(OsString::as_os_str)
            .filter(|v| !v.is_empty())
    }

    /// A variable naming a folder or file.
    pub fn path(&self, name: &str) -> Option<PathBuf> {
        self.var(name).map(|v| self.resolve(Path::new(v)))
    }

    /// `path` from the working folder when it is relative.
    pub fn resolve(&self, path: impl AsRef<Path>) -> PathBuf {
        self.cwd.join(path)
    }
}

/// Where the stand-in prints. Each call is one `println!`: `text` (possibly several lines)
/// followed by a newline.
pub trait Output {
    fn stdout(&mut self, text: &str);
    fn stderr(&mut self, text: &str);
}

/// stdout or stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// A closure receiving each line printed, with its stream.
impl<F: FnMut(Stream, String)> Output for F {
    fn stdout(&mut self, text: &str) {
        text.lines()
            .for_each(|l| self(Stream::Stdout, l.to_owned()));
    }

    fn stderr(&mut self, text: &str) {
        text.lines()
            .for_each(|l| self(Stream::Stderr, l.to_owned()));
    }
}

/// Prints to this process's stdout and stderr (the `helm-standin` binary).
#[derive(Debug, Default, Clone, Copy)]
pub struct Printed;

impl Output for Printed {
    fn stdout(&mut self, text: &str) {
        println!("{text}");
    }

    fn stderr(&mut self, text: &str) {
        eprintln!("{text}");
    }
}

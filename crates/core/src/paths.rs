//! Where the app keeps its files.
//!
//! The platform folders are resolved by the shell (Tauri's path resolver follows each OS's
//! conventions); this crate only names the files inside them.

use std::path::PathBuf;

/// The app's three folders: configuration, data, logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppPaths {
    pub config_dir: PathBuf,
    pub data_dir: PathBuf,
    pub log_dir: PathBuf,
}

impl AppPaths {
    /// All three folders under one root; used by tests and by portable runs.
    pub fn under(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        Self {
            config_dir: root.join("config"),
            data_dir: root.join("data"),
            log_dir: root.join("logs"),
        }
    }

    /// The non-secret settings file.
    pub fn settings_file(&self) -> PathBuf {
        self.config_dir.join("settings.json")
    }
}

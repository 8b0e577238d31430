//! The About panel: what this build is and where it keeps its files.

use serde::Serialize;
use ts_rs::TS;

use crate::AppCore;

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AboutInfo {
    pub name: String,
    pub version: String,
    pub tauri_version: String,
    /// `debug` or `release`.
    pub build: String,
    pub os: String,
    pub arch: String,
    pub config_dir: String,
    pub settings_file: String,
    pub data_dir: String,
    pub log_dir: String,
}

/// What this build is; `tauri_version` is the shell's.
pub fn about(core: &AppCore, tauri_version: &str) -> AboutInfo {
    let paths = &core.paths;
    AboutInfo {
        name: "OSMO Backend Admin".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        tauri_version: tauri_version.into(),
        build: if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
        .into(),
        os: std::env::consts::OS.into(),
        arch: std::env::consts::ARCH.into(),
        config_dir: paths.config_dir.display().to_string(),
        settings_file: paths.settings_file().display().to_string(),
        data_dir: paths.data_dir.display().to_string(),
        log_dir: paths.log_dir.display().to_string(),
    }
}

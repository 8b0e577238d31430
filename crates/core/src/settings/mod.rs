//! Non-secret settings, persisted as one JSON file with a schema version.
//!
//! Scope: what the user chooses (theme, refresh interval, ...). Never a secret: tokens live in the OS
//! keyring (`osmo-admin-secrets`). Loading never fails and loses nothing: a file that cannot be
//! understood at all is moved aside and the app starts with defaults; a file with some wrong
//! entries keeps every valid one, and only the wrong ones are set aside (`salvage`). Either way
//! a [`SettingsNotice`] the UI shows says what and where.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::aside::write_beside;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{BackendLink, BackendRef, ErrorCode};

mod left_out;
mod salvage;
mod services;
mod store;
/// Kept for callers that name the default through the settings.
pub use crate::link::DEFAULT_OPERATOR_NAMESPACE;
pub use left_out::LeftOutService;
pub use services::{SavedSignIn, ServiceSetting};
pub use store::SettingsStore;

/// The version of the file format this build writes and understands.
pub const SCHEMA_VERSION: u32 = 1;

/// The dashboard refresh interval's allowed range, in seconds.
pub const REFRESH_SECS_RANGE: std::ops::RangeInclusive<u32> = 2..=3600;

/// The "expires soon" threshold's allowed range, in days.
pub const TOKEN_WARNING_DAYS_RANGE: std::ops::RangeInclusive<u32> = 1..=90;

/// A token expiring within this many days is "expires soon" unless the user says otherwise.
pub const DEFAULT_TOKEN_WARNING_DAYS: u32 = 7;

/// Light, dark, or whatever the operating system uses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ThemePreference {
    #[default]
    System,
    Light,
    Dark,
}

fn is_default_warning_days(days: &u32) -> bool {
    *days == DEFAULT_TOKEN_WARNING_DAYS
}

/// The user's settings.
///
/// Fields added after schema 1 was first written are additive with defaults (and left out of the
/// file while empty), so older files still load and the schema version stays 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub theme: ThemePreference,
    /// How often the dashboard polls each OSMO service.
    pub dashboard_refresh_secs: u32,
    /// A token with at most this many days left is "expires soon" (Tokens screen, dashboard badge).
    /// Left out of the file at its default.
    #[serde(skip_serializing_if = "is_default_warning_days")]
    pub token_warning_days: u32,
    /// Kubeconfig files read after `KUBECONFIG` (or `~/.kube/config`), in order; absolute paths.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extra_kubeconfigs: Vec<PathBuf>,
    /// Which kubeconfig context serves which OSMO backend; at most one link per (session, backend).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub backend_links: Vec<BackendLink>,
    /// OSMO services added on the Connections screen (no secrets: those are in the keyring).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<ServiceSetting>,
    /// Backends whose offline/back notifications the user switched off (on by default).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub muted_notifications: Vec<BackendRef>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            theme: ThemePreference::System,
            dashboard_refresh_secs: 10,
            token_warning_days: DEFAULT_TOKEN_WARNING_DAYS,
            extra_kubeconfigs: Vec::new(),
            backend_links: Vec::new(),
            services: Vec::new(),
            muted_notifications: Vec::new(),
        }
    }
}

impl Settings {
    /// Adds an extra kubeconfig file (once).
    pub fn add_extra_kubeconfig(&mut self, path: PathBuf) {
        if !self.extra_kubeconfigs.contains(&path) {
            self.extra_kubeconfigs.push(path);
        }
    }

    pub fn remove_extra_kubeconfig(&mut self, path: &Path) {
        self.extra_kubeconfigs.retain(|p| p != path);
    }

    /// Links a backend to a context, replacing the backend's previous link if it had one.
    pub fn link_backend(&mut self, link: BackendLink) {
        let backend = link.backend();
        match self.backend_links.iter_mut().find(|l| l.is_for(&backend)) {
            Some(existing) => *existing = link,
            None => self.backend_links.push(link),
        }
    }

    /// Switches a backend's status notifications on or off.
    pub fn set_notifications(&mut self, backend: &BackendRef, on: bool) {
        self.muted_notifications.retain(|m| m != backend);
        if !on {
            self.muted_notifications.push(backend.clone());
        }
    }

    /// Whether `backend`'s offline/back notifications are on.
    pub fn notifications_on(&self, backend: &BackendRef) -> bool {
        !self.muted_notifications.contains(backend)
    }

    pub fn unlink_backend(&mut self, backend: &BackendRef) {
        self.backend_links.retain(|l| !l.is_for(backend));
    }

    /// Checks the values a user could have typed, naming the field at fault.
    pub fn validate(&self) -> Result<(), SettingsError> {
        if !REFRESH_SECS_RANGE.contains(&self.dashboard_refresh_secs) {
            return Err(SettingsError::Invalid {
                field: "dashboard_refresh_secs",
                reason: format!(
                    "must be between {} and {} seconds, got {}",
                    REFRESH_SECS_RANGE.start(),
                    REFRESH_SECS_RANGE.end(),
                    self.dashboard_refresh_secs
                ),
            });
        }
        if !TOKEN_WARNING_DAYS_RANGE.contains(&self.token_warning_days) {
            return Err(SettingsError::Invalid {
                field: "token_warning_days",
                reason: format!(
                    "must be between {} and {} days, got {}",
                    TOKEN_WARNING_DAYS_RANGE.start(),
                    TOKEN_WARNING_DAYS_RANGE.end(),
                    self.token_warning_days
                ),
            });
        }
        for (i, path) in self.extra_kubeconfigs.iter().enumerate() {
            if !path.is_absolute() {
                return Err(SettingsError::Invalid {
                    field: "extra_kubeconfigs",
                    reason: format!("must hold absolute paths, got {}", path.display()),
                });
            }
            if self.extra_kubeconfigs[..i].contains(path) {
                return Err(SettingsError::Invalid {
                    field: "extra_kubeconfigs",
                    reason: format!("lists {} twice", path.display()),
                });
            }
        }
        for (i, link) in self.backend_links.iter().enumerate() {
            let twice = self.backend_links[..i]
                .iter()
                .any(|l| l.is_for(&link.backend()));
            if twice {
                return Err(SettingsError::Invalid {
                    field: "backend_links",
                    reason: format!(
                        "links backend \"{}\" of service \"{}\" twice",
                        link.backend_name(),
                        link.service()
                    ),
                });
            }
        }
        services::validate(&self.services)
    }
}

/// The file as stored: the schema version beside the settings.
#[derive(Serialize, Deserialize)]
struct SettingsFile {
    schema_version: u32,
    #[serde(flatten)]
    settings: Settings,
}

/// Why the settings on screen are not the ones in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsNotice {
    /// The file could not be understood; it was renamed and defaults are in use.
    MovedAside { moved_to: PathBuf, reason: String },
    /// The file exists but could not be read (permissions, I/O); it was left where it is.
    Unreadable { path: PathBuf, reason: String },
    /// Some entries were wrong: each is left out (`entries`: where and why), the rest is in use.
    /// The wrong entries were written to `kept_in` (or, if that failed, the file was left as it
    /// was and `kept_in` is the settings file itself).
    EntriesSetAside {
        kept_in: PathBuf,
        entries: Vec<String>,
    },
}

impl std::fmt::Display for SettingsNotice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SettingsNotice::MovedAside { moved_to, reason } => write!(
                f,
                "The settings file could not be used ({reason}). It was kept as {} and default settings are in use; \
                 saving a setting writes a new file.",
                moved_to.display()
            ),
            SettingsNotice::Unreadable { path, reason } => write!(
                f,
                "The settings file {} could not be read ({reason}). Default settings are in use until it can be; \
                 check the file's permissions.",
                path.display()
            ),
            SettingsNotice::EntriesSetAside { kept_in, entries } => write!(
                f,
                "Some settings could not be used and are left out: {}. They are kept in {}; \
                 every other setting is in use.",
                entries.join("; "),
                kept_in.display()
            ),
        }
    }
}

/// Settings as loaded, and why they differ from the file if they do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    pub settings: Settings,
    pub notice: Option<SettingsNotice>,
    /// Services left out with the notice whose secrets may still be in the OS keyring.
    pub left_out: Vec<LeftOutService>,
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("{field} {reason}")]
    Invalid { field: &'static str, reason: String },
    #[error("could not write the settings file {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl SettingsError {
    pub fn code(&self) -> ErrorCode {
        match self {
            SettingsError::Invalid { .. } => ErrorCode::InvalidInput,
            SettingsError::Write { .. } => ErrorCode::Io,
        }
    }
}

/// Reads the settings file. Never fails: a missing file gives defaults, a file that is not a
/// settings file is moved aside, and wrong entries of a settings file are set aside one by one.
pub fn load(path: &Path) -> Loaded {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return defaults(None),
        Err(err) => {
            return defaults(Some(SettingsNotice::Unreadable {
                path: path.to_owned(),
                reason: err.to_string(),
            }))
        }
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return move_aside(path, &bytes, "it is not UTF-8 text".to_owned());
    };
    let object = match settings_object(text) {
        Ok(object) => object,
        Err(reason) => return move_aside(path, &bytes, reason),
    };
    let (settings, wrong) = salvage::salvage(object);
    if wrong.is_empty() {
        return Loaded {
            settings,
            notice: None,
            left_out: Vec::new(),
        };
    }
    let notice = set_aside(path, &settings, &wrong);
    let left_out = left_out::left_out_services(
        wrong
            .iter()
            .filter(|w| w.entry.starts_with("services["))
            .map(|w| &w.value),
        &settings,
    );
    Loaded {
        settings,
        notice: Some(notice),
        left_out,
    }
}

/// The file's object, if it is a settings file this build reads.
fn settings_object(text: &str) -> Result<serde_json::Map<String, serde_json::Value>, String> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|err| format!("invalid JSON: {err}"))?;
    let version = value
        .get("schema_version")
        .and_then(serde_json::Value::as_u64)
        .ok_or("it has no schema_version")?;
    if version > u64::from(SCHEMA_VERSION) {
        return Err(format!(
            "it was written by a newer version of the app (schema {version}, this one reads {SCHEMA_VERSION})"
        ));
    }
    match value {
        serde_json::Value::Object(mut object) => {
            object.remove("schema_version");
            Ok(object)
        }
        _ => Err("unexpected contents: not a JSON object".into()),
    }
}

fn defaults(notice: Option<SettingsNotice>) -> Loaded {
    Loaded {
        settings: Settings::default(),
        notice,
        left_out: Vec::new(),
    }
}

/// Keeps the whole file beside it under a new name and starts from defaults.
fn move_aside(path: &Path, bytes: &[u8], reason: String) -> Loaded {
    tracing::warn!(path = %path.display(), %reason, "settings file unusable, moving it aside");
    let moved = write_beside(path, "corrupt", bytes).and_then(|moved_to| {
        fs::remove_file(path)?;
        Ok(moved_to)
    });
    match moved {
        Ok(moved_to) => Loaded {
            left_out: left_out::left_out_services(
                &left_out::services_in_file(bytes),
                &Settings::default(),
            ),
            ..defaults(Some(SettingsNotice::MovedAside { moved_to, reason }))
        },
        Err(err) => defaults(Some(SettingsNotice::Unreadable {
            path: path.to_owned(),
            reason: format!("{reason}; moving it aside failed too: {err}"),
        })),
    }
}

/// Writes the wrong entries beside the file, then the file again with the kept settings. If the
/// wrong entries cannot be written, the file is left as it is (nothing is lost).
fn set_aside(path: &Path, kept: &Settings, wrong: &[salvage::WrongEntry]) -> SettingsNotice {
    let entries = wrong
        .iter()
        .map(|w| format!("{} ({})", w.entry, w.reason))
        .collect();
    tracing::warn!(path = %path.display(), count = wrong.len(), "settings entries unusable, setting them aside");
    let aside = serde_json::json!({ "schema_version": SCHEMA_VERSION, "set_aside": wrong });
    let text = serde_json::to_vec_pretty(&aside).unwrap_or_default();
    let kept_in = match write_beside(path, "set-aside", &text) {
        Ok(kept_in) => {
            if let Err(err) = save(path, kept) {
                tracing::warn!(
                    "could not rewrite the settings file without the wrong entries: {err}"
                );
            }
            kept_in
        }
        Err(err) => {
            tracing::warn!(path = %path.display(), "could not set the wrong settings aside: {err}");
            path.to_owned()
        }
    };
    SettingsNotice::EntriesSetAside { kept_in, entries }
}

/// Validates and writes the settings atomically (a temporary file renamed over the old one).
pub fn save(path: &Path, settings: &Settings) -> Result<(), SettingsError> {
    settings.validate()?;
    let write_err = |source| SettingsError::Write {
        path: path.to_owned(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(write_err)?;
    let file = SettingsFile {
        schema_version: SCHEMA_VERSION,
        settings: settings.clone(),
    };
    let mut json = serde_json::to_vec_pretty(&file).map_err(|err| write_err(err.into()))?;
    json.push(b'\n');
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(write_err)?;
    tmp.write_all(&json).map_err(write_err)?;
    tmp.as_file().sync_all().map_err(write_err)?;
    tmp.persist(path).map_err(|err| write_err(err.error))?;
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn file_in(dir: &tempfile::TempDir, text: &str) -> PathBuf {
        let path = dir.path().join("settings.json");
        fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn missing_file_gives_defaults_without_notice() {
        let dir = tempfile::tempdir().unwrap();
        let loaded = load(&dir.path().join("settings.json"));
        assert_eq!(loaded.settings, Settings::default());
        assert_eq!(loaded.notice, None);
    }

    #[test]
    fn saved_settings_load_back_with_schema_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/settings.json");
        let settings = Settings {
            theme: ThemePreference::Dark,
            dashboard_refresh_secs: 30,
            ..Settings::default()
        };
        save(&path, &settings).unwrap();
        let raw: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(raw["schema_version"], SCHEMA_VERSION);
        assert_eq!(
            load(&path),
            Loaded {
                settings,
                notice: None,
                left_out: Vec::new(),
            }
        );
    }

    #[test]
    fn missing_fields_take_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = file_in(&dir, r#"{"schema_version": 1, "theme": "light"}"#);
        let loaded = load(&path);
        assert_eq!(loaded.settings.theme, ThemePreference::Light);
        assert_eq!(loaded.settings.dashboard_refresh_secs, 10);
        assert_eq!(
            loaded.settings.token_warning_days,
            DEFAULT_TOKEN_WARNING_DAYS
        );
        assert!(loaded.notice.is_none());
    }

    fn assert_moved_aside(text: &str, reason_part: &str) {
        let dir = tempfile::tempdir().unwrap();
        let path = file_in(&dir, text);
        let loaded = load(&path);
        assert_eq!(loaded.settings, Settings::default());
        let Some(SettingsNotice::MovedAside { moved_to, reason }) = loaded.notice else {
            panic!("expected MovedAside for {text:?}, got {:?}", loaded.notice);
        };
        assert!(
            reason.contains(reason_part),
            "{reason:?} lacks {reason_part:?}"
        );
        assert!(
            !path.exists(),
            "the broken file must be moved, not left in place"
        );
        assert_eq!(
            fs::read_to_string(&moved_to).unwrap(),
            text,
            "nothing is lost"
        );
        assert!(moved_to
            .to_string_lossy()
            .contains("settings.json.corrupt-"));
    }

    #[test]
    fn broken_files_are_moved_aside_with_the_reason() {
        assert_moved_aside("{ not json", "invalid JSON");
        assert_moved_aside(r#"{"theme": "dark"}"#, "no schema_version");
        assert_moved_aside(r#"{"schema_version": 99}"#, "newer version");
        assert_moved_aside("[1, 2]", "no schema_version");
        assert_moved_aside("\"text\"", "no schema_version");
    }

    #[test]
    fn services_left_out_with_saved_secrets_are_named_for_the_keyring() {
        let dir = tempfile::tempdir().unwrap();
        let text = r#"{"schema_version": 1,
            "services": [{"id": "a", "name": "prod", "url": "https://osmo.example.com", "sign_in": {"method": "access_token"}},
                         {"id": "b", "name": "staging", "url": 5, "sign_in": {"method": "access_token"}}]}"#;
        let loaded = load(&file_in(&dir, text));
        assert_eq!(
            loaded.left_out,
            [LeftOutService {
                id: "b".into(),
                name: "staging".into()
            }]
        );
        // A file of a newer version is moved aside whole: every service in it is left out.
        let newer = r#"{"schema_version": 99,
            "services": [{"id": "a", "name": "prod", "sign_in": {"method": "device_code"}}]}"#;
        let loaded = load(&file_in(&dir, newer));
        assert!(matches!(
            loaded.notice,
            Some(SettingsNotice::MovedAside { .. })
        ));
        assert_eq!(
            loaded.left_out,
            [LeftOutService {
                id: "a".into(),
                name: "prod".into()
            }]
        );
    }

    #[test]
    fn wrong_entries_are_set_aside_by_name_and_every_valid_one_kept() {
        let dir = tempfile::tempdir().unwrap();
        let text = r#"{"schema_version": 1, "theme": "purple", "dashboard_refresh_secs": 30,
            "extra_kubeconfigs": ["/k/a.yaml", "relative.yaml"],
            "backend_links": [{"service": "prod", "backend": "gpu-east", "context": "east"},
                              {"service": "prod", "backend": "/etc/x", "context": "east"}],
            "services": [{"id": "a", "name": "prod", "url": "https://osmo.example.com"},
                         {"id": "a/b", "name": "bad", "url": "https://osmo.example.com"}]}"#;
        let path = file_in(&dir, text);
        let loaded = load(&path);
        let Some(SettingsNotice::EntriesSetAside { kept_in, entries }) = &loaded.notice else {
            panic!("expected EntriesSetAside, got {:?}", loaded.notice);
        };
        let named: Vec<&str> = entries
            .iter()
            .map(|e| e.split(' ').next().unwrap())
            .collect();
        assert_eq!(
            named,
            [
                "theme",
                "extra_kubeconfigs[1]",
                "backend_links[1]",
                "services[1]"
            ]
        );
        let notice = loaded.notice.as_ref().unwrap().to_string();
        assert!(
            notice.contains(
                "backend_links[1] (backend \"/etc/x\" is not a backend name OSMO accepts"
            ),
            "{notice}"
        );
        assert!(notice.contains(&kept_in.display().to_string()), "{notice}");
        assert!(kept_in
            .to_string_lossy()
            .contains("settings.json.set-aside-"));
        let aside: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(kept_in).unwrap()).unwrap();
        assert_eq!(aside["set_aside"][2]["entry"], "backend_links[1]");
        assert_eq!(aside["set_aside"][2]["value"]["backend"], "/etc/x");
        assert_eq!(aside["set_aside"][0]["value"], "purple");
        // Everything valid is in use and in the file again; a second load has nothing to say.
        let s = &loaded.settings;
        assert_eq!(s.dashboard_refresh_secs, 30);
        assert_eq!(s.extra_kubeconfigs, [PathBuf::from("/k/a.yaml")]);
        assert_eq!(s.backend_links, [link("prod", "gpu-east", "east")]);
        assert_eq!(s.services.len(), 1);
        assert_eq!(
            load(&path),
            Loaded {
                settings: s.clone(),
                notice: None,
                left_out: Vec::new(),
            }
        );
    }

    /// Found by the fuzz target `settings_file`: the parser's description copied a 130 KB theme
    /// value whole into the notice.
    #[test]
    fn a_huge_wrong_value_is_quoted_shortly_in_the_notice() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        let huge = "s".repeat(100_000);
        std::fs::write(
            &path,
            format!("{{\"schema_version\": 1, \"theme\": \"{huge}\"}}"),
        )
        .unwrap();
        let notice = load(&path).notice.unwrap().to_string();
        assert!(notice.contains("theme (unknown variant"), "{notice}");
        assert!(
            notice.chars().count() < 1024,
            "{} characters",
            notice.chars().count()
        );
    }

    #[test]
    fn two_set_asides_within_one_second_keep_both() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        let mut kept = Vec::new();
        for text in ["{ broken one", "{ broken two", "{ broken three"] {
            fs::write(&path, text).unwrap();
            let Some(SettingsNotice::MovedAside { moved_to, .. }) = load(&path).notice else {
                panic!("expected MovedAside");
            };
            assert_eq!(fs::read_to_string(&moved_to).unwrap(), text);
            kept.push(moved_to);
        }
        kept.sort();
        kept.dedup();
        assert_eq!(kept.len(), 3, "{kept:?}");
        let first = write_beside(&path, "set-aside", b"1").unwrap();
        let second = write_beside(&path, "set-aside", b"2").unwrap();
        assert_ne!(first, second);
        assert_eq!(fs::read_to_string(&first).unwrap(), "1");
        assert_eq!(fs::read_to_string(&second).unwrap(), "2");
    }

    #[test]
    fn notice_names_where_the_file_went() {
        let notice = SettingsNotice::MovedAside {
            moved_to: PathBuf::from("/cfg/settings.json.corrupt-1"),
            reason: "invalid JSON".into(),
        };
        let text = notice.to_string();
        assert!(text.contains("/cfg/settings.json.corrupt-1"));
        assert!(text.contains("invalid JSON"));
    }

    #[test]
    fn links_and_extra_files_are_kept_once_each() {
        let mut settings = Settings::default();
        let file = PathBuf::from("/home/me/.kube/prod.yaml");
        settings.add_extra_kubeconfig(file.clone());
        settings.add_extra_kubeconfig(file.clone());
        assert_eq!(settings.extra_kubeconfigs, std::slice::from_ref(&file));
        settings.remove_extra_kubeconfig(&file);
        assert!(settings.extra_kubeconfigs.is_empty());

        let link = |context: &str| {
            BackendLink::new(BackendRef::new("prod", "gpu-east"), context, None).unwrap()
        };
        settings.link_backend(link("a"));
        settings.link_backend(link("b"));
        assert_eq!(
            settings.backend_links,
            [link("b")],
            "a backend has one link"
        );
        settings.unlink_backend(&BackendRef::new("prod", "gpu-east"));
        assert!(settings.backend_links.is_empty());
    }

    #[test]
    fn invalid_settings_are_not_saved() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        let err = save(
            &path,
            &Settings {
                dashboard_refresh_secs: 1,
                ..Settings::default()
            },
        )
        .unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput);
        assert!(!path.exists());
        for days in [0, 91] {
            let err = save(
                &path,
                &Settings {
                    token_warning_days: days,
                    ..Settings::default()
                },
            )
            .unwrap_err();
            assert!(err.to_string().contains("token_warning_days"), "{err}");
        }
        assert!(!path.exists());
    }
    fn link(service: &str, backend: &str, context: &str) -> BackendLink {
        BackendLink::new(BackendRef::new(service, backend), context, None).unwrap()
    }

    #[test]
    fn a_schema_1_file_from_before_kubeconfigs_and_links_still_loads() {
        let dir = tempfile::tempdir().unwrap();
        let path = file_in(
            &dir,
            r#"{"schema_version": 1, "theme": "dark", "dashboard_refresh_secs": 30}"#,
        );
        let loaded = load(&path);
        assert!(loaded.notice.is_none(), "{:?}", loaded.notice);
        assert_eq!(loaded.settings.theme, ThemePreference::Dark);
        assert!(loaded.settings.extra_kubeconfigs.is_empty());
        assert!(loaded.settings.backend_links.is_empty());
    }

    #[test]
    fn empty_lists_are_left_out_of_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        save(&path, &Settings::default()).unwrap();
        let raw: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(
            raw,
            serde_json::json!({"schema_version": 1, "theme": "system", "dashboard_refresh_secs": 10})
        );
    }

    #[test]
    fn extra_kubeconfigs_and_links_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        let settings = Settings {
            extra_kubeconfigs: vec![dir.path().join("a.yaml"), dir.path().join("b.yaml")],
            backend_links: vec![link("prod", "gpu-east", "east-admin")],
            ..Settings::default()
        };
        save(&path, &settings).unwrap();
        assert_eq!(load(&path).settings, settings);
        let raw: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(
            raw["backend_links"][0]["operatorNamespace"],
            "osmo-operator"
        );
    }

    #[test]
    fn a_link_without_a_namespace_gets_the_default() {
        let dir = tempfile::tempdir().unwrap();
        let path = file_in(
            &dir,
            r#"{"schema_version": 1, "backend_links": [{"session": "s", "backend": "b", "context": "c"}]}"#,
        );
        let loaded = load(&path);
        assert!(loaded.notice.is_none(), "{:?}", loaded.notice);
        assert_eq!(loaded.settings.backend_links, vec![link("s", "b", "c")]);
    }

    #[test]
    fn relative_or_repeated_kubeconfigs_and_repeated_links_are_refused() {
        let absolute = std::env::temp_dir().join("k.yaml");
        let cases = [
            (
                Settings {
                    extra_kubeconfigs: vec![PathBuf::from("relative/k.yaml")],
                    ..Settings::default()
                },
                "extra_kubeconfigs must hold absolute paths",
            ),
            (
                Settings {
                    extra_kubeconfigs: vec![absolute.clone(), absolute],
                    ..Settings::default()
                },
                "twice",
            ),
            (
                Settings {
                    backend_links: vec![link("s", "b", "c1"), link("s", "b", "c2")],
                    ..Settings::default()
                },
                "backend_links links backend \"b\" of service \"s\" twice",
            ),
        ];
        for (settings, expected) in cases {
            let err = settings.validate().unwrap_err();
            assert_eq!(err.code(), ErrorCode::InvalidInput);
            assert!(err.to_string().contains(expected), "{err}");
        }
        assert!(Settings {
            backend_links: vec![link("s", "b", "c"), link("s2", "b", "c")],
            ..Settings::default()
        }
        .validate()
        .is_ok());
    }
}

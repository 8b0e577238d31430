//! The settings as the running app holds them: loaded once, changed only through [`SettingsStore::update`],
//! which writes the file before the change becomes visible.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{load, save, LeftOutService, Settings, SettingsError, SettingsNotice};

pub struct SettingsStore {
    path: PathBuf,
    current: Mutex<Settings>,
    notice: Mutex<Option<SettingsNotice>>,
    /// Services left out with the notice whose secrets may still be in the keyring, until the
    /// user removes or keeps them (dismissing the notice does not forget them).
    left_out: Mutex<Vec<LeftOutService>>,
}

impl SettingsStore {
    /// Loads the file at `path` (see [`load`]: never fails).
    pub fn open(path: &Path) -> Self {
        let loaded = load(path);
        Self {
            path: path.to_owned(),
            current: Mutex::new(loaded.settings),
            notice: Mutex::new(loaded.notice),
            left_out: Mutex::new(loaded.left_out),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn get(&self) -> Settings {
        lock(&self.current).clone()
    }

    /// Validates and saves `settings`; on success they replace the current ones and the notice
    /// about an unusable file is cleared (there is a good file again).
    pub fn update(&self, settings: Settings) -> Result<Settings, SettingsError> {
        let mut current = lock(&self.current);
        save(&self.path, &settings)?;
        *current = settings.clone();
        lock(&self.notice).take();
        Ok(settings)
    }

    /// Changes part of the settings under the lock (so two changes never lose each other), then
    /// validates and saves like [`SettingsStore::update`]. `change` may refuse with an error, which
    /// leaves everything as it was.
    pub fn change<E: From<SettingsError>>(
        &self,
        change: impl FnOnce(&mut Settings) -> Result<(), E>,
    ) -> Result<Settings, E> {
        let mut current = lock(&self.current);
        let mut next = current.clone();
        change(&mut next)?;
        save(&self.path, &next)?;
        *current = next.clone();
        lock(&self.notice).take();
        Ok(next)
    }

    /// Why the settings differ from the file, until dismissed or until a save succeeds.
    pub fn notice(&self) -> Option<SettingsNotice> {
        lock(&self.notice).clone()
    }

    pub fn dismiss_notice(&self) {
        lock(&self.notice).take();
    }

    /// Services left out of the settings whose secrets may still be in the OS keyring.
    pub fn left_out_services(&self) -> Vec<LeftOutService> {
        lock(&self.left_out).clone()
    }

    /// Stops offering `ids` for removal (removed from the keyring, or kept by the user's choice).
    pub fn settle_left_out(&self, ids: &[String]) {
        lock(&self.left_out).retain(|s| !ids.contains(&s.id));
    }
}

/// A poisoned lock only means another thread panicked mid-update; the data is still whole
/// because every update is a single assignment after the file write.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::settings::ThemePreference;

    #[test]
    fn update_writes_through_and_clears_the_notice() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        std::fs::write(&path, "garbage").unwrap();
        let store = SettingsStore::open(&path);
        assert!(store.notice().is_some());

        let wanted = Settings {
            theme: ThemePreference::Light,
            ..Settings::default()
        };
        store.update(wanted.clone()).unwrap();
        assert_eq!(store.get(), wanted);
        assert_eq!(store.notice(), None);
        assert_eq!(SettingsStore::open(&path).get(), wanted, "persisted");
    }

    #[test]
    fn a_rejected_update_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = SettingsStore::open(&dir.path().join("settings.json"));
        let before = store.get();
        let bad = Settings {
            dashboard_refresh_secs: 99_999,
            ..Settings::default()
        };
        assert!(store.update(bad).is_err());
        assert_eq!(store.get(), before);
        assert!(!store.path().exists());
    }
    #[test]
    fn change_edits_one_field_and_keeps_the_others() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        let store = SettingsStore::open(&path);
        store
            .update(Settings {
                theme: ThemePreference::Dark,
                ..Settings::default()
            })
            .unwrap();
        let extra = dir.path().join("extra.yaml");
        let changed = store
            .change(|s| {
                s.extra_kubeconfigs.push(extra.clone());
                Ok::<_, SettingsError>(())
            })
            .unwrap();
        assert_eq!(changed.theme, ThemePreference::Dark);
        assert_eq!(changed.extra_kubeconfigs, vec![extra.clone()]);
        assert_eq!(SettingsStore::open(&path).get(), changed, "persisted");

        // Refused by the closure or by validation: nothing changes.
        let refused = store.change(|_| {
            Err(SettingsError::Invalid {
                field: "x",
                reason: "no".into(),
            })
        });
        assert!(refused.is_err());
        let invalid = store.change(|s| {
            s.extra_kubeconfigs.push(extra.clone());
            Ok::<_, SettingsError>(())
        });
        assert!(invalid.is_err(), "the same file twice is invalid");
        assert_eq!(store.get(), changed);
    }
}

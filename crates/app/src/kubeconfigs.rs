//! The kubeconfig files the app reads, the way kubectl finds them (`KUBECONFIG` or
//! `~/.kube/config`), then the files added in the settings, then a file lent for the run (the
//! sandbox's cluster). Re-read on every `list_contexts`; the watcher tells the UI when one changed.

use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use osmo_admin_core::settings::SettingsStore;
use osmo_admin_kube::{
    discover, login_shell_path, ClientCache, KubeconfigSet, KubeconfigWatcher, ShellEnv, SourceFile,
};

use crate::lock;

/// How long the login shell may take to print its PATH (for exec credential plugins).
const LOGIN_SHELL_TIMEOUT: Duration = Duration::from_secs(3);

/// The environment kubeconfig discovery reads, taken once at start (tests pass their own).
#[derive(Debug, Clone, Default)]
pub struct KubeEnv {
    /// The value of `KUBECONFIG`.
    pub kubeconfig: Option<OsString>,
    /// The user's home folder (for `~/.kube/config` and `~/` in typed paths).
    pub home: Option<PathBuf>,
}

impl KubeEnv {
    /// `KUBECONFIG` and the home folder of this process.
    pub fn from_process() -> Self {
        Self {
            kubeconfig: std::env::var_os("KUBECONFIG"),
            home: std::env::home_dir(),
        }
    }
}

pub struct Kubeconfigs {
    pub env: KubeEnv,
    settings: Arc<SettingsStore>,
    /// The files as last read (with last good contents of broken ones).
    set: Mutex<KubeconfigSet>,
    /// A kubeconfig lent for the run (never saved), read after the user's files.
    lent: Mutex<Option<PathBuf>>,
    /// Watches the files; replaced when the list of files changes.
    pub(crate) watcher: Mutex<Option<KubeconfigWatcher>>,
    /// The login shell's PATH for exec credential plugins, asked for once.
    exec_path: Mutex<Option<OsString>>,
    /// One client per context, rebuilt when the context's configuration changes.
    pub clients: ClientCache,
}

impl Kubeconfigs {
    pub fn load(env: KubeEnv, settings: Arc<SettingsStore>) -> Self {
        let set = KubeconfigSet::load(sources(&env, &settings, None));
        Self {
            env,
            settings,
            set: Mutex::new(set),
            lent: Mutex::new(None),
            watcher: Mutex::new(None),
            exec_path: Mutex::new(None),
            clients: ClientCache::new(),
        }
    }

    /// The set as last read.
    pub fn current(&self) -> MutexGuard<'_, KubeconfigSet> {
        lock(&self.set)
    }

    /// The set, re-read from disk.
    pub fn reload(&self) -> MutexGuard<'_, KubeconfigSet> {
        let mut set = lock(&self.set);
        set.reload_sources(self.sources());
        set
    }

    /// The files read now, in merge order.
    pub fn paths(&self) -> Vec<PathBuf> {
        self.sources().into_iter().map(|s| s.path).collect()
    }

    /// Reads `file` after the user's files for this run (`None` takes it back).
    pub fn lend(&self, file: Option<PathBuf>) {
        *lock(&self.lent) = file;
    }

    fn sources(&self) -> Vec<SourceFile> {
        let lent = lock(&self.lent).clone();
        sources(&self.env, &self.settings, lent)
    }

    /// The login shell's PATH for exec credential plugins, asked for once and then kept.
    pub async fn exec_path(&self) -> OsString {
        let cached = lock(&self.exec_path).clone();
        if let Some(path) = cached {
            return path;
        }
        let path = login_shell_path(&ShellEnv::from_process(), LOGIN_SHELL_TIMEOUT)
            .await
            .path;
        *lock(&self.exec_path) = Some(path.clone());
        path
    }
}

fn sources(env: &KubeEnv, settings: &SettingsStore, lent: Option<PathBuf>) -> Vec<SourceFile> {
    let mut extra = settings.get().extra_kubeconfigs;
    extra.extend(lent.filter(|p| !extra.contains(p)));
    discover(env.kubeconfig.as_deref(), env.home.as_deref(), &extra)
}

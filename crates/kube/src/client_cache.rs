//! [`ClientCache`]: one `kube::Client` per context, built once by [`client_for`] and reused while
//! that context's resolved configuration (cluster, user, credentials) and the [`ConnectOptions`]
//! stay the same. A changed kubeconfig gives a new client on the next call; [`ClientCache::clear`]
//! drops them all (e.g. when the user's kubeconfig files change).
//!
//! The fingerprint is a hash of the resolved one-context kubeconfig; no credential is kept in it.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Mutex;

use crate::connect::{client_for, ConnectOptions, ResolvedContext};
use crate::kubeconfig::KubeconfigSet;
use crate::Error;

/// Context name → (fingerprint, client).
type Clients = HashMap<String, (u64, kube::Client)>;

/// Clients per context name, each with the fingerprint it was built for.
#[derive(Default)]
pub struct ClientCache {
    clients: Mutex<Clients>,
    #[cfg(test)]
    builds: std::sync::atomic::AtomicUsize,
}

impl std::fmt::Debug for ClientCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let contexts: Vec<String> = self
            .clients
            .lock()
            .map(|c| c.keys().cloned().collect())
            .unwrap_or_default();
        f.debug_struct("ClientCache")
            .field("contexts", &contexts)
            .finish()
    }
}

fn fingerprint(context: &ResolvedContext, options: &ConnectOptions) -> u64 {
    let mut hasher = DefaultHasher::new();
    context.name.hash(&mut hasher);
    serde_json::to_vec(context.kubeconfig())
        .unwrap_or_default()
        .hash(&mut hasher);
    format!("{options:?}").hash(&mut hasher);
    hasher.finish()
}

impl ClientCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// The client for `context` of `set`: the cached one when the context resolves to the same
    /// configuration as when it was built, else a new one (which replaces it).
    pub async fn client(
        &self,
        set: &KubeconfigSet,
        context: &str,
        options: &ConnectOptions,
    ) -> Result<kube::Client, Error> {
        let resolved = set.resolve(context)?;
        self.client_for(&resolved, options).await
    }

    /// The client for an already resolved context (cached while its configuration stays the same).
    pub async fn client_for(
        &self,
        resolved: &ResolvedContext,
        options: &ConnectOptions,
    ) -> Result<kube::Client, Error> {
        let context = resolved.name.as_str();
        let print = fingerprint(resolved, options);
        if let Some((_, client)) = self
            .lock()?
            .get(context)
            .filter(|(cached, _)| *cached == print)
        {
            return Ok(client.clone());
        }
        let client = client_for(resolved, options).await?;
        #[cfg(test)]
        self.builds
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.lock()?
            .insert(context.to_owned(), (print, client.clone()));
        Ok(client)
    }

    /// Drops every cached client.
    pub fn clear(&self) {
        if let Ok(mut clients) = self.clients.lock() {
            clients.clear();
        }
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Clients>, Error> {
        self.clients
            .lock()
            .map_err(|_| Error::Internal("the client cache's lock was poisoned".into()))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::path::Path;
    use std::sync::atomic::Ordering;

    use super::*;
    use crate::kubeconfig::{FileOrigin, SourceFile};

    fn write_config(path: &Path, server: &str) {
        std::fs::write(
            path,
            format!(
                "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: {server}\n\
                 users:\n- name: u\n  user:\n    token: not-a-real-token\n\
                 contexts:\n- name: east\n  context: {{cluster: c, user: u}}\n\
                 - name: west\n  context: {{cluster: c, user: u}}\n"
            ),
        )
        .unwrap();
    }

    fn load(path: &Path) -> KubeconfigSet {
        KubeconfigSet::load(vec![SourceFile {
            path: path.to_owned(),
            origin: FileOrigin::Extra,
        }])
    }

    #[tokio::test]
    async fn a_context_gets_one_client_until_its_kubeconfig_changes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        write_config(&path, "https://127.0.0.1:1");
        let set = load(&path);
        let cache = ClientCache::new();
        let options = ConnectOptions::default();
        let builds = || cache.builds.load(Ordering::SeqCst);

        cache.client(&set, "east", &options).await.unwrap();
        cache.client(&set, "east", &options).await.unwrap();
        assert_eq!(builds(), 1, "the same context twice is built once");
        cache.client(&set, "west", &options).await.unwrap();
        assert_eq!(builds(), 2, "another context has its own client");

        write_config(&path, "https://127.0.0.1:2");
        let changed = load(&path);
        cache.client(&changed, "east", &options).await.unwrap();
        assert_eq!(builds(), 3, "a changed server gives a new client");
        cache.client(&changed, "east", &options).await.unwrap();
        assert_eq!(builds(), 3);

        let slower = ConnectOptions {
            request_timeout: std::time::Duration::from_secs(99),
            ..ConnectOptions::default()
        };
        cache.client(&changed, "east", &slower).await.unwrap();
        assert_eq!(builds(), 4, "other options give a new client");

        cache.clear();
        cache.client(&changed, "east", &slower).await.unwrap();
        assert_eq!(builds(), 5, "clear drops every client");

        let Err(missing) = cache.client(&changed, "north", &options).await else {
            panic!("context north does not exist");
        };
        assert_eq!(missing.code(), osmo_admin_core::ErrorCode::NotFound);
    }
}

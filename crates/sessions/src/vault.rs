//! [`Vault`]: a [`SecretStore`] called from async code. Keyring calls block (D-Bus, Keychain), and
//! a keyring that pops an unlock prompt nobody answers would block forever; each call runs on the
//! blocking pool and is abandoned after [`Vault::timeout`] as "keyring not available".

use std::sync::Arc;
use std::time::Duration;

use osmo_admin_secrets::{Secret, SecretKind, SecretStore, StoreError};

/// How long a keyring call may take before it counts as unavailable.
pub const KEYRING_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub struct Vault {
    store: Arc<dyn SecretStore>,
    timeout: Duration,
}

impl Vault {
    pub fn new(store: Arc<dyn SecretStore>, timeout: Duration) -> Self {
        Self { store, timeout }
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    pub async fn get(&self, session: &str, kind: SecretKind) -> Result<Option<Secret>, StoreError> {
        let session = session.to_owned();
        self.run(move |store| store.get(&session, kind)).await
    }

    /// Replaces every secret of `session` with `secrets` (kinds not given are deleted, so an old
    /// refresh token never outlives a new sign-in).
    pub async fn replace(
        &self,
        session: &str,
        secrets: Vec<(SecretKind, Secret)>,
    ) -> Result<(), StoreError> {
        let session = session.to_owned();
        self.run(move |store| {
            for kind in SecretKind::ALL {
                match secrets.iter().find(|(k, _)| *k == kind) {
                    Some((_, secret)) => store.set(&session, kind, secret)?,
                    None => store.delete(&session, kind)?,
                }
            }
            Ok(())
        })
        .await
    }

    pub async fn delete_session(&self, session: &str) -> Result<(), StoreError> {
        let session = session.to_owned();
        self.run(move |store| store.delete_session(&session)).await
    }

    async fn run<T: Send + 'static>(
        &self,
        call: impl FnOnce(&dyn SecretStore) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let store = Arc::clone(&self.store);
        let task = tokio::task::spawn_blocking(move || call(store.as_ref()));
        match tokio::time::timeout(self.timeout, task).await {
            Ok(Ok(result)) => result,
            Ok(Err(join)) => Err(StoreError::Unavailable {
                detail: format!("the keyring call failed: {join}"),
                advice: "Try again; if it keeps failing, restart the app.",
            }),
            Err(_) => Err(StoreError::Unavailable {
                detail: format!(
                    "the keyring did not answer within {} s",
                    self.timeout.as_secs()
                ),
                advice:
                    "If the system shows a prompt to unlock the keyring, answer it, then try again.",
            }),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use osmo_admin_core::ErrorCode;
    use osmo_admin_secrets::MemoryStore;

    use super::*;

    /// A keyring that never answers, like one waiting on an unlock prompt.
    struct Stuck;

    impl SecretStore for Stuck {
        fn get(&self, _: &str, _: SecretKind) -> Result<Option<Secret>, StoreError> {
            std::thread::sleep(Duration::from_millis(800));
            Ok(None)
        }
        fn set(&self, _: &str, _: SecretKind, _: &Secret) -> Result<(), StoreError> {
            Ok(())
        }
        fn delete(&self, _: &str, _: SecretKind) -> Result<(), StoreError> {
            Ok(())
        }
    }

    #[tokio::test]
    async fn a_stuck_keyring_is_unavailable_after_the_timeout() {
        let vault = Vault::new(Arc::new(Stuck), Duration::from_millis(100));
        let started = std::time::Instant::now();
        let err = vault.get("svc", SecretKind::AccessToken).await.unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(2));
        assert_eq!(err.code(), ErrorCode::KeyringUnavailable);
        assert!(err.to_string().contains("did not answer"), "{err}");
    }

    #[tokio::test]
    async fn replace_removes_kinds_not_given() {
        let store = Arc::new(MemoryStore::new());
        let vault = Vault::new(store.clone(), KEYRING_TIMEOUT);
        vault
            .replace(
                "svc",
                vec![
                    (SecretKind::IdToken, Secret::new("id")),
                    (SecretKind::RefreshToken, Secret::new("refresh")),
                ],
            )
            .await
            .unwrap();
        vault
            .replace(
                "svc",
                vec![(SecretKind::AccessToken, Secret::new("access"))],
            )
            .await
            .unwrap();
        assert_eq!(store.get("svc", SecretKind::RefreshToken).unwrap(), None);
        assert_eq!(
            store.get("svc", SecretKind::AccessToken).unwrap(),
            Some(Secret::new("access"))
        );
    }
}

//! [`MemoryStore`]: a [`SecretStore`] in process memory, for tests and for sessions that must not
//! outlive the app. It can pretend to be a locked keyring ([`MemoryStore::set_unavailable`]).

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use crate::store::{check_session_id, SecretKind, SecretStore, StoreError};
use crate::Secret;

#[derive(Default)]
struct Inner {
    entries: HashMap<(String, SecretKind), Secret>,
    unavailable: bool,
}

/// In-memory secret store.
#[derive(Default)]
pub struct MemoryStore {
    inner: Mutex<Inner>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes every call fail like a locked keyring (true) or work again (false).
    pub fn set_unavailable(&self, unavailable: bool) {
        self.lock().unavailable = unavailable;
    }

    /// Number of stored secrets.
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave the map half-updated; keep going.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn open(&self, session: &str) -> Result<MutexGuard<'_, Inner>, StoreError> {
        check_session_id(session)?;
        let inner = self.lock();
        if inner.unavailable {
            return Err(StoreError::Unavailable {
                detail: "the in-memory store was marked unavailable".into(),
                advice: "This is a test store.",
            });
        }
        Ok(inner)
    }
}

impl SecretStore for MemoryStore {
    fn get(&self, session: &str, kind: SecretKind) -> Result<Option<Secret>, StoreError> {
        Ok(self
            .open(session)?
            .entries
            .get(&(session.to_owned(), kind))
            .cloned())
    }

    fn set(&self, session: &str, kind: SecretKind, secret: &Secret) -> Result<(), StoreError> {
        self.open(session)?
            .entries
            .insert((session.to_owned(), kind), secret.clone());
        Ok(())
    }

    fn delete(&self, session: &str, kind: SecretKind) -> Result<(), StoreError> {
        self.open(session)?
            .entries
            .remove(&(session.to_owned(), kind));
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use osmo_admin_core::ErrorCode;

    #[test]
    fn set_get_delete_by_session_and_kind() {
        let store = MemoryStore::new();
        let a = Secret::new("a-value");
        store.set("s1", SecretKind::AccessToken, &a).unwrap();
        store
            .set("s1", SecretKind::RefreshToken, &Secret::new("r"))
            .unwrap();
        store
            .set("s2", SecretKind::AccessToken, &Secret::new("other"))
            .unwrap();
        assert_eq!(store.get("s1", SecretKind::AccessToken).unwrap(), Some(a));
        assert_eq!(store.get("s1", SecretKind::IdToken).unwrap(), None);
        store.delete("s1", SecretKind::AccessToken).unwrap();
        store.delete("s1", SecretKind::AccessToken).unwrap();
        assert_eq!(store.get("s1", SecretKind::AccessToken).unwrap(), None);
        assert_eq!(
            store.get("s2", SecretKind::AccessToken).unwrap(),
            Some(Secret::new("other"))
        );
        store.delete_session("s1").unwrap();
        assert_eq!(store.len(), 1);
    }

    #[test]
    fn unavailable_store_reports_keyring_unavailable() {
        let store = MemoryStore::new();
        store.set_unavailable(true);
        let err = store.get("s1", SecretKind::AccessToken).unwrap_err();
        assert_eq!(err.code(), ErrorCode::KeyringUnavailable);
        store.set_unavailable(false);
        assert!(store.get("s1", SecretKind::AccessToken).unwrap().is_none());
    }
}

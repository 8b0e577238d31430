//! `KeyringStore` against the REAL OS keyring (Secret Service in a private D-Bus session on Linux).
//!
//! Run as documented in the crate README (inside `dbus-run-session` with an unlocked
//! `gnome-keyring-daemon`). Without a reachable Secret Service these tests FAIL, unless
//! `OSMO_ADMIN_EXPECT_NO_KEYRING=1` is set: then they assert the `KeyringUnavailable` mapping.

#![allow(clippy::unwrap_used)]

use osmo_admin_core::ErrorCode;
use osmo_admin_secrets::{BuildKind, KeyringStore, Secret, SecretKind, SecretStore};

fn expect_no_keyring() -> bool {
    std::env::var("OSMO_ADMIN_EXPECT_NO_KEYRING").is_ok_and(|v| v == "1")
}

fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{prefix}-{}-{nanos}", std::process::id())
}

fn test_store() -> KeyringStore {
    KeyringStore::with_service(unique("io.github.osmo-backend-admin.test"))
}

fn must_work<T>(result: Result<T, osmo_admin_secrets::StoreError>) -> T {
    match result {
        Ok(v) => v,
        Err(e) => panic!(
            "the real keyring is not usable: {e}\n(run inside dbus-run-session with \
             gnome-keyring-daemon as in crates/secrets/README.md, or set \
             OSMO_ADMIN_EXPECT_NO_KEYRING=1 to test the unavailable path)"
        ),
    }
}

#[test]
fn round_trip_in_the_real_keyring() {
    if expect_no_keyring() {
        return;
    }
    let store = test_store();
    let session = unique("session");
    let value = Secret::new("osmo-access-token-0123456789");
    must_work(store.set(&session, SecretKind::AccessToken, &value));
    assert_eq!(
        must_work(store.get(&session, SecretKind::AccessToken)),
        Some(value)
    );
    assert_eq!(
        must_work(store.get(&session, SecretKind::RefreshToken)),
        None
    );

    let replaced = Secret::new("rotated-value");
    must_work(store.set(&session, SecretKind::AccessToken, &replaced));
    assert_eq!(
        must_work(store.get(&session, SecretKind::AccessToken)),
        Some(replaced)
    );

    must_work(store.delete(&session, SecretKind::AccessToken));
    assert_eq!(
        must_work(store.get(&session, SecretKind::AccessToken)),
        None
    );
    // Deleting what is not there is fine.
    must_work(store.delete(&session, SecretKind::AccessToken));
}

#[test]
fn sessions_kinds_and_build_kinds_are_separate_entries() {
    if expect_no_keyring() {
        return;
    }
    let session = unique("session");
    let dev = KeyringStore::new(BuildKind::Development);
    let release = KeyringStore::new(BuildKind::Release);
    must_work(dev.set(&session, SecretKind::IdToken, &Secret::new("dev-jwt")));
    must_work(dev.set(
        &session,
        SecretKind::RefreshToken,
        &Secret::new("dev-refresh"),
    ));
    let other_session = unique("other");
    assert_eq!(must_work(release.get(&session, SecretKind::IdToken)), None);
    assert_eq!(
        must_work(dev.get(&other_session, SecretKind::IdToken)),
        None
    );
    assert_eq!(
        must_work(dev.get(&session, SecretKind::IdToken)),
        Some(Secret::new("dev-jwt"))
    );
    must_work(dev.delete_session(&session));
    assert_eq!(must_work(dev.get(&session, SecretKind::RefreshToken)), None);
    assert_eq!(must_work(dev.get(&session, SecretKind::IdToken)), None);
}

#[test]
fn unreachable_keyring_is_keyring_unavailable() {
    if !expect_no_keyring() {
        return;
    }
    let store = test_store();
    let err = store
        .set("session", SecretKind::AccessToken, &Secret::new("value"))
        .expect_err("OSMO_ADMIN_EXPECT_NO_KEYRING=1 but the keyring accepted a secret");
    assert_eq!(err.code(), ErrorCode::KeyringUnavailable, "{err}");
    let text = err.to_string();
    assert!(text.contains("keyring"), "{text}");
    // Reading may fail the same way, or (a D-Bus-activated but locked keyring) find nothing;
    // it must never return a value.
    match store.get("session", SecretKind::AccessToken) {
        Ok(found) => assert!(found.is_none()),
        Err(err) => assert_eq!(err.code(), ErrorCode::KeyringUnavailable, "{err}"),
    }
}

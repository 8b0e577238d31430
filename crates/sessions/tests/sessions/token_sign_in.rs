//! Adding a service, signing in with an access token, restarting, and what goes wrong.

use osmo_admin_core::ErrorCode;
use osmo_admin_secrets::{Secret, SecretKind, SecretStore};
use osmo_admin_sessions::{KeyringNote, SessionStatus};

use crate::common::*;

#[tokio::test]
async fn token_sign_in_is_kept_in_the_keyring_and_resumed_after_a_restart() {
    for dialect in DIALECTS {
        let sim = auth_sim(dialect).await;
        let world = World::new();
        let sessions = world.start();
        let id = sessions
            .add_service(" prod", &format!("{}/", sim.base_url()), None, &never())
            .await
            .unwrap();
        assert_eq!(id, "prod", "the id is the trimmed name");
        let view = only(&sessions).await;
        assert_eq!(view.id, id);
        assert!(!view.for_this_run_only);
        assert_eq!(view.status, SessionStatus::SignedOut);
        assert_eq!(view.url, sim.base_url(), "trailing slash dropped");
        let expected = match dialect {
            osmo_sim::Dialect::V6_0 => "6.0/6.1",
            _ => "6.2+",
        };
        assert_eq!(view.dialect.as_deref(), Some(expected));
        let evidence = view.dialect_evidence.clone().unwrap();
        assert!(
            evidence.ends_with(&format!(": {expected} dialect.")),
            "{dialect:?}: {evidence}"
        );
        assert!(view.methods.unwrap().access_token);

        sessions
            .sign_in_with_access_token(&id, admin_token(&sim), &never())
            .await
            .unwrap();
        let view = only(&sessions).await;
        assert_eq!(signed_in_user(&view), admin_user(dialect));
        assert_eq!(view.keyring, KeyringNote::Saved);
        assert!(
            matches!(&view.status, SessionStatus::SignedIn { roles, until, .. }
            if roles.contains(&"osmo-admin".to_string()) && until.is_some())
        );
        assert_eq!(
            world
                .keyring
                .get(&world.keyring_key("prod"), SecretKind::AccessToken)
                .unwrap(),
            Some(admin_token(&sim))
        );
        let file = world.settings_text();
        assert!(file.contains("\"access_token\""), "{file}");
        assert!(
            !file.contains(admin_token(&sim).expose()),
            "the settings file holds the token: {file}"
        );
        let (name, session) = sessions.signed_in().remove(0);
        assert_eq!(name, "prod");
        assert_eq!(session.list_backends(&never()).await.unwrap().len(), 1);

        // Restart: the list comes from the file, the token from the keyring.
        drop(sessions);
        let sessions = world.start();
        assert_eq!(only(&sessions).await.status, SessionStatus::Connecting);
        sessions.restore_all(&never()).await;
        let view = only(&sessions).await;
        assert_eq!(view.id, id);
        assert_eq!(signed_in_user(&view), admin_user(dialect));
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn a_wrong_token_changes_nothing() {
    let sim = auth_sim(osmo_sim::Dialect::V6_4).await;
    let world = World::new();
    let sessions = world.start();
    let id = add_prod(&sessions, &sim).await;
    let err = sessions
        .sign_in_with_access_token(&id, Secret::new("not-a-token"), &never())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Unauthorized, "{err}");
    assert!(err.to_string().contains("prod"), "{err}");
    assert_eq!(only(&sessions).await.status, SessionStatus::SignedOut);
    assert!(world.keyring.is_empty());
    assert!(!world.settings_text().contains("sign_in"));
}

#[tokio::test]
async fn a_revoked_token_asks_to_sign_in_again_on_the_next_start() {
    let sim = auth_sim(osmo_sim::Dialect::V6_4).await;
    let world = World::new();
    let sessions = world.start();
    let id = add_prod(&sessions, &sim).await;
    sign_in_as_admin(&sessions, &id, &sim).await;
    drop(sessions);
    let yesterday = chrono::Utc::now().date_naive() - chrono::Days::new(1);
    assert!(sim.set_token_expires_at("svc-admin", "admin-token", yesterday));

    let sessions = world.start();
    sessions.restore_all(&never()).await;
    match only(&sessions).await.status {
        SessionStatus::SignInAgain { reason } => {
            assert!(reason.to_lowercase().contains("expired"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    assert!(sessions.signed_in().is_empty());
}

#[tokio::test]
async fn a_locked_keyring_signs_in_for_this_run_only_and_is_explained_on_restart() {
    let sim = auth_sim(osmo_sim::Dialect::V6_0).await;
    let world = World::new();
    let sessions = world.start();
    let id = add_prod(&sessions, &sim).await;
    world.keyring.set_unavailable(true);
    sign_in_as_admin(&sessions, &id, &sim).await;
    let view = only(&sessions).await;
    assert_eq!(signed_in_user(&view), "admin-token");
    assert!(
        matches!(&view.keyring, KeyringNote::NotSaved { message } if message.contains("this run only")),
        "{:?}",
        view.keyring
    );
    // Not resumable, so not recorded as signed in.
    assert!(!world.settings_text().contains("sign_in"));

    // Signed in with the keyring working, then restarted with it locked.
    world.keyring.set_unavailable(false);
    sign_in_as_admin(&sessions, &id, &sim).await;
    drop(sessions);
    world.keyring.set_unavailable(true);
    let sessions = world.start();
    sessions.restore_all(&never()).await;
    match only(&sessions).await.status {
        SessionStatus::KeyringUnavailable { message } => {
            assert!(message.contains("Try again"), "{message}")
        }
        other => panic!("{other:?}"),
    }
    // Unlocked: "Try again" resumes it.
    world.keyring.set_unavailable(false);
    sessions.restore(&id, &never()).await.unwrap();
    assert_eq!(signed_in_user(&only(&sessions).await), "admin-token");
}

#[tokio::test]
async fn sign_out_removes_the_secrets_and_keeps_or_drops_the_service() {
    let sim = auth_sim(osmo_sim::Dialect::V6_4).await;
    let world = World::new();
    let sessions = world.start();
    let id = add_prod(&sessions, &sim).await;
    sign_in_as_admin(&sessions, &id, &sim).await;
    sessions.sign_out(&id).await.unwrap();
    assert!(world.keyring.is_empty());
    assert_eq!(only(&sessions).await.status, SessionStatus::SignedOut);
    assert!(world.settings_text().contains("prod"));
    assert!(!world.settings_text().contains("sign_in"));

    sign_in_as_admin(&sessions, &id, &sim).await;
    // A locked keyring stops the sign-out with nothing changed.
    world.keyring.set_unavailable(true);
    let err = sessions.remove_service(&id).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::KeyringUnavailable);
    assert_eq!(signed_in_user(&only(&sessions).await), "svc-admin");
    world.keyring.set_unavailable(false);

    sessions.remove_service(&id).await.unwrap();
    assert!(sessions.list().await.is_empty());
    assert!(world.keyring.is_empty());
    assert!(!world.settings_text().contains("prod"));
}

#[tokio::test]
async fn a_wrong_url_or_a_server_that_is_not_osmo_saves_nothing() {
    let world = World::new();
    let sessions = world.start();
    // Nothing listens on port 9 of loopback.
    let err = sessions
        .add_service("nowhere", "http://127.0.0.1:9", None, &never())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Unreachable, "{err}");

    let web = web_page_server().await;
    let err = sessions
        .add_service("web", &web, None, &never())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::ServerError, "{err}");
    assert!(err.to_string().contains("HTML page"), "{err}");
    for bad in ["", "osmo.example.com", "ftp://osmo.example.com"] {
        let err = sessions
            .add_service("x", bad, None, &never())
            .await
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{bad}: {err}");
    }
    let err = sessions
        .add_service("x", &web, Some("not a pem".into()), &never())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(sessions.list().await.is_empty());
    assert!(!world.settings_text().contains("services"));
}

#[tokio::test]
async fn names_are_unique() {
    let sim = auth_sim(osmo_sim::Dialect::V6_4).await;
    let world = World::new();
    let sessions = world.start();
    sessions
        .add_service("prod", &sim.base_url(), None, &never())
        .await
        .unwrap();
    let err = sessions
        .add_service(" prod ", &sim.base_url(), None, &never())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("already listed"), "{err}");
}

/// A web server that answers every path with an HTML page (a proxy's login page, say).
async fn web_page_server() -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = socket.read(&mut buf).await;
                let body = "<html><body>Sign in to the corporate proxy</body></html>";
                let reply = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(reply.as_bytes()).await;
            });
        }
    });
    url
}

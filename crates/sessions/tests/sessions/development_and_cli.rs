//! Development-mode services, and importing the OSMO CLI's sign-in.

use osmo_admin_core::ErrorCode;
use osmo_admin_secrets::{SecretKind, SecretStore};
use osmo_admin_sessions::{KeyringNote, SessionStatus, SignInMethodName};
use osmo_sim::{Dialect, SeedBackend, SimConfig, Simulator};

use crate::common::*;

#[tokio::test]
async fn a_development_service_signs_in_without_secrets_and_resumes() {
    let sim = Simulator::start(SimConfig::new(Dialect::V6_4).backend(SeedBackend::new("gpu")))
        .await
        .unwrap();
    let world = World::new();
    let sessions = world.start();
    let id = sessions
        .add_service("local", &sim.base_url(), None, &never())
        .await
        .unwrap();
    let methods = only(&sessions).await.methods.unwrap();
    assert!(methods.development && !methods.device_code);
    let err = sessions
        .sign_in_development(&id, "  ", &never())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    sessions
        .sign_in_development(&id, "alice", &never())
        .await
        .unwrap();
    let view = only(&sessions).await;
    assert_eq!(signed_in_user(&view), "alice");
    assert_eq!(view.keyring, KeyringNote::NothingToKeep);
    assert!(world.keyring.is_empty());

    drop(sessions);
    let sessions = world.start();
    sessions.restore_all(&never()).await;
    assert_eq!(signed_in_user(&only(&sessions).await), "alice");
}

#[tokio::test]
async fn development_mode_is_refused_by_a_service_with_authentication() {
    let sim = auth_sim(Dialect::V6_0).await;
    let world = World::new();
    let sessions = world.start();
    let id = add_prod(&sessions, &sim).await;
    let err = sessions
        .sign_in_development(&id, "alice", &never())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Unauthorized, "{err}");
    assert!(err.to_string().contains("access token"), "{err}");
    assert_eq!(only(&sessions).await.status, SessionStatus::SignedOut);
}

#[tokio::test]
async fn the_cli_sign_in_is_offered_and_imported_without_touching_its_file() {
    let sim = auth_sim(Dialect::V6_4).await;
    let world = World::new();
    let sessions = world.start();
    assert_eq!(sessions.cli_login_offer().unwrap(), None);

    std::fs::create_dir_all(world.cli_dir()).unwrap();
    let file = world.cli_dir().join("login.yaml");
    let token = admin_token(&sim);
    let yaml = format!(
        "dev_login: null\nname: svc-admin\nosmo_token: true\ntoken_login:\n  id_token: null\n  refresh_token: {}\n  refresh_url: {}/api/auth/jwt/access_token\nurl: {}\n",
        token.expose(),
        sim.base_url(),
        sim.base_url()
    );
    std::fs::write(&file, &yaml).unwrap();

    let offer = sessions.cli_login_offer().unwrap().unwrap();
    assert_eq!(offer.url, sim.base_url());
    assert_eq!(offer.method, SignInMethodName::AccessToken);
    assert_eq!(offer.existing_service, None);
    let id = sessions
        .import_cli_login("from-cli", &never())
        .await
        .unwrap();
    let view = only(&sessions).await;
    assert_eq!(view.name, "from-cli");
    assert_eq!(signed_in_user(&view), "svc-admin");
    assert_eq!(
        world
            .keyring
            .get(&world.keyring_key("from-cli"), SecretKind::AccessToken)
            .unwrap(),
        Some(token.clone())
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), yaml);
    assert!(!world.settings_text().contains(token.expose()));

    // Importing again signs the same service in instead of adding a second one.
    let offer = sessions.cli_login_offer().unwrap().unwrap();
    assert_eq!(offer.existing_service.as_deref(), Some("from-cli"));
    assert_eq!(
        sessions
            .import_cli_login("ignored", &never())
            .await
            .unwrap(),
        id
    );
    assert_eq!(sessions.list().await.len(), 1);
}

#[tokio::test]
async fn an_unreadable_cli_file_is_an_error_that_names_it() {
    let world = World::new();
    let sessions = world.start();
    std::fs::create_dir_all(world.cli_dir()).unwrap();
    std::fs::write(world.cli_dir().join("login.yaml"), "url: [unclosed").unwrap();
    let err = sessions.cli_login_offer().unwrap_err();
    assert!(err.to_string().contains("login.yaml"), "{err}");
}

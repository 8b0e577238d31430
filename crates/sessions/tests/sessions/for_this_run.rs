//! Services added for this run only: listed and signed in like any other, never written to the
//! settings file or the keyring, gone on the next start, passed over by the OSMO CLI's import.

use osmo_admin_core::ErrorCode;
use osmo_admin_sessions::{KeyringNote, SessionStatus};
use osmo_sim::{Dialect, SeedBackend, SimConfig, Simulator};

use crate::common::*;

#[tokio::test]
async fn a_service_for_the_run_signs_in_and_leaves_nothing_behind() {
    let sim = Simulator::start(SimConfig::new(Dialect::V6_4).backend(SeedBackend::new("gpu")))
        .await
        .unwrap();
    let world = World::new();
    let sessions = world.start();
    let id = sessions
        .add_service_for_run(" lent ", &sim.base_url(), None, &never())
        .await
        .unwrap();
    assert_eq!(id, "lent");
    let view = only(&sessions).await;
    assert_eq!(view.id, id);
    assert!(view.for_this_run_only);
    assert_eq!(view.status, SessionStatus::SignedOut);

    sessions
        .sign_in_development(&id, "alice", &never())
        .await
        .unwrap();
    let view = only(&sessions).await;
    assert_eq!(signed_in_user(&view), "alice");
    assert_eq!(view.keyring, KeyringNote::NothingToKeep);
    let (signed_in, session) = sessions.signed_in().remove(0);
    assert_eq!(signed_in, id);
    assert_eq!(session.list_backends(&never()).await.unwrap().len(), 1);
    assert!(sessions.session(&id).is_ok());
    assert!(
        !world.settings_text().contains("lent"),
        "{}",
        world.settings_text()
    );
    assert!(!world.settings_text().contains(&sim.base_url()));
    assert!(world.keyring.is_empty());

    // Its name is taken for the run, by saved services too.
    let err = sessions
        .add_service("lent", &sim.base_url(), None, &never())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("already listed"), "{err}");
    // Nothing is stored to resume it from.
    let err = sessions.restore(&id, &never()).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(err.to_string().contains("this run only"), "{err}");

    // A new start over the same settings does not know it.
    let restarted = world.start();
    restarted.restore_all(&never()).await;
    assert!(restarted.list().await.is_empty());
    drop(restarted);

    sessions.sign_out(&id).await.unwrap();
    assert_eq!(only(&sessions).await.status, SessionStatus::SignedOut);
    sessions.remove_service(&id).await.unwrap();
    assert!(sessions.list().await.is_empty());
    assert!(sessions.signed_in().is_empty());
    assert_eq!(
        sessions.session(&id).unwrap_err().code(),
        ErrorCode::InvalidInput
    );
    assert_eq!(
        sessions.sign_out(&id).await.unwrap_err().code(),
        ErrorCode::NotFound
    );
    assert!(world.keyring.is_empty());
    assert!(!world.settings_text().contains("lent"));
}

#[tokio::test]
async fn a_token_sign_in_for_the_run_keeps_no_secret() {
    let sim = auth_sim(Dialect::V6_4).await;
    let world = World::new();
    let sessions = world.start();
    let id = sessions
        .add_service_for_run("lent", &sim.base_url(), None, &never())
        .await
        .unwrap();
    sign_in_as_admin(&sessions, &id, &sim).await;
    let view = only(&sessions).await;
    assert_eq!(signed_in_user(&view), "svc-admin");
    assert_eq!(view.keyring, KeyringNote::NothingToKeep);
    assert!(world.keyring.is_empty());
    assert!(!world.settings_text().contains("lent"));
}

#[tokio::test]
async fn the_cli_import_passes_over_a_service_for_the_run() {
    let sim = auth_sim(Dialect::V6_4).await;
    let world = World::new();
    let sessions = world.start();
    let lent = sessions
        .add_service_for_run("lent", &sim.base_url(), None, &never())
        .await
        .unwrap();
    std::fs::create_dir_all(world.cli_dir()).unwrap();
    let yaml = format!(
        "dev_login: null\nname: svc-admin\nosmo_token: true\ntoken_login:\n  id_token: null\n  refresh_token: {}\n  refresh_url: {}/api/auth/jwt/access_token\nurl: {}\n",
        admin_token(&sim).expose(),
        sim.base_url(),
        sim.base_url()
    );
    std::fs::write(world.cli_dir().join("login.yaml"), yaml).unwrap();

    assert_eq!(
        sessions
            .cli_login_offer()
            .unwrap()
            .unwrap()
            .existing_service,
        None
    );
    let imported = sessions
        .import_cli_login("from-cli", &never())
        .await
        .unwrap();
    assert_eq!(imported, "from-cli");
    let views = sessions.list().await;
    assert_eq!(views.len(), 2, "{views:?}");
    assert_eq!(views[0].id, lent);
    assert_eq!(views[0].status, SessionStatus::SignedOut);
    assert!(world.settings_text().contains("from-cli"));
    assert!(!world.settings_text().contains("lent"));
}

//! The OSMO sessions commands against osmo-sim: add a service, a wrong token, the right one, what
//! is stored where, sign out.

use osmo_admin_secrets::SecretStore;
use osmo_sim::{Dialect, SeedBackend, SeedToken, SimConfig, Simulator};
use serde_json::json;

use crate::TestApp;

#[test]
fn add_a_service_sign_in_with_a_token_and_sign_out() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let sim = runtime
        .block_on(Simulator::start(
            SimConfig::new(Dialect::V6_4)
                .require_auth(true)
                .backend(SeedBackend::new("gpu-east"))
                .user("svc-admin", &["osmo-admin"])
                .token(SeedToken::for_user(
                    "svc-admin",
                    "admin-token",
                    &["osmo-admin"],
                )),
        ))
        .unwrap();
    let token = sim.seeded_token("admin-token").unwrap().to_owned();
    let app = TestApp::start();

    let err = app
        .invoke(
            "add_service",
            json!({"name": "prod", "url": "prod.example.com"}),
        )
        .unwrap_err();
    assert_eq!(err["code"], "invalid_input", "{err}");

    let id = app
        .invoke(
            "add_service",
            json!({"name": "prod", "url": sim.base_url()}),
        )
        .unwrap();
    let id = id.as_str().unwrap().to_owned();
    let list = app.invoke("list_sessions", json!({})).unwrap();
    let service = &list["sessions"][0];
    assert_eq!(service["name"], "prod");
    assert_eq!(service["dialect"], "6.2+");
    assert_eq!(service["status"]["state"], "signed_out");
    assert_eq!(list["cliLogin"], serde_json::Value::Null);

    let err = app
        .invoke(
            "sign_in_with_token",
            json!({"service": id, "token": "wrong"}),
        )
        .unwrap_err();
    assert_eq!(err["code"], "unauthorized", "{err}");
    assert!(app.keyring.is_empty());

    app.invoke("sign_in_with_token", json!({"service": id, "token": token}))
        .unwrap();
    let list = app.invoke("list_sessions", json!({})).unwrap();
    let status = &list["sessions"][0]["status"];
    assert_eq!(status["state"], "signed_in", "{list}");
    assert_eq!(status["user"], "svc-admin");
    assert_eq!(status["method"], "access_token");
    assert_eq!(list["sessions"][0]["keyring"]["state"], "saved");
    assert!(
        !list.to_string().contains(&token),
        "the token went back over IPC"
    );
    let settings = std::fs::read_to_string(app.paths().settings_file()).unwrap();
    assert!(
        settings.contains("prod") && !settings.contains(&token),
        "{settings}"
    );
    // The keyring entry is under the service's stored key (private to the sessions library).
    let stored: serde_json::Value = serde_json::from_str(&settings).unwrap();
    let key = stored["services"][0]["id"].as_str().unwrap().to_owned();
    assert_ne!(key, id, "the keyring key is not the service's name");
    assert!(app
        .keyring
        .get(&key, osmo_admin_secrets::SecretKind::AccessToken)
        .unwrap()
        .is_some());

    app.invoke("sign_out", json!({"service": id, "keepListed": false}))
        .unwrap();
    let list = app.invoke("list_sessions", json!({})).unwrap();
    assert_eq!(list["sessions"], json!([]));
    assert!(app.keyring.is_empty());
    runtime.block_on(sim.shutdown());
}

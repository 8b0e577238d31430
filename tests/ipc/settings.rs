use serde_json::json;

use crate::TestApp;

#[test]
fn defaults_then_a_saved_change_survives_a_restart() {
    let app = TestApp::start();
    let view = app.invoke("get_settings", json!({})).unwrap();
    assert_eq!(
        view["settings"],
        json!({"theme": "system", "dashboardRefreshSecs": 10, "tokenWarningDays": 7})
    );
    assert_eq!(view["notice"], json!(null));

    let wanted = json!({"theme": "dark", "dashboardRefreshSecs": 30, "tokenWarningDays": 14});
    let saved = app
        .invoke("update_settings", json!({ "settings": wanted }))
        .unwrap();
    assert_eq!(saved["settings"], wanted);

    let dir = app.dir;
    let restarted = TestApp::start_in(dir);
    assert_eq!(
        restarted.invoke("get_settings", json!({})).unwrap()["settings"],
        wanted
    );
}

#[test]
fn an_invalid_value_is_rejected_with_a_code_and_the_field() {
    let app = TestApp::start();
    let err = app
        .invoke(
            "update_settings",
            json!({ "settings": {"theme": "light", "dashboardRefreshSecs": 1} }),
        )
        .unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    let message = err["message"].as_str().unwrap();
    assert!(
        message.contains("dashboard_refresh_secs must be between 2 and 3600"),
        "{message}"
    );
    assert_eq!(
        app.invoke("get_settings", json!({})).unwrap()["settings"]["theme"],
        "system",
        "nothing changed"
    );
    let err = app
        .invoke(
            "update_settings",
            json!({ "settings": {"theme": "light", "dashboardRefreshSecs": 10, "tokenWarningDays": 91} }),
        )
        .unwrap_err();
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("token_warning_days must be between 1 and 90"),
        "{err}"
    );
}

#[test]
fn a_corrupt_file_is_moved_aside_and_announced_until_dismissed() {
    let dir = tempfile::tempdir().unwrap();
    let config_dir = dir.path().join("config");
    std::fs::create_dir_all(&config_dir).unwrap();
    std::fs::write(
        config_dir.join("settings.json"),
        "{\"schema_version\": 1, \"theme\": ",
    )
    .unwrap();

    let app = TestApp::start_in(dir);
    let view = app.invoke("get_settings", json!({})).unwrap();
    assert_eq!(view["settings"]["theme"], "system");
    let notice = view["notice"].as_str().unwrap();
    assert!(
        notice.contains("invalid JSON") && notice.contains("settings.json.corrupt-"),
        "{notice}"
    );
    let kept: Vec<_> = std::fs::read_dir(&config_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        kept.iter()
            .any(|name| name.starts_with("settings.json.corrupt-")),
        "{kept:?}"
    );

    let dismissed = app.invoke("dismiss_settings_notice", json!({})).unwrap();
    assert_eq!(dismissed["notice"], json!(null));
}

#[test]
fn a_left_out_service_s_keyring_secrets_are_offered_for_removal_and_removed() {
    use osmo_admin_secrets::{Secret, SecretKind, SecretStore};
    let dir = tempfile::tempdir().unwrap();
    let config_dir = dir.path().join("config");
    std::fs::create_dir_all(&config_dir).unwrap();
    // "staging" has a wrong URL, so its entry is set aside; its sign-in's secrets stay in the keyring.
    std::fs::write(
        config_dir.join("settings.json"),
        r#"{"schema_version": 1, "services": [
            {"id": "k-prod", "name": "prod", "url": "https://osmo.example.com", "sign_in": {"method": "access_token"}},
            {"id": "k-staging", "name": "staging", "url": 7, "sign_in": {"method": "access_token"}}]}"#,
    )
    .unwrap();
    let app = TestApp::start_in(dir);
    for key in ["k-prod", "k-staging"] {
        app.keyring
            .set(key, SecretKind::AccessToken, &Secret::new("a-token"))
            .unwrap();
    }
    let view = app.invoke("get_settings", json!({})).unwrap();
    assert!(view["notice"].as_str().unwrap().contains("services[1]"));
    assert_eq!(
        view["leftOutSecrets"],
        json!([{"id": "k-staging", "name": "staging"}])
    );
    // Dismissing the notice does not forget the offer.
    let dismissed = app.invoke("dismiss_settings_notice", json!({})).unwrap();
    assert_eq!(dismissed["leftOutSecrets"].as_array().unwrap().len(), 1);

    // Only what was offered is removed: a listed service's secrets are never touched.
    let outcome = app
        .invoke(
            "settle_left_out_secrets",
            json!({"ids": ["k-staging", "k-prod"], "remove": true}),
        )
        .unwrap();
    assert_eq!(outcome["removed"], json!(["staging"]));
    assert_eq!(outcome["view"]["leftOutSecrets"], json!([]));
    assert!(app
        .keyring
        .get("k-staging", SecretKind::AccessToken)
        .unwrap()
        .is_none());
    assert!(app
        .keyring
        .get("k-prod", SecretKind::AccessToken)
        .unwrap()
        .is_some());
}

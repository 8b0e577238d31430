//! Importing the OSMO CLI's login.yaml from fixture folders.

use std::path::PathBuf;

use osmo_admin_core::ErrorCode;
use osmo_admin_osmo_client::{import_cli_login, CliLoginEnv, CliLoginMethod};

fn fixture(name: &str) -> CliLoginEnv {
    CliLoginEnv {
        osmo_config_file_dir: Some(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/cli-login")
                .join(name),
        ),
        xdg_config_home: None,
        home: None,
    }
}

#[test]
fn head_token_login_gives_the_access_token() {
    let login = import_cli_login(&fixture("head-token")).unwrap();
    assert_eq!(login.url, "https://osmo.example.com");
    assert_eq!(login.name.as_deref(), Some("backend-operator"));
    let CliLoginMethod::AccessToken { access_token } = &login.method else {
        panic!("{:?}", login.method)
    };
    assert_eq!(
        access_token.expose(),
        "fake-head-access-token-Abc123_xyz-000000000000"
    );
    assert!(!format!("{login:?}").contains("fake-head-access-token"));
}

#[test]
fn v60_token_login_takes_the_token_from_the_refresh_url() {
    let login = import_cli_login(&fixture("v60-token")).unwrap();
    assert_eq!(login.url, "https://osmo60.example.com");
    let CliLoginMethod::AccessToken { access_token } = &login.method else {
        panic!()
    };
    assert_eq!(
        access_token.expose(),
        "36c13d116823d62025e41714d20935ea28dbac307ebd2ec2e4fba68899df5735"
    );
    assert!(!format!("{login:?}").contains("36c13d"));
}

#[test]
fn device_code_login_gives_id_and_refresh_tokens() {
    let login = import_cli_login(&fixture("device-code")).unwrap();
    let CliLoginMethod::IdToken {
        id_token,
        refresh_token,
        refresh_url,
        client_id,
        username,
    } = &login.method
    else {
        panic!()
    };
    assert!(id_token.expose().starts_with("eyJ"));
    assert_eq!(
        refresh_token.as_ref().unwrap().expose(),
        "fake-idp-refresh-token-0001"
    );
    assert_eq!(
        refresh_url.as_deref(),
        Some("https://idp.example.com/realms/osmo/protocol/openid-connect/token")
    );
    assert_eq!(client_id.as_deref(), Some("osmo-device"));
    assert_eq!(username.as_deref(), Some("alice"));
    let printed = format!("{login:?}");
    assert!(
        !printed.contains("fake-idp-refresh") && !printed.contains("eyJ"),
        "{printed}"
    );
}

#[test]
fn dev_login_gives_the_user() {
    let login = import_cli_login(&fixture("dev")).unwrap();
    assert_eq!(login.url, "http://localhost:8000");
    assert!(
        matches!(&login.method, CliLoginMethod::Development { username } if username == "testuser")
    );
}

#[test]
fn broken_and_missing_files_say_what_to_do() {
    let err = import_cli_login(&fixture("broken")).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(
        err.to_string().contains("no access token") && err.to_string().contains("osmo login"),
        "{err}"
    );
    let err = import_cli_login(&fixture("does-not-exist")).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    assert!(err.to_string().contains("osmo login"), "{err}");
}

#[test]
fn xdg_and_home_locations_are_used() {
    let dir = tempfile::tempdir().unwrap();
    let osmo = dir.path().join("xdg/osmo");
    std::fs::create_dir_all(&osmo).unwrap();
    std::fs::copy(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cli-login/dev/login.yaml"),
        osmo.join("login.yaml"),
    )
    .unwrap();
    let env = CliLoginEnv {
        osmo_config_file_dir: None,
        xdg_config_home: Some(dir.path().join("xdg")),
        home: Some(dir.path().join("home")),
    };
    assert!(import_cli_login(&env).is_ok());
    let env = CliLoginEnv {
        xdg_config_home: None,
        ..env
    };
    assert_eq!(
        import_cli_login(&env).unwrap_err().code(),
        ErrorCode::NotFound
    );
    std::fs::create_dir_all(dir.path().join("home/.config")).unwrap();
    std::fs::rename(
        dir.path().join("xdg/osmo"),
        dir.path().join("home/.config/osmo"),
    )
    .unwrap();
    assert!(import_cli_login(&env).is_ok());
}

#[tokio::test]
async fn signing_in_with_the_imported_cli_token_login() {
    for dialect in crate::common::DIALECTS {
        let sim = crate::common::auth_sim(dialect, std::time::Duration::from_secs(300)).await;
        let dir = tempfile::tempdir().unwrap();
        let yaml = format!(
            "dev_login: null\nname: x\nosmo_token: true\ntoken_login:\n  id_token: a.b.c\n  refresh_token: {}\n  refresh_url: {}/api/auth/jwt/access_token\nurl: {}\n",
            sim.seeded_token("admin-token").unwrap(),
            sim.base_url(),
            sim.base_url()
        );
        std::fs::write(dir.path().join("login.yaml"), yaml).unwrap();
        let env = CliLoginEnv {
            osmo_config_file_dir: Some(dir.path().to_owned()),
            xdg_config_home: None,
            home: None,
        };
        let login = import_cli_login(&env).unwrap();
        assert_eq!(login.url, sim.base_url());
        let conn = crate::common::connect(&sim).await;
        let session = conn
            .sign_in_with_cli_login(&login, &crate::common::never())
            .await
            .unwrap();
        assert_eq!(
            session
                .list_backends(&crate::common::never())
                .await
                .unwrap()
                .len(),
            1
        );
    }
}

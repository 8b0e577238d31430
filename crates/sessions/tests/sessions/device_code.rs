//! The device-code sign-in through the registry: started, confirmed in the background, resumed
//! from the keyring; and cancelled. Served by a fake OSMO discovery plus a fake identity provider.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use osmo_admin_osmo_client::identity::unsigned_jwt;
use osmo_admin_secrets::{SecretKind, SecretStore};
use osmo_admin_sessions::{SessionStatus, Sessions, SignInMethodName};
use serde_json::json;

use crate::common::*;

/// Serves discovery and an IdP whose token endpoint answers "pending" until `confirmed`.
async fn idp(confirmed: Arc<AtomicBool>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let login = json!({
        "device_endpoint": format!("{base}/idp/device"), "device_client_id": "osmo-device",
        "browser_endpoint": null, "browser_client_id": null,
        "token_endpoint": format!("{base}/idp/token"), "logout_endpoint": null,
    });
    let router = Router::new()
        .route("/api/version", get(|| async { Json(json!({"major":"6","minor":"4","revision":"0","hash":""})) }))
        .route("/api/auth/login", get(move || async move { Json(login) }))
        .route("/idp/device", post(|| async {
            Json(json!({"device_code":"dc","user_code":"WXYZ-1234",
                "verification_uri":"https://idp.example.com/device","expires_in":60,"interval":1}))
        }))
        .route("/idp/token", post(move || async move {
            if !confirmed.load(Ordering::SeqCst) {
                return (StatusCode::BAD_REQUEST, Json(json!({"error":"authorization_pending"})));
            }
            let exp = chrono::Utc::now().timestamp() + 600;
            let id = unsigned_jwt(&json!({"preferred_username":"alice","roles":["osmo-admin"],"exp":exp}));
            (StatusCode::OK, Json(json!({"id_token": id, "refresh_token": "refresh-1", "token_type":"Bearer"})))
        }));
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    base
}

async fn wait_for(sessions: &Sessions, done: impl Fn(&SessionStatus) -> bool) {
    for _ in 0..100 {
        if done(&only(sessions).await.status) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out: {:?}", only(sessions).await);
}

#[tokio::test]
async fn device_code_sign_in_finishes_in_the_background_and_resumes() {
    let confirmed = Arc::new(AtomicBool::new(false));
    let base = idp(confirmed.clone()).await;
    let world = World::new();
    let sessions = world.start();
    let id = sessions
        .add_service("sso", &base, None, &never())
        .await
        .unwrap();
    assert!(only(&sessions).await.methods.unwrap().device_code);

    let prompt = sessions.start_device_code(&id, &never()).await.unwrap();
    assert_eq!(prompt.user_code, "WXYZ-1234");
    assert_eq!(only(&sessions).await.device_code, Some(prompt));
    confirmed.store(true, Ordering::SeqCst);
    wait_for(&sessions, |s| matches!(s, SessionStatus::SignedIn { .. })).await;
    let view = only(&sessions).await;
    assert_eq!(signed_in_user(&view), "alice");
    assert_eq!(view.device_code, None);
    assert!(matches!(
        view.status,
        SessionStatus::SignedIn {
            method: SignInMethodName::DeviceCode,
            ..
        }
    ));
    assert!(world
        .keyring
        .get(&world.keyring_key("sso"), SecretKind::RefreshToken)
        .unwrap()
        .is_some());

    drop(sessions);
    let sessions = world.start();
    sessions.restore_all(&never()).await;
    assert_eq!(signed_in_user(&only(&sessions).await), "alice");
}

#[tokio::test]
async fn a_device_code_sign_in_can_be_cancelled() {
    let base = idp(Arc::new(AtomicBool::new(false))).await;
    let world = World::new();
    let sessions = world.start();
    let id = sessions
        .add_service("sso", &base, None, &never())
        .await
        .unwrap();
    sessions.start_device_code(&id, &never()).await.unwrap();
    sessions.cancel_device_code(&id).unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let view = only(&sessions).await;
    assert_eq!(view.device_code, None);
    assert_eq!(view.device_code_error, None, "a cancel is not an error");
    assert_eq!(view.status, SessionStatus::SignedOut);
}

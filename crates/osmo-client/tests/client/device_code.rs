//! The device-code flow against a tiny fake identity provider (served beside a fake OSMO
//! `/api/version` and `/api/auth/login` that point at it).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::Form;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use osmo_admin_core::ErrorCode;
use osmo_admin_osmo_client::identity::unsigned_jwt;
use osmo_admin_osmo_client::{Connection, OsmoError, SessionState, SignInMethod};
use serde_json::{json, Value};
use tokio_util::sync::CancellationToken;

use crate::common::*;

#[derive(Default)]
struct Idp {
    /// Answers of the token endpoint, in order; the last one repeats.
    script: VecDeque<(StatusCode, Value)>,
    polls: Vec<(Instant, Vec<(String, String)>)>,
    device_requests: Vec<Vec<(String, String)>>,
}

type Shared = Arc<Mutex<Idp>>;

fn error(e: &str) -> (StatusCode, Value) {
    (StatusCode::BAD_REQUEST, json!({"error": e}))
}

fn tokens(exp_in: i64, refresh: bool) -> (StatusCode, Value) {
    let exp = chrono::Utc::now().timestamp() + exp_in;
    let id = unsigned_jwt(&json!({"preferred_username":"alice","roles":["osmo-admin"],"exp":exp}));
    let mut v =
        json!({"access_token":"at","id_token": id, "expires_in": exp_in, "token_type":"Bearer"});
    if refresh {
        v["refresh_token"] = json!("refresh-1");
    }
    (StatusCode::OK, v)
}

async fn start(script: Vec<(StatusCode, Value)>, expires_in: u64) -> (Connection, Shared) {
    let idp: Shared = Arc::new(Mutex::new(Idp {
        script: script.into(),
        ..Default::default()
    }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let login = json!({
        "device_endpoint": format!("{base}/idp/device"),
        "device_client_id": "osmo-device",
        "browser_endpoint": null, "browser_client_id": null,
        "token_endpoint": format!("{base}/idp/token"),
        "logout_endpoint": null,
    });
    let (d, t) = (idp.clone(), idp.clone());
    let router = Router::new()
        .route("/api/version", get(|| async { Json(json!({"major":"6","minor":"4","revision":"0","hash":""})) }))
        .route("/api/auth/login", get(move || async move { Json(login) }))
        .route(
            "/idp/device",
            post(move |Form(form): Form<Vec<(String, String)>>| async move {
                d.lock().unwrap().device_requests.push(form);
                Json(json!({
                    "device_code":"dev-code-1","user_code":"ABCD-EFGH",
                    "verification_uri":"https://idp.example.com/device",
                    "verification_uri_complete":"https://idp.example.com/device?user_code=ABCD-EFGH",
                    "expires_in": expires_in, "interval": 0
                }))
            }),
        )
        .route(
            "/idp/token",
            post(move |Form(form): Form<Vec<(String, String)>>| async move {
                let mut idp = t.lock().unwrap();
                idp.polls.push((Instant::now(), form));
                let answer = if idp.script.len() > 1 { idp.script.pop_front() } else { idp.script.front().cloned() };
                let (status, body) = answer.unwrap_or_else(|| error("authorization_pending"));
                (status, Json(body))
            }),
        );
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    let conn = Connection::open(spec(&base), fast_config(), &never())
        .await
        .unwrap();
    (conn, idp)
}

fn form_value<'a>(form: &'a [(String, String)], key: &str) -> Option<&'a str> {
    form.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn pending_then_slow_down_then_tokens() {
    let (conn, idp) = start(
        vec![
            error("authorization_pending"),
            error("slow_down"),
            tokens(300, true),
        ],
        60,
    )
    .await;
    assert!(conn.discovery().login.offers_device_code());
    assert!(!conn.discovery().login.is_development());
    let start = conn.start_device_code(&never()).await.unwrap();
    assert_eq!(start.user_code, "ABCD-EFGH");
    assert_eq!(start.verification_uri, "https://idp.example.com/device");
    assert!(start
        .verification_uri_complete
        .as_deref()
        .unwrap()
        .contains("ABCD-EFGH"));
    let tokens = start
        .with_poll_timing(Duration::from_millis(20), Duration::from_millis(300))
        .wait(&never())
        .await
        .unwrap();
    {
        let idp = idp.lock().unwrap();
        let device = &idp.device_requests[0];
        assert_eq!(form_value(device, "client_id"), Some("osmo-device"));
        assert_eq!(
            form_value(device, "scope"),
            Some("openid offline_access profile")
        );
        assert_eq!(idp.polls.len(), 3);
        let poll = &idp.polls[0].1;
        assert_eq!(
            form_value(poll, "grant_type"),
            Some("urn:ietf:params:oauth:grant-type:device_code")
        );
        assert_eq!(form_value(poll, "device_code"), Some("dev-code-1"));
        // slow_down made the third poll wait at least the added step.
        let gap = idp.polls[2].0 - idp.polls[1].0;
        assert!(gap >= Duration::from_millis(290), "{gap:?}");
    }
    assert_eq!(
        tokens.refresh_token.as_ref().map(|r| r.expose()),
        Some("refresh-1")
    );
    let session = conn.sign_in_with_idp_tokens(tokens).unwrap();
    let SessionState::SignedIn(info) = session.state().await else {
        panic!()
    };
    assert_eq!(info.user, "alice");
    assert_eq!(info.method, SignInMethod::DeviceCode);
    assert!(info.credential_expires_at.is_some());
    assert_eq!(session.secrets_to_store().await.len(), 2);
}

#[tokio::test]
async fn access_denied_is_unauthorized() {
    let (conn, _) = start(
        vec![error("authorization_pending"), error("access_denied")],
        60,
    )
    .await;
    let err = conn
        .start_device_code(&never())
        .await
        .unwrap()
        .with_poll_timing(Duration::from_millis(20), Duration::ZERO)
        .wait(&never())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Unauthorized);
    assert!(err.to_string().contains("refused"), "{err}");
}

#[tokio::test]
async fn expired_token_and_the_codes_own_expiry_are_timeouts() {
    let (conn, _) = start(vec![error("expired_token")], 60).await;
    let err = conn
        .start_device_code(&never())
        .await
        .unwrap()
        .with_poll_timing(Duration::from_millis(20), Duration::ZERO)
        .wait(&never())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Timeout);
    assert!(err.to_string().contains("expired before sign-in"), "{err}");

    // Pending forever, code valid 1 s: gives up by itself.
    let (conn, idp) = start(vec![error("authorization_pending")], 1).await;
    let started = Instant::now();
    let err = conn
        .start_device_code(&never())
        .await
        .unwrap()
        .with_poll_timing(Duration::from_millis(20), Duration::ZERO)
        .wait(&never())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Timeout);
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(!idp.lock().unwrap().polls.is_empty());
}

#[tokio::test]
async fn other_idp_errors_are_rejected_with_the_reason() {
    let (conn, _) = start(
        vec![(
            StatusCode::BAD_REQUEST,
            json!({"error":"invalid_client","error_description":"Invalid client credentials"}),
        )],
        60,
    )
    .await;
    let err = conn
        .start_device_code(&never())
        .await
        .unwrap()
        .with_poll_timing(Duration::from_millis(20), Duration::ZERO)
        .wait(&never())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Rejected);
    assert!(
        err.to_string()
            .contains("invalid_client: Invalid client credentials"),
        "{err}"
    );
}

#[tokio::test]
async fn cancel_stops_polling() {
    let (conn, idp) = start(vec![error("authorization_pending")], 60).await;
    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(150)).await;
        trigger.cancel();
    });
    let err = conn
        .start_device_code(&never())
        .await
        .unwrap()
        .with_poll_timing(Duration::from_millis(20), Duration::ZERO)
        .wait(&cancel)
        .await
        .unwrap_err();
    assert!(matches!(err, OsmoError::Cancelled), "{err:?}");
    // A request in flight when cancelled may still reach the server; let it land.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let polls = idp.lock().unwrap().polls.len();
    assert!(polls >= 2, "{polls}");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(
        idp.lock().unwrap().polls.len(),
        polls,
        "still polling after cancel"
    );
}

#[tokio::test]
async fn an_expired_id_token_without_refresh_token_means_sign_in_again() {
    let (conn, _) = start(vec![tokens(1, false)], 60).await;
    let tokens = conn
        .start_device_code(&never())
        .await
        .unwrap()
        .with_poll_timing(Duration::from_millis(20), Duration::ZERO)
        .wait(&never())
        .await
        .unwrap();
    assert!(tokens.refresh_token.is_none());
    let session = conn.sign_in_with_idp_tokens(tokens).unwrap();
    // exp is 1 s away and the refresh margin is 1 s: renewal is due now, and impossible.
    let err = session.list_backends(&never()).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::SessionExpired);
    let SessionState::SignInAgain { reason } = session.state().await else {
        panic!()
    };
    assert!(
        reason.contains("no refresh token")
            && reason.contains("Token is expired, but no refresh token is present"),
        "{reason}"
    );
}

#[tokio::test]
async fn an_expiring_id_token_is_renewed_with_the_refresh_token() {
    let (conn, idp) = start(vec![tokens(1, true), tokens(300, false)], 60).await;
    let tokens = conn
        .start_device_code(&never())
        .await
        .unwrap()
        .with_poll_timing(Duration::from_millis(20), Duration::ZERO)
        .wait(&never())
        .await
        .unwrap();
    let session = conn.sign_in_with_idp_tokens(tokens).unwrap();
    assert!(session.renew(&never()).await.is_ok());
    {
        let idp = idp.lock().unwrap();
        let last = &idp.polls.last().unwrap().1;
        assert_eq!(form_value(last, "grant_type"), Some("refresh_token"));
        assert_eq!(form_value(last, "refresh_token"), Some("refresh-1"));
    }
    let SessionState::SignedIn(info) = session.state().await else {
        panic!()
    };
    assert!(
        info.credential_expires_at.unwrap() > chrono::Utc::now() + chrono::Duration::seconds(200)
    );
    // The refresh token was not rotated: the old one is kept.
    let secrets = session.secrets_to_store().await;
    assert!(secrets.iter().any(|(_, s)| s.expose() == "refresh-1"));
}

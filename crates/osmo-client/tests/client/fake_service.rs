//! A tiny local OSMO-like server for what osmo-sim cannot produce: proxy HTML pages, empty
//! bodies, plain-text 403, header capture, and a service that keeps answering 401.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use osmo_admin_core::ErrorCode;
use osmo_admin_osmo_client::identity::unsigned_jwt;
use osmo_admin_osmo_client::{Connection, SessionState};
use serde_json::json;

use crate::common::*;

pub async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://{addr}")
}

fn version(minor: &'static str) -> impl IntoResponse {
    axum::Json(json!({"major":"6","minor":minor,"revision":"0","hash":""}))
}

fn no_login() -> impl IntoResponse {
    axum::Json(
        json!({"device_endpoint":null,"device_client_id":null,"browser_endpoint":null,"browser_client_id":null,"token_endpoint":null,"logout_endpoint":null}),
    )
}

fn jwt_reply() -> impl IntoResponse {
    let exp = chrono::Utc::now().timestamp() + 300;
    let token = unsigned_jwt(&json!({"unique_name":"svc","roles":["osmo-admin"],"exp":exp}));
    axum::Json(json!({"token": token, "expires_at": exp}))
}

#[tokio::test]
async fn an_html_page_from_a_proxy_is_a_server_error() {
    let base = serve(Router::new().route(
        "/api/version",
        get(|| async {
            (
                [("content-type", "text/html")],
                "<!DOCTYPE html><html><body>Sign in to Corp SSO</body></html>",
            )
        }),
    ))
    .await;
    let err = Connection::open(spec(&base), fast_config(), &never())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::ServerError, "{err}");
    let text = err.to_string();
    assert!(
        text.contains("HTML page")
            && text.contains("/api/version")
            && text.contains("check the URL"),
        "{text}"
    );
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    let base = serve(
        Router::new()
            .route(
                "/api/version",
                get(|| async { (StatusCode::FOUND, [("location", "/elsewhere")]) }),
            )
            .route(
                "/elsewhere",
                get(move || async move {
                    h.fetch_add(1, Ordering::SeqCst);
                    version("4")
                }),
            ),
    )
    .await;
    let err = Connection::open(spec(&base), fast_config(), &never())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::ServerError, "{err}");
    assert!(err.to_string().contains("HTTP 302, a redirect"), "{err}");
    assert_eq!(hits.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn an_empty_body_and_a_502_html_page_are_server_errors() {
    let base = serve(
        Router::new()
            .route("/api/version", get(|| async { version("4") }))
            .route("/api/auth/login", get(|| async { StatusCode::BAD_GATEWAY })),
    )
    .await;
    let err = Connection::open(spec(&base), fast_config(), &never())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::ServerError, "{err}");
    assert!(
        err.to_string().contains("HTTP 502 with an empty body"),
        "{err}"
    );

    let base = serve(Router::new().route(
        "/api/version",
        get(|| async { (StatusCode::OK, [("content-type", "application/json")], "") }),
    ))
    .await;
    let err = Connection::open(spec(&base), fast_config(), &never())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::ServerError, "{err}");
}

/// Records the headers of API calls; answers 403 `access denied` like the 6.2+ authz sidecar.
#[tokio::test]
async fn each_version_gets_its_header_no_client_version_and_plain_403() {
    for (minor, header, prefix) in [("0", "x-osmo-auth", ""), ("4", "authorization", "Bearer ")] {
        let seen: Arc<Mutex<Vec<HeaderMap>>> = Arc::default();
        let record = seen.clone();
        let exchange = if minor == "0" {
            get(|| async { jwt_reply() })
        } else {
            post(|| async { jwt_reply() })
        };
        let base = serve(
            Router::new()
                .route("/api/version", get(move || async move { version(minor) }))
                .route("/api/auth/login", get(|| async { no_login() }))
                .route("/api/auth/jwt/access_token", exchange)
                .route(
                    "/api/configs/backend",
                    get(move |headers: HeaderMap| async move {
                        record.lock().unwrap().push(headers);
                        (
                            StatusCode::FORBIDDEN,
                            [("content-type", "text/plain")],
                            "access denied",
                        )
                    }),
                ),
        )
        .await;
        let conn = Connection::open(spec(&base), fast_config(), &never())
            .await
            .unwrap();
        let session = conn
            .sign_in_with_access_token(osmo_admin_secrets::Secret::new("t".repeat(43)), &never())
            .await
            .unwrap();
        let err = session.list_backends(&never()).await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::Forbidden);
        assert_eq!(err.server_message(), Some("access denied"));
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 1, "403 is not retried");
        let value = seen[0]
            .get(header)
            .unwrap_or_else(|| panic!("6.{minor}: no {header}"))
            .to_str()
            .unwrap();
        assert!(value.starts_with(&format!("{prefix}ey")), "{value}");
        assert!(seen[0].get("x-osmo-client-version").is_none());
        let other = if header == "x-osmo-auth" {
            "authorization"
        } else {
            "x-osmo-auth"
        };
        assert!(seen[0].get(other).is_none());
    }
}

#[tokio::test]
async fn a_401_after_one_re_exchange_means_sign_in_again() {
    let exchanges = Arc::new(AtomicUsize::new(0));
    let calls = Arc::new(AtomicUsize::new(0));
    let (e, c) = (exchanges.clone(), calls.clone());
    let base = serve(
        Router::new()
            .route("/api/version", get(|| async { version("4") }))
            .route("/api/auth/login", get(|| async { no_login() }))
            .route(
                "/api/auth/jwt/access_token",
                post(move || async move {
                    e.fetch_add(1, Ordering::SeqCst);
                    jwt_reply()
                }),
            )
            .route(
                "/api/configs/backend",
                get(move || async move {
                    c.fetch_add(1, Ordering::SeqCst);
                    (StatusCode::UNAUTHORIZED, "Jwt verification fails")
                }),
            ),
    )
    .await;
    let conn = Connection::open(spec(&base), fast_config(), &never())
        .await
        .unwrap();
    let session = conn
        .sign_in_with_access_token(osmo_admin_secrets::Secret::new("t".repeat(43)), &never())
        .await
        .unwrap();
    let err = session.list_backends(&never()).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::SessionExpired, "{err}");
    assert!(err.to_string().contains("Jwt verification fails"), "{err}");
    assert_eq!(
        exchanges.load(Ordering::SeqCst),
        2,
        "sign-in + exactly one re-exchange"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert!(matches!(
        session.state().await,
        SessionState::SignInAgain { .. }
    ));
    // No loop: the next call does not reach the server.
    session.list_backends(&never()).await.unwrap_err();
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(exchanges.load(Ordering::SeqCst), 2);
}

/// A service behind an authorization check answers the development-mode user 403: that means
/// sign-in is required, not a missing role.
#[tokio::test]
async fn a_development_sign_in_refused_with_403_says_sign_in_is_required() {
    let base = serve(
        Router::new()
            .route("/api/version", get(|| async { version("4") }))
            .route("/api/auth/login", get(|| async { no_login() }))
            .route(
                "/api/configs/backend",
                get(|| async {
                    (
                        StatusCode::FORBIDDEN,
                        [("content-type", "text/plain")],
                        "access denied",
                    )
                }),
            ),
    )
    .await;
    let conn = Connection::open(spec(&base), fast_config(), &never())
        .await
        .unwrap();
    let session = conn.sign_in_development("admin").unwrap();
    let err = session.list_backends(&never()).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Unauthorized, "{err}");
    let text = err.to_string();
    assert!(text.contains("requires sign-in"), "{text}");
    assert!(text.contains("HTTP 403"), "{text}");
    assert!(!text.contains("role"), "{text}");
}

//! Bounds against hostile or broken services: a user list that pages forever, an answer far
//! larger than any OSMO list, and error bodies of a megabyte. Each stops with a short error.

use std::collections::HashMap;
use std::time::Duration;

use axum::extract::Query;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use osmo_admin_core::ErrorCode;
use osmo_admin_osmo_client::http::MAX_ANSWER_BYTES;
use osmo_admin_osmo_client::token_admin::MAX_USER_PAGES;
use osmo_admin_osmo_client::{Connection, Session};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::common::*;
use crate::fake_service::serve;

/// A 6.4 service in development mode whose `/api/auth/user` and `/api/configs/backend` are
/// `users` and `backends`.
async fn session_on(
    users: axum::routing::MethodRouter,
    backends: axum::routing::MethodRouter,
) -> Session {
    let base = serve(
        Router::new()
            .route(
                "/api/version",
                get(|| async { axum::Json(json!({"major":"6","minor":"4","revision":"0","hash":""})) }),
            )
            .route(
                "/api/auth/login",
                get(|| async {
                    axum::Json(json!({"device_endpoint":null,"device_client_id":null,"browser_endpoint":null,"browser_client_id":null,"token_endpoint":null,"logout_endpoint":null}))
                }),
            )
            .route("/api/auth/user", users)
            .route("/api/configs/backend", backends),
    )
    .await;
    Connection::open(spec(&base), fast_config(), &never())
        .await
        .unwrap()
        .sign_in_development("admin")
        .unwrap()
}

fn unused() -> axum::routing::MethodRouter {
    get(|| async { StatusCode::NOT_FOUND })
}

#[tokio::test]
async fn a_user_list_paging_forever_stops_after_the_page_limit() {
    let pages = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = pages.clone();
    let users = get(move |Query(q): Query<HashMap<String, String>>| {
        let counter = counter.clone();
        async move {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let start = q["start_index"].clone();
            axum::Json(json!({
                "total_results": 1_000_000_000u64, "start_index": 1, "items_per_page": 1,
                "users": [{"id": format!("user-{start}")}]
            }))
        }
    });
    let session = session_on(users, unused()).await;
    let err = tokio::time::timeout(
        Duration::from_secs(60),
        session.list_users_with_role("osmo-backend", &never()),
    )
    .await
    .expect("the list stops by itself")
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::ServerError, "{err}");
    let text = err.to_string();
    assert!(text.contains("GET 127.0.0.1"), "{text}");
    assert!(
        text.contains(&format!("did not end after {MAX_USER_PAGES} pages")),
        "{text}"
    );
    assert_eq!(
        pages.load(std::sync::atomic::Ordering::SeqCst),
        MAX_USER_PAGES
    );
}

#[tokio::test]
async fn a_user_list_repeating_its_page_stops_at_the_repeat() {
    let users = get(|| async {
        axum::Json(json!({
            "total_results": 50, "start_index": 1, "items_per_page": 2,
            "users": [{"id": "a"}, {"id": "b"}]
        }))
    });
    let session = session_on(users, unused()).await;
    let err = session
        .list_users_with_role("osmo-backend", &never())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::ServerError, "{err}");
    assert!(
        err.to_string().contains("repeats users already listed"),
        "{err}"
    );
}

/// A raw server answering every request with `size` bytes of JSON-looking text, with or
/// without a `content-length` (without one the body is read until the connection closes).
async fn huge_answer_server(size: usize, announce_length: bool) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                let length = if announce_length {
                    format!("content-length: {size}\r\n")
                } else {
                    String::new()
                };
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n{length}connection: close\r\n\r\n"
                );
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = vec![b' '; 1024 * 1024];
                for _ in 0..size / chunk.len() {
                    if socket.write_all(&chunk).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn a_64_mib_answer_is_refused() {
    for announce_length in [true, false] {
        let base = huge_answer_server(64 * 1024 * 1024, announce_length).await;
        let err = Connection::open(spec(&base), fast_config(), &never())
            .await
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::ServerError, "{err}");
        let text = err.to_string();
        assert!(text.contains("GET 127.0.0.1"), "{text}");
        assert!(text.contains("/api/version"), "{text}");
        assert!(
            text.contains(&format!("larger than the {} MiB", MAX_ANSWER_BYTES >> 20)),
            "{text}"
        );
    }
}

#[tokio::test]
async fn megabyte_error_bodies_give_short_messages() {
    let huge = "x".repeat(1024 * 1024);
    let (json_400, plain_403, bad_field) = (huge.clone(), huge.clone(), huge.clone());
    let backends = get(move || async move {
        (
            StatusCode::BAD_REQUEST,
            axum::Json(json!({"message": json_400})),
        )
    });
    let session = session_on(unused(), backends).await;
    let err = session.list_backends(&never()).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Rejected, "{err}");
    assert!(
        err.to_string().len() < 1024,
        "{} bytes",
        err.to_string().len()
    );
    assert!(err.server_message().unwrap().len() < 1024);

    let backends = get(move || async move {
        (
            StatusCode::FORBIDDEN,
            [("content-type", "text/plain")],
            plain_403,
        )
    });
    let session = session_on(unused(), backends).await;
    let err = session.list_backends(&never()).await.unwrap_err();
    assert!(
        err.to_string().len() < 1024,
        "{} bytes",
        err.to_string().len()
    );

    // A 2xx whose field holds a huge string of the wrong type: the decoding error quotes it.
    let users =
        get(move || async move { axum::Json(json!({"total_results": bad_field, "users": []})) });
    let session = session_on(users, unused()).await;
    let err = session
        .list_users_with_role("osmo-backend", &never())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::ServerError, "{err}");
    let text = err.to_string();
    assert!(text.len() < 1024, "{} bytes", text.len());
    assert!(text.contains("not the expected OSMO JSON"), "{text}");
}

//! A tiny local OSMO-like server for what osmo-sim does not produce: the 409 of a service whose
//! configs come from a ConfigMap (osmo-api.md §3.4), and a service that stores something other
//! than what was sent. It also records the request body, which shows each dialect's shape.

use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use osmo_admin_core::ErrorCode;
use osmo_admin_scheduler::{kai_preset, load, save, SaveOutcome, SchedulerError};
use serde_json::{json, Value};

use crate::common::*;

const CONFIGMAP_409: &str = "Configs are managed by ConfigMap and cannot be modified via CLI/API. Update the Helm values and redeploy instead.";

#[derive(Clone)]
struct Fake {
    minor: &'static str,
    /// Answer POSTs with 409 (ConfigMap mode) instead of storing `stored`.
    configmap: bool,
    posted: Arc<Mutex<Vec<Value>>>,
}

fn backend(settings: Value) -> Value {
    json!({"name": "default", "version": "6.4.0", "scheduler_settings": settings, "node_conditions": {"rules": {"Ready": "True"}, "prefix": "osmo.nvidia.com/"}, "last_heartbeat": "2026-11-28T17:14:01.265106", "created_date": "2026-11-28T17:13:41.206150", "online": true})
}

/// What the service "stores" after a successful POST: not quite what was sent.
fn stored_by_server() -> Value {
    json!({"scheduler_type": "kai", "scheduler_name": "kai-scheduler", "scheduler_timeout": 30, "queue": "added-by-server"})
}

async fn serve(fake: Fake) -> String {
    let router = Router::new()
        .route(
            "/api/version",
            get(|State(f): State<Fake>| async move {
                Json(json!({"major": "6", "minor": f.minor, "revision": "0", "hash": ""}))
            }),
        )
        .route(
            "/api/auth/login",
            get(|| async {
                Json(json!({"device_endpoint": null, "device_client_id": null, "browser_endpoint": null, "browser_client_id": null, "token_endpoint": null, "logout_endpoint": null}))
            }),
        )
        .route(
            "/api/configs/backend/default",
            get(|State(f): State<Fake>| async move {
                if f.posted.lock().unwrap().is_empty() {
                    Json(backend(json!({"scheduler_type": "default", "scheduler_name": "default-scheduler", "coscheduling": false, "scheduler_timeout": 30})))
                } else {
                    Json(backend(stored_by_server()))
                }
            })
            .post(|State(f): State<Fake>, Json(body): Json<Value>| async move {
                f.posted.lock().unwrap().push(body);
                if f.configmap {
                    (
                        StatusCode::CONFLICT,
                        Json(json!({"message": CONFIGMAP_409, "error_code": "USER", "workflow_id": null})),
                    )
                } else {
                    (StatusCode::OK, Json(Value::Null))
                }
            }),
        )
        .with_state(fake);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn configmap_managed_configs_are_a_conflict_saying_to_change_the_helm_values() {
    for (minor, expected_body) in [
        (
            "0",
            json!({"configs": {"scheduler_settings": {"scheduler_type": "kai", "scheduler_name": "kai-scheduler", "coscheduling": true, "scheduler_timeout": 30}}, "description": "Enable KAI"}),
        ),
        (
            "4",
            json!({"configs": {"scheduler_settings": {"scheduler_type": "kai", "scheduler_name": "kai-scheduler", "scheduler_timeout": 30}}, "description": "Enable KAI"}),
        ),
    ] {
        let fake = Fake {
            minor,
            configmap: true,
            posted: Arc::default(),
        };
        let base = serve(fake.clone()).await;
        let session = connect(&base).await.sign_in_development("alice").unwrap();
        let loaded = load(&session, "default", &never()).await.unwrap();
        let err = save(
            &session,
            &loaded,
            &kai_preset(loaded.dialect),
            " Enable KAI ",
            &never(),
        )
        .await
        .unwrap_err();
        assert_eq!(err.code(), ErrorCode::Conflict, "6.{minor}: {err}");
        assert!(
            matches!(err, SchedulerError::ConfigMapManaged { .. }),
            "{err:?}"
        );
        let text = err.to_string();
        assert!(
            text.contains("ConfigMap")
                && text.contains("Helm values")
                && text.contains("backend default"),
            "{text}"
        );
        // Only scheduler_settings, in full, with the description; no coscheduling at 6.2+.
        assert_eq!(*fake.posted.lock().unwrap(), [expected_body], "6.{minor}");
    }
}

#[tokio::test]
async fn save_returns_what_the_server_stored_not_what_was_sent() {
    let fake = Fake {
        minor: "4",
        configmap: false,
        posted: Arc::default(),
    };
    let base = serve(fake.clone()).await;
    let session = connect(&base).await.sign_in_development("alice").unwrap();
    let loaded = load(&session, "default", &never()).await.unwrap();
    let outcome = save(
        &session,
        &loaded,
        &kai_preset(loaded.dialect),
        "Enable KAI",
        &never(),
    )
    .await
    .unwrap();
    let SaveOutcome::Saved { stored, .. } = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(serde_json::to_value(&stored).unwrap(), stored_by_server());
    assert_eq!(fake.posted.lock().unwrap().len(), 1);
}

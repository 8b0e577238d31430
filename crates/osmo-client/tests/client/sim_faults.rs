//! Faults injected by osmo-sim: 500 bursts, malformed JSON, dropped connections, latency;
//! retries only for GET; timeouts; cancellation.

use std::time::{Duration, Instant};

use osmo_admin_core::ErrorCode;
use osmo_admin_osmo_client::{OsmoError, Session};
use osmo_sim::{Dialect as SimDialect, FaultConfig, SimHandle};
use tokio_util::sync::CancellationToken;

use crate::common::*;

async fn signed_in(dialect: SimDialect) -> (SimHandle, Session) {
    let sim = auth_sim(dialect, Duration::from_secs(300)).await;
    let session = connect(&sim)
        .await
        .sign_in_with_access_token(token(&sim, "admin-token"), &never())
        .await
        .unwrap();
    (sim, session)
}

fn faults(f: FaultConfig) -> FaultConfig {
    FaultConfig {
        path_prefix: Some("/api/configs".into()),
        ..f
    }
}

#[tokio::test]
async fn a_short_500_burst_is_retried_on_get() {
    for dialect in DIALECTS {
        let (sim, session) = signed_in(dialect).await;
        sim.set_faults(faults(FaultConfig {
            fail_next: 2,
            ..Default::default()
        }));
        let backends = session.list_backends(&never()).await.unwrap();
        assert_eq!(backends.len(), 1);
        assert_eq!(sim.fault_stats().failed, 2);
    }
}

#[tokio::test]
async fn a_long_500_burst_is_a_server_error_after_bounded_retries() {
    let (sim, session) = signed_in(SimDialect::V6_4).await;
    sim.set_faults(faults(FaultConfig {
        fail_next: 10,
        ..Default::default()
    }));
    let err = session.list_backends(&never()).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::ServerError);
    assert_eq!(err.status(), Some(500));
    assert_eq!(sim.fault_stats().failed, 3, "1 attempt + 2 retries");
    let text = err.to_string();
    assert!(
        text.contains("Internal server error: simulated fault") && text.contains("try again later"),
        "{text}"
    );
}

#[tokio::test]
async fn post_is_never_retried() {
    // The 6.2+ token exchange is a POST.
    let sim = auth_sim(SimDialect::V6_4, Duration::from_secs(300)).await;
    let conn = connect(&sim).await;
    sim.set_faults(FaultConfig {
        fail_next: 1,
        path_prefix: Some("/api/auth/jwt".into()),
        ..Default::default()
    });
    let err = conn
        .sign_in_with_access_token(token(&sim, "admin-token"), &never())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::ServerError);
    assert_eq!(sim.fault_stats().failed, 1);
    // The 6.0 exchange is a GET: the same fault is retried away.
    let sim = auth_sim(SimDialect::V6_0, Duration::from_secs(300)).await;
    let conn = connect(&sim).await;
    sim.set_faults(FaultConfig {
        fail_next: 1,
        path_prefix: Some("/api/auth/jwt".into()),
        ..Default::default()
    });
    conn.sign_in_with_access_token(token(&sim, "admin-token"), &never())
        .await
        .unwrap();
    assert_eq!(sim.fault_stats().failed, 1);
}

#[tokio::test]
async fn malformed_json_is_a_server_error() {
    for dialect in DIALECTS {
        let (sim, session) = signed_in(dialect).await;
        sim.set_faults(faults(FaultConfig {
            malformed_next: 1,
            ..Default::default()
        }));
        let err = session.list_backends(&never()).await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::ServerError, "{err}");
        assert!(
            err.to_string().contains("not the expected OSMO JSON"),
            "{err}"
        );
        assert_eq!(sim.fault_stats().malformed, 1);
    }
}

#[tokio::test]
async fn dropped_connections_are_retried_then_unreachable() {
    let (sim, session) = signed_in(SimDialect::V6_0).await;
    sim.set_faults(faults(FaultConfig {
        drop_next: 1,
        ..Default::default()
    }));
    session.list_backends(&never()).await.unwrap();
    assert_eq!(sim.fault_stats().dropped, 1);
    sim.set_faults(faults(FaultConfig {
        drop_next: 10,
        ..Default::default()
    }));
    let err = session.list_backends(&never()).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Unreachable, "{err}");
    assert!(err.to_string().contains("GET 127.0.0.1"), "{err}");
    assert_eq!(sim.fault_stats().dropped, 4);
}

#[tokio::test]
async fn latency_beyond_the_timeout_is_a_timeout() {
    let (sim, session) = signed_in(SimDialect::V6_4).await;
    sim.set_faults(faults(FaultConfig {
        latency_ms: 4000,
        ..Default::default()
    }));
    let started = Instant::now();
    let err = session.list_backends(&never()).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Timeout, "{err}");
    assert!(err.to_string().contains("did not answer"), "{err}");
    // Timeouts are not retried: one request timeout (1.5 s), not three.
    assert!(
        started.elapsed() < Duration::from_millis(3000),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn cancellation_stops_a_slow_call() {
    let (sim, session) = signed_in(SimDialect::V6_0).await;
    sim.set_faults(faults(FaultConfig {
        latency_ms: 1200,
        ..Default::default()
    }));
    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        trigger.cancel();
    });
    let started = Instant::now();
    let err = session.list_backends(&cancel).await.unwrap_err();
    assert!(matches!(err, OsmoError::Cancelled), "{err:?}");
    assert_eq!(err.code(), ErrorCode::Cancelled);
    assert!(
        started.elapsed() < Duration::from_millis(800),
        "{:?}",
        started.elapsed()
    );
    // Dropping the future cancels too.
    let dropped =
        tokio::time::timeout(Duration::from_millis(100), session.list_backends(&never())).await;
    assert!(dropped.is_err());
}

#[tokio::test]
async fn an_unreachable_service_is_unreachable() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let err = osmo_admin_osmo_client::Connection::open(
        spec(&format!("http://127.0.0.1:{port}")),
        fast_config(),
        &never(),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Unreachable, "{err}");
    assert!(
        err.to_string().contains("/api/version") && err.to_string().contains("Check the URL"),
        "{err}"
    );
}

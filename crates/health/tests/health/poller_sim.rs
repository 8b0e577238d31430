//! The poller over real OSMO sessions against osmo-sim (real time, both dialects).

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use osmo_admin_core::ErrorCode;
use osmo_admin_health::{
    BackendSource, BackoffPolicy, Fetched, HealthUpdate, Poller, PollerConfig, SessionSource,
    HEARTBEAT_WINDOW,
};
use osmo_admin_osmo_client::{CancellationToken, ClientConfig, Connection, ServiceSpec, Session};
use osmo_sim::{Dialect, FaultConfig, SeedBackend, SeedPool, SimConfig, SimHandle, Simulator};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver};

use crate::common::next_of;

const WAIT: Duration = Duration::from_secs(20);

async fn session(sim: &SimHandle, name: &str) -> Arc<Session> {
    let cancel = CancellationToken::new();
    let spec = ServiceSpec {
        name: name.into(),
        url: sim.base_url(),
        custom_ca_pem: None,
    };
    let config = ClientConfig {
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_secs(5),
        get_retries: 0,
        ..ClientConfig::default()
    };
    let conn = Connection::open(spec, config, &cancel).await.unwrap();
    Arc::new(conn.sign_in_development("admin").unwrap())
}

fn config(interval_ms: u64, timeout_ms: u64) -> PollerConfig {
    PollerConfig {
        interval: Duration::from_millis(interval_ms),
        timeout: Duration::from_millis(timeout_ms),
        backoff: BackoffPolicy {
            factor: 2,
            max: Duration::from_secs(2),
        },
    }
}

fn pool(name: &str, backend: &str) -> SeedPool {
    SeedPool {
        name: name.into(),
        backend: backend.into(),
        description: String::new(),
        enable_maintenance: false,
    }
}

/// The first update of `session` whose poll started after now (skips one already in flight).
async fn fresh(rx: &mut UnboundedReceiver<HealthUpdate>, session: &str) -> HealthUpdate {
    while rx.try_recv().is_ok() {}
    next_of(rx, session, WAIT).await;
    next_of(rx, session, WAIT).await
}

#[tokio::test]
async fn reports_flips_within_one_poll_in_both_dialects() {
    for dialect in [Dialect::V6_0, Dialect::V6_2, Dialect::V6_4] {
        let long_ago = Utc::now().naive_utc() - chrono::Duration::minutes(10);
        let sim = Simulator::start(
            SimConfig::new(dialect)
                .backend(SeedBackend::new("up"))
                .backend(SeedBackend::new("down").last_heartbeat(long_ago))
                .pool(pool("gpu-a", "up"))
                .pool(pool("gpu-b", "up"))
                .pool(pool("cpu", "down")),
        )
        .await
        .unwrap();
        let source = SessionSource::new(session(&sim, "sim").await);
        assert_eq!(source.session(), "sim");
        let (tx, mut rx) = unbounded_channel();
        let mut poller = Poller::new(config(100, 3_000), Arc::new(tx));
        poller.add_session(Arc::new(source));

        let first = next_of(&mut rx, "sim", WAIT).await.snapshot;
        assert!(!first.stale, "{dialect:?}: {:?}", first.error);
        let by = |s: &osmo_admin_health::SessionSnapshot, n: &str| {
            s.rows.iter().find(|r| r.name == n).cloned().unwrap()
        };
        let up = by(&first, "up");
        let down = by(&first, "down");
        assert!(up.online && !down.online, "{dialect:?}");
        assert_eq!(up.pools, vec!["gpu-a", "gpu-b"]);
        assert_eq!(down.pools, vec!["cpu"]);
        assert_eq!(up.session, "sim");
        assert_eq!(up.k8s_namespace, "osmo-workflows");
        assert!(!up.version.is_empty());
        assert!(!up.scheduler_type.is_empty());
        assert_eq!(up.offline_since, None);
        assert_eq!(
            down.offline_since.unwrap().timestamp_millis(),
            (long_ago.and_utc() + HEARTBEAT_WINDOW).timestamp_millis()
        );
        assert_eq!(first.totals.online, 1);
        assert_eq!(first.totals.offline, 1);

        // The server now says "up" is offline: the next poll shows it.
        assert!(sim.set_last_heartbeat("up", Utc::now().naive_utc() - chrono::Duration::minutes(5)));
        let u = fresh(&mut rx, "sim").await;
        assert!(!by(&u.snapshot, "up").online, "{dialect:?}");
        assert!(by(&u.snapshot, "up").offline_since.is_some());
        assert_eq!(u.snapshot.totals.offline, 2);

        // A heartbeat brings it back on the next poll.
        assert!(sim.set_last_heartbeat("up", Utc::now().naive_utc()));
        let u = fresh(&mut rx, "sim").await;
        assert!(by(&u.snapshot, "up").online, "{dialect:?}");
        assert_eq!(by(&u.snapshot, "up").offline_since, None);
        drop(poller);
        sim.shutdown().await;
    }
}

/// Counts the updates of `healthy` until it has `n`, asserting `other` stays behind.
async fn healthy_gets_n_updates(
    rx: &mut UnboundedReceiver<HealthUpdate>,
    healthy: &str,
    n: usize,
) -> (usize, Vec<HealthUpdate>) {
    let mut got = 0;
    let mut others = Vec::new();
    let start = std::time::Instant::now();
    while got < n {
        let u = tokio::time::timeout(WAIT, rx.recv())
            .await
            .unwrap()
            .unwrap();
        if u.snapshot.session == healthy {
            assert!(!u.snapshot.stale, "{:?}", u.snapshot.error);
            got += 1;
        } else {
            others.push(u);
        }
    }
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    (got, others)
}

#[tokio::test]
async fn a_dead_session_does_not_delay_another() {
    let healthy = Simulator::start(SimConfig::new(Dialect::V6_4).backend(SeedBackend::new("a")))
        .await
        .unwrap();
    let dead = Simulator::start(SimConfig::new(Dialect::V6_0).backend(SeedBackend::new("b")))
        .await
        .unwrap();
    let dead_session = session(&dead, "dead").await;
    dead.shutdown().await; // the port is closed now
    let (tx, mut rx) = unbounded_channel();
    let mut poller = Poller::new(config(100, 3_000), Arc::new(tx));
    poller.add_session(Arc::new(SessionSource::new(dead_session)));
    poller.add_session(Arc::new(SessionSource::new(
        session(&healthy, "healthy").await,
    )));
    let (_, others) = healthy_gets_n_updates(&mut rx, "healthy", 10).await;
    assert!(!others.is_empty(), "the dead session reports its failures");
    let last = &others[others.len() - 1].snapshot;
    assert!(last.stale);
    assert!(last.rows.is_empty());
    assert_eq!(last.error.as_ref().unwrap().code, ErrorCode::Unreachable);
    // Backing off: fewer polls than the healthy session, growing waits.
    assert!(others.len() < 10);
    assert!(last.next_poll_ms > 100);
    healthy.shutdown().await;
}

#[tokio::test]
async fn a_slow_session_does_not_delay_another() {
    let healthy = Simulator::start(SimConfig::new(Dialect::V6_0).backend(SeedBackend::new("a")))
        .await
        .unwrap();
    let slow = Simulator::start(SimConfig::new(Dialect::V6_4).backend(SeedBackend::new("b")))
        .await
        .unwrap();
    let slow_session = session(&slow, "slow").await;
    let (tx, mut rx) = unbounded_channel();
    let mut poller = Poller::new(config(100, 1_000), Arc::new(tx));
    poller.add_session(Arc::new(SessionSource::new(slow_session)));
    let first = next_of(&mut rx, "slow", WAIT).await.snapshot;
    assert!(!first.stale);
    slow.set_faults(FaultConfig {
        latency_ms: 4_000,
        ..FaultConfig::default()
    });
    while rx.try_recv().is_ok() {}
    poller.add_session(Arc::new(SessionSource::new(
        session(&healthy, "healthy").await,
    )));
    let (_, others) = healthy_gets_n_updates(&mut rx, "healthy", 10).await;
    // Meanwhile every poll of the slow session timed out (1 s each), keeping its rows, stale.
    for u in &others {
        assert!(u.snapshot.stale);
        assert_eq!(u.snapshot.rows, first.rows);
        assert_eq!(u.snapshot.error.as_ref().unwrap().code, ErrorCode::Timeout);
    }
    let slow_now = next_of(&mut rx, "slow", WAIT).await.snapshot;
    assert!(slow_now.stale);
    assert_eq!(slow_now.rows, first.rows);
    assert_eq!(slow_now.error.unwrap().code, ErrorCode::Timeout);
    slow.clear_faults();
    healthy.shutdown().await;
}

/// A session's source decodes nothing when both lists read the same bytes as the rows it is told
/// of, and reads afresh when either moved: a heartbeat, a pool.
#[tokio::test]
async fn a_session_source_says_unchanged_only_when_neither_list_moved() {
    for dialect in [Dialect::V6_0, Dialect::V6_4] {
        let sim = Simulator::start(
            SimConfig::new(dialect)
                .backend(SeedBackend::new("gpu"))
                .pool(pool("gpu-a", "gpu")),
        )
        .await
        .unwrap();
        let source = SessionSource::new(session(&sim, "sim").await);
        let rows_and_tag = |fetched| match fetched {
            Fetched::Rows { rows, tag } => (rows, tag),
            Fetched::Unchanged => panic!("{dialect:?}: unchanged without rows named"),
        };
        let (rows, tag) = rows_and_tag(source.fetch(None).await.unwrap());
        assert_eq!(rows[0].pools, vec!["gpu-a"]);
        assert_eq!(source.fetch(Some(tag)).await.unwrap(), Fetched::Unchanged);
        // Another caller's rows (or none) are not these: it gets rows.
        let (again, same_tag) = rows_and_tag(source.fetch(None).await.unwrap());
        assert_eq!((again, same_tag), (rows.clone(), tag));

        let heard = Utc::now().naive_utc() - chrono::Duration::seconds(7);
        assert!(sim.set_last_heartbeat("gpu", heard));
        let (moved, beat_tag) = rows_and_tag(source.fetch(Some(tag)).await.unwrap());
        assert_ne!(beat_tag, tag, "{dialect:?}");
        assert_eq!(
            moved[0].last_heartbeat.map(|t| t.timestamp()),
            Some(heard.and_utc().timestamp())
        );
        assert_eq!(
            source.fetch(Some(beat_tag)).await.unwrap(),
            Fetched::Unchanged
        );

        sim.add_pool(pool("gpu-b", "gpu"));
        let (pooled, pool_tag) = rows_and_tag(source.fetch(Some(beat_tag)).await.unwrap());
        assert_ne!(pool_tag, beat_tag, "{dialect:?}");
        assert_eq!(pooled[0].pools, vec!["gpu-a", "gpu-b"]);
        sim.shutdown().await;
    }
}

//! Prints how long the dashboard takes to fetch, decode and merge 1,000 backends from two OSMO
//! sessions (two osmo-sim services with 500 backends and 50 pools each, on loopback).
//!
//! `cargo run --release -p osmo-admin-health --example dashboard_bench`
//!
//! Measures (1) `SessionSource::fetch` of both sessions concurrently (backends + pools over HTTP,
//! JSON decode, rows joined with pools) plus the merge into one list sorted by session and name,
//! and (2) the `Poller`: from adding both sessions to both first snapshots delivered. Asserts nothing.
#![allow(clippy::unwrap_used, clippy::print_stdout)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use osmo_admin_health::{
    BackendRow, BackendSource, Fetched, HealthUpdate, Poller, PollerConfig, SessionSource,
};
use osmo_admin_osmo_client::{CancellationToken, ClientConfig, Connection, ServiceSpec, Session};
use osmo_sim::{Dialect, SeedBackend, SeedPool, SimConfig, SimHandle, Simulator};

const PER_SESSION: usize = 500;
const ROUNDS: usize = 20;

async fn sim(dialect: Dialect, prefix: &str) -> SimHandle {
    let mut config = SimConfig::new(dialect);
    for i in 0..PER_SESSION {
        config = config.backend(SeedBackend::new(format!("{prefix}-{i:04}")));
    }
    for p in 0..50 {
        config = config.pool(SeedPool {
            name: format!("{prefix}-pool-{p:02}"),
            backend: format!("{prefix}-{:04}", p * 10),
            description: String::new(),
            enable_maintenance: false,
        });
    }
    Simulator::start(config).await.unwrap()
}

async fn session(sim: &SimHandle, name: &str) -> Arc<Session> {
    let cancel = CancellationToken::new();
    let spec = ServiceSpec {
        name: name.into(),
        url: sim.base_url(),
        custom_ca_pem: None,
    };
    let conn = Connection::open(spec, ClientConfig::default(), &cancel)
        .await
        .unwrap();
    Arc::new(conn.sign_in_development("admin").unwrap())
}

/// Both sessions' rows, sorted as the dashboard lists them.
fn merge(a: Fetched, b: Fetched) -> Vec<BackendRow> {
    let rows = |f| match f {
        Fetched::Rows { rows, .. } => rows,
        Fetched::Unchanged => unreachable!("every fetch here names no earlier rows"),
    };
    let mut a = rows(a);
    a.extend(rows(b));
    a.sort_by(|x, y| (&x.session, &x.name).cmp(&(&y.session, &y.name)));
    a
}

fn stats(mut ms: Vec<f64>) -> String {
    ms.sort_by(|a, b| a.total_cmp(b));
    format!(
        "min {:.1} ms, median {:.1} ms, max {:.1} ms ({} rounds)",
        ms[0],
        ms[ms.len() / 2],
        ms[ms.len() - 1],
        ms.len()
    )
}

#[tokio::main]
async fn main() {
    let (a, b) = tokio::join!(sim(Dialect::V6_0, "a"), sim(Dialect::V6_4, "b"));
    let sa = SessionSource::named("svc-6.0", session(&a, "svc-6.0").await);
    let sb = SessionSource::named("svc-6.4", session(&b, "svc-6.4").await);

    // Warm-up (connections, allocator).
    let (ra, rb) = tokio::join!(sa.fetch(None), sb.fetch(None));
    let rows = merge(ra.unwrap(), rb.unwrap());
    assert_eq!(rows.len(), 2 * PER_SESSION);

    let mut fetch = Vec::new();
    for _ in 0..ROUNDS {
        let t0 = Instant::now();
        let (ra, rb) = tokio::join!(sa.fetch(None), sb.fetch(None));
        let rows = merge(ra.unwrap(), rb.unwrap());
        fetch.push(t0.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(rows);
    }
    println!(
        "fetch + decode + merge of {} backends from 2 sessions: {}",
        2 * PER_SESSION,
        stats(fetch)
    );

    let mut first = Vec::new();
    for _ in 0..5 {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<HealthUpdate>();
        let mut poller = Poller::new(
            PollerConfig {
                interval: Duration::from_secs(60),
                ..PollerConfig::default()
            },
            Arc::new(tx),
        );
        let t0 = Instant::now();
        poller.add_session(Arc::new(sa.clone()));
        poller.add_session(Arc::new(sb.clone()));
        let mut seen = 0;
        while seen < 2 {
            let update = rx.recv().await.unwrap();
            assert!(!update.snapshot.stale);
            seen += 1;
        }
        let total: usize = poller.snapshots().iter().map(|s| s.rows.len()).sum();
        assert_eq!(total, 2 * PER_SESSION);
        first.push(t0.elapsed().as_secs_f64() * 1000.0);
        poller.stop();
    }
    println!(
        "poller, both sessions added to both first snapshots ({} rows): {}",
        2 * PER_SESSION,
        stats(first)
    );
    a.shutdown().await;
    b.shutdown().await;
}

//! The dashboard's use cases: a signed-in service's backends become rows of `snapshot` and every
//! poll sends `health-updated`; a backend going offline or coming back is announced (in the app
//! and on the desktop) unless its notifications are muted.

use chrono::{Duration, Utc};
use osmo_admin_app::dashboard::{self, BackendRowDto, DashboardView};
use osmo_admin_app::AppCore;
use osmo_admin_core::BackendRef;
use osmo_sim::{Dialect, SeedBackend, SeedPool, SimConfig, SimHandle, Simulator};
use serde_json::json;

use crate::{eventually, sign_in, TestCore};

fn row<'a>(view: &'a DashboardView, name: &str) -> &'a BackendRowDto {
    view.rows
        .iter()
        .find(|r| r.name.as_str() == name)
        .unwrap_or_else(|| panic!("no row {name}: {view:?}"))
}

/// The snapshot once `ok` holds of it.
async fn snapshot_when(
    core: &AppCore,
    what: &str,
    ok: impl Fn(&DashboardView) -> bool,
) -> DashboardView {
    eventually(what, 30, || async {
        let view = dashboard::snapshot(core).await.unwrap();
        ok(&view).then_some(view)
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_in_services_backends_are_rows_and_each_poll_reaches_the_sink() {
    let old = Utc::now().naive_utc() - Duration::hours(1);
    let sim = Simulator::start(
        SimConfig::new(Dialect::V6_4)
            .backend(SeedBackend::new("gpu-east"))
            .backend(SeedBackend::new("cpu-west").last_heartbeat(old))
            .pool(SeedPool {
                name: "training".into(),
                backend: "gpu-east".into(),
                description: String::new(),
                enable_maintenance: false,
            }),
    )
    .await
    .unwrap();
    let t = TestCore::start().await;
    let empty = dashboard::snapshot(&t.core).await.unwrap();
    assert!(empty.rows.is_empty(), "{empty:?}");
    assert!(t.events.payloads("health-updated").is_empty());

    let id = sign_in(&t.core, "lab", &sim.base_url()).await;
    let view = snapshot_when(&t.core, "two rows", |v| v.rows.len() == 2).await;
    let gpu = row(&view, "gpu-east");
    assert_eq!(gpu.session, id);
    assert!(gpu.online, "{gpu:?}");
    assert_eq!(gpu.offline_since, None);
    assert_eq!(gpu.pools, ["training"]);
    assert!(gpu.notify && !gpu.linked, "{gpu:?}");
    let cpu = row(&view, "cpu-west");
    assert!(!cpu.online, "{cpu:?}");
    assert!(cpu.offline_since.is_some(), "{cpu:?}");
    assert!(cpu.pools.is_empty());
    let session = &view.sessions[0];
    assert_eq!(session.session, id);
    assert_eq!((session.total, session.online, session.offline), (2, 1, 1));
    assert!(
        !session.stale && session.updated_at.is_some(),
        "{session:?}"
    );
    assert!(view.not_polled.is_empty(), "{view:?}");

    // The poll that filled the rows was announced, naming its service.
    let updates = t.events.payloads("health-updated");
    assert!(
        updates.contains(&json!({"session": "lab", "stale": false})),
        "{updates:?}"
    );
    assert!(!t.events.payloads("sessions-changed").is_empty());
    // Nothing flipped: the first poll is no news.
    assert_eq!(
        t.events.payloads("backend-status-changed"),
        Vec::<serde_json::Value>::new()
    );
    assert!(t.events.desktop().is_empty(), "{:?}", t.events.desktop());
    sim.shutdown().await;
}

fn go_offline(sim: &SimHandle, backend: &str) {
    assert!(sim.set_keep_alive(backend, false));
    assert!(sim.set_last_heartbeat(backend, Utc::now().naive_utc() - Duration::hours(1)));
}

fn come_back(sim: &SimHandle, backend: &str) {
    assert!(sim.set_last_heartbeat(backend, Utc::now().naive_utc()));
    assert!(sim.set_keep_alive(backend, true));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_muted_backends_flips_are_silent_while_an_unmuted_ones_are_announced_twice_over() {
    let sim = Simulator::start(
        SimConfig::new(Dialect::V6_4)
            .backend(SeedBackend::new("gpu-east"))
            .backend(SeedBackend::new("cpu-west")),
    )
    .await
    .unwrap();
    let t = TestCore::start().await;
    let id = crate::add_service(&t.core, "lab", &sim.base_url()).await;
    let muted = BackendRef::new(id.clone(), "cpu-west");
    assert!(!dashboard::set_notifications(&t.core, &muted, false).unwrap());
    osmo_admin_app::sessions::sign_in_development(&t.core, id.clone(), "ana".into(), None)
        .await
        .unwrap();
    let view = snapshot_when(&t.core, "both online", |v| {
        v.rows.len() == 2 && v.rows.iter().all(|r| r.online)
    })
    .await;
    assert!(!row(&view, "cpu-west").notify);
    assert!(row(&view, "gpu-east").notify);

    go_offline(&sim, "gpu-east");
    go_offline(&sim, "cpu-west");
    dashboard::refresh(&t.core).await.unwrap();
    snapshot_when(&t.core, "both offline", |v| {
        v.rows.iter().all(|r| !r.online)
    })
    .await;
    let changes = eventually("the offline news", 10, || async {
        let seen = t.events.payloads("backend-status-changed");
        (!seen.is_empty()).then_some(seen)
    })
    .await;
    assert_eq!(changes.len(), 1, "only the unmuted backend: {changes:?}");
    assert_eq!(changes[0]["session"], "lab");
    assert_eq!(changes[0]["backend"], "gpu-east");
    assert_eq!(changes[0]["online"], false);
    let message = changes[0]["message"].as_str().unwrap();
    assert_eq!(
        t.events.desktop(),
        [message],
        "the same news on the desktop"
    );
    assert!(message.contains("gpu-east"), "{message}");

    come_back(&sim, "gpu-east");
    come_back(&sim, "cpu-west");
    dashboard::refresh(&t.core).await.unwrap();
    snapshot_when(&t.core, "both back", |v| v.rows.iter().all(|r| r.online)).await;
    let changes = eventually("the back-online news", 10, || async {
        let seen = t.events.payloads("backend-status-changed");
        (seen.len() >= 2).then_some(seen)
    })
    .await;
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert_eq!(
        (changes[1]["backend"].clone(), changes[1]["online"].clone()),
        (json!("gpu-east"), json!(true))
    );
    let desktop = t.events.desktop();
    assert_eq!(desktop.len(), 2, "{desktop:?}");
    assert!(
        desktop.iter().all(|m| !m.contains("cpu-west")),
        "the muted backend is never announced: {desktop:?}"
    );
    sim.shutdown().await;
}

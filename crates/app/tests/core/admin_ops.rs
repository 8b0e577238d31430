//! The admin operations the CLI was needed for, through the core against osmo-sim in both
//! dialects: pools (create, switch, delete, each told from a re-read, a refused write included),
//! deleting a backend (what depends on it first, then the re-read), and the config history
//! (compare two revisions, tags, a whole-type rollback only as previewed).

use osmo_admin_app::backend_deletion::{self, DeletionChoicesDto};
use osmo_admin_app::config_history::{self, ConfigKindDto};
use osmo_admin_app::pools;
use osmo_admin_core::{BackendRef, ErrorCode, ServiceId};
use osmo_sim::{Dialect, SeedBackend, SeedPool, SimConfig, SimHandle, Simulator};

use crate::TestCore;

/// Backends gpu-east (online), gpu-old (offline) and cpu-batch; pool `training` on gpu-east and
/// `legacy` on gpu-old.
async fn service(dialect: Dialect) -> SimHandle {
    let pool = |name: &str, backend: &str| SeedPool {
        name: name.into(),
        backend: backend.into(),
        description: String::new(),
        enable_maintenance: false,
    };
    Simulator::start(
        SimConfig::new(dialect)
            .backend(SeedBackend::new("gpu-east").keep_alive())
            .backend(
                SeedBackend::new("gpu-old")
                    .last_heartbeat((chrono::Utc::now() - chrono::Duration::hours(5)).naive_utc()),
            )
            .backend(SeedBackend::new("cpu-batch").keep_alive())
            .pool(pool("training", "gpu-east"))
            .pool(pool("legacy", "gpu-old")),
    )
    .await
    .unwrap()
}

async fn signed_in(dialect: Dialect) -> (SimHandle, TestCore, ServiceId) {
    let sim = service(dialect).await;
    let t = TestCore::start().await;
    let id = crate::sign_in(&t.core, "lab", &sim.base_url()).await;
    (sim, t, id)
}

fn backend(id: &ServiceId, name: &str) -> BackendRef {
    BackendRef::new(id.clone(), name)
}

async fn pools_and_deletion(dialect: Dialect) {
    let (_sim, t, id) = signed_in(dialect).await;
    let core = &t.core;

    let created = pools::create(
        core,
        backend(&id, "cpu-batch"),
        "batch".into(),
        "b".into(),
        None,
    )
    .await
    .unwrap();
    assert!(created.accepted, "{created:?}");
    assert_eq!(created.outcome, "Pool batch now runs on cpu-batch.");
    assert!(created
        .pools
        .iter()
        .any(|p| p.name == "batch" && p.backend == "cpu-batch"));
    let again = pools::create(
        core,
        backend(&id, "cpu-batch"),
        "batch".into(),
        String::new(),
        None,
    )
    .await
    .unwrap_err();
    assert_eq!(again.code, ErrorCode::InvalidInput, "{again:?}");
    let bad = pools::create(
        core,
        backend(&id, "cpu-batch"),
        "-x".into(),
        String::new(),
        None,
    )
    .await
    .unwrap_err();
    assert_eq!(bad.code, ErrorCode::InvalidInput);

    let moved = pools::switch(core, backend(&id, "cpu-batch"), "training".into(), None)
        .await
        .unwrap();
    assert_eq!(
        moved.outcome,
        "Pool training now runs on cpu-batch. It no longer runs on gpu-east."
    );

    // The service answers 500 for a pool moved to an unknown backend, yet stores it: the answer
    // says so from the re-read.
    let odd = pools::switch(
        core,
        backend(&id, "no-such-backend"),
        "training".into(),
        None,
    )
    .await
    .unwrap();
    assert!(!odd.accepted, "{odd:?}");
    assert!(odd.error.is_some());
    assert_eq!(
        odd.outcome,
        "Pool training now names backend no-such-backend, which does not exist. It no longer runs on cpu-batch."
    );

    // Deleting gpu-old: its pool is named first, then left naming a backend that is gone.
    let plan = backend_deletion::plan(core, backend(&id, "gpu-old"), None)
        .await
        .unwrap();
    assert!(!plan.online);
    assert_eq!(plan.pools, vec!["legacy".to_owned()]);
    assert!(plan.link.is_none());
    let online = backend_deletion::plan(core, backend(&id, "gpu-east"), None)
        .await
        .unwrap();
    assert!(online.online, "gpu-east heartbeats: {online:?}");
    let done = backend_deletion::delete(
        core,
        backend(&id, "gpu-old"),
        DeletionChoicesDto::default(),
        None,
    )
    .await
    .unwrap();
    assert!(done.gone);
    assert!(
        done.left
            .iter()
            .any(|l| l.starts_with("legacy still names gpu-old")),
        "{done:?}"
    );
    let listed = pools::list(core, id.clone(), None).await.unwrap();
    let legacy = listed.pools.iter().find(|p| p.name == "legacy").unwrap();
    assert!(legacy.backend_missing);

    // Stopping an operator needs a linked context: refused before anything is deleted.
    let refused = backend_deletion::delete(
        core,
        backend(&id, "cpu-batch"),
        DeletionChoicesDto {
            stop_operator: true,
            unlink: false,
        },
        None,
    )
    .await
    .unwrap_err();
    assert_eq!(refused.code, ErrorCode::InvalidInput);
    let still = pools::list(core, id.clone(), None).await.unwrap();
    assert!(still.pools.iter().any(|p| p.name == "batch"));
    let plan = backend_deletion::plan(core, backend(&id, "cpu-batch"), None)
        .await
        .unwrap();
    assert_eq!(plan.pools, vec!["batch".to_owned()]);

    let removed = pools::delete(core, id.clone(), "batch".into(), None)
        .await
        .unwrap();
    assert_eq!(removed.outcome, "Pool batch is deleted.");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pools_and_backend_deletion_v6_0() {
    pools_and_deletion(Dialect::V6_0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pools_and_backend_deletion_v6_4() {
    pools_and_deletion(Dialect::V6_4).await;
}

async fn history_diff_tags_and_rollback(dialect: Dialect) {
    let (_sim, t, id) = signed_in(dialect).await;
    let core = &t.core;
    // Seeded pools have no revision yet: the first write makes the one to come back to.
    pools::create(
        core,
        backend(&id, "gpu-old"),
        "scratch".into(),
        String::new(),
        None,
    )
    .await
    .unwrap();
    let before = config_history::history(core, id.clone(), ConfigKindDto::Pool, None)
        .await
        .unwrap();
    let start = before.revisions[0].revision;
    assert!(before.revisions[0].current);
    pools::create(
        core,
        backend(&id, "cpu-batch"),
        "batch".into(),
        String::new(),
        None,
    )
    .await
    .unwrap();
    pools::switch(core, backend(&id, "cpu-batch"), "training".into(), None)
        .await
        .unwrap();
    let history = config_history::history(core, id.clone(), ConfigKindDto::Pool, None)
        .await
        .unwrap();
    let newest = &history.revisions[0];
    assert!(newest.current);
    assert!(newest.revision > start, "{history:?}");
    assert_eq!(newest.about, "training");

    let diff = config_history::diff(
        core,
        id.clone(),
        ConfigKindDto::Pool,
        start,
        newest.revision,
        None,
    )
    .await
    .unwrap();
    let summary: Vec<(&str, &str)> = diff
        .changes
        .iter()
        .map(|c| (c.name.as_str(), c.change.as_str()))
        .collect();
    assert_eq!(summary, vec![("batch", "added"), ("training", "changed")]);
    let training = &diff.changes[1];
    assert!(training.fields.iter().any(|f| f.field == "backend"
        && f.before.as_deref() == Some("gpu-east")
        && f.after.as_deref() == Some("cpu-batch")));

    let tagged = config_history::tag(
        core,
        id.clone(),
        ConfigKindDto::Pool,
        start,
        vec!["known-good".into()],
        Vec::new(),
        None,
    )
    .await
    .unwrap();
    let at_start = tagged
        .revisions
        .iter()
        .find(|r| r.revision == start)
        .unwrap();
    assert!(
        at_start.tags.contains(&"known-good".to_owned()),
        "{at_start:?}"
    );

    let preview =
        config_history::rollback_preview(core, id.clone(), ConfigKindDto::Pool, start, None)
            .await
            .unwrap();
    let summary: Vec<(&str, &str)> = preview
        .changes
        .iter()
        .map(|c| (c.name.as_str(), c.change.as_str()))
        .collect();
    assert_eq!(summary, vec![("batch", "removed"), ("training", "changed")]);

    // Someone changes the pools after the preview: the rollback is not sent.
    pools::delete(core, id.clone(), "legacy".into(), None)
        .await
        .unwrap();
    let stale = config_history::roll_back(core, id.clone(), preview, String::new(), None)
        .await
        .unwrap_err();
    assert_eq!(stale.code, ErrorCode::Conflict, "{stale:?}");
    let listed = pools::list(core, id.clone(), None).await.unwrap();
    assert!(
        listed.pools.iter().any(|p| p.name == "batch"),
        "nothing rolled back"
    );

    let fresh =
        config_history::rollback_preview(core, id.clone(), ConfigKindDto::Pool, start, None)
            .await
            .unwrap();
    config_history::roll_back(core, id.clone(), fresh, "back to start".into(), None)
        .await
        .unwrap();
    let listed = pools::list(core, id.clone(), None).await.unwrap();
    let names: Vec<(&str, &str)> = listed
        .pools
        .iter()
        .map(|p| (p.name.as_str(), p.backend.as_str()))
        .collect();
    assert!(names.contains(&("training", "gpu-east")), "{names:?}");
    assert!(names.contains(&("legacy", "gpu-old")), "{names:?}");
    assert!(!names.iter().any(|(n, _)| *n == "batch"), "{names:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_diff_tags_and_rollback_v6_0() {
    history_diff_tags_and_rollback(Dialect::V6_0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_diff_tags_and_rollback_v6_4() {
    history_diff_tags_and_rollback(Dialect::V6_4).await;
}

//! Replays `osmo-admin-ops-6.0.0.json` (83 exchanges) and `osmo-admin-ops-6.4.0.json` (112):
//! backend delete, pool writes (including the 500s that still change data), config history,
//! diff, tags, rollback, revision delete, and at 6.4 users and roles. The simulator is seeded
//! like the captured service: the backends of earlier sessions, the history revisions of the
//! capture script's earlier run that the capture lists (with the numbers before them taken), and
//! the four `cap2-be-*` backends its operators had just connected.

use std::collections::HashMap;

use osmo_sim::{Dialect, SeedBackend, SeedRevision, SimConfig, SimHandle, Simulator};

use crate::exchanges::{ago, assert_only_listed, replay};

/// osmo-admin-ops-6.0.0.json exchanges the simulator does not reproduce, with the reason.
const NOT_REPRODUCED_6_0: &[(&str, &str)] = &[];

/// osmo-admin-ops-6.4.0.json exchanges the simulator does not reproduce, with the reason.
const NOT_REPRODUCED_6_4: &[(&str, &str)] = &[];

/// POOL revisions of pool `cap2-pool-a` from the script's earlier run (both services list the
/// same ones in `config_history_pool_name`); revision 18 was the last POOL revision before.
const EARLIER_POOL_REVISIONS: [(u64, &str); 8] = [
    (5, "cap2: second backend (backends key)"),
    (6, "cap2: move pool A to p2"),
    (7, "cap2: unknown backend"),
    (10, "cap2: remove backend (empty)"),
    (11, "cap2: pool A back to p1"),
    (15, "cap2: pool A v2"),
    (16, "cap2: pool A v3"),
    (18, "cap2: delete pool A"),
];

/// BACKEND revisions of backend `cap2-be-p1` from the earlier run (`config_history_backend_name`):
/// created, its rev2 update, deleted; then the last BACKEND revision before this run.
struct EarlierBackendHistory {
    created: u64,
    rev2: u64,
    removed: u64,
    last: u64,
}

fn seeded(dialect: Dialect, offline: &[(&str, i64)], earlier: &EarlierBackendHistory) -> SimConfig {
    let mut config = SimConfig::new(dialect);
    for (name, minutes) in offline {
        config = config.backend(SeedBackend::new(*name).last_heartbeat(ago(minutes * 60)));
    }
    let p1 = "cap2-be-p1";
    config = config
        .revision(
            SeedRevision::new(
                "BACKEND",
                earlier.created,
                p1,
                "system",
                "Create backend cap2-be-p1",
            )
            .tags(&[]),
        )
        .revision(
            SeedRevision::new(
                "BACKEND",
                earlier.rev2,
                p1,
                "admin",
                "cap2: p1 description rev2",
            )
            .tags(&["cap2-initial"]),
        )
        .revision(SeedRevision::new(
            "BACKEND",
            earlier.removed,
            p1,
            "admin",
            "cap2: remove backend used by pool A",
        ))
        .revisions_used("BACKEND", earlier.last);
    for (revision, description) in EARLIER_POOL_REVISIONS {
        config = config.revision(SeedRevision::new(
            "POOL",
            revision,
            "cap2-pool-a",
            "admin",
            description,
        ));
    }
    config
}

/// The script's operators connected p1, off, p2 and live (live keeps beating every 5 s).
fn connect_cap2_backends(sim: &SimHandle) {
    for name in ["cap2-be-p1", "cap2-be-off", "cap2-be-p2"] {
        sim.add_backend(SeedBackend::new(name)).unwrap();
    }
    sim.add_backend(SeedBackend::new("cap2-be-live").keep_alive())
        .unwrap();
}

/// Replays `file` against a simulator started from `config` (plus the cap2 backends); about two
/// minutes into the capture the operators of p1, off and p2 had stopped (last beat 02:58:43,
/// requests from 03:00:51).
async fn replay_file(
    file: &str,
    config: SimConfig,
    count: usize,
    listed: &[(&str, &str)],
) -> SimHandle {
    let sim = Simulator::start(config).await.unwrap();
    connect_cap2_backends(&sim);
    let hook = |label: &str, sim: &SimHandle| {
        if label == "backend_get_offline_before_delete" {
            for name in ["cap2-be-p1", "cap2-be-off", "cap2-be-p2"] {
                assert!(sim.set_last_heartbeat(name, ago(128)));
            }
        }
    };
    let (replayed, differing) = replay(file, "", &sim, hook, HashMap::new()).await;
    assert_eq!(replayed, count);
    assert_only_listed(file, replayed, &differing, listed);
    assert!(
        sim.backend("cap2-be-live").is_none(),
        "a deleted backend came back"
    );
    sim
}

#[tokio::test]
async fn replay_admin_ops_6_0() {
    // Offline backends of earlier sessions, minutes since their last heartbeat at capture time.
    let offline = [
        ("default", 30),
        ("gpu-offline", 43),
        ("gpu-online", 21),
        ("gpu-rot", 38),
    ];
    let earlier = EarlierBackendHistory {
        created: 20,
        rev2: 23,
        removed: 29,
        last: 30,
    };
    let config = seeded(Dialect::V6_0, &offline, &earlier);
    let sim = replay_file("osmo-admin-ops-6.0.0.json", config, 83, NOT_REPRODUCED_6_0).await;
    sim.shutdown().await;
}

#[tokio::test]
async fn replay_admin_ops_6_4() {
    let offline = [("gpu-offline", 43), ("gpu-online", 21), ("gpu-rot", 37)];
    let earlier = EarlierBackendHistory {
        created: 17,
        rev2: 19,
        removed: 25,
        last: 26,
    };
    // Users of earlier sessions, oldest first.
    let config = seeded(Dialect::V6_4, &offline, &earlier)
        .user("svc-a", &["osmo-backend"])
        .user("admin", &["osmo-admin"])
        .user("svc-new", &["osmo-backend"]);
    let sim = replay_file("osmo-admin-ops-6.4.0.json", config, 112, NOT_REPRODUCED_6_4).await;
    assert!(
        !sim.token_exists("cap2-svc", "cap2-tok"),
        "a deleted user's token survived"
    );
    sim.shutdown().await;
}

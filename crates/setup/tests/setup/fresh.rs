//! A fresh setup ends with the backend online; running it again changes nothing.

use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use kube::Api;
use osmo_admin_osmo_client::{check_access_token, CancellationToken, HttpClient, TokenCheck};
use osmo_admin_secrets::Secret;
use osmo_admin_setup::steps::operator::listener_name;
use osmo_admin_setup::{StepId, StepOutcome, StepState};
use osmo_sim::Dialect;

use crate::common::{fast_config, world, Log, World, BACKEND};

/// Runs the whole wizard on `w` and checks it ended online.
async fn set_up(w: &mut World) -> Log {
    w.start_operator();
    let setup = w.setup(w.plan()).await;
    let preflight = setup.preflight().await.unwrap();
    assert!(preflight.ready(), "{preflight:?}");
    let log = Log::default();
    let outcomes = setup
        .run_all(None, &log.sink(), &CancellationToken::new())
        .await
        .unwrap();
    let steps: Vec<StepId> = outcomes.iter().map(|(s, _)| *s).collect();
    assert_eq!(steps, StepId::ALL.to_vec(), "{outcomes:?}\n{}", log.text());
    for (step, outcome) in &outcomes {
        // By step 5 the backend may already be online; at 6.2+ new backends start with KAI.
        let changed = matches!(
            outcome,
            StepOutcome::Done { .. } | StepOutcome::DoneWithWarning { .. }
        );
        let ok = changed || (*step >= StepId::Scheduler && outcome.is_done());
        assert!(ok, "{step:?}: {outcome:?}\n{}", log.text());
    }
    if w.sim.dialect() == Dialect::V6_0 {
        let (_, scheduler) = &outcomes[3];
        // Saved, but the test cluster has no KAI: a warning that says so, not a plain done.
        assert!(
            matches!(scheduler, StepOutcome::DoneWithWarning { what, warning }
                if what.contains("scheduler_type") && warning.contains("NOT installed")),
            "{scheduler:?}"
        );
    }
    log
}

async fn fresh_setup_ends_online(dialect: Dialect, prefix: &str) {
    let mut w = world(dialect, prefix).await;
    let log = set_up(&mut w).await;
    let backend = w
        .sim
        .backend(BACKEND)
        .expect("the operator created the backend");
    assert!(backend.online);
    assert_eq!(backend.json["scheduler_settings"]["scheduler_type"], "kai");
    assert_eq!(
        backend.json["scheduler_settings"]["scheduler_name"],
        "kai-scheduler"
    );

    let token = w.secret_token().await;
    let http = HttpClient::new(w.session.spec(), fast_config()).unwrap();
    let check = check_access_token(
        &http,
        w.session.dialect(),
        &Secret::new(token.clone()),
        &CancellationToken::new(),
    )
    .await;
    assert!(
        matches!(check, TokenCheck::Accepted { .. }),
        "{:?}",
        check.summary()
    );
    let owner = if dialect == Dialect::V6_0 {
        "gpu-operator-token"
    } else {
        "backend-operator"
    };
    assert!(w.sim.token_exists(owner, "gpu-operator-token"));

    let text = log.text();
    assert!(!text.contains(&token), "the token leaked into the log");
    assert!(text.contains("--from-literal=token=<redacted>"), "{text}");
    assert!(log.helm_runs() == 3, "{text}");
    assert!(
        text.contains("Stdout STATUS: deployed"),
        "helm's output is streamed: {text}"
    );
    assert!(text.contains("Scheduler kai is NOT installed"), "{text}");
    let values = std::fs::read_to_string(w.dir.path().join("gpu-values.yaml")).unwrap();
    assert!(!values.contains(&token));
    let progress = std::fs::read_to_string(w.dir.path().join("gpu.json")).unwrap();
    assert!(!progress.contains(&token));
    assert_eq!(progress.matches("\"step\"").count(), 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fresh_setup_ends_with_the_backend_online_v6_0() {
    fresh_setup_ends_online(Dialect::V6_0, "fresh60").await;
}

/// 6.2.x reports 6.0.0: discovery must still pick 6.2+ for the token step to work.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fresh_setup_ends_with_the_backend_online_v6_2_x() {
    fresh_setup_ends_online(Dialect::V6_2, "fresh62x").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fresh_setup_ends_with_the_backend_online_v6_4() {
    fresh_setup_ends_online(Dialect::V6_4, "fresh64").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rerun_on_a_set_up_backend_changes_nothing() {
    let mut w = world(Dialect::V6_4, "rerun").await;
    set_up(&mut w).await;
    let secret_version = w.secret().await.unwrap().metadata.resource_version;
    let deployments: Api<Deployment> = Api::namespaced(w.client.clone(), &w.operator_ns());
    let listener = listener_name(&w.release());
    let deployment_version = deployments
        .get(&listener)
        .await
        .unwrap()
        .metadata
        .resource_version;
    let tokens = w.sim.tokens().len();
    let revisions = w.sim.history_revisions("BACKEND");

    // A new wizard (nothing in memory) on the same plan.
    let setup = w.setup(w.plan()).await;
    let cancel = CancellationToken::new();
    for (step, state) in setup.check_all(&cancel).await.unwrap() {
        if step == StepId::Scheduler {
            // Saved, but nothing in the test cluster schedules with KAI: partly done, saying so.
            assert!(
                matches!(&state, StepState::Partial { what_it_will_do, .. } if what_it_will_do.contains("NOT installed")),
                "{state:?}"
            );
            continue;
        }
        assert!(state.is_done(), "{step:?}: {state:?}");
    }
    let log = Log::default();
    let outcomes = setup.run_all(None, &log.sink(), &cancel).await.unwrap();
    assert_eq!(outcomes.len(), 5);
    for (step, outcome) in &outcomes {
        assert!(
            matches!(
                (step, outcome),
                (_, StepOutcome::AlreadyDone { .. })
                    | (StepId::Scheduler, StepOutcome::DoneWithWarning { .. })
            ),
            "{step:?}: {outcome:?}"
        );
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(log.helm_runs(), 0, "{}", log.text());
    assert_eq!(
        w.secret().await.unwrap().metadata.resource_version,
        secret_version
    );
    assert_eq!(
        deployments
            .get(&listener)
            .await
            .unwrap()
            .metadata
            .resource_version,
        deployment_version
    );
    assert_eq!(w.sim.tokens().len(), tokens);
    assert_eq!(w.sim.history_revisions("BACKEND"), revisions);
    assert!(w.sim.backend(BACKEND).unwrap().online);
}

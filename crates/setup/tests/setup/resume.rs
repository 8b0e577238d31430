//! A setup interrupted after step 2 resumes from the progress file by re-checking the cluster.

use osmo_admin_setup::{Progress, Setup, SetupError, StepId, StepOutcome, StepState};
use osmo_sim::{Dialect, SeedToken};

use crate::common::{cluster_kubeconfig, context, quick, world, Log, BACKEND};
use osmo_admin_osmo_client::CancellationToken;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_setup_interrupted_after_step_2_resumes_from_the_progress_file() {
    let mut w = world(Dialect::V6_0, "resume").await;
    w.start_operator();
    let cancel = CancellationToken::new();
    let log = Log::default();
    {
        let setup = w.setup(w.plan()).await;
        for step in [StepId::Token, StepId::Cluster] {
            let outcome = setup.run(step, None, &log.sink(), &cancel).await.unwrap();
            assert!(
                matches!(outcome, StepOutcome::Done { .. }),
                "{step:?}: {outcome:?}"
            );
        }
    } // the app quits: the token's value is gone from memory, the Secret holds it.
    let token = w.secret_token().await;

    let (setup, progress) = Setup::resume(
        w.session.clone(),
        context(&cluster_kubeconfig().await),
        quick(),
        w.dir.path().into(),
        BACKEND,
    )
    .await
    .unwrap()
    .expect("progress was saved");
    assert_eq!(progress.plan.operator_namespace, "resume-op");
    assert_eq!(progress.next_step(), Some(StepId::Operator));
    // Where it ran, so resuming picks the same session and context again.
    assert_eq!(
        progress.session.as_deref(),
        Some(w.session.spec().name.as_str())
    );
    assert_eq!(progress.context.as_deref(), Some(setup.context_name()));
    let states = setup.check_all(&cancel).await.unwrap();
    let done: Vec<bool> = states.iter().map(|(_, s)| s.is_done()).collect();
    assert_eq!(done, vec![true, true, false, false, false], "{states:?}");
    assert!(
        matches!(&states[0].1, StepState::Done { what } if what.contains("reused")),
        "{states:?}"
    );

    for step in StepId::ALL {
        let outcome = setup.run(step, None, &log.sink(), &cancel).await.unwrap();
        match (step, outcome) {
            (StepId::Token | StepId::Cluster, StepOutcome::AlreadyDone { .. }) => {}
            (StepId::Operator, StepOutcome::Done { .. }) => {}
            // Saved; the test cluster has no KAI, which the outcome says.
            (StepId::Scheduler, StepOutcome::DoneWithWarning { .. }) => {}
            // Step 4 waited for the backend, which may be online by now.
            (StepId::Online, o) if o.is_done() => {}
            (step, other) => panic!("{step:?}: {other:?}\n{}", log.text()),
        }
    }
    assert_eq!(w.secret_token().await, token, "the Secret's token was kept");
    assert_eq!(
        w.sim.tokens().len(),
        2,
        "no second token: {:?}",
        w.sim.tokens()
    );
    assert!(w.sim.backend(BACKEND).unwrap().online);
    let progress = Progress::load(w.dir.path(), BACKEND).unwrap().unwrap();
    assert_eq!(progress.next_step(), None);
}

/// The plan's token as the simulator lists it: (owner, name) and the hash of its value.
fn planned_token(w: &crate::common::World) -> Option<[u8; 32]> {
    let name = w.plan().token.name;
    let owner = match w.sim.dialect() {
        Dialect::V6_0 => name.clone(),
        _ => w.plan().token.owner.unwrap(),
    };
    let found: Vec<[u8; 32]> = w
        .sim
        .tokens()
        .into_iter()
        .filter(|t| t.token_name == name && t.user_name == owner)
        .map(|t| t.value_sha256)
        .collect();
    assert!(found.len() <= 1, "{found:?}");
    found.first().copied()
}

/// The app quits (or is killed) after step 1 created the token and before step 2 wrote it: its
/// value was in memory only. Running step 1 again deletes that orphan (its value stops working)
/// and creates the token again, saying so, instead of stopping at "token already exists".
async fn a_token_left_by_a_run_stopped_before_step_2_is_replaced(dialect: Dialect, prefix: &str) {
    let w = world(dialect, prefix).await;
    let (log, cancel) = (Log::default(), CancellationToken::new());
    let first = w.setup(w.plan()).await;
    first
        .run(StepId::Token, None, &log.sink(), &cancel)
        .await
        .unwrap();
    drop(first); // quit before step 2: the value is gone
    let orphan = planned_token(&w).expect("step 1 created the token");

    let again = w.setup(w.plan()).await;
    let state = again.check(StepId::Token, &cancel).await.unwrap();
    let StepState::Partial {
        done,
        what_it_will_do,
    } = &state
    else {
        panic!("{state:?}")
    };
    assert!(
        done.contains("created by an earlier run of this setup") && done.contains("value was lost"),
        "{done}"
    );
    assert!(
        what_it_will_do.starts_with("Delete token"),
        "{what_it_will_do}"
    );

    let log = Log::default();
    let outcome = again
        .run(StepId::Token, None, &log.sink(), &cancel)
        .await
        .unwrap_or_else(|e| panic!("{e}\n{}", log.text()));
    assert!(matches!(outcome, StepOutcome::Done { .. }), "{outcome:?}");
    assert!(
        log.text()
            .contains("Deleting it, so that value stops working, and creating it again."),
        "{}",
        log.text()
    );
    let recreated = planned_token(&w).expect("the token exists again");
    assert_ne!(recreated, orphan, "the orphan's value must stop working");
    let outcome = again
        .run(StepId::Cluster, None, &log.sink(), &cancel)
        .await
        .unwrap();
    assert!(matches!(outcome, StepOutcome::Done { .. }), "{outcome:?}");
    let reused = again.check(StepId::Token, &cancel).await.unwrap();
    assert!(
        matches!(&reused, StepState::Done { what } if what.contains("accepts")),
        "the Secret holds a token the service accepts: {reused:?}"
    );
    let progress = Progress::load(w.dir.path(), BACKEND).unwrap().unwrap();
    assert_eq!(
        progress.token_sent, None,
        "written into the Secret: no orphan in the making"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_6_0_token_left_by_a_run_stopped_before_step_2_is_replaced() {
    a_token_left_by_a_run_stopped_before_step_2_is_replaced(Dialect::V6_0, "orphan60").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_6_4_token_left_by_a_run_stopped_before_step_2_is_replaced() {
    a_token_left_by_a_run_stopped_before_step_2_is_replaced(Dialect::V6_4, "orphan64").await;
}

/// A token of the plan's name that this setup did not create (another backend's, whose Secret
/// holds it) is never deleted: step 1 says so and stops with the way out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_name_taken_by_someone_else_is_refused_and_left_alone() {
    let w = world(Dialect::V6_4, "taken").await;
    let plan = w.plan();
    let owner = plan.token.owner.clone().unwrap();
    w.sim.create_user(&owner, &["osmo-backend"]).unwrap();
    w.sim
        .create_token(SeedToken::for_user(
            &owner,
            &plan.token.name,
            &["osmo-backend"],
        ))
        .unwrap();
    let theirs = planned_token(&w).unwrap();
    let (log, cancel) = (Log::default(), CancellationToken::new());
    let setup = w.setup(plan).await;
    let state = setup.check(StepId::Token, &cancel).await.unwrap();
    assert!(
        matches!(&state, StepState::NotDone { what_it_will_do } if what_it_will_do.contains("this setup did not create it")),
        "{state:?}"
    );
    let err = setup
        .run(StepId::Token, None, &log.sink(), &cancel)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, SetupError::TokenExists { delete, .. } if delete == "osmo token delete gpu-operator-token --user backend-operator"),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("Choose another token name"),
        "{err}"
    );
    assert_eq!(planned_token(&w), Some(theirs), "their token is untouched");
    let progress = Progress::load(w.dir.path(), BACKEND).unwrap();
    assert!(
        progress.and_then(|p| p.token_sent).is_none(),
        "a token this setup did not create is never taken for its own"
    );
}

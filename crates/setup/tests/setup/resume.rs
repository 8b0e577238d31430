//! A setup interrupted after step 2 resumes from the progress file by re-checking the cluster.

use osmo_admin_setup::{Progress, Setup, SetupError, StepId, StepOutcome, StepState};
use osmo_sim::Dialect;

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_lost_between_steps_1_and_2_is_named_with_the_way_out() {
    let w = world(Dialect::V6_4, "lost").await;
    let (log, cancel) = (Log::default(), CancellationToken::new());
    let first = w.setup(w.plan()).await;
    first
        .run(StepId::Token, None, &log.sink(), &cancel)
        .await
        .unwrap();
    drop(first); // quit before step 2: the value is gone
    let again = w.setup(w.plan()).await;
    assert!(!again.check(StepId::Token, &cancel).await.unwrap().is_done());
    let err = again
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
}

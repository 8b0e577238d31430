//! A Secret holding another token is overwritten only after a confirmation naming the change.

use osmo_admin_osmo_client::CancellationToken;
use osmo_admin_setup::{Confirmation, StepId, StepOutcome, StepState};
use osmo_sim::Dialect;

use crate::common::{cluster, world, Log};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secret_with_another_token_is_replaced_only_after_confirmation() {
    let w = world(Dialect::V6_4, "confirm").await;
    let cluster = cluster().await;
    cluster.create_namespace("confirm-op").await.unwrap();
    let old = [("token", "an-expired-token"), ("other", "kept")];
    cluster
        .create_secret("confirm-op", "osmo-operator-token", &old)
        .await
        .unwrap();
    let setup = w.setup(w.plan()).await;
    let (log, cancel) = (Log::default(), CancellationToken::new());

    let state = setup.check(StepId::Token, &cancel).await.unwrap();
    assert!(
        matches!(&state, StepState::NotDone { what_it_will_do } if what_it_will_do.contains("refuses")),
        "{state:?}"
    );
    let outcome = setup
        .run(StepId::Token, None, &log.sink(), &cancel)
        .await
        .unwrap();
    assert!(matches!(outcome, StepOutcome::Done { .. }), "{outcome:?}");

    let state = setup.check(StepId::Cluster, &cancel).await.unwrap();
    assert!(matches!(&state, StepState::Partial { .. }), "{state:?}");
    let outcome = setup
        .run(StepId::Cluster, None, &log.sink(), &cancel)
        .await
        .unwrap();
    let StepOutcome::NeedsConfirmation { what_will_change } = outcome else {
        panic!("{outcome:?}");
    };
    assert!(
        what_will_change
            .contains("replace the value of key token in Secret confirm-op/osmo-operator-token"),
        "{what_will_change}"
    );
    assert!(log
        .text()
        .contains(&format!("needs confirmation: {what_will_change}")));
    let other = Confirmation {
        what_will_change: "something else".into(),
    };
    let outcome = setup
        .run(StepId::Cluster, Some(&other), &log.sink(), &cancel)
        .await
        .unwrap();
    assert!(
        matches!(outcome, StepOutcome::NeedsConfirmation { .. }),
        "{outcome:?}"
    );
    assert_eq!(
        w.secret_token().await,
        "an-expired-token",
        "changed without confirmation"
    );
    assert!(
        !w.namespace_exists("confirm-wf").await,
        "changed without confirmation"
    );

    let yes = Confirmation { what_will_change };
    let outcome = setup
        .run(StepId::Cluster, Some(&yes), &log.sink(), &cancel)
        .await
        .unwrap();
    assert!(matches!(outcome, StepOutcome::Done { .. }), "{outcome:?}");
    assert_ne!(w.secret_token().await, "an-expired-token");
    let data = w.secret().await.unwrap().data.unwrap();
    assert_eq!(data["other"].0, b"kept");
    assert!(w.namespace_exists("confirm-wf").await);
    assert!(setup.check(StepId::Token, &cancel).await.unwrap().is_done());
    assert!(setup
        .check(StepId::Cluster, &cancel)
        .await
        .unwrap()
        .is_done());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secret_token_ending_in_a_newline_is_reused_as_the_operator_would_read_it() {
    let w = world(Dialect::V6_4, "newline").await;
    let cluster = cluster().await;
    cluster.create_namespace("newline-op").await.unwrap();
    let token = format!("{}\n", w.sim.seeded_token("admin").unwrap());
    cluster
        .create_secret(
            "newline-op",
            "osmo-operator-token",
            &[("token", token.as_str())],
        )
        .await
        .unwrap();
    let setup = w.setup(w.plan()).await;
    let state = setup
        .check(StepId::Token, &CancellationToken::new())
        .await
        .unwrap();
    assert!(
        matches!(&state, StepState::Done { what } if what.contains("accepts")),
        "{state:?}"
    );
}

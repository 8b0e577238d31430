//! A rotation that succeeds, in both dialects: the backend is online with the new token
//! afterwards, the old token is gone from the service, the previous value is gone from the Secret.

use osmo_admin_osmo_client::CancellationToken;
use osmo_admin_tokens::rotation::{token_in_secret, Phase, Rotation, Status, Step};
use osmo_admin_tokens::{Limits, Rules, TokenRef, TokensError};
use osmo_sim::Dialect;

use crate::common::{recorder, world, NEW, OLD};

async fn succeeds(dialect: Dialect, namespace: &str) {
    let w = world(dialect, namespace).await;
    let restarts_before = w.operator.as_ref().unwrap().restarts();
    let mut rotation = Rotation::start(
        w.session.clone(),
        w.client.clone(),
        w.plan(),
        &w.journal_dir(),
        &Rules::default(),
    )
    .unwrap();
    let (sink, events) = recorder();
    rotation.on_event(sink);
    rotation.run(&CancellationToken::new()).await.unwrap();

    let state = rotation.state();
    assert_eq!(state.status, Status::Completed, "{}", state.words);
    assert!(!state.can_roll_back);
    let refused = rotation.roll_back(&CancellationToken::new()).await;
    assert!(matches!(refused, Err(TokensError::State(_))), "{refused:?}");
    let finished: Vec<Step> = events
        .lock()
        .unwrap()
        .iter()
        .filter(|e| e.phase == Phase::Finished)
        .map(|e| e.step)
        .collect();
    assert_eq!(finished, Step::FORWARD.to_vec());

    let data = w.secret_data().await;
    assert_ne!(
        data["token"], w.old_value,
        "the secret still holds the old token"
    );
    assert!(
        !data.contains_key("token.previous"),
        "the previous value was left behind"
    );
    w.assert_secret_token_valid().await;
    assert!(
        !w.sim.token_exists(&w.old_ref().owner, OLD),
        "the old token still exists"
    );
    assert!(w.sim.token_exists(w.new_owner(), NEW));
    assert!(
        w.operator.as_ref().unwrap().restarts() > restarts_before,
        "the operator was not restarted"
    );
    w.assert_comes_online().await;

    let limits = Limits::new(std::time::Duration::from_secs(5), CancellationToken::new());
    let held = token_in_secret(&w.client, &w.plan().secret, &limits)
        .await
        .unwrap();
    assert_eq!(
        held,
        Some(TokenRef {
            owner: w.new_owner().into(),
            name: NEW.into()
        })
    );
    let journal = std::fs::read_to_string(rotation.journal_path()).unwrap();
    assert!(
        !journal.contains(&data["token"]) && !journal.contains(&w.old_value),
        "a token value is in the journal"
    );
    assert!(osmo_admin_tokens::rotation::unfinished(&w.journal_dir()).is_empty());
}

#[tokio::test]
async fn rotation_succeeds_v6_0() {
    succeeds(Dialect::V6_0, "tok-ok-60").await;
}

#[tokio::test]
async fn rotation_succeeds_v6_2_x() {
    succeeds(Dialect::V6_2, "tok-ok-62x").await;
}

#[tokio::test]
async fn rotation_succeeds_v6_4() {
    succeeds(Dialect::V6_4, "tok-ok-64").await;
}

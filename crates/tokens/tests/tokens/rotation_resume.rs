//! A rotation interrupted mid-way (the app crashes: the rotation is dropped while running) is
//! found in the journal folder on the next start and resumed, or rolled back.

use std::sync::Arc;

use osmo_admin_osmo_client::CancellationToken;
use osmo_admin_tokens::rotation::{unfinished, EventSink, Phase, Rotation, Status, Step};
use osmo_admin_tokens::{Rules, TokensError};
use osmo_sim::Dialect;

use crate::common::{world, World, NEW, OLD};

/// Starts a rotation that "crashes" (panics in its progress callback) right after `step` finished,
/// and returns the journal it left behind.
async fn crash_after(w: &World, step: Step) -> std::path::PathBuf {
    let mut rotation = Rotation::start(
        w.session.clone(),
        w.client.clone(),
        w.plan(),
        &w.journal_dir(),
        &Rules::default(),
    )
    .unwrap();
    let sink: EventSink = Arc::new(move |e| {
        if e.step == step && e.phase == Phase::Finished {
            panic!("simulated crash after {step:?}");
        }
    });
    rotation.on_event(sink);
    let task = tokio::spawn(async move { rotation.run(&CancellationToken::new()).await });
    assert!(task.await.unwrap_err().is_panic());
    let mut left = unfinished(&w.journal_dir());
    assert_eq!(left.len(), 1);
    let (path, journal) = left.remove(0).unwrap();
    assert_eq!(
        (journal.status, journal.reached),
        (Status::Running, Some(step))
    );
    path
}

#[tokio::test]
async fn interrupted_after_writing_the_secret_resumes_and_completes() {
    let w = world(Dialect::V6_4, "tok-resume-write").await;
    let path = crash_after(&w, Step::WriteSecret).await;
    assert_ne!(w.secret_token().await, w.old_value);
    w.assert_secret_token_valid().await;

    let second = Rotation::start(
        w.session.clone(),
        w.client.clone(),
        w.plan(),
        &w.journal_dir(),
        &Rules::default(),
    );
    assert!(
        matches!(second, Err(TokensError::State(_))),
        "a second rotation of the same backend started"
    );

    let mut rotation = Rotation::resume(w.session.clone(), w.client.clone(), &path).unwrap();
    assert!(
        rotation.state().words.contains("has not been restarted"),
        "{}",
        rotation.state().words
    );
    rotation.run(&CancellationToken::new()).await.unwrap();
    assert_eq!(rotation.state().status, Status::Completed);
    w.assert_secret_token_valid().await;
    assert!(!w.sim.token_exists(crate::common::ACCOUNT, OLD));
    assert!(!w.secret_data().await.contains_key("token.previous"));
    w.assert_comes_online().await;
    assert!(unfinished(&w.journal_dir()).is_empty());
}

#[tokio::test]
async fn interrupted_after_creating_resumes_by_creating_again() {
    let w = world(Dialect::V6_0, "tok-resume-create").await;
    let path = crash_after(&w, Step::CreateToken).await;
    assert!(
        w.sim.token_exists(NEW, NEW),
        "the crashed run created the token"
    );
    assert_eq!(w.secret_token().await, w.old_value);

    let mut rotation = Rotation::resume(w.session.clone(), w.client.clone(), &path).unwrap();
    rotation.run(&CancellationToken::new()).await.unwrap();
    assert_eq!(rotation.state().status, Status::Completed);
    assert!(w.sim.token_exists(NEW, NEW));
    assert!(!w.sim.token_exists(OLD, OLD));
    w.assert_secret_token_valid().await;
    w.assert_comes_online().await;
}

#[tokio::test]
async fn interrupted_rotation_is_rolled_back_on_the_next_start() {
    let w = world(Dialect::V6_0, "tok-resume-undo").await;
    let path = crash_after(&w, Step::RestartOperator).await;

    let mut rotation = Rotation::resume(w.session.clone(), w.client.clone(), &path).unwrap();
    rotation.roll_back(&CancellationToken::new()).await.unwrap();
    assert_eq!(rotation.state().status, Status::RolledBack);
    assert_eq!(w.secret_token().await, w.old_value);
    w.assert_secret_token_valid().await;
    assert!(!w.sim.token_exists(NEW, NEW));
    w.assert_comes_online().await;
}

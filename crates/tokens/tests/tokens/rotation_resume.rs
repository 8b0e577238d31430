//! A rotation interrupted mid-way (the app crashes: the rotation is dropped while running) is
//! found in the journal folder on the next start and resumed, or rolled back.

use std::sync::Arc;

use osmo_admin_osmo_client::CancellationToken;
use std::time::Duration;

use osmo_admin_osmo_client::CancellationToken as Cancel;
use osmo_admin_tokens::rotation::{
    mark_resolved, now_in_words, observe, scan, set_aside_in_words, unfinished, EventSink, Journal,
    Phase, Rotation, Status, Step, Watched,
};
use osmo_admin_tokens::{Limits, Rules, TokenRef, TokensError};
use osmo_sim::Dialect;

use crate::common::{world, World, ACCOUNT, NEW, OLD};

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
    let (path, journal) = left.remove(0);
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

fn limits() -> Limits {
    Limits::new(Duration::from_secs(10), Cancel::new())
}

fn start(w: &World) -> Result<Rotation, TokensError> {
    Rotation::start(
        w.session.clone(),
        w.client.clone(),
        w.plan(),
        &w.journal_dir(),
        &Rules::default(),
    )
}

/// Killed right after the Secret was written and before the journal said so: the journal says
/// "writing", the Secret holds the new token with the old one kept. The words follow the cluster,
/// and resuming finishes the rotation.
#[tokio::test]
async fn killed_just_after_writing_the_secret_is_described_from_the_cluster() {
    let w = world(Dialect::V6_4, "tok-resume-truth").await;
    let path = crash_after(&w, Step::WriteSecret).await;
    let mut journal = Journal::load(&path).unwrap();
    journal.reached = Some(Step::CreateToken);
    journal.in_progress = Some(Step::WriteSecret);
    journal.save(&path).unwrap();
    assert_eq!(
        w.secret_data().await.get("token.previous"),
        Some(&w.old_value)
    );

    let seen = observe(
        Ok(&w.session),
        Ok(&w.client),
        &Watched::of(&journal),
        &limits(),
    )
    .await;
    assert!(seen.notes.is_empty(), "{:?}", seen.notes);
    let truth = now_in_words(&journal, Some(&seen));
    let words = &truth.words;
    assert!(
        words.contains(&format!("The new token {NEW} of {ACCOUNT} is in secret"))
            && words.contains(&format!(
                "the old token {OLD} of {ACCOUNT} is kept under key token.previous"
            ))
            && words.contains("has not been restarted since"),
        "{words}"
    );
    assert!(!words.contains("was not written"), "{words}");
    assert!(truth.effect_seen.contains(&Step::WriteSecret));

    let mut rotation = Rotation::resume(w.session.clone(), w.client.clone(), &path).unwrap();
    let before = rotation.state().words;
    assert!(before.contains("may already hold it"), "{before}");
    rotation.observe(&Cancel::new()).await;
    assert_eq!(
        rotation.state().words,
        *words,
        "the resumed rotation says the same"
    );
    rotation.run(&Cancel::new()).await.unwrap();
    assert_eq!(rotation.state().status, Status::Completed);
    w.assert_secret_token_valid().await;
    w.assert_comes_online().await;
}

/// Killed while waiting for the heartbeat, then the journal cut short: it is set aside (kept),
/// blocks a new rotation of the backend until marked resolved, and the cluster and the service
/// say where things stand.
#[tokio::test]
async fn a_journal_cut_short_is_set_aside_and_blocks_the_backend_until_resolved() {
    let w = world(Dialect::V6_4, "tok-resume-corrupt").await;
    let path = crash_after(&w, Step::RestartOperator).await;
    let text = std::fs::read_to_string(&path).unwrap();
    let cut = &text[..text.find("\"new_token\": {\n    \"owner\"").unwrap() + 20];
    std::fs::write(&path, cut).unwrap();

    let found = scan(&w.journal_dir());
    assert!(found.unfinished.is_empty());
    assert_eq!(found.set_aside.len(), 1, "{:?}", found.set_aside);
    let aside = &found.set_aside[0];
    assert!(!path.exists(), "moved aside");
    assert_eq!(
        std::fs::read_to_string(&aside.path).unwrap(),
        cut,
        "kept as it was"
    );
    assert_eq!(aside.facts.backend.as_deref(), Some(crate::common::BACKEND));
    let secret = aside
        .facts
        .secret
        .clone()
        .expect("the secret is in the readable part");
    assert_eq!(secret.namespace, w.namespace);

    let refused = start(&w).err().expect("a new rotation was accepted");
    assert!(
        refused
            .to_string()
            .contains(&aside.path.display().to_string()),
        "{refused}"
    );

    let new = TokenRef {
        owner: ACCOUNT.into(),
        name: NEW.into(),
    };
    let watched = Watched {
        backend: crate::common::BACKEND.into(),
        secret,
        tokens: vec![w.old_ref(), new.clone()],
    };
    let seen = observe(Ok(&w.session), Ok(&w.client), &watched, &limits()).await;
    let holder = seen.secret.as_ref().and_then(|s| s.holder.clone());
    assert_eq!(holder, Some(new.clone()));
    assert!(seen.secret.as_ref().unwrap().previous_kept);
    assert_eq!(seen.existing, Some(vec![w.old_ref(), new]));
    let mut facts = aside.facts.clone();
    facts.old_token = Some(w.old_ref());
    let words = set_aside_in_words(&facts, Some(&seen));
    assert!(
        words.contains(&format!("holds token {NEW} of {ACCOUNT}"))
            && words.contains("a previous value is still kept")
            && words.contains(&format!("the old token {OLD} of {ACCOUNT} exists")),
        "{words}"
    );

    mark_resolved(&aside.path).unwrap();
    assert!(aside.path.exists(), "still kept");
    start(&w).unwrap();
}

//! Each step of a rotation, as a kill would leave it: at the step's start (the journal says it
//! began, nothing happened) and just after its effect (the cluster or the service changed, the
//! journal still says the step runs). The words must follow what is seen.

use chrono::{DateTime, Duration, Utc};

use super::*;
use crate::rotation::journal::tests::journal as fixture;
use crate::rotation::Direction;

fn old() -> TokenRef {
    TokenRef {
        owner: "svc".into(),
        name: "op-old".into(),
    }
}

fn journal() -> Journal {
    let mut j = fixture("gpu");
    j.plan.old_token = Some(old());
    j.created_at = Utc::now() - Duration::minutes(10);
    j
}

fn new(j: &Journal) -> TokenRef {
    new_ref(j)
}

/// The world before the rotation: the Secret holds the old token, only it exists, the operator
/// was restarted and heartbeated long before.
fn before(j: &Journal) -> Observed {
    let long_ago = j.created_at - Duration::days(3);
    Observed {
        at: Utc::now(),
        secret: Some(SecretSeen {
            exists: true,
            holder: Some(old()),
            previous_kept: false,
            rotation: None,
            last_changed: Some(long_ago),
        }),
        existing: Some(vec![old()]),
        restarted_at: Some(Some(long_ago)),
        last_heartbeat: Some(Some(Utc::now())),
        notes: Vec::new(),
    }
}

fn created(j: &Journal) -> Observed {
    let mut seen = before(j);
    seen.existing = Some(vec![old(), new(j)]);
    seen
}

fn written(j: &Journal) -> Observed {
    let mut seen = created(j);
    seen.secret = Some(SecretSeen {
        exists: true,
        holder: Some(new(j)),
        previous_kept: true,
        rotation: Some(j.id.clone()),
        last_changed: Some(j.created_at + Duration::minutes(1)),
    });
    seen
}

fn restarted(j: &Journal, at: DateTime<Utc>) -> Observed {
    let mut seen = written(j);
    seen.restarted_at = Some(Some(at));
    seen.last_heartbeat = Some(Some(at - Duration::seconds(5)));
    seen
}

fn words(j: &Journal, seen: &Observed) -> (String, Vec<Step>) {
    let t = now_in_words(j, Some(seen));
    (t.words, t.effect_seen)
}

fn has(text: &str, parts: &[&str]) {
    for p in parts {
        assert!(text.contains(p), "missing {p:?} in: {text}");
    }
}

fn lacks(text: &str, parts: &[&str]) {
    for p in parts {
        assert!(!text.contains(p), "unexpected {p:?} in: {text}");
    }
}

#[test]
fn create_token_at_its_start_and_just_after_it() {
    let mut j = journal();
    j.in_progress = Some(Step::CreateToken);
    j.create_attempted = true;
    let (w, seen) = words(&j, &before(&j));
    has(
        &w,
        &[
            "still holds the old token op-old of svc",
            "t-new does not exist in OSMO",
            "nothing has changed yet",
        ],
    );
    assert!(seen.is_empty());

    let (w, seen) = words(&j, &created(&j));
    has(
        &w,
        &[
            "t-new exists in OSMO but was not written into the secret",
            "still holds the old token",
        ],
    );
    assert_eq!(seen, vec![Step::CreateToken]);
}

#[test]
fn write_secret_at_its_start_and_just_after_it() {
    let mut j = journal();
    j.create_attempted = true;
    j.reached = Some(Step::CreateToken);
    j.in_progress = Some(Step::WriteSecret);
    let (w, _) = words(&j, &created(&j));
    has(
        &w,
        &[
            "was not written into the secret",
            "still holds the old token op-old",
        ],
    );

    // Killed 25 ms into the step: the Secret has the new token, the journal says "writing".
    let (w, seen) = words(&j, &written(&j));
    has(
        &w,
        &[
            "The new token t-new is in secret osmo-operator/osmo-operator-token key token",
            "the old token op-old of svc is kept under key token.previous",
            "has not been restarted since the secret changed, so it still runs with the old token op-old",
        ],
    );
    lacks(&w, &["was not written", "still holds the old"]);
    assert_eq!(seen, vec![Step::CreateToken, Step::WriteSecret]);

    // Without a look at the cluster, nothing is claimed about the write.
    let w = now_in_words(&j, None).words;
    has(
        &w,
        &["may already hold it", "or still hold the old token op-old"],
    );
    lacks(&w, &["was not written"]);
}

#[test]
fn restart_at_its_start_and_just_after_it() {
    let mut j = journal();
    j.reached = Some(Step::WriteSecret);
    j.in_progress = Some(Step::RestartOperator);
    let (w, seen) = words(&j, &written(&j));
    has(&w, &["has not been restarted since"]);
    assert!(!seen.contains(&Step::RestartOperator));

    // A restart stamped before the Secret changed does not count.
    let mut early = written(&j);
    early.restarted_at = Some(Some(j.created_at + Duration::seconds(30)));
    let (w, seen) = words(&j, &early);
    has(&w, &["has not been restarted since the secret changed"]);
    assert!(!seen.contains(&Step::RestartOperator));

    let at = Utc::now() - Duration::seconds(30);
    let (w, seen) = words(&j, &restarted(&j, at));
    has(
        &w,
        &[
            "The operator was restarted at",
            "has not heartbeated since the restart",
        ],
    );
    lacks(&w, &["has not been restarted"]);
    assert!(seen.contains(&Step::RestartOperator));
}

#[test]
fn waiting_for_the_heartbeat_at_its_start_and_just_after_it() {
    let at = Utc::now() - Duration::seconds(30);
    let mut j = journal();
    j.reached = Some(Step::RestartOperator);
    j.restarted_at = Some(at);
    j.in_progress = Some(Step::WaitForHeartbeat);
    let (w, seen) = words(&j, &restarted(&j, at));
    has(
        &w,
        &[
            "has not heartbeated since the restart",
            "The old token op-old of svc still exists in OSMO",
        ],
    );
    assert!(!seen.contains(&Step::WaitForHeartbeat));

    let mut beat = restarted(&j, at);
    beat.last_heartbeat = Some(Some(at + Duration::seconds(3)));
    let (w, seen) = words(&j, &beat);
    has(
        &w,
        &[
            "the backend has heartbeated since",
            "so it runs with the new token",
        ],
    );
    assert!(seen.contains(&Step::WaitForHeartbeat));
}

#[test]
fn deleting_the_old_token_at_its_start_and_just_after_it() {
    let at = Utc::now() - Duration::seconds(30);
    let mut j = journal();
    j.reached = Some(Step::WaitForHeartbeat);
    j.restarted_at = Some(at);
    j.in_progress = Some(Step::DeleteOldToken);
    let mut online = restarted(&j, at);
    online.last_heartbeat = Some(Some(at + Duration::seconds(3)));
    let (w, _) = words(&j, &online);
    has(&w, &["op-old of svc still exists in OSMO"]);

    online.existing = Some(vec![new(&j)]);
    let (w, seen) = words(&j, &online);
    has(
        &w,
        &[
            "op-old of svc does not exist in OSMO any more",
            "the old token op-old of svc is kept under key token.previous",
        ],
    );
    assert!(
        !seen.contains(&Step::DeleteOldToken),
        "the previous value is still to drop"
    );

    online.secret.as_mut().unwrap().previous_kept = false;
    let (w, seen) = words(&j, &online);
    has(&w, &["no previous value is kept"]);
    assert!(seen.contains(&Step::DeleteOldToken));
}

#[test]
fn each_roll_back_step_just_after_its_effect() {
    let forward_restart = Utc::now() - Duration::minutes(5);
    let mut j = journal();
    j.direction = Direction::RollingBack;
    j.reached = Some(Step::RestartOperator);
    j.restarted_at = Some(forward_restart);
    j.in_progress = Some(Step::RestoreSecret);
    let mut seen = restarted(&j, forward_restart);
    let (w, done) = words(&j, &seen);
    has(
        &w,
        &[
            "still holds the new token t-new",
            "the operator has not been restarted again",
            "t-new still exists",
        ],
    );
    assert!(done.is_empty());

    seen.secret = Some(SecretSeen {
        exists: true,
        holder: Some(old()),
        previous_kept: false,
        rotation: None,
        last_changed: Some(forward_restart + Duration::minutes(1)),
    });
    let (w, done) = words(&j, &seen);
    has(
        &w,
        &[
            "holds the previous token",
            "not been restarted since the secret was restored, so it may still run with the new token",
        ],
    );
    assert_eq!(done, vec![Step::RestoreSecret]);

    j.rolled_back = vec![Step::RestoreSecret];
    j.in_progress = Some(Step::RestartAgain);
    seen.restarted_at = Some(Some(forward_restart + Duration::minutes(2)));
    let (w, done) = words(&j, &seen);
    has(&w, &["the operator was restarted again at"]);
    assert!(done.contains(&Step::RestartAgain));

    j.rolled_back.push(Step::RestartAgain);
    j.in_progress = Some(Step::DeleteNewToken);
    seen.existing = Some(vec![old()]);
    let (w, done) = words(&j, &seen);
    has(&w, &["t-new does not exist in OSMO any more"]);
    assert!(done.contains(&Step::DeleteNewToken));
}

#[test]
fn what_could_not_be_read_is_said_and_not_guessed() {
    let mut j = journal();
    j.reached = Some(Step::CreateToken);
    j.in_progress = Some(Step::WriteSecret);
    let mut seen = written(&j);
    seen.secret = None;
    seen.existing = None;
    seen.notes = vec!["not allowed to get secrets in osmo-operator".into()];
    let (w, _) = words(&j, &seen);
    has(
        &w,
        &[
            "could not be read now",
            "may already hold it",
            "not allowed to get secrets",
        ],
    );
    lacks(&w, &["was not written"]);

    let mut seen = written(&j);
    seen.existing = None;
    seen.restarted_at = None;
    let (w, _) = words(&j, &seen);
    has(
        &w,
        &[
            "is in secret",
            "Whether the operator was restarted since could not be checked",
            "Whether the old token op-old of svc still exists in OSMO could not be checked",
        ],
    );
}

#[test]
fn a_set_aside_journal_is_described_from_what_is_seen() {
    let j = journal();
    let facts = JournalFacts {
        id: Some(j.id.clone()),
        backend: Some("gpu".into()),
        secret: Some(j.plan.secret.clone()),
        new_token: Some(new(&j)),
        old_token: Some(old()),
    };
    let w = set_aside_in_words(&facts, Some(&written(&j)));
    has(&w, &["Secret osmo-operator/osmo-operator-token key token holds token t-new (per its annotations)", "a previous value is still kept beside it", "the new token t-new exists", "the old token op-old of svc exists"]);

    let mut gone = before(&j);
    gone.existing = Some(vec![]);
    let w = set_aside_in_words(&facts, Some(&gone));
    has(
        &w,
        &[
            "holds token op-old of svc",
            "no previous value is kept",
            "the new token t-new does not exist",
            "the old token op-old of svc does not exist",
        ],
    );

    let w = set_aside_in_words(&JournalFacts::default(), None);
    has(&w, &["has not been checked yet"]);
}

//! The rotation's kill cases: each forward step, at its start and just after its effect, in both
//! dialects, then resumed or rolled back by the app started again.
//!
//! After the kill the test reads the cluster and the service itself ([`Facts`]) and checks, in
//! order: that the kill happened where the case says (the world shows that step's effect or not);
//! that the Secret holds a token the service accepts; that the restarted app lists the rotation as
//! interrupted and its words, step states and "now" facts say what the test read; then that
//! resuming (or rolling back) finishes with the Secret holding an accepted token, no rotation
//! marks left, exactly the operator token the outcome wants in OSMO, and the backend online.

use std::collections::BTreeSet;
use std::time::Duration;

use chrono::{DateTime, Utc};
use osmo_admin_app::tokens::rotations::{RotationStatusDto, RotationView, StepDto, StepStateDto};
use osmo_admin_app::tokens::{self};
use osmo_admin_app::AppCore;
use osmo_admin_core::kill_point::{self, When};
use osmo_admin_core::ServiceId;
use osmo_admin_test_cluster::TestCluster;
use osmo_admin_tokens::rotation::{unfinished, Step};
use osmo_sim::Dialect;

use crate::child::{Job, Work, SERVICE, USER};
use crate::process::run_until_killed;
use crate::support::{cluster_env, eventually, open};
use crate::world::{case_code, token_label, World};

/// What to do with the interrupted rotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Then {
    Resume,
    RollBack,
}

#[derive(Debug, Clone, Copy)]
pub struct Case {
    pub dialect: Dialect,
    pub step: Step,
    pub when: When,
    pub then: Then,
}

/// 5 steps × {start, after effect} × {6.0, 6.4} × {resume, roll back}.
pub fn cases() -> Vec<Case> {
    let mut all = Vec::new();
    for dialect in [Dialect::V6_0, Dialect::V6_4] {
        for step in Step::FORWARD {
            for when in [When::Start, When::AfterEffect] {
                for then in [Then::Resume, Then::RollBack] {
                    all.push(Case {
                        dialect,
                        step,
                        when,
                        then,
                    });
                }
            }
        }
    }
    all
}

impl Case {
    pub fn point(&self) -> String {
        kill_point::name("rotation", &self.step, self.when)
    }

    pub fn name(&self) -> String {
        let then = match self.then {
            Then::Resume => "resume",
            Then::RollBack => "roll_back",
        };
        format!("{} {:?} {then}", self.point(), self.dialect)
    }

    /// A namespace of its own on the shared API server.
    fn namespace(&self) -> String {
        let code = case_code(self.dialect, self.when);
        let then = match self.then {
            Then::Resume => "r",
            Then::RollBack => "b",
        };
        let step = Step::FORWARD
            .iter()
            .position(|s| *s == self.step)
            .unwrap_or(9);
        format!("kill-rot-{code}{step}{then}-{}", std::process::id())
    }
}

/// The cluster and the service as the test reads them.
#[derive(Debug)]
struct Facts {
    secret: crate::world::SecretNow,
    holds_new: bool,
    new_exists: bool,
    old_exists: bool,
    restarted_at: Option<DateTime<Utc>>,
    last_heartbeat: DateTime<Utc>,
}

impl Facts {
    async fn read(w: &World, new: &str) -> Self {
        let secret = w.secret().await;
        let tokens = w.operator_tokens();
        Self {
            holds_new: secret.token != w.old_value,
            new_exists: tokens.contains(new),
            old_exists: tokens.contains(&w.old_label()),
            restarted_at: w.restarted_at().await,
            last_heartbeat: w.last_heartbeat(),
            secret,
        }
    }
}

pub async fn run(case: Case) {
    let point = case.point();
    let cluster = TestCluster::shared().await;
    let w = World::new(case.dialect, &case.namespace()).await;
    let dir = tempfile::tempdir().unwrap();
    let job = Job {
        work: Work::Rotation,
        dir: dir.path().to_owned(),
        kubeconfig: cluster.kubeconfig_path().to_owned(),
        sim_url: w.sim.base_url(),
        v6_2: case.dialect != Dialect::V6_0,
        namespace: w.namespace.clone(),
    };
    run_until_killed(&job, &point).await;

    let secret = w.secret().await;
    if let Err(e) = w.accepts(&secret.token).await {
        panic!("{point}: just after the kill the service refuses the Secret's token: {e}");
    }

    // The app starts again on the same folder.
    let (core, _events) = open(dir.path(), cluster_env(cluster)).await;
    let listed = tokens::list_rotations(&core);
    assert_eq!(listed.len(), 1, "{point}: {listed:#?}");
    let id = listed[0].id.clone();
    assert_eq!(
        listed[0].status,
        RotationStatusDto::Interrupted,
        "{point}: {listed:#?}"
    );
    osmo_admin_app::sessions::sign_in_development(
        &core,
        ServiceId::new(SERVICE),
        USER.into(),
        None,
    )
    .await
    .unwrap();
    let new_name = listed[0].new_token.clone();
    let new = token_label(w.new_owner(&new_name), &new_name);
    let facts = Facts::read(&w, &new).await;
    killed_where_said(&case, &facts, &point);
    let checked = tokens::check_rotations(&core).await;
    let view = checked.iter().find(|v| v.id == id).unwrap();
    words_follow_the_truth(view, &facts, &w, &new, &point);

    match case.then {
        Then::Resume => {
            let done = act(&core, &id, Then::Resume).await;
            assert_eq!(
                done.status,
                RotationStatusDto::Completed,
                "{point}: {done:#?}"
            );
            resumed(&w, &new, &point).await;
        }
        Then::RollBack if facts.old_exists => {
            let done = act(&core, &id, Then::RollBack).await;
            assert_eq!(
                done.status,
                RotationStatusDto::RolledBack,
                "{point}: {done:#?}"
            );
            rolled_back(&w, &new, &point).await;
        }
        Then::RollBack => {
            // The old token is gone: putting it back would take the backend offline, so the
            // roll back is not offered, refused if asked, and resuming finishes the rotation.
            assert!(!view.can_roll_back, "{point}: roll back offered: {view:#?}");
            let refused = act(&core, &id, Then::RollBack).await;
            assert_ne!(
                refused.status,
                RotationStatusDto::RolledBack,
                "{refused:#?}"
            );
            let after = w.secret().await;
            assert_eq!(
                after.token, facts.secret.token,
                "{point}: the refused roll back changed the Secret"
            );
            let done = act(&core, &id, Then::Resume).await;
            assert_eq!(
                done.status,
                RotationStatusDto::Completed,
                "{point}: {done:#?}"
            );
            resumed(&w, &new, &point).await;
        }
    }
    assert!(
        unfinished(core.rotations.dir()).is_empty(),
        "{point}: a journal is left unfinished"
    );
    drop(core);
    w.sim.shutdown().await;
}

/// The world shows the effects of the steps before the kill point, and of its step only after
/// its effect: the child really stopped where the case says.
fn killed_where_said(case: &Case, f: &Facts, point: &str) {
    let after = case.when == When::AfterEffect;
    let (new_exists, holds_new, restarted, old_exists) = match case.step {
        Step::CreateToken => (after, false, false, true),
        Step::WriteSecret => (true, after, false, true),
        Step::RestartOperator => (true, true, after, true),
        Step::WaitForHeartbeat => (true, true, true, true),
        _ => (true, true, true, !after),
    };
    let seen = (
        f.new_exists,
        f.holds_new,
        f.restarted_at.is_some(),
        f.old_exists,
    );
    assert_eq!(
        seen,
        (new_exists, holds_new, restarted, old_exists),
        "{point}: (new token exists, Secret holds it, operator restarted, old token exists): {f:#?}"
    );
    assert_eq!(
        f.secret.previous_kept, holds_new,
        "{point}: the previous value is kept while the rotation is open: {f:#?}"
    );
    if case.step == Step::WaitForHeartbeat && after {
        let restart = f.restarted_at.unwrap_or_default();
        assert!(
            f.last_heartbeat > restart,
            "{point}: no heartbeat since the restart: {f:#?}"
        );
    }
}

/// The restarted app's words, step states and "now" say what the test read.
fn words_follow_the_truth(view: &RotationView, f: &Facts, w: &World, new: &str, point: &str) {
    let words = &view.words;
    let has = |part: &str| {
        assert!(
            words.contains(part),
            "{point}: {part:?} is not in the words: {words}\nThe cluster and the service: {f:#?}"
        );
    };
    let old = w.old_label();
    if f.holds_new {
        has(&format!("The new token {new} is in secret"));
        assert!(!words.contains("was not written"), "{point}: {words}");
        if f.secret.previous_kept {
            has(&format!(
                "the old token {old} is kept under key token.previous"
            ));
        } else {
            has("no previous value is kept under key token.previous");
        }
        match f.restarted_at {
            Some(at) => {
                has("The operator was restarted at");
                if f.last_heartbeat > at {
                    has("the backend has heartbeated since");
                }
            }
            None => has("has not been restarted since the secret changed"),
        }
        if f.old_exists {
            has(&format!("The old token {old} still exists in OSMO"));
        } else {
            has(&format!(
                "The old token {old} does not exist in OSMO any more"
            ));
        }
    } else {
        // The world wrote the first Secret without this app's annotations.
        match &f.secret.holder {
            None => has("still holds the token it held before"),
            Some(_) => has(&format!("still holds the old token {old}")),
        }
        assert!(!words.contains("is in secret"), "{point}: {words}");
        if f.new_exists {
            has(&format!(
                "The new token {new} exists in OSMO but was not written into the secret"
            ));
        } else {
            has(&format!(
                "The new token {new} does not exist in OSMO and was not written into the secret"
            ));
        }
    }

    let now = view
        .now
        .as_ref()
        .unwrap_or_else(|| panic!("{point}: not checked: {view:#?}"));
    assert!(now.notes.is_empty(), "{point}: {now:#?}");
    assert_eq!(now.secret_exists, Some(true));
    assert_eq!(
        now.secret_holder, f.secret.holder,
        "{point}: the Secret's holder"
    );
    assert_eq!(now.previous_kept, Some(f.secret.previous_kept), "{point}");
    let existing: BTreeSet<String> = now
        .tokens_existing
        .clone()
        .unwrap_or_default()
        .into_iter()
        .collect();
    let mut expected = BTreeSet::new();
    if f.old_exists {
        expected.insert(old.clone());
    }
    if f.new_exists {
        expected.insert(new.to_owned());
    }
    assert_eq!(existing, expected, "{point}: the tokens that exist in OSMO");

    let state = |step: StepDto| {
        view.steps
            .iter()
            .find(|s| s.step == step)
            .unwrap_or_else(|| panic!("no step {step:?}: {view:#?}"))
            .state
    };
    assert_eq!(
        state(StepDto::WriteSecret) == StepStateDto::Done,
        f.holds_new,
        "{point}: step 2 is done exactly when the Secret holds the new token: {view:#?}"
    );
    assert_eq!(
        state(StepDto::CreateToken) == StepStateDto::Done,
        f.holds_new || f.new_exists,
        "{point}: step 1 is done exactly when the new token exists: {view:#?}"
    );
    assert!(view.can_retry, "{point}: {view:#?}");
    assert_eq!(
        view.can_roll_back, f.old_exists,
        "{point}: roll back is offered exactly when the old token still exists: {view:#?}"
    );
}

/// Resumes or rolls back rotation `id` and waits for it to stop.
async fn act(core: &AppCore, id: &str, then: Then) -> RotationView {
    let launched = match then {
        Then::Resume => tokens::retry_rotation(core, id.to_owned(), None, None).await,
        Then::RollBack => tokens::roll_back_rotation(core, id.to_owned(), None, None).await,
    };
    launched.unwrap_or_else(|e| panic!("{then:?} of {id} refused: {e:?}"));
    eventually("the rotation to stop", 120, || async {
        let view = tokens::rotation_status(core, id).unwrap();
        (!view.running).then_some(view)
    })
    .await
}

/// The rotation finished: the Secret holds the new token, accepted, with no rotation marks; only
/// the new operator token exists; the backend is online.
async fn resumed(w: &World, new: &str, point: &str) {
    let s = w.secret().await;
    assert_ne!(
        s.token, w.old_value,
        "{point}: the Secret holds the old token"
    );
    if let Err(e) = w.accepts(&s.token).await {
        panic!("{point}: resumed, the service refuses the Secret's token: {e}");
    }
    assert!(!s.previous_kept, "{point}: {s:?}");
    assert_eq!(s.rotation, None, "{point}: {s:?}");
    assert_eq!(s.holder.as_deref(), Some(new), "{point}: {s:?}");
    let only_new: BTreeSet<String> = [new.to_owned()].into();
    assert_eq!(
        w.operator_tokens(),
        only_new,
        "{point}: operator tokens left"
    );
    tokio::time::timeout(Duration::from_secs(60), w.comes_online())
        .await
        .unwrap();
}

/// The rotation was undone: the Secret holds the old token again, accepted, with no rotation
/// marks; the new token is deleted; the backend is online.
async fn rolled_back(w: &World, new: &str, point: &str) {
    let s = w.secret().await;
    assert_eq!(
        s.token, w.old_value,
        "{point}: the Secret does not hold the old token"
    );
    if let Err(e) = w.accepts(&s.token).await {
        panic!("{point}: rolled back, the service refuses the Secret's token: {e}");
    }
    assert!(!s.previous_kept, "{point}: {s:?}");
    assert_eq!(s.rotation, None, "{point}: {s:?}");
    assert_ne!(s.holder.as_deref(), Some(new), "{point}: {s:?}");
    let only_old: BTreeSet<String> = [w.old_label()].into();
    assert_eq!(
        w.operator_tokens(),
        only_old,
        "{point}: operator tokens left"
    );
    w.comes_online().await;
}

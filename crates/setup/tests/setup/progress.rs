//! The progress file never turns a step that took effect into a failure: an unreadable file is
//! set aside (kept) and a new record begins, and a record that cannot be saved is a warning on a
//! step that is done.

use osmo_admin_osmo_client::CancellationToken;
use osmo_admin_setup::{Progress, StepId, StepOutcome};
use osmo_sim::Dialect;

use crate::common::{world, Log, BACKEND};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_step_that_took_effect_is_done_whatever_the_progress_file() {
    let w = world(Dialect::V6_0, "badprogress").await;
    let plan = w.plan();
    let token = plan.token.name.clone();
    let file = Progress::path(w.dir.path(), BACKEND);
    std::fs::write(&file, "{\"version\": 1, \"plan\": {\"backend_name\": \"gp").unwrap();
    let setup = w.setup(plan).await;
    let (log, cancel) = (Log::default(), CancellationToken::new());

    let run = setup
        .run_step(StepId::Token, None, &log.sink(), &cancel)
        .await
        .unwrap_or_else(|e| panic!("step 1 failed after creating the token: {e}"));
    assert!(matches!(run.outcome, StepOutcome::Done { .. }), "{run:?}");
    assert_eq!(run.warning, None);
    assert!(w.sim.tokens().iter().any(|t| t.token_name == token));
    let aside = Progress::set_aside_files(w.dir.path(), BACKEND);
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert!(std::fs::read_to_string(&aside[0].path)
        .unwrap()
        .ends_with("\"gp"));
    assert!(
        log.text().contains(&aside[0].path.display().to_string()),
        "{}",
        log.text()
    );
    let saved = Progress::load(w.dir.path(), BACKEND).unwrap().unwrap();
    assert_eq!(saved.next_step(), Some(StepId::Cluster));

    // The record cannot be written any more (its temporary file's name is taken by a folder).
    std::fs::create_dir(file.with_extension("json.tmp")).unwrap();
    let run = setup
        .run_step(StepId::Cluster, None, &log.sink(), &cancel)
        .await
        .unwrap_or_else(|e| panic!("step 2 failed after creating the namespaces: {e}"));
    assert!(matches!(run.outcome, StepOutcome::Done { .. }), "{run:?}");
    let warning = run.warning.expect("a warning that progress was not saved");
    assert!(
        warning.contains("Step 2 is done, but its progress could not be saved"),
        "{warning}"
    );
    assert!(w.secret().await.is_some(), "the Secret was written");
    assert!(log.text().contains(&warning));
}

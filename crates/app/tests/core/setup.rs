//! Setup progress is kept per service: step 1 (the token) of `gpu-east` in service A is saved as
//! A's progress only, and B's `gpu-east` has its own (its own plan, session and next step). A
//! progress file that cannot be read is set aside with a notice, and a step that took effect is
//! done even when its progress cannot be saved (step 1, which notes its token in the progress
//! before creating it, then creates nothing and fails).

use osmo_admin_app::setup::{self, SetupProgressDto, SetupStepDto};
use osmo_admin_app::AppCore;
use osmo_admin_core::{BackendRef, ErrorCode, ServiceId, BACKEND_NAME_RULE};
use osmo_admin_test_cluster::TestCluster;
use osmo_sim::{Dialect, SimConfig, Simulator};

use crate::{first_context, run_setup_step, Recorder, TestCore};

/// Runs `step` of `service`'s gpu-east with its operator namespace set to `namespace`, waits for
/// it to finish done, and returns the `setup-step-finished` payload.
async fn run_done(
    core: &AppCore,
    events: &Recorder,
    service: &ServiceId,
    context: &str,
    namespace: &str,
    step: SetupStepDto,
) -> serde_json::Value {
    let mut plan = setup::defaults(core, service, "gpu-east".into(), None)
        .unwrap()
        .plan;
    plan.operator_namespace = namespace.into();
    let finished = run_setup_step(core, events, service, context, &plan, step).await;
    assert_eq!(finished["result"]["outcome"], "done", "{finished}");
    finished
}

async fn run_token_step(
    core: &AppCore,
    events: &Recorder,
    service: &ServiceId,
    context: &str,
    namespace: &str,
) {
    run_done(
        core,
        events,
        service,
        context,
        namespace,
        SetupStepDto::Token,
    )
    .await;
}

fn progress(core: &AppCore, service: &ServiceId) -> Option<SetupProgressDto> {
    setup::progress(core, &BackendRef::new(service.clone(), "gpu-east")).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_services_same_named_backends_keep_their_own_setup_progress() {
    let cluster = TestCluster::shared().await;
    let sim_a = Simulator::start(SimConfig::new(Dialect::V6_0))
        .await
        .unwrap();
    let sim_b = Simulator::start(SimConfig::new(Dialect::V6_0))
        .await
        .unwrap();
    let t = TestCore::start_on(cluster).await;
    let a = crate::sign_in(&t.core, "east-a", &sim_a.base_url()).await;
    let b = crate::sign_in(&t.core, "east-b", &sim_b.base_url()).await;
    let context = first_context(&t.core);
    let pid = std::process::id();
    let (ns_a, ns_b) = (format!("core-setup-a-{pid}"), format!("core-setup-b-{pid}"));

    run_token_step(&t.core, &t.events, &a, &context, &ns_a).await;
    let saved_a = progress(&t.core, &a).expect("A's progress is saved");
    assert_eq!(saved_a.session.as_deref(), Some("east-a"));
    assert_eq!(saved_a.plan.operator_namespace, ns_a);
    assert_eq!(saved_a.next_step, Some(SetupStepDto::Cluster));
    assert_eq!(saved_a.finished.len(), 1, "{saved_a:?}");
    assert!(
        progress(&t.core, &b).is_none(),
        "B's gpu-east has no setup yet"
    );
    let token = "gpu-east-operator-token";
    assert!(
        sim_a.tokens().iter().any(|t| t.token_name == token),
        "A's token"
    );
    assert!(
        !sim_b.tokens().iter().any(|t| t.token_name == token),
        "not B's"
    );

    run_token_step(&t.core, &t.events, &b, &context, &ns_b).await;
    let saved_b = progress(&t.core, &b).expect("B's progress is saved");
    assert_eq!(saved_b.session.as_deref(), Some("east-b"));
    assert_eq!(saved_b.plan.operator_namespace, ns_b);
    assert_eq!(saved_b.next_step, Some(SetupStepDto::Cluster));
    let still_a = progress(&t.core, &a).unwrap();
    assert_eq!(
        still_a.plan.operator_namespace, ns_a,
        "A's progress untouched"
    );
    assert_eq!(still_a.updated_at, saved_a.updated_at);
    sim_a.shutdown().await;
    sim_b.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_progress_file_is_a_notice_and_a_step_that_took_effect_is_done() {
    let cluster = TestCluster::shared().await;
    let sim = Simulator::start(SimConfig::new(Dialect::V6_0))
        .await
        .unwrap();
    let t = TestCore::start_on(cluster).await;
    let service = crate::sign_in(&t.core, "east-c", &sim.base_url()).await;
    let context = first_context(&t.core);
    let namespace = format!("core-setup-c-{}", std::process::id());
    let dir = t.dir.path().join("data").join("setup").join("east-c");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("gpu-east.json");
    std::fs::write(&file, "{\"version\": 1, \"plan\": ").unwrap();

    let shown = progress(&t.core, &service).expect("a notice, not an error or nothing");
    let notice = shown.set_aside.as_ref().expect("the notice");
    assert!(notice.message.contains(&notice.file), "{notice:?}");
    assert!(
        notice.reason.contains("not a setup progress file"),
        "{notice:?}"
    );
    assert_eq!(
        std::fs::read_to_string(&notice.file).unwrap(),
        "{\"version\": 1, \"plan\": "
    );
    assert!(!file.exists());
    assert!(shown.finished.is_empty());
    assert_eq!(shown.next_step, Some(SetupStepDto::Token));
    assert_eq!(shown.plan.backend_name, "gpu-east");

    // Saving the progress fails (its temporary file's name is taken by a folder). Step 1 saves
    // its token's name before creating it (so a run stopped before step 2 can be cleaned up):
    // it fails, having created nothing.
    let blocker = dir.join("gpu-east.json.tmp");
    std::fs::create_dir(&blocker).unwrap();
    let mut plan = setup::defaults(&t.core, &service, "gpu-east".into(), None)
        .unwrap()
        .plan;
    plan.operator_namespace = namespace.clone();
    let refused = run_setup_step(
        &t.core,
        &t.events,
        &service,
        &context,
        &plan,
        SetupStepDto::Token,
    )
    .await;
    assert_eq!(refused["result"]["outcome"], "failed", "{refused}");
    assert_eq!(refused["result"]["error"]["code"], "io", "{refused}");
    let message = refused["result"]["error"]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(message.contains("nothing was created"), "{message}");
    let token = "gpu-east-operator-token";
    assert!(!sim.tokens().iter().any(|t| t.token_name == token));
    assert!(
        progress(&t.core, &service).unwrap().set_aside.is_some(),
        "nothing saved since"
    );

    std::fs::remove_dir(&blocker).unwrap();
    run_token_step(&t.core, &t.events, &service, &context, &namespace).await;
    assert!(sim.tokens().iter().any(|t| t.token_name == token));

    // Step 2 writes the Secret, then cannot save its progress: it is done, with a warning.
    std::fs::create_dir(&blocker).unwrap();
    let finished = run_done(
        &t.core,
        &t.events,
        &service,
        &context,
        &namespace,
        SetupStepDto::Cluster,
    )
    .await;
    let warning = finished["result"]["warning"].as_str().unwrap_or_default();
    assert!(warning.contains("could not be saved"), "{finished}");
    std::fs::remove_dir(&blocker).unwrap();
    let saved = progress(&t.core, &service).unwrap();
    assert!(saved.set_aside.is_none(), "saved since: {saved:?}");
    assert_eq!(saved.finished.len(), 1, "{saved:?}");
    sim.shutdown().await;
}

/// A second backend on a cluster never reuses the first one's operator namespace (its token
/// Secret and release) or workflow namespace: the defaults avoid them, and a plan naming them is
/// refused with the other backend named, before anything is contacted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_backend_on_a_cluster_does_not_take_over_the_first_ones_namespaces() {
    let cluster = TestCluster::shared().await;
    let sim = Simulator::start(SimConfig::new(Dialect::V6_0))
        .await
        .unwrap();
    let t = TestCore::start_on(cluster).await;
    let core = &t.core;
    let service = crate::sign_in(core, "lab", &sim.base_url()).await;
    let context = first_context(core);
    osmo_admin_app::contexts::link_backend(
        core,
        BackendRef::new(service.clone(), "gpu-east"),
        context.clone(),
        Some("osmo-operator".into()),
    )
    .unwrap();

    let fresh = setup::defaults(core, &service, "gpu-new".into(), Some(context.clone()))
        .unwrap()
        .plan;
    assert_eq!(fresh.operator_namespace, "gpu-new-operator");
    assert_eq!(fresh.workflow_namespace, "gpu-new-workflows");
    let elsewhere = setup::defaults(core, &service, "gpu-new".into(), Some("other".into()))
        .unwrap()
        .plan;
    assert_eq!(elsewhere.operator_namespace, "osmo-operator");

    let mut reuse = fresh.clone();
    reuse.operator_namespace = "osmo-operator".into();
    let answer = setup::check(core, reuse, service.clone(), context.clone(), None)
        .await
        .unwrap();
    let setup::CheckSetupDto::Invalid { errors } = answer else {
        panic!("a plan reusing gpu-east's namespace was checked: {answer:?}")
    };
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].field, "operatorNamespace");
    assert!(
        errors[0].message.contains("backend gpu-east (lab)"),
        "{errors:?}"
    );
}

/// A backend name that breaks the rule is refused by the defaults, naming the field, the rule and
/// what to do, before any namespace or token name is derived from it; a valid name still gets them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_defaults_refuse_a_backend_name_that_breaks_the_rule_before_deriving_anything() {
    let sim = Simulator::start(SimConfig::new(Dialect::V6_0))
        .await
        .unwrap();
    let t = TestCore::start().await;
    let service = crate::sign_in(&t.core, "lab", &sim.base_url()).await;

    for bad in ["../bad name", "", "  ", "1gpu", "gpu-"] {
        let err =
            setup::defaults(&t.core, &service, bad.into(), Some("team-a".into())).expect_err(bad);
        assert_eq!(err.code, ErrorCode::InvalidInput, "{bad:?}: {err:?}");
        assert!(err.message.starts_with("Backend name"), "{err:?}");
        assert!(err.message.contains(BACKEND_NAME_RULE), "{err:?}");
        assert!(err.message.contains("Change the backend name"), "{err:?}");
    }

    let good = setup::defaults(&t.core, &service, " gpu-new ".into(), None)
        .unwrap()
        .plan;
    assert_eq!(good.backend_name, "gpu-new");
    assert_eq!(good.token_name, "gpu-new-operator-token");
    sim.shutdown().await;
}

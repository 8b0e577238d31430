//! Setup progress is kept per service: step 1 (the token) of `gpu-east` in service A is saved as
//! A's progress only, and B's `gpu-east` has its own (its own plan, session and next step).

use osmo_admin_app::setup::{self, SetupProgressDto, SetupStepDto};
use osmo_admin_app::AppCore;
use osmo_admin_core::{BackendRef, ServiceId};
use osmo_admin_test_cluster::TestCluster;
use osmo_sim::{Dialect, SimConfig, Simulator};

use crate::{first_context, run_setup_step, Recorder, TestCore};

/// Runs step 1 of `service`'s gpu-east with its operator namespace set to `namespace`, and waits
/// for it to finish done.
async fn run_token_step(
    core: &AppCore,
    events: &Recorder,
    service: &ServiceId,
    context: &str,
    namespace: &str,
) {
    let mut plan = setup::defaults(core, service, "gpu-east".into(), None)
        .unwrap()
        .plan;
    plan.operator_namespace = namespace.into();
    let finished = run_setup_step(core, events, service, context, &plan, SetupStepDto::Token).await;
    assert_eq!(finished["result"]["outcome"], "done", "{finished}");
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

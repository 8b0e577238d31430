//! The Setup screen's journey in the sandbox with no helm installed: on the context the sandbox
//! lends, step 3 runs the sandbox's simulated helm (inside the app), says so in its title, log and
//! outcome, and the chart's objects are really created in the sandbox cluster.

use k8s_openapi::api::apps::v1::Deployment;
use osmo_admin_app::setup::{self, CheckSetupDto, SetupStepDto};
use osmo_admin_core::ServiceId;
use osmo_admin_sandbox::{SANDBOX_CONTEXT, SIMULATED_NOTE};

use crate::{run_setup_step, TestCore};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_the_sandbox_step_3_installs_the_chart_with_the_sandboxs_simulated_helm() {
    // This machine has no helm (and the plan keeps the default `helm`): only the sandbox's
    // installer can do step 3 here.
    let t = TestCore::start().await;
    let core = &t.core;
    let view = crate::sandbox::start_with_cluster(core).await;
    let kubeconfig = view
        .cluster_kubeconfig
        .clone()
        .expect("the sandbox cluster runs (tests/cluster/build.sh builds it)");
    let service = ServiceId::new("sandbox-6.0");
    let plan = setup::defaults(
        core,
        &service,
        "gpu-new".into(),
        Some(SANDBOX_CONTEXT.into()),
    )
    .unwrap()
    .plan;
    assert_eq!(plan.helm_path, "helm");

    let checked = setup::check(
        core,
        plan.clone(),
        service.clone(),
        SANDBOX_CONTEXT.into(),
        None,
    )
    .await
    .unwrap();
    let CheckSetupDto::Checked { steps, .. } = checked else {
        panic!("{checked:?}")
    };
    assert_eq!(
        steps[2].title,
        "Install the backend operator with helm (simulated by the sandbox)"
    );

    for step in [SetupStepDto::Token, SetupStepDto::Cluster] {
        let end = run_setup_step(core, &t.events, &service, SANDBOX_CONTEXT, &plan, step).await;
        assert_eq!(end["result"]["outcome"], "done", "{end}");
    }
    let operator = SetupStepDto::Operator;
    let end = run_setup_step(core, &t.events, &service, SANDBOX_CONTEXT, &plan, operator).await;
    let log: Vec<String> = t
        .events
        .payloads("setup-log")
        .into_iter()
        .filter(|l| l["step"] == "operator")
        .map(|l| format!("{} {}", l["stream"], l["text"].as_str().unwrap_or_default()))
        .collect();
    assert_eq!(end["result"]["outcome"], "done", "{end}\n{log:#?}");
    let what = end["result"]["what"].as_str().unwrap();
    assert!(
        what.starts_with(
            "Simulated by the sandbox: installed osmo-operator (chart osmo/backend-operator"
        ),
        "{what}"
    );
    assert_eq!(log[1], format!("\"info\" {SIMULATED_NOTE}"), "{log:#?}");
    assert!(
        log.iter()
            .any(|l| l.starts_with("\"command\" helm upgrade --install osmo-operator")),
        "{log:#?}"
    );
    assert!(
        log.iter().any(|l| l == "\"stdout\" STATUS: deployed"),
        "{log:#?}"
    );

    // The chart's listener Deployment is in the sandbox cluster, in the plan's namespace.
    let config = kube::Config::from_custom_kubeconfig(
        kube::config::Kubeconfig::read_from(&kubeconfig).unwrap(),
        &kube::config::KubeConfigOptions::default(),
    )
    .await
    .unwrap();
    let deployments: kube::Api<Deployment> = kube::Api::namespaced(
        kube::Client::try_from(config).unwrap(),
        &plan.operator_namespace,
    );
    let listener = deployments
        .get("osmo-operator-osmo-backend-listener")
        .await
        .expect("the chart's listener Deployment");
    let args = listener.spec.unwrap().template.spec.unwrap().containers[0]
        .args
        .clone()
        .unwrap();
    assert!(
        args.windows(2).any(|w| w == ["--backend", "gpu-new"]),
        "{args:?}"
    );
    osmo_admin_app::sandbox::stop(core).await;
}

//! Stops without damage: helm missing, helm failing, a context that may not create namespaces.

use k8s_openapi::api::apps::v1::Deployment;
use kube::api::PostParams;
use kube::Api;
use osmo_admin_diagnostics::CheckKind;
use osmo_admin_operator_sim::{listener_deployment, SecretRef};
use osmo_admin_osmo_client::CancellationToken;
use osmo_admin_setup::installer::HELM_INSTALL_URL;
use osmo_admin_setup::{SetupError, StepId, StepOutcome};
use osmo_sim::Dialect;

use crate::common::{cluster, world, Log};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_helm_the_values_file_and_the_exact_commands_are_offered() {
    let w = world(Dialect::V6_4, "nohelm").await;
    let mut plan = w.plan();
    plan.helm.helm_path = w.dir.path().join("no-such-dir/helm");
    let setup = w.setup(plan).await;
    let log = Log::default();
    let outcomes = setup
        .run_all(None, &log.sink(), &CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(outcomes.len(), 3, "{outcomes:?}");
    let (step, outcome) = outcomes.last().unwrap();
    assert_eq!(*step, StepId::Operator);
    let StepOutcome::HelmMissing {
        commands,
        values_file,
        reason,
        ..
    } = outcome
    else {
        panic!("{outcome:?}");
    };
    assert!(reason.starts_with("helm is not installed at "), "{reason}");
    // Said once: the reason with how to install helm is the outcome's, not repeated in the log.
    let text = format!("{}\n{reason}", log.text());
    assert_eq!(text.matches(HELM_INSTALL_URL).count(), 1, "{text}");
    assert_eq!(text.matches("not installed").count(), 1, "{text}");
    let values = std::fs::read_to_string(values_file).unwrap();
    assert!(values.contains("backendName: gpu"), "{values}");
    let file = values_file.display().to_string();
    assert_eq!(
        commands[0],
        "helm repo add osmo https://helm.ngc.nvidia.com/nvidia/osmo"
    );
    assert_eq!(commands[1], "helm repo update");
    assert!(
        commands[2].starts_with(&format!(
            "helm upgrade --install nohelm osmo/backend-operator -f {file} --version 1.4.0 --namespace nohelm-op"
        )),
        "{commands:?}"
    );
    let deployments: Api<Deployment> = Api::namespaced(w.client.clone(), "nohelm-op");
    assert!(deployments
        .list(&Default::default())
        .await
        .unwrap()
        .items
        .is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn helm_failing_stops_the_step_with_its_output_in_the_log() {
    let w = world(Dialect::V6_0, "helmfail").await;
    let mut plan = w.plan();
    // The release name the operator simulator's Deployment matches; it is not helm's, so the
    // stand-in refuses to take it over and exits non-zero.
    plan.helm.release = "osmo-operator".into();
    let setup = w.setup(plan).await;
    let (log, cancel) = (Log::default(), CancellationToken::new());
    for step in [StepId::Token, StepId::Cluster] {
        setup.run(step, None, &log.sink(), &cancel).await.unwrap();
    }
    let foreign = listener_deployment(
        &SecretRef {
            namespace: w.operator_ns(),
            ..SecretRef::default()
        },
        "backend-listener:6.0.0",
    );
    let api: Api<Deployment> = Api::namespaced(w.client.clone(), &w.operator_ns());
    api.create(&PostParams::default(), &foreign).await.unwrap();

    let err = setup
        .run(StepId::Operator, None, &log.sink(), &cancel)
        .await
        .unwrap_err();
    let SetupError::HelmFailed {
        command,
        status,
        output,
    } = &err
    else {
        panic!("{err:?}");
    };
    assert!(
        command.starts_with("helm upgrade --install osmo-operator"),
        "{command}"
    );
    assert_eq!(status, "exit status 1");
    assert!(
        output.contains("exists and cannot be imported into the current release"),
        "{output}"
    );
    let text = log.text();
    assert!(
        text.contains("Stderr Error: rendered manifests contain a resource that already exists"),
        "{text}"
    );
    let progress = setup.progress().unwrap();
    assert!(!progress.is_finished(StepId::Operator));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_context_that_may_not_create_namespaces_is_stopped_before_anything_changes() {
    let w = world(Dialect::V6_4, "noperm").await;
    let cluster = cluster().await;
    let user = cluster.add_user("setup-editor").await.unwrap();
    cluster
        .bind_cluster_role(&user, "edit", None)
        .await
        .unwrap();
    let setup = w.setup_as(w.plan(), user.kubeconfig_path()).await;

    let preflight = setup.preflight().await.unwrap();
    assert_eq!(
        preflight.missing,
        vec!["cannot create namespaces".to_owned()],
        "{preflight:?}"
    );
    let log = Log::default();
    let err = setup
        .run_all(None, &log.sink(), &CancellationToken::new())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, SetupError::PermissionsMissing { missing } if missing == &preflight.missing),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("cannot create namespaces"),
        "{err}"
    );
    assert!(!w.namespace_exists("noperm-op").await);
    assert!(!w.namespace_exists("noperm-wf").await);
    assert!(
        w.sim.tokens().len() == 1,
        "a token was created: {:?}",
        w.sim.tokens()
    );
    assert!(log.lines().is_empty(), "{}", log.text());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backend_that_never_connects_gets_the_offline_checks_verdict() {
    // No operator follows the Deployment: the backend never appears.
    let w = world(Dialect::V6_0, "offline").await;
    let mut plan = w.plan();
    plan.online_timeout = std::time::Duration::from_secs(2);
    let setup = w.setup(plan).await;
    let log = Log::default();
    let outcomes = setup
        .run_all(None, &log.sink(), &CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(outcomes.len(), 4, "{outcomes:?}");
    let (step, outcome) = outcomes.last().unwrap();
    assert_eq!(*step, StepId::Scheduler);
    let StepOutcome::NotOnline {
        waited_seconds,
        diagnosis,
    } = outcome
    else {
        panic!("{outcome:?}");
    };
    assert!(*waited_seconds >= 2);
    let first = &diagnosis.checks[diagnosis.first_failure.expect("a failing check")];
    assert_eq!(first.kind, CheckKind::BackendKnown, "{diagnosis:?}");
    assert!(log.text().contains(&diagnosis.summary), "{}", log.text());
    assert!(!setup.progress().unwrap().is_finished(StepId::Scheduler));
}

//! Step 3 through a chart installer the caller supplies: the helm stand-in run in this process
//! (as the sandbox runs it in the app), with no helm to start. The step's title, first log line
//! and outcome say that helm was simulated; the chart's objects are really in the cluster.

use std::ffi::OsString;
use std::sync::Arc;

use async_trait::async_trait;
use k8s_openapi::api::apps::v1::Deployment;
use kube::Api;
use osmo_admin_osmo_client::CancellationToken;
use osmo_admin_setup::steps::operator::listener_name;
use osmo_admin_setup::{ChartInstaller, InstallerError, Simulation, StepId, StepOutcome, Stream};
use osmo_admin_test_cluster::helm_standin::{self, Environment};
use osmo_sim::Dialect;

use crate::common::{world, Log};

const NOTE: &str = "The tests simulate helm: nothing is downloaded.";

/// The stand-in in this process, with the helm configuration of a `HelmSandbox`.
#[derive(Debug)]
struct InProcess {
    env: Environment,
}

#[async_trait]
impl ChartInstaller for InProcess {
    fn simulation(&self) -> Option<Simulation> {
        Some(Simulation {
            by: "the tests".into(),
            note: NOTE.into(),
        })
    }

    async fn run(
        &self,
        args: &[String],
        log: &mut (dyn FnMut(Stream, String) + Send),
    ) -> Result<(), InstallerError> {
        let mut lines = |stream, line| match stream {
            helm_standin::Stream::Stdout => log(Stream::Stdout, line),
            helm_standin::Stream::Stderr => log(Stream::Stderr, line),
        };
        match helm_standin::run_to_exit(args, &self.env, &mut lines).await {
            0 => Ok(()),
            code => Err(InstallerError::Failed {
                status: format!("exit status {code}"),
            }),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supplied_installer_runs_step_3_without_helm_and_says_it_is_simulated() {
    let w = world(Dialect::V6_0, "simhelm").await;
    let mut plan = w.plan();
    // No helm to start: only the supplied installer can do step 3.
    plan.helm.helm_path = w.dir.path().join("no-such-dir/helm");
    let env = w
        .helm
        .envs()
        .into_iter()
        .filter(|(k, _)| k != "PATH")
        .chain([("KUBECONFIG".to_owned(), OsString::from(&w.kubeconfig))]);
    plan.helm.installer = Some(Arc::new(InProcess {
        env: Environment::new(env, w.dir.path()),
    }));
    let setup = w.setup(plan).await;
    assert_eq!(
        setup.step_title(StepId::Operator),
        "Install the backend operator with helm (simulated by the tests)"
    );
    let cancel = CancellationToken::new();
    let state = setup.check(StepId::Operator, &cancel).await.unwrap();
    assert!(
        format!("{state:?}").contains("install the operator with helm simulated by the tests"),
        "{state:?}"
    );
    let log = Log::default();
    for step in [StepId::Token, StepId::Cluster] {
        let outcome = setup.run(step, None, &log.sink(), &cancel).await.unwrap();
        assert!(outcome.is_done(), "{step:?}: {outcome:?}\n{}", log.text());
    }
    let step3 = Log::default();
    let outcome = setup
        .run(StepId::Operator, None, &step3.sink(), &cancel)
        .await
        .unwrap();
    let text = step3.text();
    let StepOutcome::Done { what } = &outcome else {
        panic!("{outcome:?}\n{text}");
    };
    assert!(
        what.starts_with("Simulated by the tests: installed simhelm (chart osmo/backend-operator 1.4.0) in simhelm-op"),
        "{what}"
    );
    let lines = step3.lines();
    assert_eq!(
        lines[0].text,
        "Step 3: Install the backend operator with helm (simulated by the tests)"
    );
    assert_eq!(
        (lines[1].stream, lines[1].text.as_str()),
        (Stream::Info, NOTE)
    );
    assert_eq!(step3.helm_runs(), 3, "{text}");
    assert!(
        text.contains("Command helm upgrade --install simhelm"),
        "{text}"
    );
    assert!(text.contains("Stdout STATUS: deployed"), "{text}");

    let deployments: Api<Deployment> = Api::namespaced(w.client.clone(), "simhelm-op");
    let listener = deployments
        .get(&listener_name("simhelm"))
        .await
        .expect("the chart's listener Deployment is in the cluster");
    let args = listener.spec.unwrap().template.spec.unwrap().containers[0]
        .args
        .clone()
        .unwrap();
    assert!(
        args.windows(2).any(|w| w == ["--backend", "gpu"]),
        "{args:?}"
    );
    assert!(setup
        .check(StepId::Operator, &cancel)
        .await
        .unwrap()
        .is_done());
}

//! The setup's kill cases: each of the five steps, at its start and just after its effect, in
//! both dialects. The child runs the steps one after the other as "Run all" does (step 3 with the
//! helm stand-in, a simulated operator following the chart's listener Deployment); after the kill
//! the app is started again on the same folder.
//!
//! The test reads the cluster and the service itself ([`Facts`]) and checks, in order: that the
//! kill happened where the case says (the steps before show their effect, this one only after its
//! effect); that the saved progress lists exactly the steps recorded before the kill and restores
//! the plan; that every step's check says what the test read (never done for a step whose effect
//! is not there, never not done for one whose effect is; a token created by the killed run and
//! never written is named as that); then that running the remaining steps from the first one not
//! done reaches online with the Secret holding a token the service accepts, exactly one operator
//! token in OSMO, and the killed run's lost token value working no more.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Namespace;
use kube::Api;
use osmo_admin_app::setup::{
    self, CheckSetupDto, SetupPlanDto, SetupProgressDto, SetupStepDto, SetupStepStatusDto,
    SetupStepView,
};
use osmo_admin_app::AppCore;
use osmo_admin_core::kill_point::{self, When};
use osmo_admin_core::{AppPaths, BackendRef, ServiceId};
use osmo_admin_operator_sim::{ClusterOperator, ClusterOperatorConfig, SecretRef};
use osmo_admin_setup::plan::DEFAULT_SERVICE_ACCOUNT;
use osmo_admin_setup::steps::operator::listener_name;
use osmo_admin_setup::{Progress, StepId};
use osmo_admin_test_cluster::{HelmSandbox, TestCluster};
use osmo_sim::{Dialect, OperatorConfig, SimConfig, SimHandle, Simulator};
use serde_json::Value;

use crate::child::{Job, SetupJob, Work, SERVICE, USER};
use crate::process::run_until_killed;
use crate::support::{cluster_env, first_context, open, run_setup_step, Recorder};
use crate::world::{accepts, case_code, read_secret, token_label, SecretNow, BACKEND};

#[derive(Debug, Clone, Copy)]
pub struct Case {
    pub dialect: Dialect,
    pub step: StepId,
    pub when: When,
}

/// 5 steps × {start, after effect} × {6.0, 6.4}.
pub fn cases() -> Vec<Case> {
    let mut all = Vec::new();
    for dialect in [Dialect::V6_0, Dialect::V6_4] {
        for step in StepId::ALL {
            for when in [When::Start, When::AfterEffect] {
                all.push(Case {
                    dialect,
                    step,
                    when,
                });
            }
        }
    }
    all
}

impl Case {
    pub fn point(&self) -> String {
        kill_point::name("setup", &self.step, self.when)
    }

    pub fn name(&self) -> String {
        format!("{} {:?}", self.point(), self.dialect)
    }

    /// The start of this case's namespaces on the shared API server.
    fn namespaces(&self) -> String {
        format!(
            "kill-set-{}{}-{}",
            case_code(self.dialect, self.when),
            self.step.number(),
            std::process::id()
        )
    }
}

/// The form as the user fills it for this case: the defaults, the case's namespaces, the helm
/// stand-in and a release of its own, a minute to come online.
pub fn plan(
    core: &AppCore,
    service: &ServiceId,
    context: &str,
    job: &Job,
    setup_job: &SetupJob,
) -> SetupPlanDto {
    let mut plan = setup::defaults(core, service, BACKEND.into(), Some(context.into()))
        .unwrap()
        .plan;
    plan.operator_namespace = job.namespace.clone();
    plan.workflow_namespace = setup_job.workflow_namespace.clone();
    plan.release = setup_job.release.clone();
    plan.helm_path = setup_job.helm_path.clone();
    plan.online_timeout_secs = 60;
    plan
}

/// Runs `steps` in order through the core, as "Run all" does, until one does not end done (a
/// warning, such as "the scheduler is not installed", does not stop it). The end of each.
pub async fn run_steps(
    core: &AppCore,
    events: &Recorder,
    service: &ServiceId,
    context: &str,
    plan: &SetupPlanDto,
    steps: &[StepId],
) -> Vec<(StepId, Value)> {
    let mut ends = Vec::new();
    for &step in steps {
        let end = run_setup_step(core, events, service, context, plan, step.into()).await;
        let done = matches!(
            end["result"]["outcome"].as_str(),
            Some("done" | "already_done")
        );
        ends.push((step, end));
        if !done {
            break;
        }
    }
    ends
}

/// A case's world: osmo-sim without the backend (its operator's first connection creates it),
/// the helm stand-in, and a simulated operator following the chart's listener Deployment and the
/// token Secret in the case's operator namespace.
struct World {
    sim: SimHandle,
    client: kube::Client,
    operator_namespace: String,
    workflow_namespace: String,
    release: String,
    helm: HelmSandbox,
    _operator: ClusterOperator,
}

impl World {
    async fn new(dialect: Dialect, namespaces: &str) -> Self {
        let sim = Simulator::start(SimConfig::new(dialect)).await.unwrap();
        let client = TestCluster::shared().await.client().await.unwrap();
        let operator_namespace = format!("{namespaces}-op");
        let unused: osmo_sim::TokenSource = Arc::new(|| Err("read from the Secret".into()));
        let mut operator = OperatorConfig::new(sim.base_url(), sim.dialect(), BACKEND, unused);
        operator.heartbeat_interval = Duration::from_millis(200);
        operator.retry_interval = Duration::from_millis(200);
        let operator = ClusterOperator::start(ClusterOperatorConfig {
            secret: SecretRef {
                namespace: operator_namespace.clone(),
                ..SecretRef::default()
            },
            deployment: listener_name(namespaces),
            poll_interval: Duration::from_millis(100),
            ..ClusterOperatorConfig::new(client.clone(), operator)
        });
        Self {
            sim,
            client,
            operator_namespace,
            workflow_namespace: format!("{namespaces}-wf"),
            release: namespaces.into(),
            helm: HelmSandbox::new().unwrap(),
            _operator: operator,
        }
    }

    /// Step 1's token as the app names it, and its owner.
    fn token(&self, plan: &SetupPlanDto) -> (String, String) {
        let owner = match self.sim.dialect() {
            Dialect::V6_0 => plan.token_name.clone(),
            _ => plan
                .token_owner
                .clone()
                .unwrap_or_else(|| DEFAULT_SERVICE_ACCOUNT.into()),
        };
        (token_label(&owner, &plan.token_name), owner)
    }
}

/// The cluster and the service as the test reads them.
#[derive(Debug, Clone)]
struct Facts {
    /// The hash of step 1's token's value, when that token exists in OSMO.
    token: Option<[u8; 32]>,
    /// The operator tokens (role `osmo-backend`) in OSMO, as the app names them.
    operator_tokens: BTreeSet<String>,
    operator_namespace: bool,
    workflow_namespace: bool,
    secret: Option<SecretNow>,
    /// The service accepts the Secret's token.
    secret_accepted: bool,
    /// The chart's listener Deployment exists.
    installed: bool,
    /// The backend exists and uses the KAI scheduler (step 4's form). At 6.2+ a new backend
    /// does from the start, so this is step 4's effect at 6.0/6.1 only.
    scheduler_saved: bool,
    online: bool,
}

impl Facts {
    async fn read(w: &World, plan: &SetupPlanDto) -> Self {
        let (_, owner) = w.token(plan);
        let tokens = w.sim.tokens();
        let token = tokens
            .iter()
            .find(|t| t.token_name == plan.token_name && t.user_name == owner)
            .map(|t| t.value_sha256);
        let operator_tokens = tokens
            .iter()
            .filter(|t| t.roles.iter().any(|r| r == "osmo-backend"))
            .map(|t| token_label(&t.user_name, &t.token_name))
            .collect();
        let namespaces: Api<Namespace> = Api::all(w.client.clone());
        let exists = |ns: String| {
            let api = namespaces.clone();
            async move { api.get_opt(&ns).await.unwrap().is_some() }
        };
        let secret = read_secret(&w.client, &w.operator_namespace).await;
        let secret_accepted = match &secret {
            Some(s) => accepts(&w.sim, &s.token).await.is_ok(),
            None => false,
        };
        let deployments: Api<Deployment> = Api::namespaced(w.client.clone(), &w.operator_namespace);
        Self {
            token,
            operator_tokens,
            operator_namespace: exists(w.operator_namespace.clone()).await,
            workflow_namespace: exists(w.workflow_namespace.clone()).await,
            secret,
            secret_accepted,
            installed: deployments
                .get_opt(&listener_name(&plan.release))
                .await
                .unwrap()
                .is_some(),
            scheduler_saved: w
                .sim
                .backend(BACKEND)
                .is_some_and(|b| b.json["scheduler_settings"]["scheduler_type"] == "kai"),
            online: w.sim.backend(BACKEND).is_some_and(|b| b.online),
        }
    }

    /// Whether `step`'s effect is there.
    fn effect(&self, step: StepId) -> bool {
        match step {
            StepId::Token => self.token.is_some(),
            StepId::Cluster => {
                self.operator_namespace && self.workflow_namespace && self.secret_accepted
            }
            StepId::Operator => self.installed,
            StepId::Scheduler => self.scheduler_saved,
            StepId::Online => self.online,
        }
    }
}

pub async fn run(case: Case) {
    let point = case.point();
    let cluster = TestCluster::shared().await;
    let w = World::new(case.dialect, &case.namespaces()).await;
    let dir = tempfile::tempdir().unwrap();
    let job = Job {
        work: Work::Setup(SetupJob {
            workflow_namespace: w.workflow_namespace.clone(),
            release: w.release.clone(),
            helm_path: w.helm.helm_path().display().to_string(),
            helm_env: w
                .helm
                .envs()
                .into_iter()
                .map(|(k, v)| (k, v.to_string_lossy().into_owned()))
                .collect(),
        }),
        dir: dir.path().to_owned(),
        kubeconfig: cluster.kubeconfig_path().to_owned(),
        sim_url: w.sim.base_url(),
        v6_2: case.dialect != Dialect::V6_0,
        namespace: w.operator_namespace.clone(),
    };
    let Work::Setup(setup_job) = &job.work else {
        unreachable!()
    };
    run_until_killed(&job, &point).await;

    // The app starts again on the same folder.
    let (core, events) = open(dir.path(), cluster_env(cluster)).await;
    let service = ServiceId::new(SERVICE);
    osmo_admin_app::sessions::sign_in_development(&core, service.clone(), USER.into(), None)
        .await
        .unwrap();
    let context = first_context(&core);
    let plan = plan(&core, &service, &context, &job, setup_job);
    let before = Facts::read(&w, &plan).await;
    killed_where_said(&case, &before, &point);

    let saved = setup::progress(&core, &BackendRef::new(service.clone(), BACKEND)).unwrap();
    progress_follows(&case, saved.as_ref(), &plan, &context, &point);
    let checked = setup::check(&core, plan.clone(), service.clone(), context.clone(), None)
        .await
        .unwrap();
    let CheckSetupDto::Checked { steps, .. } = checked else {
        panic!("{point}: {checked:?}")
    };
    // The operator may come online while the app checks: what the service says after the check.
    let online_after = w.sim.backend(BACKEND).is_some_and(|b| b.online);
    // Likewise the backend may appear in the service (at 6.2+ already using KAI) while the app
    // checks, once its operator is installed and connects.
    let scheduler_after = w
        .sim
        .backend(BACKEND)
        .is_some_and(|b| b.json["scheduler_settings"]["scheduler_type"] == "kai");
    let seen = Facts {
        scheduler_saved: before.scheduler_saved || scheduler_after,
        ..before.clone()
    };
    checks_follow_the_truth(&steps, &seen, online_after, &point);

    // "Run all": from the first step not done to the end.
    let first = steps
        .iter()
        .position(|s| s.status != SetupStepStatusDto::Done)
        .unwrap_or(StepId::ALL.len());
    let ends = run_steps(
        &core,
        &events,
        &service,
        &context,
        &plan,
        &StepId::ALL[first..],
    )
    .await;
    let reached_online = match ends.last() {
        Some((StepId::Online, end)) => {
            matches!(
                end["result"]["outcome"].as_str(),
                Some("done" | "already_done")
            )
        }
        None => before.online,
        Some(_) => false,
    };
    assert!(
        reached_online,
        "{point}: running the remaining steps did not reach online: {ends:#?}"
    );
    finished(&w, &plan, &before, dir.path(), &point).await;
    drop(core);
    w.sim.shutdown().await;
}

/// The steps before the kill point show their effect; the killed step only after its effect;
/// the steps after it none (except online, which the operator reaches once installed, and the
/// scheduler at 6.2+, whose new backends use KAI from the start).
fn killed_where_said(case: &Case, f: &Facts, point: &str) {
    use std::cmp::Ordering::{Equal, Greater, Less};
    let after = case.when == When::AfterEffect;
    for step in StepId::ALL {
        let expected = match (step.cmp(&case.step), step) {
            (Less, _) => Some(true),
            (Equal, StepId::Online) => after.then_some(true),
            (Greater, StepId::Online) => None,
            (Equal, StepId::Scheduler) if case.dialect != Dialect::V6_0 => after.then_some(true),
            (Greater, StepId::Scheduler) if case.dialect != Dialect::V6_0 => None,
            (Equal, _) => Some(after),
            (Greater, _) => Some(false),
        };
        if let Some(expected) = expected {
            assert_eq!(
                f.effect(step),
                expected,
                "{point}: the effect of step {step:?} is there: {f:#?}"
            );
        }
    }
}

/// The saved progress lists exactly the steps recorded before the kill (the killed one never,
/// even after its effect) and restores the plan, session and context.
fn progress_follows(
    case: &Case,
    saved: Option<&SetupProgressDto>,
    plan: &SetupPlanDto,
    context: &str,
    point: &str,
) {
    let before: Vec<SetupStepDto> = StepId::ALL
        .into_iter()
        .filter(|s| *s < case.step)
        .map(Into::into)
        .collect();
    let Some(saved) = saved else {
        // Nothing is saved before step 1 sends its token.
        assert!(
            case.step == StepId::Token && case.when == When::Start,
            "{point}: no progress saved"
        );
        return;
    };
    let finished: Vec<SetupStepDto> = saved.finished.iter().map(|f| f.step).collect();
    assert_eq!(finished, before, "{point}: the steps recorded: {saved:#?}");
    assert_eq!(saved.next_step, Some(case.step.into()), "{point}");
    assert_eq!(&saved.plan, plan, "{point}: the plan restored");
    assert_eq!(saved.session.as_deref(), Some(SERVICE), "{point}");
    assert_eq!(saved.context.as_deref(), Some(context), "{point}");
    assert!(saved.set_aside.is_none(), "{point}: {saved:#?}");
}

/// Each step's check says what the test read.
fn checks_follow_the_truth(steps: &[SetupStepView], f: &Facts, online_after: bool, point: &str) {
    use SetupStepStatusDto::{Done, NotDone, Partial};
    let view = |step: StepId| {
        steps
            .iter()
            .find(|s| s.step == step.into())
            .unwrap_or_else(|| panic!("{point}: no step {step:?}: {steps:#?}"))
    };
    let token = view(StepId::Token);
    let expected = if f.secret_accepted {
        Done
    } else if f.token.is_some() {
        // Created by the killed run, its value lost with it.
        Partial
    } else {
        NotDone
    };
    assert_eq!(
        token.status, expected,
        "{point}: step 1: {token:#?}\n{f:#?}"
    );
    if expected == Partial {
        let done = token.done.as_deref().unwrap_or_default();
        assert!(
            done.contains("created by an earlier run of this setup")
                && done.contains("its value was lost"),
            "{point}: {done}"
        );
    }
    let cluster = view(StepId::Cluster);
    let expected = match (f.operator_namespace, f.workflow_namespace, &f.secret) {
        (true, true, Some(_)) => Done,
        (false, false, None) => NotDone,
        _ => Partial,
    };
    assert_eq!(
        cluster.status, expected,
        "{point}: step 2: {cluster:#?}\n{f:#?}"
    );
    let operator = view(StepId::Operator);
    let expected = if f.installed { Done } else { NotDone };
    assert_eq!(
        operator.status, expected,
        "{point}: step 3: {operator:#?}\n{f:#?}"
    );
    let scheduler = view(StepId::Scheduler);
    if f.scheduler_saved {
        // Partial: saved, but the test cluster has no KAI scheduler.
        assert!(
            matches!(scheduler.status, Done | Partial),
            "{point}: step 4: {scheduler:#?}"
        );
        let done = scheduler.done.as_deref().unwrap_or_default();
        assert!(done.contains("uses scheduler"), "{point}: {done}");
    } else {
        assert_eq!(scheduler.status, NotDone, "{point}: step 4: {scheduler:#?}");
    }
    let online = view(StepId::Online);
    let fits = match online.status {
        Done => online_after,
        NotDone => !f.online,
        _ => false,
    };
    assert!(
        fits,
        "{point}: step 5 (online after the check: {online_after}): {online:#?}\n{f:#?}"
    );
    for s in steps {
        assert!(s.error.is_none(), "{point}: a check failed: {s:#?}");
    }
}

/// The setup finished: the Secret holds step 1's token, accepted, named in its annotations; it
/// is the only operator token; a token the killed run created and never wrote was replaced (its
/// value works no more), one the Secret held was kept; the backend is online; no token is left
/// marked as sent-but-not-written in the progress.
async fn finished(w: &World, plan: &SetupPlanDto, before: &Facts, dir: &Path, point: &str) {
    let after = Facts::read(w, plan).await;
    let secret = after
        .secret
        .as_ref()
        .unwrap_or_else(|| panic!("{point}: no Secret: {after:#?}"));
    if let Err(e) = accepts(&w.sim, &secret.token).await {
        panic!("{point}: the service refuses the Secret's token: {e}");
    }
    let (label, _) = w.token(plan);
    assert_eq!(secret.holder.as_deref(), Some(label.as_str()), "{point}");
    let only: BTreeSet<String> = [label].into();
    assert_eq!(after.operator_tokens, only, "{point}: operator tokens");
    let token = after.token.expect("step 1's token exists");
    if before.secret_accepted {
        assert_eq!(
            Some(token),
            before.token,
            "{point}: the Secret's token was replaced"
        );
    } else if let Some(lost) = before.token {
        assert_ne!(
            token, lost,
            "{point}: the killed run's token (its value lost) is still the one in OSMO"
        );
    }
    assert!(after.online, "{point}: {after:#?}");
    let setup_dir = AppPaths::under(dir).data_dir.join("setup").join(SERVICE);
    let progress = Progress::load(&setup_dir, BACKEND).unwrap().unwrap();
    assert_eq!(progress.token_sent, None, "{point}: {progress:#?}");
}

//! The Setup screen over `osmo-admin-setup`: the guide's five steps for a new backend.
//!
//! [`defaults`] fills the form; [`check`] validates the plan (errors by field) or runs the
//! preflight permission checklist and checks what each step finds already there, with the
//! equivalent commands; [`run_step`] runs one step in the background, its log streamed as
//! [`AppEvent::SetupLog`] and its end sent as [`AppEvent::SetupStepFinished`] (cancellable as the
//! operation `setup` of the backend); [`save_values_file`] writes the chart's values;
//! [`progress`] reads what an earlier run finished (`data_dir/setup/<service>/<backend>.json`;
//! an unreadable file is set aside with a notice, never blocking the screen). A step whose effect
//! happened is never reported failed: a record that could not be saved is a warning on `done`.
//! No DTO, event or log line holds a secret: the token created by step 1 stays inside the
//! library's `Setup` until step 2.

mod neighbours;
pub mod runs;
mod saved;

pub use saved::{progress, FinishedStepDto, ProgressSetAsideDto, SetupProgressDto};

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use osmo_admin_core::{BackendLink, BackendRef, ErrorCode, ServiceId};
use osmo_admin_kube::{ConnectOptions, FileState};
use osmo_admin_osmo_client::{CancellationToken, Dialect};
use osmo_admin_scheduler::{kai_preset, schema};
use osmo_admin_setup::{
    Confirmation, LogLine, PlanFieldError, Resources, Setup, SetupError, SetupPlan, StepId,
    StepOutcome, StepRun, StepState, Stream,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::contexts::{permission, PermissionDto};
use crate::dashboard::diagnosis::{diagnosis_dto, DiagnosisDto};
use crate::error::IpcError;
use crate::events::AppEvent;
use crate::operations::{OperationId, RequestId};
use crate::scheduler::{field_dto, form_dto, form_of, SchedulerFieldDto, SchedulerFormDto};
use crate::{lock, AppCore};

/// The container resources of the values form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ResourcesDto {
    pub cpu_request: String,
    pub memory_request: String,
    pub memory_limit: String,
}

/// Everything the Setup form chooses (no secret). Field names are the ones validation errors use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SetupPlanDto {
    /// The chart's `backendName`.
    pub backend_name: String,
    pub operator_namespace: String,
    pub workflow_namespace: String,
    pub secret_name: String,
    pub secret_key: String,
    /// Step 1's new token: name, 6.2+ owner (service account), expiry `YYYY-MM-DD`.
    pub token_name: String,
    pub token_owner: Option<String>,
    pub token_expires_at: String,
    pub image_tag: String,
    /// Empty: none.
    pub image_pull_secret: String,
    pub service_url: String,
    pub listener: ResourcesDto,
    pub worker: ResourcesDto,
    /// A path, or `helm` for the one on PATH.
    pub helm_path: String,
    pub chart_version: String,
    pub chart_repo_url: String,
    /// The helm release name.
    pub release: String,
    /// How long step 5 waits for the backend to report online.
    pub online_timeout_secs: u32,
    /// Step 4's scheduler settings; `null`: the guide's KAI preset of the service's dialect.
    pub scheduler: Option<SchedulerFormDto>,
    /// Recorded with step 4's change in the backend's config history.
    pub scheduler_description: String,
}

/// The Setup form's starting point: the plan's defaults and, for step 4, the scheduler form of
/// the session's dialect.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SetupDefaultsDto {
    pub plan: SetupPlanDto,
    /// `6.0/6.1` or `6.2+`.
    pub dialect: String,
    pub scheduler_fields: Vec<SchedulerFieldDto>,
    /// The deployment guide's KAI settings (what `scheduler: null` applies).
    pub kai_preset: SchedulerFormDto,
}

fn resources_dto(r: &Resources) -> ResourcesDto {
    ResourcesDto {
        cpu_request: r.cpu_request.clone(),
        memory_request: r.memory_request.clone(),
        memory_limit: r.memory_limit.clone(),
    }
}

fn resources(r: ResourcesDto) -> Resources {
    Resources {
        cpu_request: r.cpu_request.trim().to_owned(),
        memory_request: r.memory_request.trim().to_owned(),
        memory_limit: r.memory_limit.trim().to_owned(),
    }
}

fn plan_dto(p: &SetupPlan) -> SetupPlanDto {
    SetupPlanDto {
        backend_name: p.backend_name.clone(),
        operator_namespace: p.operator_namespace.clone(),
        workflow_namespace: p.workflow_namespace.clone(),
        secret_name: p.secret_name.clone(),
        secret_key: p.secret_key.clone(),
        token_name: p.token.name.clone(),
        token_owner: p.token.owner.clone(),
        token_expires_at: p.token.expires_at.clone(),
        image_tag: p.values.image_tag.clone(),
        image_pull_secret: p.values.image_pull_secret.clone(),
        service_url: p.values.service_url.clone(),
        listener: resources_dto(&p.values.listener),
        worker: resources_dto(&p.values.worker),
        helm_path: p.helm.helm_path.display().to_string(),
        chart_version: p.helm.version.clone(),
        chart_repo_url: p.helm.repo_url.clone(),
        release: p.helm.release.clone(),
        online_timeout_secs: u32::try_from(p.online_timeout.as_secs()).unwrap_or(u32::MAX),
        scheduler: p.scheduler.form.clone().map(form_dto),
        scheduler_description: p.scheduler.description.clone(),
    }
}

/// The library's plan: the guide's defaults overridden by the form; helm gets `KUBECONFIG` of
/// the app's kubeconfig files so `--kube-context` finds the chosen context.
fn to_plan(state: &AppCore, d: SetupPlanDto) -> SetupPlan {
    let mut p = SetupPlan::new(d.backend_name.trim(), &d.service_url, &d.image_tag);
    p.backend_name = d.backend_name;
    p.operator_namespace = d.operator_namespace.trim().to_owned();
    p.workflow_namespace = d.workflow_namespace.trim().to_owned();
    p.secret_name = d.secret_name.trim().to_owned();
    p.secret_key = d.secret_key.trim().to_owned();
    p.token.name = d.token_name.trim().to_owned();
    p.token.owner = d
        .token_owner
        .map(|o| o.trim().to_owned())
        .filter(|o| !o.is_empty());
    p.token.expires_at = d.token_expires_at.trim().to_owned();
    p.values.image_tag = d.image_tag.trim().to_owned();
    p.values.image_pull_secret = d.image_pull_secret.trim().to_owned();
    p.values.service_url = d.service_url.trim().to_owned();
    p.values.listener = resources(d.listener);
    p.values.worker = resources(d.worker);
    p.helm.helm_path = PathBuf::from(d.helm_path.trim());
    p.helm.version = d.chart_version.trim().to_owned();
    p.helm.repo_url = d.chart_repo_url.trim().to_owned();
    p.helm.release = d.release.trim().to_owned();
    // helm reads the files itself and stops at one it cannot parse, so it gets only those that
    // parse now (the chosen context comes from one of them).
    let kubeconfigs: Vec<String> = state
        .kube
        .reload()
        .files()
        .into_iter()
        .filter(|f| f.state == FileState::Loaded)
        .map(|f| f.path.display().to_string())
        .collect();
    if !kubeconfigs.is_empty() {
        p.helm.env = vec![("KUBECONFIG".into(), kubeconfigs.join(":"))];
    }
    p.online_timeout = Duration::from_secs(u64::from(d.online_timeout_secs));
    p.scheduler.form = d.scheduler.map(form_of);
    p.scheduler.description = d.scheduler_description.trim().to_owned();
    p
}

/// A broken rule of the plan, named by the form's field (`imageTag`, `listener.cpuRequest`).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SetupFieldErrorDto {
    pub field: String,
    pub message: String,
}

fn camel(s: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in s.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The library's field path (`values.image_tag`, `helm.version`) as the form's field name.
fn form_field(field: &str) -> String {
    match field {
        "helm.version" => "chartVersion".into(),
        "helm.repo_url" => "chartRepoUrl".into(),
        "online_timeout" => "onlineTimeoutSecs".into(),
        "scheduler.description" => "schedulerDescription".into(),
        other => {
            let rest = other
                .strip_prefix("values.")
                .or_else(|| other.strip_prefix("helm."))
                .unwrap_or(other);
            rest.split('.').map(camel).collect::<Vec<_>>().join(".")
        }
    }
}

fn field_errors(errors: Vec<PlanFieldError>) -> Vec<SetupFieldErrorDto> {
    errors
        .into_iter()
        .map(|e| SetupFieldErrorDto {
            field: form_field(&e.field),
            message: e.message,
        })
        .collect()
}

/// The form as the library's plan, or its broken rules: the plan's, and step 4's scheduler form
/// against the rules of the session's dialect (`scheduler.schedulerTimeout`) when the session is
/// known (else connecting says the session is missing).
/// The plan, when its fields follow the rules and it reuses no namespace of another backend on
/// the cluster of `context`.
fn checked_plan(
    state: &AppCore,
    form: SetupPlanDto,
    session: &ServiceId,
    context: &str,
) -> Result<SetupPlan, Vec<SetupFieldErrorDto>> {
    let plan = to_plan(state, form);
    let dialect = state.sessions.session(session).ok().map(|s| s.dialect());
    let mut errors = plan_errors(&plan, dialect);
    let this = BackendRef::new(session.clone(), plan.backend_name.as_str());
    errors.extend(neighbours::collisions(
        &plan,
        &neighbours::on_context(state, context, &this),
    ));
    if errors.is_empty() {
        Ok(plan)
    } else {
        Err(errors)
    }
}

fn plan_errors(plan: &SetupPlan, dialect: Option<Dialect>) -> Vec<SetupFieldErrorDto> {
    let mut errors = plan.validate().err().map(field_errors).unwrap_or_default();
    if let (Some(form), Some(dialect)) = (&plan.scheduler.form, dialect) {
        if let Err(violations) = osmo_admin_scheduler::validate(dialect, form) {
            errors.extend(violations.into_iter().map(|v| SetupFieldErrorDto {
                field: format!("scheduler.{}", camel(&v.field)),
                message: v.message,
            }));
        }
    }
    errors
}

/// The five steps, as the UI names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SetupStepDto {
    Token,
    Cluster,
    Operator,
    Scheduler,
    Online,
}

impl From<StepId> for SetupStepDto {
    fn from(s: StepId) -> Self {
        match s {
            StepId::Token => SetupStepDto::Token,
            StepId::Cluster => SetupStepDto::Cluster,
            StepId::Operator => SetupStepDto::Operator,
            StepId::Scheduler => SetupStepDto::Scheduler,
            StepId::Online => SetupStepDto::Online,
        }
    }
}

impl From<SetupStepDto> for StepId {
    fn from(s: SetupStepDto) -> Self {
        match s {
            SetupStepDto::Token => StepId::Token,
            SetupStepDto::Cluster => StepId::Cluster,
            SetupStepDto::Operator => StepId::Operator,
            SetupStepDto::Scheduler => StepId::Scheduler,
            SetupStepDto::Online => StepId::Online,
        }
    }
}

/// What a step's check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SetupStepStatusDto {
    Done,
    NotDone,
    Partial,
    /// The check itself failed (`error` says why).
    Unknown,
}

/// One step of the list: its state in words, what it will do, and the equivalent commands.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SetupStepView {
    pub step: SetupStepDto,
    pub number: u32,
    pub title: String,
    pub status: SetupStepStatusDto,
    /// What is already there.
    pub done: Option<String>,
    /// What running it will do.
    pub what_it_will_do: Option<String>,
    pub error: Option<String>,
    /// The commands an admin would type to do the same (secrets as `<redacted>`).
    pub commands: Vec<String>,
    /// When an earlier run finished it (UTC, RFC 3339), from the saved progress.
    pub finished_at: Option<String>,
}

/// The context's permission checklist for setup.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PreflightDto {
    /// Nothing blocking is missing.
    pub ready: bool,
    pub checks: Vec<PermissionDto>,
    /// What setup needs and may not do (blocking), as kubectl would say it.
    pub missing: Vec<String>,
    /// Missing but not blocking (e.g. step 5's offline checks will be partial).
    pub warnings: Vec<String>,
}

/// How "Check" ended: the fields at fault (nothing contacted), or the checklist and the steps.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum CheckSetupDto {
    Invalid {
        errors: Vec<SetupFieldErrorDto>,
    },
    Checked {
        preflight: PreflightDto,
        steps: Vec<SetupStepView>,
        /// Where step 3 saves the values file.
        #[serde(rename = "valuesFile")]
        values_file: String,
        /// The step running now in the background, if any.
        running: Option<SetupStepDto>,
    },
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn invalid(message: impl Into<String>) -> IpcError {
    IpcError::new(ErrorCode::InvalidInput, message)
}

/// Where the setups of `service` keep their progress: one folder per service, so two services'
/// backends of the same name never share a file.
/// Forgets every setup progress of `service` (the sandbox's, whose services live for one run).
pub(crate) fn forget_progress(state: &AppCore, service: &ServiceId) {
    let dir = setup_dir(state, service);
    match std::fs::remove_dir_all(&dir) {
        Ok(()) => tracing::info!(%service, "setup progress forgotten"),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => tracing::warn!(%service, dir = %dir.display(), "setup progress not removed: {e}"),
    }
}

fn setup_dir(state: &AppCore, service: &ServiceId) -> PathBuf {
    state
        .paths
        .data_dir
        .join("setup")
        .join(folder_name(service))
}

/// A service name as one path component: letters, digits, `.`, `_` and `-` kept, anything else
/// (`/`, spaces, a leading `.`) written as `%XX`.
fn folder_name(service: &ServiceId) -> String {
    let mut out = String::new();
    for (i, b) in service.as_str().bytes().enumerate() {
        let keep = b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || (b == b'.' && i > 0);
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The connected setup for this session, context and plan (reused when nothing changed). On the
/// context the sandbox lends, step 3 runs the sandbox's simulated helm; elsewhere the user's helm.
async fn connect(
    state: &AppCore,
    session: &ServiceId,
    context: &str,
    mut plan: SetupPlan,
) -> Result<Arc<Setup>, IpcError> {
    let osmo = state.sessions.session(session)?;
    if context.trim().is_empty() {
        return Err(invalid(
            "Choose the Kubernetes context of the new backend's cluster.",
        ));
    }
    let resolved = state.kube.reload().resolve(context)?;
    plan.helm.installer = state
        .sandbox
        .chart_installer(&resolved.name, &resolved.source);
    let backend = BackendRef::new(session.clone(), plan.backend_name.as_str());
    if let Some(setup) = state.setup_runs.find(&backend, context, &plan) {
        return Ok(setup);
    }
    let options = ConnectOptions {
        exec_path: Some(state.kube.exec_path().await),
        ..ConnectOptions::default()
    };
    let dir = setup_dir(state, session);
    let setup = Arc::new(Setup::new(osmo, resolved, options, plan, dir).await?);
    state.setup_runs.keep(backend, context, setup.clone());
    Ok(setup)
}

/// The form's defaults for a new backend `backend` of `session`: the guide's names (or, when a
/// backend linked to `context` uses them, `<backend>-operator` and `<backend>-workflows`), the
/// session's URL, the service's version as the image tag. A name breaking the backend name rule
/// is refused (`InvalidInput`) before anything is derived from it.
pub fn defaults(
    state: &AppCore,
    session: &ServiceId,
    backend: String,
    context: Option<String>,
) -> Result<SetupDefaultsDto, IpcError> {
    let backend = backend.trim();
    if let Err(e) = osmo_admin_core::check_backend_name(backend) {
        return Err(invalid(format!(
            "{e} Change the backend name to one that does (for example gpu-east); the form is filled in only from a valid name."
        )));
    }
    let osmo = state.sessions.session(session)?;
    let url = osmo.spec().url.trim_end_matches('/').to_owned();
    let tag = osmo.discovery().version.to_string();
    let dialect = osmo.dialect();
    let mut plan = SetupPlan::new(backend, &url, &tag);
    if let Some(context) = context.as_deref().filter(|c| !c.trim().is_empty()) {
        let this = BackendRef::new(session.clone(), backend);
        let taken = neighbours::on_context(state, context, &this);
        (plan.operator_namespace, plan.workflow_namespace) =
            neighbours::free_namespaces(backend, &taken);
    }
    plan.scheduler.form = Some(kai_preset(dialect));
    Ok(SetupDefaultsDto {
        plan: plan_dto(&plan),
        dialect: dialect.label().to_owned(),
        scheduler_fields: schema(dialect).fields.into_iter().map(field_dto).collect(),
        kai_preset: form_dto(kai_preset(dialect)),
    })
}

/// Validates the plan, then checks the context's permissions and what each step finds.
pub async fn check(
    state: &AppCore,
    plan: SetupPlanDto,
    session: ServiceId,
    context: String,
    operation: Option<RequestId>,
) -> Result<CheckSetupDto, IpcError> {
    let plan = match checked_plan(state, plan, &session, &context) {
        Ok(plan) => plan,
        Err(errors) => return Ok(CheckSetupDto::Invalid { errors }),
    };
    let running = state.operations.begin_request(operation);
    let cancel = running.token();
    let setup = connect(state, &session, &context, plan).await?;
    let preflight = setup.preflight().await?;
    let progress = setup.progress()?;
    let mut steps = Vec::new();
    for step in StepId::ALL {
        let (status, done, what_it_will_do, error) = match setup.check(step, cancel).await {
            Ok(StepState::Done { what }) => (SetupStepStatusDto::Done, Some(what), None, None),
            Ok(StepState::NotDone { what_it_will_do }) => (
                SetupStepStatusDto::NotDone,
                None,
                Some(what_it_will_do),
                None,
            ),
            Ok(StepState::Partial {
                done,
                what_it_will_do,
            }) => (
                SetupStepStatusDto::Partial,
                Some(done),
                Some(what_it_will_do),
                None,
            ),
            Err(SetupError::Cancelled) => return Err(SetupError::Cancelled.into()),
            Err(e) => (SetupStepStatusDto::Unknown, None, None, Some(e.to_string())),
        };
        steps.push(SetupStepView {
            step: step.into(),
            number: u32::try_from(step.number()).unwrap_or(0),
            title: setup.step_title(step),
            status,
            done,
            what_it_will_do,
            error,
            commands: setup.commands(step),
            finished_at: progress
                .finished
                .iter()
                .find(|f| f.step == step)
                .map(|f| rfc3339(f.at)),
        });
    }
    let backend = BackendRef::new(session.clone(), setup.plan().backend_name.as_str());
    let running_step = state
        .setup_runs
        .running(&backend)
        .and_then(|s| serde_json::from_value(serde_json::Value::String(s)).ok());
    Ok(CheckSetupDto::Checked {
        preflight: PreflightDto {
            ready: preflight.ready(),
            checks: preflight.checks.into_iter().map(permission).collect(),
            missing: preflight.missing,
            warnings: preflight.warnings,
        },
        steps,
        values_file: setup.values_path().display().to_string(),
        running: running_step,
    })
}

/// Where a log line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SetupLogStreamDto {
    Info,
    Command,
    Stdout,
    Stderr,
}

/// The payload of `setup-log`: one line of a running step (never a secret).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SetupLogDto {
    pub backend: BackendRef,
    pub step: SetupStepDto,
    pub stream: SetupLogStreamDto,
    pub text: String,
}

fn log_dto(backend: &BackendRef, line: LogLine) -> SetupLogDto {
    SetupLogDto {
        backend: backend.clone(),
        step: line.step.into(),
        stream: match line.stream {
            Stream::Info => SetupLogStreamDto::Info,
            Stream::Command => SetupLogStreamDto::Command,
            Stream::Stdout => SetupLogStreamDto::Stdout,
            Stream::Stderr => SetupLogStreamDto::Stderr,
        },
        text: line.text,
    }
}

/// How a step's run ended.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum SetupOutcomeDto {
    /// The step made its changes. `warning`: what needs the user although the step did its part
    /// (the chosen scheduler is not installed, its progress could not be saved), in words; shown
    /// as a warning, not as done. `null` when all went well.
    Done {
        what: String,
        warning: Option<String>,
    },
    /// Everything was already there; nothing changed. `warning` as for `done`.
    AlreadyDone {
        what: String,
        warning: Option<String>,
    },
    /// Stopped before overwriting: run again with `confirmation` set to exactly this text.
    NeedsConfirmation {
        #[serde(rename = "whatWillChange")]
        what_will_change: String,
    },
    /// helm could not be started: the values file and the commands to run by hand.
    HelmMissing {
        #[serde(rename = "helmPath")]
        helm_path: String,
        reason: String,
        #[serde(rename = "valuesFile")]
        values_file: String,
        commands: Vec<String>,
    },
    /// The backend did not report online in time: the "why offline?" checks.
    NotOnline {
        #[serde(rename = "waitedSeconds")]
        waited_seconds: u32,
        diagnosis: DiagnosisDto,
    },
    /// The step failed; `error.message` says what and what to do next.
    Failed { error: IpcError },
}

/// The payload of `setup-step-finished`.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SetupStepFinishedDto {
    pub backend: BackendRef,
    pub step: SetupStepDto,
    pub result: SetupOutcomeDto,
}

fn outcome_dto(session: &ServiceId, result: Result<StepRun, SetupError>) -> SetupOutcomeDto {
    let (result, warning) = match result {
        Ok(run) => (Ok(run.outcome), run.warning),
        Err(e) => (Err(e), None),
    };
    match result {
        Ok(StepOutcome::Done { what }) => SetupOutcomeDto::Done { what, warning },
        Ok(StepOutcome::AlreadyDone { what }) => SetupOutcomeDto::AlreadyDone { what, warning },
        Ok(StepOutcome::DoneWithWarning {
            what,
            warning: needs,
        }) => SetupOutcomeDto::Done {
            what,
            warning: Some(match warning {
                Some(also) => format!("{needs} {also}"),
                None => needs,
            }),
        },
        Ok(StepOutcome::NeedsConfirmation { what_will_change }) => {
            SetupOutcomeDto::NeedsConfirmation { what_will_change }
        }
        Ok(StepOutcome::HelmMissing {
            helm_path,
            reason,
            values_file,
            commands,
        }) => SetupOutcomeDto::HelmMissing {
            helm_path,
            reason,
            values_file: values_file.display().to_string(),
            commands,
        },
        Ok(StepOutcome::NotOnline {
            waited_seconds,
            diagnosis,
        }) => SetupOutcomeDto::NotOnline {
            waited_seconds: u32::try_from(waited_seconds).unwrap_or(u32::MAX),
            diagnosis: diagnosis_dto(session.clone(), diagnosis, true, None),
        },
        Err(e) => SetupOutcomeDto::Failed { error: e.into() },
    }
}

/// How "Run" was answered: started in the background, or the fields at fault.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum RunSetupStepDto {
    Started {
        backend: BackendRef,
        step: SetupStepDto,
        /// Cancel with `cancel_operation` of this operation.
        operation: OperationId,
    },
    Invalid {
        errors: Vec<SetupFieldErrorDto>,
    },
}

/// Runs `step` in the background: [`AppEvent::SetupLog`] lines, then
/// [`AppEvent::SetupStepFinished`]. Cancellable as the backend's `setup` operation.
/// `confirmation` repeats a needs-confirmation's text exactly.
pub async fn run_step(
    state: &AppCore,
    plan: SetupPlanDto,
    session: ServiceId,
    context: String,
    step: SetupStepDto,
    confirmation: Option<String>,
) -> Result<RunSetupStepDto, IpcError> {
    let plan = match checked_plan(state, plan, &session, &context) {
        Ok(plan) => plan,
        Err(errors) => return Ok(RunSetupStepDto::Invalid { errors }),
    };
    let backend = BackendRef::new(session.clone(), plan.backend_name.as_str());
    let step_name = serde_json::to_value(step)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let operator_namespace = plan.operator_namespace.clone();
    let setup = connect(state, &session, &context, plan).await?;
    if let Err(other) = state.setup_runs.try_start(&backend, &step_name) {
        return Err(IpcError::new(
            ErrorCode::Conflict,
            format!("Step {other} of backend {backend} is running already; wait for it to finish or stop it."),
        ));
    }
    let operation = OperationId::Setup {
        backend: backend.clone(),
    };
    let running = state.operations.begin(Some(operation.clone()));
    let runs = state.setup_runs.clone();
    let confirmation = confirmation
        .filter(|c| !c.trim().is_empty())
        .map(|what_will_change| Confirmation { what_will_change });
    let core = state.clone();
    let log_backend = backend.clone();
    let finished_backend = backend.clone();
    tokio::spawn(async move {
        let log_core = core.clone();
        let sink = move |line: LogLine| {
            log_core
                .events
                .emit(AppEvent::SetupLog(log_dto(&log_backend, line)));
        };
        let cancel: CancellationToken = running.token().clone();
        let result = setup
            .run_step(step.into(), confirmation.as_ref(), &sink, &cancel)
            .await;
        drop(running);
        runs.finish(&finished_backend);
        match &result {
            Ok(run) => {
                tracing::info!(backend = %finished_backend, ?step, done = run.outcome.is_done(), warning = ?run.warning, "setup step ended")
            }
            Err(e) => {
                tracing::warn!(backend = %finished_backend, ?step, code = ?e.code(), "setup step failed: {e}")
            }
        }
        if step == SetupStepDto::Online && result.as_ref().is_ok_and(|run| run.outcome.is_done()) {
            if let Some(line) =
                link_when_online(&core, &finished_backend, &context, &operator_namespace)
            {
                sink(line);
            }
        }
        core.events
            .emit(AppEvent::SetupStepFinished(SetupStepFinishedDto {
                backend: finished_backend,
                step,
                result: outcome_dto(&session, result),
            }));
    });
    Ok(RunSetupStepDto::Started {
        backend,
        step,
        operation,
    })
}

/// Once the backend is online, links it to the context and operator namespace it was set up
/// in (unless it is linked already), so its detail and diagnosis read its cluster: saved for a
/// user's cluster, lent for the run on the sandbox's. The log line says which.
fn link_when_online(
    core: &AppCore,
    backend: &BackendRef,
    context: &str,
    operator_namespace: &str,
) -> Option<LogLine> {
    if core.links.of(backend).is_some() {
        return None;
    }
    let link = match BackendLink::new(
        backend.clone(),
        context.to_owned(),
        Some(operator_namespace),
    ) {
        Ok(link) => link,
        Err(e) => {
            tracing::warn!(%backend, "not linked after setup: {e}");
            return None;
        }
    };
    let for_run = lock(&core.sandbox_services).contains(&backend.service);
    let text = if for_run {
        core.links.lend_one(link);
        format!("Linked {} to context {context} (operator namespace {operator_namespace}) for this sandbox run.", backend.backend)
    } else {
        let saved = core.settings.change(|s| {
            s.link_backend(link);
            Ok::<_, IpcError>(())
        });
        if let Err(e) = saved {
            return Some(info_line(format!(
                "Backend {} is online, but linking it to context {context} was not saved: {}",
                backend.backend, e.message
            )));
        }
        format!("Linked {} to context {context} (operator namespace {operator_namespace}), so its detail and diagnosis read its cluster.", backend.backend)
    };
    tracing::info!(%backend, %context, "backend linked after setup");
    Some(info_line(text))
}

fn info_line(text: String) -> LogLine {
    LogLine {
        step: StepId::Online,
        stream: Stream::Info,
        text,
    }
}

/// How "Save values file" was answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum SaveValuesFileDto {
    Saved {
        path: String,
    },
    /// A file is already at `path` and nothing was written: ask the user, then save again with
    /// `replace: true`.
    Exists {
        path: String,
    },
}

/// Writes the chart's values file (no token in it) to `path`, whose folder must exist, or beside
/// the progress file (`data_dir/setup/<service>/<backend>-values.yaml`, folder made if missing).
/// A file already there is replaced only with `replace`; otherwise the answer is `Exists`.
pub fn save_values_file(
    state: &AppCore,
    session: &ServiceId,
    plan: SetupPlanDto,
    path: Option<String>,
    replace: bool,
) -> Result<SaveValuesFileDto, IpcError> {
    let plan = to_plan(state, plan);
    plan.validate().map_err(SetupError::Invalid)?;
    let path = match path.map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()) {
        Some(p) => PathBuf::from(p),
        None => {
            let dir = setup_dir(state, session);
            std::fs::create_dir_all(&dir).map_err(|e| {
                IpcError::new(
                    ErrorCode::Io,
                    format!(
                        "Could not create the folder {}: {e}. Check that it is writable, or choose where to save the file.",
                        dir.display()
                    ),
                )
            })?;
            dir.join(format!("{}-values.yaml", plan.backend_name))
        }
    };
    if !path.is_absolute() {
        return Err(invalid(format!(
            "Give the values file's full path (not {}).",
            path.display()
        )));
    }
    let shown = path.display().to_string();
    match osmo_admin_setup::values::save(&plan, &path, replace)? {
        osmo_admin_setup::values::Saved::Written => Ok(SaveValuesFileDto::Saved { path: shown }),
        osmo_admin_setup::values::Saved::Exists => Ok(SaveValuesFileDto::Exists { path: shown }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_names_become_one_safe_folder_each() {
        assert_eq!(folder_name(&ServiceId::new("prod-osmo")), "prod-osmo");
        assert_eq!(folder_name(&ServiceId::new("../a b/c")), "%2E.%2Fa%20b%2Fc");
        assert_ne!(
            folder_name(&ServiceId::new("a/b")),
            folder_name(&ServiceId::new("a_b"))
        );
    }

    #[test]
    fn library_fields_become_form_fields() {
        assert_eq!(form_field("backend_name"), "backendName");
        assert_eq!(form_field("values.image_tag"), "imageTag");
        assert_eq!(
            form_field("values.listener.cpu_request"),
            "listener.cpuRequest"
        );
        assert_eq!(form_field("helm.version"), "chartVersion");
        assert_eq!(form_field("helm.helm_path"), "helmPath");
        assert_eq!(form_field("online_timeout"), "onlineTimeoutSecs");
        assert_eq!(form_field("scheduler.description"), "schedulerDescription");
    }
}

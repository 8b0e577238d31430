//! The child process: this test binary run again with [`JOB`] set. It opens the application core
//! on the case's data folder, exactly as the app does (settings, journals and progress on disk),
//! signs in to the parent's osmo-sim and starts the work: a rotation (the backend linked to the
//! shared API server's context first), or a setup's steps one after the other as "Run all" does. The kill point named by `OSMO_ADMIN_TEST_PAUSE_AT` stops it; the parent kills
//! it there. Reaching the end instead is a failure (exit code 3), so a kill point that is never
//! reached cannot pass unnoticed.

use std::path::PathBuf;
use std::time::Duration;

use chrono::Utc;
use osmo_admin_app::tokens::{self, RotationRequestDto};
use osmo_admin_app::KubeEnv;
use osmo_admin_core::BackendRef;
use osmo_admin_setup::StepId;
use serde::{Deserialize, Serialize};

use crate::support::{first_context, open, sign_in};
use crate::world::{ACCOUNT, BACKEND, OLD, SECRET};

/// The variable holding a child's [`Job`] (JSON).
pub const JOB: &str = "OSMO_ADMIN_KILL_TEST_JOB";
/// The service's name in the app.
pub const SERVICE: &str = "lab";
/// The user signed in (development mode).
pub const USER: &str = "ana";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Work {
    /// A rotation of `gpu`'s token from the Rotate form, deleting the old token at the end.
    Rotation,
    /// A setup of backend `gpu` on the shared API server, every step in order.
    Setup(SetupJob),
}

/// What a setup case chooses besides the defaults (the operator namespace is the job's).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SetupJob {
    pub workflow_namespace: String,
    /// The helm release (its cluster-wide objects are named after it, so one per case).
    pub release: String,
    /// The helm stand-in, and the environment keeping its configuration private.
    pub helm_path: String,
    pub helm_env: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Job {
    pub work: Work,
    /// The app's data folder (and config folder) for this case.
    pub dir: PathBuf,
    pub kubeconfig: PathBuf,
    pub sim_url: String,
    /// 6.2+: the old token's owner is the service account.
    pub v6_2: bool,
    pub namespace: String,
}

/// The job when this process is a child.
pub fn from_env() -> Option<Job> {
    let text = std::env::var(JOB).ok()?;
    Some(serde_json::from_str(&text).unwrap_or_else(|e| panic!("{JOB} is not a job: {e}")))
}

/// The Rotate form as the app's user fills it for this world.
pub fn rotation_request(backend: BackendRef, job: &Job) -> RotationRequestDto {
    let expires = Utc::now().date_naive() + chrono::Duration::days(30);
    RotationRequestDto {
        backend,
        context: None,
        secret_namespace: job.namespace.clone(),
        secret_name: SECRET.into(),
        secret_key: "token".into(),
        old_owner: job.v6_2.then(|| ACCOUNT.to_owned()),
        old_name: Some(OLD.into()),
        new_owner: None,
        new_name: None,
        expires_at: expires.to_string(),
        heartbeat_timeout_secs: 30,
        delete_old: true,
        poll_interval_secs: Some(1),
    }
}

/// Runs `job` until the kill point stops it; exits 3 if the work ends first.
pub fn run(job: Job) -> ! {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let ended = runtime.block_on(async {
        let kube_env = KubeEnv {
            kubeconfig: Some(job.kubeconfig.clone().into_os_string()),
            home: None,
        };
        let (core, events) = open(&job.dir, kube_env).await;
        let service = sign_in(&core, SERVICE, &job.sim_url).await;
        let backend = BackendRef::new(service.clone(), BACKEND);
        let context = first_context(&core);
        match &job.work {
            Work::Setup(setup) => {
                let plan = crate::setup_cases::plan(&core, &service, &context, &job, setup);
                let ends = crate::setup_cases::run_steps(
                    &core,
                    &events,
                    &service,
                    &context,
                    &plan,
                    &StepId::ALL,
                )
                .await;
                format!("{ends:#?}")
            }
            Work::Rotation => {
                osmo_admin_app::contexts::link_backend(
                    &core,
                    backend.clone(),
                    context,
                    Some(job.namespace.clone()),
                )
                .unwrap();
                let started = tokens::start_rotation(&core, rotation_request(backend, &job))
                    .await
                    .unwrap();
                loop {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    let view = tokens::rotation_status(&core, &started.id).unwrap();
                    if !view.running {
                        break format!("{view:#?}");
                    }
                }
            }
        }
    });
    eprintln!("the work ended without reaching the kill point: {ended}");
    std::process::exit(3)
}

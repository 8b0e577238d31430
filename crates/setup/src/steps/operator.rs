//! Step 3: the values file, then `helm repo add`, `helm repo update` and
//! `helm upgrade --install <release> <chart> -f <values> --version <v> --namespace <operator ns>`
//! through the plan's chart installer (the user's helm by default), its output streamed. Without
//! helm the outcome is [`StepOutcome::HelmMissing`] with how to install helm, the values file
//! and the exact commands; helm exiting non-zero is [`SetupError::HelmFailed`] with its output
//! (also in the log). A simulated helm is named in the step's title, its first log line and
//! its outcome.
//!
//! Done means: the chart's listener Deployment exists, belongs to this helm release, and runs
//! with this plan's backend name, workflow namespace, service URL and image tag.

use k8s_openapi::api::apps::v1::Deployment;
use kube::Api;
use osmo_admin_osmo_client::CancellationToken;

use super::helm_run::{installer, run_helm, HelmRun};
use osmo_admin_kube::operator::KubeAction;

use super::{kube_call, record, Setup, StepOutcome, StepState};
use crate::error::SetupError;
use crate::installer::Simulation;
use crate::log::StepLog;
use crate::values;

/// The step's title: helm, or helm simulated by whom.
pub(crate) fn title(setup: &Setup) -> String {
    let title = super::StepId::Operator.title();
    match simulation(setup) {
        Some(s) => format!("{title} (simulated by {})", s.by),
        None => title.to_owned(),
    }
}

fn simulation(setup: &Setup) -> Option<Simulation> {
    installer(&setup.plan.helm).simulation()
}

/// The listener Deployment the chart creates for `release`.
pub fn listener_name(release: &str) -> String {
    format!("{release}-osmo-backend-listener")
}

/// Differences between the installed listener and the plan, in words (`None`: not installed
/// by this release).
async fn installed(
    setup: &Setup,
    cancel: &CancellationToken,
) -> Result<Option<Vec<String>>, SetupError> {
    let p = &setup.plan;
    let name = listener_name(&p.helm.release);
    let api: Api<Deployment> = Api::namespaced(setup.client.clone(), &p.operator_namespace);
    let resource = format!("deployment {name}");
    let action = KubeAction::new("get", &resource, Some(&p.operator_namespace));
    let Some(d) = kube_call(setup, cancel, action, api.get_opt(&name)).await? else {
        return Ok(None);
    };
    let a = d.metadata.annotations.unwrap_or_default();
    let ours = a.get("meta.helm.sh/release-name") == Some(&p.helm.release)
        && a.get("meta.helm.sh/release-namespace") == Some(&p.operator_namespace);
    if !ours {
        return Ok(None);
    }
    let container = d
        .spec
        .and_then(|s| s.template.spec)
        .and_then(|s| s.containers.into_iter().next())
        .unwrap_or_default();
    let args = container.args.unwrap_or_default();
    let arg = |flag: &str| {
        args.windows(2)
            .find(|w| w[0] == flag)
            .map(|w| w[1].clone())
            .unwrap_or_default()
    };
    let mut differences = Vec::new();
    for (flag, label, want) in [
        ("--backend", "backend name", &p.backend_name),
        ("--namespace", "workflow namespace", &p.workflow_namespace),
        ("--host", "service URL", &p.values.service_url),
    ] {
        let have = arg(flag);
        if &have != want {
            differences.push(format!("{label} {have:?} → {want:?}"));
        }
    }
    let image = container.image.unwrap_or_default();
    let tag = image.rsplit_once(':').map(|(_, t)| t).unwrap_or_default();
    if tag != p.values.image_tag {
        differences.push(format!("image tag {tag:?} → {:?}", p.values.image_tag));
    }
    Ok(Some(differences))
}

pub async fn check(setup: &Setup, cancel: &CancellationToken) -> Result<StepState, SetupError> {
    let p = &setup.plan;
    let release = format!(
        "helm release {} ({}) in {}",
        p.helm.release, p.helm.chart, p.operator_namespace
    );
    Ok(match installed(setup, cancel).await? {
        Some(d) if d.is_empty() => StepState::Done {
            what: format!("The operator is installed: {release}, Deployment {} runs with this plan's values.", listener_name(&p.helm.release)),
        },
        Some(d) => StepState::Partial {
            done: format!("The operator is installed ({release})"),
            what_it_will_do: format!("Upgrade it with the new values file: {}.", d.join(", ")),
        },
        None => StepState::NotDone {
            what_it_will_do: format!(
                "Write the values file {} and install the operator with helm{} ({release}, chart version {}).",
                setup.values_path().display(),
                simulation(setup).map(|s| format!(" simulated by {}", s.by)).unwrap_or_default(),
                p.helm.version
            ),
        },
    })
}

pub(crate) async fn run(
    setup: &Setup,
    log: &StepLog<'_>,
    cancel: &CancellationToken,
) -> Result<StepOutcome, SetupError> {
    let simulation = simulation(setup);
    if let Some(s) = &simulation {
        log.info(s.note.clone());
    }
    if let StepState::Done { what } = check(setup, cancel).await? {
        return Ok(StepOutcome::AlreadyDone { what });
    }
    let path = setup.values_path();
    std::fs::create_dir_all(&setup.dir).map_err(|e| SetupError::Io {
        what: format!("create {}", setup.dir.display()),
        detail: e.to_string(),
    })?;
    values::save(&setup.plan, &path, true)?;
    log.info(format!("Wrote the values file {}.", path.display()));
    for args in record::helm_args(setup) {
        match run_helm(&setup.plan.helm, &args, log, cancel).await? {
            HelmRun::Ok => {}
            HelmRun::Missing(reason) => {
                // The reason (what is missing, how to install helm) is the outcome's, said once.
                log.info(format!(
                    "Stopped: nothing was installed. The values file {} is written; run this step's commands where helm is installed.",
                    path.display()
                ));
                let commands = record::commands(setup, super::StepId::Operator);
                return Ok(StepOutcome::HelmMissing {
                    helm_path: setup.plan.helm.helm_path.display().to_string(),
                    reason,
                    values_file: path,
                    commands,
                });
            }
        }
    }
    let p = &setup.plan;
    let installed = format!(
        "{} (chart {} {}) in {} with the values file {}.",
        p.helm.release,
        p.helm.chart,
        p.helm.version,
        p.operator_namespace,
        path.display()
    );
    let what = match simulation {
        Some(s) => format!("Simulated by {}: installed {installed}", s.by),
        None => format!("Installed {installed}"),
    };
    Ok(StepOutcome::Done { what })
}

//! What a setup will do, chosen before anything changes: the backend, the namespaces, the token
//! Secret, the new token, the Helm values and options, the scheduler settings and how long to
//! wait for the backend to come online. [`SetupPlan::validate`] checks every field and names the
//! broken ones. The plan holds no secret, so it is kept in the progress file as is.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use osmo_admin_diagnostics::{DEFAULT_OPERATOR_NAMESPACE, DEFAULT_WORKFLOW_NAMESPACE};
use osmo_admin_scheduler::SchedulerForm;
use osmo_admin_tokens::{NewToken, BACKEND_ROLE};
use serde::{Deserialize, Serialize};

use crate::installer::ChartInstaller;
use crate::values::ValuesForm;

/// The chart repository of OSMO (osmo-api.md §6).
pub const OSMO_CHART_REPO_URL: &str = "https://helm.ngc.nvidia.com/nvidia/osmo";
/// The guide's release name; the chart's objects are prefixed with it.
pub const DEFAULT_RELEASE: &str = "osmo-operator";
/// The guide's Secret name and key.
pub const DEFAULT_SECRET_NAME: &str = "osmo-operator-token";
pub const DEFAULT_SECRET_KEY: &str = "token";
/// 6.2+: the guide's service-account user for the operator's token.
pub const DEFAULT_SERVICE_ACCOUNT: &str = "backend-operator";

/// How helm is run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelmOptions {
    /// The helm binary: a path, or a name looked up on `PATH` (default `helm`).
    pub helm_path: PathBuf,
    /// `osmo/backend-operator`.
    pub chart: String,
    /// `osmo`.
    pub repo_name: String,
    pub repo_url: String,
    /// The chart version (`--version`), e.g. `1.4.0`.
    pub version: String,
    /// `osmo-operator`.
    pub release: String,
    /// `--kubeconfig` for helm; `None` leaves helm to `KUBECONFIG` / `~/.kube/config`.
    pub kubeconfig: Option<PathBuf>,
    /// Extra environment for helm (e.g. `KUBECONFIG`, `HELM_CONFIG_HOME`, `PATH`; no secrets).
    pub env: Vec<(String, String)>,
    /// Limit for each helm command.
    pub timeout: Duration,
    /// Who runs the helm commands: `None`, the helm at `helm_path` with `env`. Never saved (a
    /// resumed plan has none until the caller supplies it again).
    #[serde(skip)]
    pub installer: Option<Arc<dyn ChartInstaller>>,
}

impl Default for HelmOptions {
    fn default() -> Self {
        Self {
            helm_path: PathBuf::from("helm"),
            chart: "osmo/backend-operator".into(),
            repo_name: "osmo".into(),
            repo_url: OSMO_CHART_REPO_URL.into(),
            version: "1.4.0".into(),
            release: DEFAULT_RELEASE.into(),
            kubeconfig: None,
            env: Vec::new(),
            timeout: Duration::from_secs(300),
            installer: None,
        }
    }
}

/// Step 4's input: the scheduler form (`None`: the KAI preset of the service's dialect) and the
/// description recorded in the backend's config history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchedulerInput {
    pub form: Option<SchedulerForm>,
    pub description: String,
}

impl Default for SchedulerInput {
    fn default() -> Self {
        Self {
            form: None,
            description: "Scheduler settings from the backend setup".into(),
        }
    }
}

/// Everything a setup needs to know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupPlan {
    /// The chart's `backendName`: the name the backend gets in OSMO.
    pub backend_name: String,
    pub operator_namespace: String,
    pub workflow_namespace: String,
    pub secret_name: String,
    pub secret_key: String,
    /// The token to create when the Secret holds none the service accepts.
    pub token: NewToken,
    pub values: ValuesForm,
    pub helm: HelmOptions,
    pub scheduler: SchedulerInput,
    /// How long step 5 (and step 4, for the backend to appear) waits.
    pub online_timeout: Duration,
    /// How often step 5 asks the service.
    pub poll_interval: Duration,
    /// Limit for each Kubernetes or OSMO call.
    pub call_timeout: Duration,
}

impl SetupPlan {
    /// The guide's defaults for backend `backend_name` of the service at `service_url`,
    /// operator image `image_tag`; a token expiring in 31 days (the CLI's default).
    pub fn new(backend_name: &str, service_url: &str, image_tag: &str) -> Self {
        let expires = Utc::now().date_naive() + chrono::Duration::days(31);
        Self {
            backend_name: backend_name.into(),
            operator_namespace: DEFAULT_OPERATOR_NAMESPACE.into(),
            workflow_namespace: DEFAULT_WORKFLOW_NAMESPACE.into(),
            secret_name: DEFAULT_SECRET_NAME.into(),
            secret_key: DEFAULT_SECRET_KEY.into(),
            token: NewToken {
                owner: Some(DEFAULT_SERVICE_ACCOUNT.into()),
                name: format!("{backend_name}-operator-token"),
                expires_at: expires.to_string(),
                roles: vec![BACKEND_ROLE.into()],
                description: "Backend Operator Token".into(),
                for_operator: true,
            },
            values: ValuesForm::new(service_url, image_tag),
            helm: HelmOptions::default(),
            scheduler: SchedulerInput::default(),
            online_timeout: Duration::from_secs(300),
            poll_interval: Duration::from_secs(5),
            call_timeout: Duration::from_secs(15),
        }
    }

    /// Checks every field; all violations at once. (The token form is checked against the
    /// service's rules by step 1, which knows the dialect.)
    pub fn validate(&self) -> Result<(), Vec<PlanFieldError>> {
        let mut errors = Vec::new();
        let mut fail = |field: &str, message: String| {
            errors.push(PlanFieldError {
                field: field.into(),
                message,
            })
        };
        if let Err(e) = osmo_admin_core::check_backend_name(&self.backend_name) {
            fail(
                "backend_name",
                format!("{e} It is the chart's backendName and the backend's name in OSMO."),
            );
        }
        for (field, value) in [
            ("operator_namespace", &self.operator_namespace),
            ("workflow_namespace", &self.workflow_namespace),
        ] {
            if !dns_label(value) {
                fail(field, format!("Namespace {value:?} must be a DNS label: lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters."));
            }
        }
        if self.operator_namespace == self.workflow_namespace {
            fail(
                "workflow_namespace",
                "The workflow namespace must differ from the operator namespace.".into(),
            );
        }
        if !dns_subdomain(&self.secret_name) {
            fail("secret_name", format!("Secret name {:?} must be lower-case letters, digits, '-' and '.', starting and ending with a letter or digit.", self.secret_name));
        }
        let key_ok = |c: char| c.is_ascii_alphanumeric() || "-._".contains(c);
        if self.secret_key.is_empty() || !self.secret_key.chars().all(key_ok) {
            fail(
                "secret_key",
                format!(
                    "Secret key {:?} may only use letters, digits, '-', '_' and '.'.",
                    self.secret_key
                ),
            );
        }
        for e in self.values.validate() {
            fail(&format!("values.{}", e.field), e.message);
        }
        if self.scheduler.description.trim().is_empty() {
            fail(
                "scheduler.description",
                "Describe step 4's change: it is recorded in the backend's config history.".into(),
            );
        }
        self.validate_helm(&mut fail);
        if self.online_timeout.is_zero() {
            fail(
                "online_timeout",
                "The time to wait for the backend must be more than zero.".into(),
            );
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    fn validate_helm(&self, fail: &mut impl FnMut(&str, String)) {
        let h = &self.helm;
        if h.helm_path.as_os_str().is_empty() {
            fail(
                "helm.helm_path",
                "Say where helm is (a path, or `helm` to use the one on PATH).".into(),
            );
        }
        if !h.chart.starts_with(&format!("{}/", h.repo_name)) || h.repo_name.is_empty() {
            fail("helm.chart", format!("The chart {:?} must come from the repository {:?} (e.g. osmo/backend-operator).", h.chart, h.repo_name));
        }
        if !(h.repo_url.starts_with("https://") || h.repo_url.starts_with("http://")) {
            fail("helm.repo_url", format!("The chart repository {:?} must be an https:// URL (OSMO's is {OSMO_CHART_REPO_URL}).", h.repo_url));
        }
        if !semver(&h.version) {
            fail(
                "helm.version",
                format!("The chart version {:?} must look like 1.4.0.", h.version),
            );
        }
        if !dns_subdomain(&h.release) || h.release.len() > 53 {
            fail("helm.release", format!("The release name {:?} must be lower-case letters, digits, '-' and '.', at most 53 characters.", h.release));
        }
        if h.timeout.is_zero() {
            fail(
                "helm.timeout",
                "helm's time limit must be more than zero.".into(),
            );
        }
    }
}

/// One broken rule of the plan; `field` is its path (`values.image_tag`, `helm.version`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct PlanFieldError {
    pub field: String,
    pub message: String,
}

pub(crate) fn dns_label(s: &str) -> bool {
    let ok = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
    !s.is_empty() && s.len() <= 63 && s.chars().all(ok) && !s.starts_with('-') && !s.ends_with('-')
}

fn dns_subdomain(s: &str) -> bool {
    s.len() <= 253 && s.split('.').all(dns_label)
}

fn semver(v: &str) -> bool {
    let core = v
        .trim_start_matches('v')
        .split(['-', '+'])
        .next()
        .unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn fields(plan: &SetupPlan) -> Vec<String> {
        plan.validate()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn the_guides_defaults_pass() {
        let plan = SetupPlan::new("gpu", "https://osmo.example.com", "6.0.0");
        plan.validate().unwrap();
        assert_eq!(plan.operator_namespace, "osmo-operator");
        assert_eq!(plan.workflow_namespace, "osmo-workflows");
        assert_eq!(
            plan.helm.repo_url,
            "https://helm.ngc.nvidia.com/nvidia/osmo"
        );
        assert_eq!(plan.online_timeout, Duration::from_secs(300));
    }

    #[test]
    fn backend_names_that_would_leave_the_data_folder_are_refused() {
        for bad in ["../x", "/etc/evil", "a/b", "..", "gpu-", "1gpu"] {
            let plan = SetupPlan::new(bad, "https://osmo.example.com", "6.0.0");
            assert_eq!(fields(&plan), vec!["backend_name"], "{bad}");
        }
        let plan = SetupPlan::new("gpu.east_2", "https://osmo.example.com", "6.0.0");
        plan.validate().unwrap();
    }

    #[test]
    fn every_broken_field_is_named() {
        let mut plan = SetupPlan::new("gpu", "https://osmo.example.com", "6.0.0");
        plan.backend_name = " ".into();
        plan.operator_namespace = "Osmo_Operator".into();
        plan.secret_key = "to ken".into();
        plan.helm.version = "latest".into();
        plan.helm.release = "Osmo".into();
        plan.values.service_url = "osmo.example.com".into();
        plan.online_timeout = Duration::ZERO;
        plan.scheduler.description = "  ".into();
        assert_eq!(
            fields(&plan),
            vec![
                "backend_name",
                "operator_namespace",
                "secret_key",
                "values.service_url",
                "scheduler.description",
                "helm.version",
                "helm.release",
                "online_timeout"
            ]
        );
        let mut plan = SetupPlan::new("gpu", "https://osmo.example.com", "6.0.0");
        plan.workflow_namespace = plan.operator_namespace.clone();
        plan.helm.chart = "other/backend-operator".into();
        assert_eq!(fields(&plan), vec!["workflow_namespace", "helm.chart"]);
    }
}

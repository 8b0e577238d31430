//! What the `backend-operator` chart renders (osmo-api.md §6.2/§6.3): for release `R` (prefix = `global.name`
//! or `R`) the Deployments `R-osmo-backend-listener` / `R-osmo-backend-worker` (label and selector `app: <name>`)
//! and, with `enableClusterRoles`, the ServiceAccounts `R-backend-listener` / `R-backend-worker`, ClusterRoles
//! `R-listener` / `R-worker` with bindings, and Roles `R-listener-events` / `R-worker` in the backend namespace.
//!
//! With `loginMethod: token` each Deployment mounts Secret `accountTokenSecret` (item `accountTokenSecretKey` ->
//! `token.txt`) at `/opt/osmo/secrets` as the volume `account-token` and passes
//! `--token_file /opt/osmo/secrets/token.txt --login_method token --host URL --backend NAME --namespace NS`.
//! Every object carries helm's ownership metadata (`app.kubernetes.io/managed-by: Helm`,
//! `meta.helm.sh/release-name`, `meta.helm.sh/release-namespace`). Not rendered: PriorityClasses, the
//! test-runner ConfigMap, NetworkPolicy, PodMonitor.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{Deployment, DeploymentSpec};
use k8s_openapi::api::core::v1::{
    Container, ContainerPort, KeyToPath, LocalObjectReference, PodSpec, PodTemplateSpec,
    SecretVolumeSource, SecurityContext, ServiceAccount, Volume, VolumeMount,
};
use k8s_openapi::api::rbac::v1::{
    ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, RoleRef, Subject,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};

use super::values::{ChartValues, LoginMethod};

pub const CHART_NAME: &str = "backend-operator";
/// Chart version installed without `--version` (HEAD, osmo-api.md §6).
pub const LATEST_CHART_VERSION: &str = "1.4.0";
pub const APP_VERSION: &str = "6.4.0";
pub const SECRET_MOUNT: &str = "/opt/osmo/secrets";

/// The release being rendered.
pub struct ReleaseInfo<'a> {
    pub name: &'a str,
    pub namespace: &'a str,
    pub chart_version: &'a str,
}

/// The rendered objects, by kind.
#[derive(Default)]
pub struct Rendered {
    pub service_accounts: Vec<ServiceAccount>,
    pub deployments: Vec<Deployment>,
    pub cluster_roles: Vec<ClusterRole>,
    pub cluster_role_bindings: Vec<ClusterRoleBinding>,
    pub roles: Vec<Role>,
    pub role_bindings: Vec<RoleBinding>,
}

struct Ctx<'a> {
    release: &'a ReleaseInfo<'a>,
    values: &'a ChartValues,
    prefix: String,
}

impl Ctx<'_> {
    fn meta(&self, name: &str, namespace: Option<&str>, extra: &[(&str, &str)]) -> ObjectMeta {
        let mut labels = BTreeMap::from([
            (
                "app.kubernetes.io/managed-by".to_string(),
                "Helm".to_string(),
            ),
            (
                "helm.sh/chart".to_string(),
                format!("{CHART_NAME}-{}", self.release.chart_version),
            ),
        ]);
        labels.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        ObjectMeta {
            name: Some(name.to_string()),
            namespace: namespace.map(str::to_string),
            labels: Some(labels),
            annotations: Some(BTreeMap::from([
                (
                    "meta.helm.sh/release-name".to_string(),
                    self.release.name.to_string(),
                ),
                (
                    "meta.helm.sh/release-namespace".to_string(),
                    self.release.namespace.to_string(),
                ),
            ])),
            ..Default::default()
        }
    }

    fn service_account(&self, component: &str) -> ServiceAccount {
        ServiceAccount {
            metadata: self.meta(
                &format!("{}-backend-{component}", self.prefix),
                Some(&self.values.agent_namespace),
                &[],
            ),
            ..Default::default()
        }
    }

    fn deployment(&self, component: &str) -> Deployment {
        let v = self.values;
        let name = format!("{}-osmo-backend-{component}", self.prefix);
        let app = BTreeMap::from([("app".to_string(), name.clone())]);
        let (login_args, volume) = match v.login_method {
            LoginMethod::Token => (
                vec![
                    "--token_file".to_string(),
                    format!("{SECRET_MOUNT}/token.txt"),
                    "--login_method".to_string(),
                    "token".to_string(),
                ],
                secret_volume(
                    "account-token",
                    &v.account_token_secret,
                    &v.account_token_secret_key,
                    "token.txt",
                ),
            ),
            LoginMethod::Password => (
                vec![
                    "--username".to_string(),
                    v.account_username.clone(),
                    "--password_file".to_string(),
                    format!("{SECRET_MOUNT}/password.txt"),
                    "--login_method".to_string(),
                    "password".to_string(),
                ],
                secret_volume(
                    "account-password",
                    &v.account_password_secret,
                    &v.account_password_secret_key,
                    "password.txt",
                ),
            ),
        };
        let mut args = login_args;
        args.extend(
            [
                "--host",
                &v.service_url,
                "--backend",
                &v.backend_name,
                "--namespace",
                &v.backend_namespace,
            ]
            .map(str::to_string),
        );
        let container = Container {
            name: format!("backend-{component}"),
            image: Some(format!(
                "{}/backend-{component}:{}",
                v.image_location, v.image_tag
            )),
            args: Some(args),
            ports: (component == "listener").then(|| {
                vec![ContainerPort {
                    name: Some("metrics".into()),
                    container_port: 9464,
                    ..Default::default()
                }]
            }),
            resources: Some(if component == "listener" {
                v.listener_resources.clone()
            } else {
                v.worker_resources.clone()
            }),
            security_context: Some(SecurityContext {
                run_as_user: Some(1001),
                ..Default::default()
            }),
            volume_mounts: Some(vec![VolumeMount {
                name: volume.name.clone(),
                mount_path: SECRET_MOUNT.into(),
                read_only: Some(true),
                ..Default::default()
            }]),
            ..Default::default()
        };
        Deployment {
            metadata: self.meta(&name, Some(&v.agent_namespace), &[("app", &name)]),
            spec: Some(DeploymentSpec {
                replicas: Some(1),
                selector: LabelSelector {
                    match_labels: Some(app.clone()),
                    ..Default::default()
                },
                template: PodTemplateSpec {
                    metadata: Some(ObjectMeta {
                        labels: Some(app),
                        ..Default::default()
                    }),
                    spec: Some(PodSpec {
                        service_account_name: v
                            .enable_cluster_roles
                            .then(|| format!("{}-backend-{component}", self.prefix)),
                        containers: vec![container],
                        volumes: Some(vec![volume]),
                        image_pull_secrets: v
                            .image_pull_secret
                            .as_ref()
                            .map(|name| vec![LocalObjectReference { name: name.clone() }]),
                        node_selector: (!v.node_selector.is_empty())
                            .then(|| v.node_selector.clone()),
                        tolerations: (!v.tolerations.is_empty()).then(|| v.tolerations.clone()),
                        ..Default::default()
                    }),
                },
                ..Default::default()
            }),
            status: None,
        }
    }

    fn subject(&self, component: &str) -> Subject {
        Subject {
            kind: "ServiceAccount".into(),
            name: format!("{}-backend-{component}", self.prefix),
            namespace: Some(self.values.agent_namespace.clone()),
            ..Default::default()
        }
    }

    fn role_ref(kind: &str, name: &str) -> RoleRef {
        RoleRef {
            api_group: "rbac.authorization.k8s.io".into(),
            kind: kind.into(),
            name: name.into(),
        }
    }

    fn rbac(&self, rendered: &mut Rendered) {
        let p = &self.prefix;
        let backend_ns = Some(self.values.backend_namespace.as_str());
        for (name, component, rules) in [
            (
                format!("{p}-listener"),
                "listener",
                vec![
                    rule(&[""], &["pods", "nodes"], &["get", "list", "watch"]),
                    rule(&[""], &["namespaces"], &["get"]),
                ],
            ),
            (
                format!("{p}-worker"),
                "worker",
                vec![
                    rule(&[""], &["namespaces"], &["get"]),
                    rule(
                        &["scheduling.run.ai"],
                        &["queues"],
                        &["get", "list", "create", "update", "delete"],
                    ),
                    rule(
                        &["kai.scheduler"],
                        &["topologies"],
                        &["get", "list", "create", "update", "delete"],
                    ),
                ],
            ),
        ] {
            rendered.cluster_roles.push(ClusterRole {
                metadata: self.meta(&name, None, &[]),
                rules: Some(rules),
                aggregation_rule: None,
            });
            rendered.cluster_role_bindings.push(ClusterRoleBinding {
                metadata: self.meta(&name, None, &[]),
                role_ref: Self::role_ref("ClusterRole", &name),
                subjects: Some(vec![self.subject(component)]),
            });
        }
        for (name, component, rules) in [
            (
                format!("{p}-listener-events"),
                "listener",
                vec![rule(
                    &["", "events.k8s.io"],
                    &["events"],
                    &["get", "list", "watch"],
                )],
            ),
            (
                format!("{p}-worker"),
                "worker",
                vec![
                    rule(&[""], &["secrets", "pods", "services"], &["*"]),
                    rule(&[""], &["pods/log"], &["get"]),
                    rule(&["scheduling.run.ai"], &["podgroups"], &["*"]),
                ],
            ),
        ] {
            rendered.roles.push(Role {
                metadata: self.meta(&name, backend_ns, &[]),
                rules: Some(rules),
            });
            rendered.role_bindings.push(RoleBinding {
                metadata: self.meta(&name, backend_ns, &[]),
                role_ref: Self::role_ref("Role", &name),
                subjects: Some(vec![self.subject(component)]),
            });
        }
    }
}

fn rule(groups: &[&str], resources: &[&str], verbs: &[&str]) -> PolicyRule {
    let strings = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    PolicyRule {
        api_groups: Some(strings(groups)),
        resources: Some(strings(resources)),
        verbs: strings(verbs),
        ..Default::default()
    }
}

fn secret_volume(name: &str, secret: &str, key: &str, file: &str) -> Volume {
    Volume {
        name: name.into(),
        secret: Some(SecretVolumeSource {
            secret_name: Some(secret.into()),
            items: Some(vec![KeyToPath {
                key: key.into(),
                path: file.into(),
                mode: None,
            }]),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// Renders the chart for a release.
pub fn render(release: &ReleaseInfo<'_>, values: &ChartValues) -> Rendered {
    let ctx = Ctx {
        release,
        values,
        prefix: values
            .name_prefix
            .clone()
            .unwrap_or_else(|| release.name.to_string()),
    };
    let mut rendered = Rendered::default();
    if values.enable_cluster_roles {
        rendered.service_accounts = vec![
            ctx.service_account("listener"),
            ctx.service_account("worker"),
        ];
        ctx.rbac(&mut rendered);
    }
    if values.enable_non_cluster_roles {
        rendered.deployments = vec![ctx.deployment("listener"), ctx.deployment("worker")];
    }
    rendered
}

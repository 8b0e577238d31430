//! `helm upgrade [--install]` / `helm install` against the cluster, and the release records.
//!
//! Objects are written with server-side apply (field manager `helm`), after helm's ownership check (an existing
//! object must carry this release's `meta.helm.sh/release-*` annotations). The release itself is recorded like
//! helm 3 does, as Secret `sh.helm.release.v1.<release>.v<revision>` (type `helm.sh/release.v1`, labels
//! `owner=helm,name=<release>,status=deployed|superseded,version=<revision>`) in the release namespace; its
//! `release` key holds plain JSON (helm's is gzip+base64): name, namespace, version, info, chart, config, manifest.

use std::collections::BTreeMap;
use std::fmt::Debug;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Namespace, Secret, ServiceAccount};
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding, Role, RoleBinding};
use k8s_openapi::ByteString;
use kube::api::{ListParams, ObjectMeta, Patch, PatchParams, PostParams};
use kube::config::{KubeConfigOptions, Kubeconfig, KubeconfigError};
use kube::{Api, Client, Resource, ResourceExt};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

use super::chart::{self, ReleaseInfo, Rendered};
use super::{Environment, Output};

/// What the command line asked for.
pub struct Request {
    pub release: String,
    pub chart: String,
    pub chart_version: String,
    pub values: Value,
    pub namespace: Option<String>,
    pub create_namespace: bool,
    /// `helm install` (fail if the release exists) rather than `helm upgrade`.
    pub install_only: bool,
    /// `helm upgrade --install`.
    pub install: bool,
}

/// Cluster connection flags, and the environment holding `KUBECONFIG` and `HOME`.
pub struct Connection<'a> {
    pub kubeconfig: Option<String>,
    pub context: Option<String>,
    pub env: &'a Environment,
}

impl Connection<'_> {
    /// A client and the namespace to use (`--namespace`, else the context's, else `default`).
    pub async fn connect(&self, namespace: Option<&str>) -> Result<(Client, String), String> {
        let unreachable =
            |e: &dyn std::fmt::Display| format!("Kubernetes cluster unreachable: {e}");
        let kubeconfig = self.kubeconfig().map_err(|e| unreachable(&e))?;
        let options = KubeConfigOptions {
            context: self.context.clone(),
            ..Default::default()
        };
        let config = kube::Config::from_custom_kubeconfig(kubeconfig, &options)
            .await
            .map_err(|e| unreachable(&e))?;
        let namespace = namespace.map_or_else(|| config.default_namespace.clone(), str::to_string);
        let client = Client::try_from(config).map_err(|e| unreachable(&e))?;
        Ok((client, namespace))
    }

    /// `--kubeconfig`, else the files of `KUBECONFIG` merged, else `~/.kube/config` (as kubectl).
    fn kubeconfig(&self) -> Result<Kubeconfig, KubeconfigError> {
        if let Some(path) = &self.kubeconfig {
            return Kubeconfig::read_from(self.env.resolve(path));
        }
        let listed: Vec<_> = self
            .env
            .var("KUBECONFIG")
            .map(|v| std::env::split_paths(v).collect())
            .unwrap_or_default();
        let listed: Vec<_> = listed
            .into_iter()
            .filter(|p| !p.as_os_str().is_empty())
            .collect();
        if !listed.is_empty() {
            return listed
                .iter()
                .try_fold(Kubeconfig::default(), |merged, path| {
                    Kubeconfig::read_from(self.env.resolve(path)).and_then(|c| merged.merge(c))
                });
        }
        let home = self.env.path("HOME").ok_or(KubeconfigError::FindPath)?;
        Kubeconfig::read_from(home.join(".kube").join("config"))
    }
}

const RELEASE_NAME_RULE: &str =
    "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

fn valid_release_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 53
        && name.split('.').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !part.starts_with('-')
                && !part.ends_with('-')
        })
}

pub fn api_error(e: kube::Error) -> String {
    match e {
        kube::Error::Api(status) => status.message.clone(),
        other => other.to_string(),
    }
}

pub fn is_not_found(e: &kube::Error) -> bool {
    matches!(e, kube::Error::Api(s) if s.code == 404)
}

/// The revisions of a release, newest last.
pub async fn revisions(secrets: &Api<Secret>, release: &str) -> Result<Vec<(u32, Secret)>, String> {
    let list = secrets
        .list(&ListParams::default().labels(&format!("owner=helm,name={release}")))
        .await
        .map_err(|e| format!("Kubernetes cluster unreachable: {e}"))?;
    let mut revisions: Vec<(u32, Secret)> = list
        .items
        .into_iter()
        .filter_map(|s| Some((s.labels().get("version")?.parse().ok()?, s)))
        .collect();
    revisions.sort_by_key(|(v, _)| *v);
    Ok(revisions)
}

/// `helm upgrade [--install] R CHART ...` and `helm install R CHART ...`.
pub async fn install_or_upgrade(
    request: Request,
    connection: &Connection<'_>,
    out: &mut impl Output,
) -> Result<(), String> {
    // helm prefixes errors with "INSTALLATION FAILED: " (install) or "UPGRADE FAILED: " (upgrade of an existing
    // release); `upgrade --install` of a new release reports install errors without a prefix.
    let mut failed = if request.install_only {
        "INSTALLATION FAILED: "
    } else {
        "UPGRADE FAILED: "
    };
    if !valid_release_name(&request.release) {
        return Err(format!(
            "release name \"{}\": invalid release name, must match regex {RELEASE_NAME_RULE} and the length must \
             not be longer than 53",
            request.release
        ));
    }
    let (values, warnings) = super::values::load(request.values.clone())?;
    for warning in warnings {
        out.stderr(&format!("WARNING: {warning}"));
    }
    let (client, namespace) = connection.connect(request.namespace.as_deref()).await?;
    let secrets: Api<Secret> = Api::namespaced(client.clone(), &namespace);
    let existing = revisions(&secrets, &request.release).await?;
    let fresh = existing.is_empty();
    if request.install_only && !fresh {
        return Err(format!("{failed}cannot re-use a name that is still in use"));
    }
    if !request.install_only && fresh {
        if !request.install {
            return Err(format!(
                "{failed}\"{}\" has no deployed releases",
                request.release
            ));
        }
        out.stdout(&format!(
            "Release \"{}\" does not exist. Installing it now.",
            request.release
        ));
    }
    if fresh && !request.install_only {
        failed = "";
    }

    let namespaces: Api<Namespace> = Api::all(client.clone());
    if fresh {
        match namespaces.get(&namespace).await {
            Ok(_) => {}
            Err(e) if is_not_found(&e) && request.create_namespace => {
                let ns = Namespace {
                    metadata: ObjectMeta {
                        name: Some(namespace.clone()),
                        ..Default::default()
                    },
                    ..Default::default()
                };
                namespaces
                    .create(&PostParams::default(), &ns)
                    .await
                    .map_err(|e| format!("{failed}create: failed to create: {}", api_error(e)))?;
            }
            Err(e) if is_not_found(&e) => {
                return Err(format!(
                    "{failed}create: failed to create: namespaces \"{namespace}\" not found"
                ))
            }
            Err(e) => return Err(format!("Kubernetes cluster unreachable: {e}")),
        }
    }

    let info = ReleaseInfo {
        name: &request.release,
        namespace: &namespace,
        chart_version: &request.chart_version,
    };
    let rendered = chart::render(&info, &values);
    let mut needed: Vec<&str> = Vec::new();
    if !rendered.deployments.is_empty() || !rendered.service_accounts.is_empty() {
        needed.push(&values.agent_namespace);
    }
    if !rendered.roles.is_empty() {
        needed.push(&values.backend_namespace);
    }
    for ns in needed {
        if let Err(e) = namespaces.get(ns).await {
            return Err(if is_not_found(&e) {
                format!("{failed}failed to create resource: namespaces \"{ns}\" not found")
            } else {
                format!("{failed}{}", api_error(e))
            });
        }
    }

    let applier = Applier {
        client: client.clone(),
        release: request.release.clone(),
        namespace: namespace.clone(),
        failed,
    };
    applier.run(&rendered, Phase::Check).await?;
    applier.run(&rendered, Phase::Apply).await?;

    let revision = existing.last().map_or(1, |(v, _)| v + 1);
    let now = chrono::Utc::now();
    let first_deployed = existing
        .first()
        .and_then(|(_, s)| {
            s.metadata
                .creation_timestamp
                .as_ref()
                .map(|t| t.0.to_string())
        })
        .unwrap_or_else(|| now.to_rfc3339());
    for (version, secret) in &existing {
        if secret.labels().get("status").map(String::as_str) == Some("deployed") {
            let patch = json!({"metadata": {"labels": {"status": "superseded"}}});
            secrets
                .patch(
                    &secret.name_any(),
                    &PatchParams::default(),
                    &Patch::Merge(&patch),
                )
                .await
                .map_err(|e| format!("{failed}superseding revision {version}: {}", api_error(e)))?;
        }
    }
    let record = json!({
        "name": request.release,
        "namespace": namespace,
        "version": revision,
        "info": {
            "status": "deployed",
            "first_deployed": first_deployed,
            "last_deployed": now.to_rfc3339(),
            "description": if fresh { "Install complete" } else { "Upgrade complete" },
        },
        "chart": {"metadata": {
            "name": request.chart,
            "version": request.chart_version,
            "appVersion": chart::APP_VERSION,
        }},
        "config": values.supplied,
        "manifest": manifest(&rendered),
    });
    let secret = Secret {
        metadata: ObjectMeta {
            name: Some(format!(
                "sh.helm.release.v1.{}.v{revision}",
                request.release
            )),
            namespace: Some(namespace.clone()),
            labels: Some(BTreeMap::from(
                [
                    ("name", request.release.clone()),
                    ("owner", "helm".into()),
                    ("status", "deployed".into()),
                    ("version", revision.to_string()),
                    ("modifiedAt", now.timestamp().to_string()),
                ]
                .map(|(k, v)| (k.to_string(), v)),
            )),
            ..Default::default()
        },
        type_: Some("helm.sh/release.v1".into()),
        data: Some(BTreeMap::from([(
            "release".to_string(),
            ByteString(record.to_string().into_bytes()),
        )])),
        ..Default::default()
    };
    secrets
        .create(&PostParams::default(), &secret)
        .await
        .map_err(|e| format!("{failed}recording the release: {}", api_error(e)))?;

    if !fresh {
        out.stdout(&format!(
            "Release \"{}\" has been upgraded. Happy Helming!",
            request.release
        ));
    }
    out.stdout(&format!("NAME: {}", request.release));
    out.stdout(&format!(
        "LAST DEPLOYED: {}",
        now.with_timezone(&chrono::Local)
            .format("%a %b %e %H:%M:%S %Y")
    ));
    out.stdout(&format!("NAMESPACE: {namespace}"));
    out.stdout("STATUS: deployed");
    out.stdout(&format!("REVISION: {revision}"));
    out.stdout("TEST SUITE: None");
    Ok(())
}

/// `kind/namespace/name` of every rendered object, for the release record and `uninstall`.
fn manifest(rendered: &Rendered) -> Vec<Value> {
    fn entries<K: Resource<DynamicType = ()>>(objects: &[K]) -> Vec<Value> {
        objects
            .iter()
            .map(|o| {
                json!({
                    "kind": K::kind(&()),
                    "apiVersion": K::api_version(&()),
                    "namespace": o.meta().namespace,
                    "name": o.meta().name,
                })
            })
            .collect()
    }
    [
        entries(&rendered.service_accounts),
        entries(&rendered.cluster_roles),
        entries(&rendered.cluster_role_bindings),
        entries(&rendered.roles),
        entries(&rendered.role_bindings),
        entries(&rendered.deployments),
    ]
    .concat()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Helm's ownership check, before anything is written.
    Check,
    Apply,
}

struct Applier {
    client: Client,
    release: String,
    namespace: String,
    failed: &'static str,
}

impl Applier {
    async fn run(&self, rendered: &Rendered, phase: Phase) -> Result<(), String> {
        for o in &rendered.service_accounts {
            self.one(self.namespaced::<ServiceAccount>(&o.metadata), o, phase)
                .await?;
        }
        for o in &rendered.cluster_roles {
            self.one(Api::<ClusterRole>::all(self.client.clone()), o, phase)
                .await?;
        }
        for o in &rendered.cluster_role_bindings {
            self.one(
                Api::<ClusterRoleBinding>::all(self.client.clone()),
                o,
                phase,
            )
            .await?;
        }
        for o in &rendered.roles {
            self.one(self.namespaced::<Role>(&o.metadata), o, phase)
                .await?;
        }
        for o in &rendered.role_bindings {
            self.one(self.namespaced::<RoleBinding>(&o.metadata), o, phase)
                .await?;
        }
        for o in &rendered.deployments {
            self.one(self.namespaced::<Deployment>(&o.metadata), o, phase)
                .await?;
        }
        Ok(())
    }

    fn namespaced<K>(&self, meta: &ObjectMeta) -> Api<K>
    where
        K: Resource<Scope = k8s_openapi::NamespaceResourceScope, DynamicType = ()>,
    {
        Api::namespaced(
            self.client.clone(),
            meta.namespace.as_deref().unwrap_or("default"),
        )
    }

    async fn one<K>(&self, api: Api<K>, object: &K, phase: Phase) -> Result<(), String>
    where
        K: Resource<DynamicType = ()> + Clone + Debug + Serialize + DeserializeOwned,
    {
        let name = object.meta().name.clone().unwrap_or_default();
        match phase {
            Phase::Check => match api.get_opt(&name).await {
                Ok(Some(current)) => self.check_owner(&current),
                Ok(None) => Ok(()),
                Err(e) => Err(format!("{}{}", self.failed, api_error(e))),
            },
            Phase::Apply => {
                let params = PatchParams::apply("helm").force();
                api.patch(&name, &params, &Patch::Apply(object))
                    .await
                    .map(|_| ())
                    .map_err(|e| {
                        format!(
                            "{}failed to apply {} \"{name}\": {}",
                            self.failed,
                            K::kind(&()),
                            api_error(e)
                        )
                    })
            }
        }
    }

    fn check_owner<K: Resource<DynamicType = ()>>(&self, current: &K) -> Result<(), String> {
        let annotations = current.meta().annotations.clone().unwrap_or_default();
        let mut problems = Vec::new();
        for (key, want) in [
            ("meta.helm.sh/release-name", &self.release),
            ("meta.helm.sh/release-namespace", &self.namespace),
        ] {
            match annotations.get(key) {
                None => problems.push(format!("missing key \"{key}\": must be set to \"{want}\"")),
                Some(have) if have != want => problems.push(format!(
                    "key \"{key}\" must equal \"{want}\": current value is \"{have}\""
                )),
                Some(_) => {}
            }
        }
        if problems.is_empty() {
            return Ok(());
        }
        let meta = current.meta();
        let place = meta
            .namespace
            .as_ref()
            .map(|ns| format!(" in namespace \"{ns}\""))
            .unwrap_or_default();
        Err(format!(
            "{}rendered manifests contain a resource that already exists. Unable to continue with install: \
             {} \"{}\"{place} exists and cannot be imported into the current release: invalid ownership \
             metadata; annotation validation error: {}",
            self.failed,
            K::kind(&()),
            meta.name.clone().unwrap_or_default(),
            problems.join("; annotation validation error: ")
        ))
    }
}

/// The JSON release record kept in a release Secret (`Null` if unreadable).
pub fn read_record(secret: &Secret) -> Value {
    secret
        .data
        .as_ref()
        .and_then(|d| d.get("release"))
        .and_then(|b| serde_json::from_slice(&b.0).ok())
        .unwrap_or(Value::Null)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn release_names_follow_helm() {
        assert!(valid_release_name("osmo-operator"));
        assert!(!valid_release_name("Osmo"));
        assert!(!valid_release_name("-x"));
        assert!(!valid_release_name(&"a".repeat(54)));
    }
}

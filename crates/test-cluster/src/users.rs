//! Extra, less privileged users for permission tests.
//!
//! The API server's static token file is read only at start, so extra users are **ServiceAccounts** in the
//! namespace [`TestUser::NAMESPACE`] with a token from the TokenRequest API (`serviceaccounts/<name>/token`).
//! A new user can do nothing (RBAC denies with 403) until a role is bound with
//! [`TestCluster::bind_cluster_role`], or with your own `Role`/`ClusterRole` + binding created through
//! [`TestCluster::client`] for [`TestUser::subject`].

use std::path::{Path, PathBuf};

use k8s_openapi::api::authentication::v1::{TokenRequest, TokenRequestSpec};
use k8s_openapi::api::core::v1::{Namespace, ServiceAccount};
use k8s_openapi::api::rbac::v1::{ClusterRoleBinding, RoleBinding, RoleRef, Subject};
use kube::api::{ObjectMeta, PostParams};
use kube::config::Kubeconfig;
use kube::Api;

use crate::cluster::client_from_kubeconfig;
use crate::{Error, TestCluster};

/// A ServiceAccount-backed user of a [`TestCluster`], with its own kubeconfig.
#[derive(Debug, Clone)]
pub struct TestUser {
    name: String,
    token: String,
    kubeconfig: PathBuf,
}

impl TestUser {
    /// Namespace holding the users' ServiceAccounts.
    pub const NAMESPACE: &'static str = "osmo-test-users";

    /// The ServiceAccount's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The username the API server sees: `system:serviceaccount:osmo-test-users:<name>`.
    pub fn username(&self) -> String {
        format!("system:serviceaccount:{}:{}", Self::NAMESPACE, self.name)
    }

    /// The RBAC subject to bind roles to.
    pub fn subject(&self) -> Subject {
        Subject {
            kind: "ServiceAccount".into(),
            name: self.name.clone(),
            namespace: Some(Self::NAMESPACE.into()),
            ..Default::default()
        }
    }

    /// The bearer token (valid 24 h).
    pub fn token(&self) -> &str {
        &self.token
    }

    /// A kubeconfig with one context named after the user (namespace `default`), same server and CA.
    pub fn kubeconfig_path(&self) -> &Path {
        &self.kubeconfig
    }

    /// A `kube::Client` acting as this user.
    pub async fn client(&self) -> Result<kube::Client, Error> {
        client_from_kubeconfig(&self.kubeconfig).await
    }
}

impl TestCluster {
    /// Creates ServiceAccount `name` (a DNS label) in [`TestUser::NAMESPACE`], requests a token for it and writes
    /// `<run dir>/users/<name>.kubeconfig`. The user has no permissions yet.
    pub async fn add_user(&self, name: &str) -> Result<TestUser, Error> {
        let client = self.client().await?;
        let namespaces: Api<Namespace> = Api::all(client.clone());
        let ns = Namespace {
            metadata: ObjectMeta {
                name: Some(TestUser::NAMESPACE.into()),
                ..Default::default()
            },
            ..Default::default()
        };
        ignore_conflict(namespaces.create(&PostParams::default(), &ns).await)?;

        let accounts: Api<ServiceAccount> = Api::namespaced(client, TestUser::NAMESPACE);
        let account = ServiceAccount {
            metadata: ObjectMeta {
                name: Some(name.into()),
                ..Default::default()
            },
            ..Default::default()
        };
        accounts.create(&PostParams::default(), &account).await?;
        let request = TokenRequest {
            metadata: ObjectMeta::default(),
            spec: TokenRequestSpec {
                audiences: Vec::new(),
                expiration_seconds: Some(24 * 3600),
                bound_object_ref: None,
            },
            status: None,
        };
        let answer: TokenRequest = accounts
            .create_subresource("token", name, &PostParams::default(), &request)
            .await?;
        let token = answer
            .status
            .map(|s| s.token)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                Error::Other(format!("the TokenRequest for {name} returned no token"))
            })?;

        let admin = Kubeconfig::read_from(self.kubeconfig_path())?;
        let ca = admin
            .clusters
            .iter()
            .find_map(|c| {
                c.cluster
                    .as_ref()
                    .and_then(|c| c.certificate_authority_data.clone())
            })
            .ok_or_else(|| Error::Other("the admin kubeconfig has no CA data".into()))?;
        let dir = self.run_dir().join("users");
        std::fs::create_dir_all(&dir)
            .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
        let path = dir.join(format!("{name}.kubeconfig"));
        let text = format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: local\n  cluster:\n    server: {server}\n    \
             certificate-authority-data: {ca}\nusers:\n- name: {name}\n  user:\n    token: {token}\n\
             contexts:\n- name: {name}\n  context:\n    cluster: local\n    user: {name}\n    namespace: default\n\
             current-context: {name}\n",
            server = self.server_url(),
        );
        std::fs::write(&path, text)
            .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
        Ok(TestUser {
            name: name.into(),
            token,
            kubeconfig: path,
        })
    }

    /// Binds ClusterRole `cluster_role` (e.g. the built-in `view`, `edit`, `admin`, `cluster-admin`, or one you
    /// created) to `user`: in `namespace` only (a RoleBinding) or cluster-wide (`None`, a ClusterRoleBinding).
    pub async fn bind_cluster_role(
        &self,
        user: &TestUser,
        cluster_role: &str,
        namespace: Option<&str>,
    ) -> Result<(), Error> {
        let client = self.client().await?;
        let name = format!(
            "osmo-test-{}-{}",
            user.name(),
            cluster_role.replace(':', "-")
        );
        let metadata = ObjectMeta {
            name: Some(name),
            ..Default::default()
        };
        let role_ref = RoleRef {
            api_group: "rbac.authorization.k8s.io".into(),
            kind: "ClusterRole".into(),
            name: cluster_role.into(),
        };
        let subjects = Some(vec![user.subject()]);
        match namespace {
            Some(ns) => {
                let binding = RoleBinding {
                    metadata,
                    role_ref,
                    subjects,
                };
                Api::<RoleBinding>::namespaced(client, ns)
                    .create(&PostParams::default(), &binding)
                    .await?;
            }
            None => {
                let binding = ClusterRoleBinding {
                    metadata,
                    role_ref,
                    subjects,
                };
                Api::<ClusterRoleBinding>::all(client)
                    .create(&PostParams::default(), &binding)
                    .await?;
            }
        }
        Ok(())
    }
}

/// Treats 409 AlreadyExists as success.
fn ignore_conflict<T>(result: Result<T, kube::Error>) -> Result<(), Error> {
    match result {
        Ok(_) => Ok(()),
        Err(kube::Error::Api(status)) if status.code == 409 => Ok(()),
        Err(e) => Err(e.into()),
    }
}

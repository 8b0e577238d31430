//! The list of contexts the Connections screen shows, merged across files as kubectl merges them.
//!
//! Scope: for every context name (first file wins) its cluster and server, user, default namespace,
//! [`AuthKind`] and source file; names defined again in later files (ignored, as in kubectl); dangling
//! references (a cluster or user no file defines); which context is current; and each file's state.
//!
//! Non-goals: connecting (see `connect.rs`), validating certificates or tokens (see `probe.rs`).

use std::path::PathBuf;

use kube::config::{AuthInfo, Cluster, Kubeconfig, NamedAuthInfo, NamedCluster};
use serde::Serialize;

use crate::kubeconfig::{FileStatus, KubeconfigSet, SourceFile};

/// How a context's user authenticates, in the order kube-rs picks when several are set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum AuthKind {
    /// An `auth-provider` (OIDC, legacy GCP/Azure).
    AuthProvider {
        /// The provider's name (`oidc`, `gcp`, ...).
        name: String,
    },
    /// Username and password.
    Basic {
        /// The username.
        username: String,
    },
    /// A bearer token written in the kubeconfig.
    Token,
    /// A bearer token read from a file.
    TokenFile {
        /// The token file (absolute).
        path: String,
    },
    /// An exec credential plugin.
    Exec {
        /// The plugin command.
        command: String,
        /// Its arguments.
        args: Vec<String>,
        /// The environment the kubeconfig sets for it (e.g. `AWS_PROFILE`), in order; values of
        /// names that look secret are left out.
        env: Vec<ExecEnvVar>,
    },
    /// A TLS client certificate.
    ClientCertificate,
    /// No credentials: requests are anonymous.
    None,
}

impl AuthKind {
    /// What `user` authenticates with.
    pub fn of(user: &AuthInfo) -> AuthKind {
        if let Some(provider) = &user.auth_provider {
            return AuthKind::AuthProvider {
                name: provider.name.clone(),
            };
        }
        if let (Some(username), Some(_)) = (&user.username, &user.password) {
            return AuthKind::Basic {
                username: username.clone(),
            };
        }
        if user.token.is_some() {
            return AuthKind::Token;
        }
        if let Some(path) = &user.token_file {
            return AuthKind::TokenFile { path: path.clone() };
        }
        if let Some(exec) = &user.exec {
            return AuthKind::Exec {
                command: exec.command.clone().unwrap_or_default(),
                args: exec.args.clone().unwrap_or_default(),
                env: exec
                    .env
                    .iter()
                    .flatten()
                    .filter_map(|e| {
                        let name = e.get("name")?.clone();
                        let value = e.get("value").cloned().filter(|_| !looks_secret(&name));
                        Some(ExecEnvVar { name, value })
                    })
                    .collect(),
            };
        }
        if user.client_certificate.is_some() || user.client_certificate_data.is_some() {
            return AuthKind::ClientCertificate;
        }
        AuthKind::None
    }
}

/// One environment variable an exec plugin's configuration sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExecEnvVar {
    /// The variable's name.
    pub name: String,
    /// Its value; `None` when the name looks like it holds a secret (token, password, key...).
    pub value: Option<String>,
}

/// Whether an environment variable's name suggests a secret value, which the list must not show.
fn looks_secret(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    [
        "TOKEN",
        "SECRET",
        "PASSWORD",
        "PASSWD",
        "KEY",
        "CREDENTIAL",
        "AUTH",
        "SESSION",
        "COOKIE",
    ]
    .iter()
    .any(|word| upper.contains(word))
}

/// One context as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContextInfo {
    /// The context's name.
    pub name: String,
    /// The file whose definition is used.
    pub source: PathBuf,
    /// Later files that define the same name; their definitions are ignored.
    pub ignored_duplicates: Vec<PathBuf>,
    /// The cluster's name.
    pub cluster: String,
    /// The cluster's server URL, if the cluster is defined.
    pub server: Option<String>,
    /// The user's name, if the context names one.
    pub user: Option<String>,
    /// The default namespace, if set.
    pub namespace: Option<String>,
    /// How the user authenticates.
    pub auth: AuthKind,
    /// Whether this is the current context.
    pub is_current: bool,
    /// Problems that make the context unusable or surprising, each a sentence.
    pub problems: Vec<String>,
}

/// The Connections screen's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContextList {
    /// Every context, in merge order.
    pub contexts: Vec<ContextInfo>,
    /// The current context's name, if a file sets one.
    pub current_context: Option<String>,
    /// The file that sets it.
    pub current_context_source: Option<PathBuf>,
    /// Each file's state.
    pub files: Vec<FileStatus>,
    /// Where kubectl sees another configuration than this list or fails where the app goes on
    /// (see [`KubeconfigSet::kubectl_differences`]), each a sentence.
    pub kubectl_differences: Vec<String>,
}

impl KubeconfigSet {
    /// The merged list of contexts.
    pub fn contexts(&self) -> ContextList {
        let docs: Vec<(&SourceFile, &Kubeconfig)> = self.documents().collect();
        let current = self
            .current_context()
            .map(|(n, p)| (n.to_string(), p.to_path_buf()));
        let mut contexts: Vec<ContextInfo> = Vec::new();
        for (source, doc) in &docs {
            for named in &doc.contexts {
                if let Some(existing) = contexts.iter_mut().find(|c| c.name == named.name) {
                    existing.ignored_duplicates.push(source.path.clone());
                    continue;
                }
                let context = named.context.clone().unwrap_or_default();
                let mut problems = Vec::new();
                let cluster = first_cluster(&docs, &context.cluster);
                let server = match cluster {
                    None => {
                        problems.push(format!(
                            "cluster \"{}\" is not defined in any kubeconfig file",
                            context.cluster
                        ));
                        None
                    }
                    Some((_, c)) => {
                        if c.server.is_none() {
                            problems.push(format!(
                                "cluster \"{}\" has no server address",
                                context.cluster
                            ));
                        }
                        c.server.clone()
                    }
                };
                if let Some((winner, _)) = cluster {
                    note_shadowed(
                        &docs,
                        "cluster",
                        &context.cluster,
                        winner,
                        &mut problems,
                        |d| d.clusters.iter().map(|c: &NamedCluster| &c.name).collect(),
                    );
                }
                let user = context.user.clone().filter(|u| !u.is_empty());
                let auth = match &user {
                    None => AuthKind::None,
                    Some(name) => match first_user(&docs, name) {
                        None => {
                            problems.push(format!(
                                "user \"{name}\" is not defined in any kubeconfig file"
                            ));
                            AuthKind::None
                        }
                        Some((winner, info)) => {
                            note_shadowed(&docs, "user", name, winner, &mut problems, |d| {
                                d.auth_infos
                                    .iter()
                                    .map(|u: &NamedAuthInfo| &u.name)
                                    .collect()
                            });
                            AuthKind::of(info)
                        }
                    },
                };
                contexts.push(ContextInfo {
                    name: named.name.clone(),
                    source: source.path.clone(),
                    ignored_duplicates: Vec::new(),
                    cluster: context.cluster.clone(),
                    server,
                    user,
                    namespace: context.namespace.clone(),
                    auth,
                    is_current: current.as_ref().is_some_and(|(n, _)| *n == named.name),
                    problems,
                });
            }
        }
        ContextList {
            contexts,
            current_context: current.as_ref().map(|(n, _)| n.clone()),
            current_context_source: current.map(|(_, p)| p),
            files: self.files(),
            kubectl_differences: self.kubectl_differences(),
        }
    }
}

/// The first file's definition of cluster `name`, with that file's position.
pub(crate) fn first_cluster<'a>(
    docs: &[(&SourceFile, &'a Kubeconfig)],
    name: &str,
) -> Option<(usize, &'a Cluster)> {
    docs.iter().enumerate().find_map(|(i, (_, d))| {
        d.clusters
            .iter()
            .find(|c| c.name == name)
            .map(|c| (i, c.cluster.as_ref().unwrap_or(&EMPTY_CLUSTER)))
    })
}

/// The first file's definition of user `name`, with that file's position.
pub(crate) fn first_user<'a>(
    docs: &[(&SourceFile, &'a Kubeconfig)],
    name: &str,
) -> Option<(usize, &'a AuthInfo)> {
    docs.iter().enumerate().find_map(|(i, (_, d))| {
        d.auth_infos
            .iter()
            .find(|u| u.name == name)
            .map(|u| (i, u.auth_info.as_ref().unwrap_or(&EMPTY_USER)))
    })
}

static EMPTY_CLUSTER: std::sync::LazyLock<Cluster> = std::sync::LazyLock::new(Cluster::default);
static EMPTY_USER: std::sync::LazyLock<AuthInfo> = std::sync::LazyLock::new(AuthInfo::default);

/// Notes when a later file also defines the cluster or user the context uses (its definition is ignored).
fn note_shadowed<'a>(
    docs: &[(&SourceFile, &'a Kubeconfig)],
    what: &str,
    name: &str,
    winner: usize,
    problems: &mut Vec<String>,
    names: impl Fn(&'a Kubeconfig) -> Vec<&'a String>,
) {
    for (source, doc) in docs.iter().skip(winner + 1) {
        if names(doc).iter().any(|n| n.as_str() == name) {
            problems.push(format!(
                "{what} \"{name}\" is also defined in {}; the definition in {} is used",
                source.path.display(),
                docs[winner].0.path.display()
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kubeconfig::FileOrigin;
    use crate::test_support::{fixture, fixtures_dir};

    fn find<'a>(list: &'a ContextList, name: &str) -> &'a ContextInfo {
        list.contexts
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("context {name} not listed: {list:#?}"))
    }

    #[test]
    fn first_file_wins_duplicates_are_flagged_and_current_context_is_the_first_set() {
        let set = KubeconfigSet::load(vec![
            fixture("team-a.yaml", FileOrigin::KubeconfigEnv),
            fixture("team-b.yaml", FileOrigin::KubeconfigEnv),
        ]);
        let list = set.contexts();
        let names: Vec<_> = list.contexts.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, vec!["team-a", "shared", "team-b"]);

        let shared = find(&list, "shared");
        assert!(shared.source.ends_with("team-a.yaml"));
        assert_eq!(shared.ignored_duplicates.len(), 1);
        assert!(shared.ignored_duplicates[0].ends_with("team-b.yaml"));
        assert_eq!(
            shared.server.as_deref(),
            Some("https://shared-from-a.example.com")
        );
        assert_eq!(shared.namespace, None);
        assert!(
            shared
                .problems
                .iter()
                .any(|p| p.contains("cluster \"shared-cluster\" is also defined in")),
            "{:?}",
            shared.problems
        );

        let team_b = find(&list, "team-b");
        assert!(team_b.source.ends_with("team-b.yaml"));
        assert!(team_b.ignored_duplicates.is_empty());
        assert_eq!(team_b.user.as_deref(), Some("bob"));

        assert_eq!(list.current_context.as_deref(), Some("team-a"));
        assert!(list
            .current_context_source
            .as_ref()
            .is_some_and(|p| p.ends_with("team-a.yaml")));
        assert!(find(&list, "team-a").is_current);
        assert!(!team_b.is_current);
        assert_eq!(
            find(&list, "team-a").namespace.as_deref(),
            Some("team-a-ns")
        );
    }

    #[test]
    fn order_decides_the_winner() {
        let set = KubeconfigSet::load(vec![
            fixture("team-b.yaml", FileOrigin::KubeconfigEnv),
            fixture("team-a.yaml", FileOrigin::KubeconfigEnv),
        ]);
        let list = set.contexts();
        let shared = find(&list, "shared");
        assert!(shared.source.ends_with("team-b.yaml"));
        assert_eq!(shared.namespace.as_deref(), Some("from-b"));
        assert_eq!(shared.server.as_deref(), Some("https://b.example.com:6443"));
        assert_eq!(list.current_context.as_deref(), Some("team-b"));
    }

    #[test]
    fn each_auth_kind_is_recognised() {
        let set = KubeconfigSet::load(vec![fixture("auth-kinds.yaml", FileOrigin::Extra)]);
        let list = set.contexts();
        let dir = fixtures_dir();
        let expect = [
            ("token", AuthKind::Token),
            (
                "token-file",
                AuthKind::TokenFile {
                    path: dir.join("tokens/sa-token").to_string_lossy().into_owned(),
                },
            ),
            ("cert", AuthKind::ClientCertificate),
            (
                "exec",
                AuthKind::Exec {
                    command: "gke-gcloud-auth-plugin".into(),
                    args: vec!["--use_application_default_credentials".into()],
                    env: Vec::new(),
                },
            ),
            (
                "oidc",
                AuthKind::AuthProvider {
                    name: "oidc".into(),
                },
            ),
            (
                "basic",
                AuthKind::Basic {
                    username: "admin".into(),
                },
            ),
            ("none", AuthKind::None),
            ("no-user", AuthKind::None),
        ];
        for (name, kind) in expect {
            let info = find(&list, name);
            assert_eq!(info.auth, kind, "context {name}");
            assert!(info.problems.is_empty(), "{name}: {:?}", info.problems);
            assert_eq!(info.server.as_deref(), Some("https://c.example.com:6443"));
        }
        assert_eq!(find(&list, "exec").namespace.as_deref(), Some("gpu"));
    }

    #[test]
    fn dangling_cluster_and_user_are_problems_not_failures() {
        let set = KubeconfigSet::load(vec![fixture("auth-kinds.yaml", FileOrigin::Extra)]);
        let list = set.contexts();
        let dangling = find(&list, "dangling");
        assert_eq!(dangling.server, None);
        assert_eq!(dangling.problems.len(), 2, "{:?}", dangling.problems);
        assert!(dangling.problems[0].contains("cluster \"nowhere\""));
        assert!(dangling.problems[1].contains("user \"nobody\""));
    }

    #[test]
    fn a_broken_file_does_not_hide_the_others() {
        let set = KubeconfigSet::load(vec![
            fixture("broken.yaml", FileOrigin::KubeconfigEnv),
            fixture("team-b.yaml", FileOrigin::KubeconfigEnv),
        ]);
        let list = set.contexts();
        assert_eq!(list.contexts.len(), 2);
        assert_eq!(list.current_context.as_deref(), Some("team-b"));
        assert!(list.files[0].error.is_some());
        assert!(list.files[1].error.is_none());
    }

    #[test]
    fn an_exec_plugins_environment_is_shown_without_secret_values() {
        let user: AuthInfo = serde_json::from_value(serde_json::json!({
            "exec": {
                "apiVersion": "client.authentication.k8s.io/v1beta1",
                "command": "aws",
                "args": ["eks", "get-token"],
                "env": [
                    {"name": "AWS_PROFILE", "value": "prod-admin"},
                    {"name": "AWS_SECRET_ACCESS_KEY", "value": "do-not-show"},
                    {"name": "VAULT_TOKEN", "value": "do-not-show"}
                ]
            }
        }))
        .expect("an AuthInfo");
        let AuthKind::Exec { env, .. } = AuthKind::of(&user) else {
            panic!("an exec user");
        };
        assert_eq!(
            env,
            vec![
                ExecEnvVar {
                    name: "AWS_PROFILE".into(),
                    value: Some("prod-admin".into())
                },
                ExecEnvVar {
                    name: "AWS_SECRET_ACCESS_KEY".into(),
                    value: None
                },
                ExecEnvVar {
                    name: "VAULT_TOKEN".into(),
                    value: None
                },
            ]
        );
    }
}

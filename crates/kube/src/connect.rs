//! Building a `kube::Client` for one context of a [`KubeconfigSet`].
//!
//! Scope: resolve a context across files with kubectl's first-wins rule ([`KubeconfigSet::resolve`]),
//! hand kube-rs a one-context kubeconfig, set connect/request timeouts, and prepare exec credential
//! plugins: kube-rs runs them itself (it reads `env` from the exec config and inherits the process
//! environment), so the login-shell PATH is injected as the first `env` entry (a PATH the kubeconfig sets
//! itself still wins), interactive mode is turned off so that the plugin's stderr is captured, a missing
//! plugin binary is named before anything runs, and the whole client construction (which runs the plugin
//! synchronously inside kube-rs) is bounded by [`ConnectOptions::exec_timeout`].
//!
//! Non-goals: choosing what to request (see `probe.rs`), interactive plugin logins.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use kube::config::{
    AuthInfo, Context, ExecInteractiveMode, KubeConfigOptions, Kubeconfig, NamedAuthInfo,
    NamedCluster, NamedContext,
};

use crate::contexts::{first_cluster, first_user, AuthKind};
use crate::exec_path::find_on_path;
use crate::failure::{self, Target};
use crate::file_references::inline_file_references;
use crate::kubeconfig::{KubeconfigSet, SourceFile};
use crate::Error;

/// Timeouts and the plugin PATH for [`client_for`].
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    /// Limit for the TCP connection and TLS handshake.
    pub connect_timeout: Duration,
    /// Limit for each request's answer.
    pub request_timeout: Duration,
    /// Limit for an exec credential plugin to print its credential.
    pub exec_timeout: Duration,
    /// PATH for exec credential plugins (from [`crate::login_shell_path`]); `None` keeps the process's.
    pub exec_path: Option<OsString>,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(10),
            exec_timeout: Duration::from_secs(30),
            exec_path: None,
        }
    }
}

/// One context with the cluster and user it resolves to (first file wins for each name).
#[derive(Debug, Clone)]
pub struct ResolvedContext {
    /// The context's name.
    pub name: String,
    /// The file whose definition of the context is used.
    pub source: PathBuf,
    /// The cluster's name.
    pub cluster: String,
    /// The server URL.
    pub server: String,
    /// The user's name (empty when the context names none).
    pub user: String,
    /// The default namespace (`default` when unset).
    pub namespace: String,
    /// How the user authenticates.
    pub auth: AuthKind,
    kubeconfig: Kubeconfig,
}

impl ResolvedContext {
    pub(crate) fn target(&self, timeout: Duration) -> Target {
        Target {
            timeout,
            context: self.name.clone(),
            server: self.server.clone(),
            cluster: self.cluster.clone(),
            user: self.user.clone(),
            auth: self.auth.clone(),
        }
    }

    /// The one-context kubeconfig handed to kube-rs.
    pub(crate) fn kubeconfig(&self) -> &Kubeconfig {
        &self.kubeconfig
    }
}

impl KubeconfigSet {
    /// Resolves context `name` for connecting.
    pub fn resolve(&self, name: &str) -> Result<ResolvedContext, Error> {
        let docs: Vec<(&SourceFile, &Kubeconfig)> = self.documents().collect();
        let (source, named) = docs
            .iter()
            .find_map(|(s, d)| d.contexts.iter().find(|c| c.name == name).map(|c| (*s, c)))
            .ok_or_else(|| Error::ContextNotFound { name: name.into() })?;
        let incomplete = |problem: String| Error::ContextIncomplete {
            context: name.into(),
            problem,
        };
        let context: Context = named.context.clone().ok_or_else(|| {
            incomplete(format!(
                "it has no cluster or user in {}",
                source.path.display()
            ))
        })?;
        let (_, cluster) = first_cluster(&docs, &context.cluster).ok_or_else(|| {
            incomplete(format!(
                "cluster \"{}\" is not defined in any kubeconfig file: add it or fix the context in {}",
                context.cluster,
                source.path.display()
            ))
        })?;
        let server = cluster
            .server
            .clone()
            .filter(|s| !s.is_empty())
            .ok_or_else(|| {
                incomplete(format!(
                    "cluster \"{}\" has no server address",
                    context.cluster
                ))
            })?;
        let user_name = context.user.clone().filter(|u| !u.is_empty());
        let user = match &user_name {
            None => AuthInfo::default(),
            Some(u) => first_user(&docs, u)
                .map(|(_, info)| info.clone())
                .ok_or_else(|| {
                    incomplete(format!(
                        "user \"{u}\" is not defined in any kubeconfig file: add it or fix the context in {}",
                        source.path.display()
                    ))
                })?,
        };
        let auth = AuthKind::of(&user);
        let kubeconfig = Kubeconfig {
            clusters: vec![NamedCluster {
                name: context.cluster.clone(),
                cluster: Some(cluster.clone()),
                ..Default::default()
            }],
            auth_infos: vec![NamedAuthInfo {
                name: user_name.clone().unwrap_or_default(),
                auth_info: Some(user),
                ..Default::default()
            }],
            contexts: vec![NamedContext {
                name: name.into(),
                context: Some(Context {
                    user: user_name.clone(),
                    ..context.clone()
                }),
                ..Default::default()
            }],
            current_context: Some(name.into()),
            ..Default::default()
        };
        Ok(ResolvedContext {
            name: name.into(),
            source: source.path.clone(),
            cluster: context.cluster.clone(),
            server,
            user: user_name.unwrap_or_default(),
            namespace: context
                .namespace
                .clone()
                .unwrap_or_else(|| "default".into()),
            auth,
            kubeconfig,
        })
    }
}

/// A `kube::Client` for `context`, with the timeouts and plugin PATH of `options`.
///
/// Runs the exec credential plugin, if any (bounded by `options.exec_timeout`). A plugin that never
/// exits keeps one blocking thread busy until it does; the caller gets [`Error::Timeout`] on time.
pub async fn client_for(
    context: &ResolvedContext,
    options: &ConnectOptions,
) -> Result<kube::Client, Error> {
    let target = context.target(options.connect_timeout);
    let kubeconfig = read_file_references(context, options.connect_timeout).await?;
    let user = kubeconfig
        .auth_infos
        .first()
        .and_then(|u| u.auth_info.as_ref());
    if let Some(user) = user {
        if let Some(at) = crate::client_cert::expired_at(user, chrono::Utc::now()) {
            return Err(Error::ClientCertificateExpired {
                user: context.user.clone(),
                expired_at: at.to_rfc3339(),
            });
        }
    }
    let kube_options = KubeConfigOptions {
        context: Some(context.name.clone()),
        ..Default::default()
    };
    let mut config = kube::Config::from_custom_kubeconfig(kubeconfig, &kube_options)
        .await
        .map_err(|e| failure::from_kubeconfig_error(&context.name, e))?;
    config.connect_timeout = Some(options.connect_timeout);
    config.read_timeout = Some(options.request_timeout);
    config.write_timeout = Some(options.request_timeout);
    config.reset_reader_on_write = true;
    config.default_retry = false;

    let plugin = match (&config.auth_info.exec, &config.auth_info.auth_provider) {
        (Some(exec), _) => exec.command.clone(),
        (None, Some(provider)) => Some(format!("auth-provider {}", provider.name)),
        (None, None) => None,
    };
    if let Some(exec) = config.auth_info.exec.as_mut() {
        let command = exec.command.clone().unwrap_or_default();
        if let Some(path) = &options.exec_path {
            let mut env = exec.env.take().unwrap_or_default();
            env.insert(
                0,
                HashMap::from([
                    ("name".to_string(), "PATH".to_string()),
                    ("value".to_string(), path.to_string_lossy().into_owned()),
                ]),
            );
            exec.env = Some(env);
        }
        exec.interactive_mode = Some(ExecInteractiveMode::Never);
        let effective_path = effective_exec_path(exec.env.as_deref(), options.exec_path.as_ref());
        if find_on_path(&command, &effective_path).is_none() {
            let bare = !command.contains('/') && !command.contains('\\');
            return Err(Error::CredentialPluginNotFound {
                command,
                user: context.user.clone(),
                searched_path: bare.then(|| effective_path.to_string_lossy().into_owned()),
                install_hint: exec.install_hint.clone(),
            });
        }
    }

    // kube-rs runs exec plugins and auth-provider commands synchronously while building the client.
    let build = tokio::task::spawn_blocking(move || kube::Client::try_from(config));
    match tokio::time::timeout(options.exec_timeout, build).await {
        Ok(joined) => joined_client(joined, &target),
        Err(_) => Err(match plugin {
            Some(command) => Error::CredentialPluginTimeout {
                command,
                user: context.user.clone(),
                context: context.name.clone(),
                after: options.exec_timeout,
            },
            None => Error::Internal(format!(
                "building the client for context \"{}\" took longer than {} s",
                context.name,
                options.exec_timeout.as_secs()
            )),
        }),
    }
}

/// The context's kubeconfig with the files it names read and put inline, on a blocking thread and
/// within `limit` (a file on a hung network disk must not hang the call).
async fn read_file_references(
    context: &ResolvedContext,
    limit: Duration,
) -> Result<Kubeconfig, Error> {
    let mut kubeconfig = context.kubeconfig.clone();
    let read = tokio::task::spawn_blocking(move || {
        inline_file_references(&mut kubeconfig).map(|()| kubeconfig)
    });
    let unusable = |problem: String| Error::ContextIncomplete {
        context: context.name.clone(),
        problem,
    };
    match tokio::time::timeout(limit, read).await {
        Ok(Ok(read)) => read.map_err(|e| unusable(e.to_string())),
        Ok(Err(e)) => Err(Error::Internal(format!(
            "reading the files of context \"{}\" panicked: {e}",
            context.name
        ))),
        Err(_) => Err(unusable(format!(
            "reading its certificate, key or token files took longer than {} s: check that they are on a reachable disk",
            limit.as_secs()
        ))),
    }
}

fn joined_client(
    joined: Result<Result<kube::Client, kube::Error>, tokio::task::JoinError>,
    target: &Target,
) -> Result<kube::Client, Error> {
    match joined {
        Ok(Ok(client)) => Ok(client),
        Ok(Err(e)) => Err(failure::classify(&e, target)),
        Err(e) => Err(Error::Internal(format!(
            "building the client panicked: {e}"
        ))),
    }
}

/// The PATH the plugin will see: the last PATH in the exec config's `env` (kube-rs applies them in
/// order), else the injected one, else the process's.
fn effective_exec_path(
    env: Option<&[HashMap<String, String>]>,
    injected: Option<&OsString>,
) -> OsString {
    env.unwrap_or_default()
        .iter()
        .filter(|e| e.get("name").map(String::as_str) == Some("PATH"))
        .filter_map(|e| e.get("value"))
        .next_back()
        .map(OsString::from)
        .or_else(|| injected.cloned())
        .or_else(|| std::env::var_os("PATH"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kubeconfig::FileOrigin;
    use crate::test_support::fixture;
    use osmo_admin_core::ErrorCode;
    use std::path::Path;

    #[test]
    fn resolve_uses_first_definitions_across_files() {
        let set = KubeconfigSet::load(vec![
            fixture("team-b.yaml", FileOrigin::KubeconfigEnv),
            fixture("team-a.yaml", FileOrigin::KubeconfigEnv),
        ]);
        // team-a's context refers to cluster shared-cluster, which team-b.yaml (first) defines too.
        let shared = set.resolve("shared").expect("resolves");
        assert!(shared.source.ends_with("team-b.yaml"));
        assert_eq!(shared.server, "https://b.example.com:6443");
        assert_eq!(shared.namespace, "from-b");
        let a = set.resolve("team-a").expect("resolves");
        assert_eq!(a.server, "https://a.example.com:6443");
        assert_eq!(a.user, "alice");
        assert_eq!(a.auth, AuthKind::Token);
    }

    #[test]
    fn unknown_and_dangling_contexts_are_distinct_errors() {
        let set = KubeconfigSet::load(vec![fixture("auth-kinds.yaml", FileOrigin::Extra)]);
        let missing = set.resolve("nope").expect_err("no such context");
        assert_eq!(missing.code(), ErrorCode::NotFound);
        let dangling = set.resolve("dangling").expect_err("dangling cluster");
        assert_eq!(dangling.code(), ErrorCode::KubeconfigInvalid);
        assert!(
            dangling.to_string().contains("cluster \"nowhere\""),
            "{dangling}"
        );
    }

    #[tokio::test]
    async fn an_expired_client_certificate_is_reported_before_connecting() {
        let dir = tempfile::tempdir().expect("tempdir");
        let certs = crate::test_support::fixtures_dir().join("certs");
        let path = dir.path().join("config");
        std::fs::write(
            &path,
            format!(
                "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:1\n\
                 users:\n- name: old\n  user:\n    client-certificate: {}\n    client-key: {}\n\
                 contexts:\n- name: old\n  context: {{cluster: c, user: old}}\n",
                certs.join("expired.crt").display(),
                certs.join("expired.key").display()
            ),
        )
        .expect("write");
        let set = KubeconfigSet::load(vec![crate::SourceFile {
            path,
            origin: FileOrigin::Extra,
        }]);
        let ctx = set.resolve("old").expect("resolves");
        let Err(err) = client_for(&ctx, &ConnectOptions::default()).await else {
            panic!("an expired certificate must fail");
        };
        assert_eq!(err.code(), ErrorCode::TlsFailed);
        assert!(err.to_string().contains("expired on 2021-03-04"), "{err}");
        assert!(err.to_string().contains("user \"old\""), "{err}");
    }

    #[test]
    fn a_path_set_by_the_kubeconfig_beats_the_injected_one() {
        let injected = OsString::from("/login/bin");
        assert_eq!(effective_exec_path(None, Some(&injected)), injected);
        let env = vec![
            HashMap::from([
                ("name".to_string(), "PATH".to_string()),
                ("value".to_string(), "/login/bin".to_string()),
            ]),
            HashMap::from([
                ("name".to_string(), "PATH".to_string()),
                ("value".to_string(), "/kubeconfig/bin".to_string()),
            ]),
        ];
        assert_eq!(
            effective_exec_path(Some(&env), Some(&injected)),
            OsString::from("/kubeconfig/bin")
        );
    }

    fn config_with_user(dir: &Path, server: &str, user: &str) -> KubeconfigSet {
        let path = dir.join("config");
        std::fs::write(
            &path,
            format!(
                "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: {server}\n\
                 users:\n- name: u\n  user:\n{user}\
                 contexts:\n- name: ctx\n  context: {{cluster: c, user: u}}\n"
            ),
        )
        .expect("write");
        KubeconfigSet::load(vec![crate::SourceFile {
            path,
            origin: FileOrigin::Extra,
        }])
    }

    /// Runs `client_for` on its own thread and runtime, so that a read blocking the runtime fails
    /// the test instead of hanging it.
    fn client_within(set: &KubeconfigSet, limit: Duration) -> Result<kube::Client, Error> {
        let ctx = set.resolve("ctx").expect("resolves");
        let (done, outcome) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            let _ = done.send(runtime.block_on(client_for(&ctx, &ConnectOptions::default())));
        });
        outcome
            .recv_timeout(limit)
            .expect("client_for did not return in time")
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_as_client_certificate_and_a_device_as_ca_fail_at_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("cert-fifo");
        assert!(std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo")
            .success());
        let set = config_with_user(
            dir.path(),
            "https://127.0.0.1:1",
            &format!(
                "    client-certificate: {}\n    client-key: {}\n",
                fifo.display(),
                fifo.display()
            ),
        );
        let Err(err) = client_within(&set, Duration::from_secs(10)) else {
            panic!("a fifo must fail");
        };
        assert!(err.to_string().contains("context \"ctx\""), "{err}");
        assert!(err.to_string().contains("named pipe (FIFO)"), "{err}");

        let set = config_with_user(dir.path(), "https://127.0.0.1:1", "    token: abc\n");
        let path = dir.path().join("config");
        let text = std::fs::read_to_string(&path).expect("read").replace(
            "    server:",
            "    certificate-authority: /dev/zero\n    server:",
        );
        std::fs::write(&path, text).expect("write");
        drop(set);
        let set = KubeconfigSet::load(vec![crate::SourceFile {
            path,
            origin: FileOrigin::Extra,
        }]);
        let Err(err) = client_within(&set, Duration::from_secs(10)) else {
            panic!("a device must fail");
        };
        assert!(err.to_string().contains("a device"), "{err}");
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_token_file_ending_in_a_newline_is_sent_trimmed() {
        use std::io::{Read as _, Write as _};
        let dir = tempfile::tempdir().expect("tempdir");
        let token = dir.path().join("token");
        std::fs::write(&token, "abc.def\n").expect("write");
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let server = format!("http://{}", listener.local_addr().expect("addr"));
        let set = config_with_user(
            dir.path(),
            &server,
            &format!("    tokenFile: {}\n", token.display()),
        );
        let request = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().expect("accept");
            let mut buf = [0u8; 4096];
            let n = stream.read(&mut buf).expect("read");
            let _ = stream
                .write_all(b"HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\n\r\n");
            String::from_utf8_lossy(&buf[..n]).to_lowercase()
        });
        let ctx = set.resolve("ctx").expect("resolves");
        let asked = async {
            let client = client_for(&ctx, &ConnectOptions::default()).await?;
            let _ = client.apiserver_version().await;
            Ok::<(), Error>(())
        };
        match tokio::time::timeout(Duration::from_secs(10), asked).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => panic!("{e}"),
            Err(_) => panic!("no answer within 10 s"),
        }
        let seen = request.join().expect("server thread");
        assert!(seen.contains("authorization: bearer abc.def\r\n"), "{seen}");
    }
}

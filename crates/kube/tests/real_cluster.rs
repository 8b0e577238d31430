//! Testing contexts against a real Kubernetes API server (osmo-admin-test-cluster: kube-apiserver v1.20.2
//! with TLS, token and client-certificate auth and RBAC), plus local sockets for the network failures.
//!
//! One cluster serves every test in this file (started on first use; the test-cluster watchdog stops
//! it when the test process exits). Needs `tests/cluster/build.sh` to have been run once.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use k8s_openapi::api::rbac::v1::{PolicyRule, Role, RoleBinding, RoleRef};
use kube::api::{Api, ObjectMeta, PostParams};
use kube::config::{ExecConfig, Kubeconfig};
use osmo_admin_core::ErrorCode;
use osmo_admin_kube::{
    probe_context, AuthKind, ConnectOptions, Error, FileOrigin, FileState, KubeconfigSet,
    ProbeOptions, SourceFile,
};
use osmo_admin_test_cluster::TestCluster;

async fn cluster() -> &'static TestCluster {
    TestCluster::shared().await
}

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
}

fn load(path: &Path) -> KubeconfigSet {
    KubeconfigSet::load(vec![SourceFile {
        path: path.to_path_buf(),
        origin: FileOrigin::Extra,
    }])
}

fn quick() -> ProbeOptions {
    ProbeOptions {
        connect: ConnectOptions {
            connect_timeout: Duration::from_secs(3),
            request_timeout: Duration::from_secs(5),
            exec_timeout: Duration::from_secs(5),
            exec_path: None,
        },
        ..ProbeOptions::default()
    }
}

/// The admin kubeconfig, changed by `edit`, written as JSON (valid YAML) into `dir/name`.
fn variant(
    cluster: &TestCluster,
    dir: &Path,
    name: &str,
    edit: impl FnOnce(&mut Kubeconfig),
) -> PathBuf {
    let mut kc = Kubeconfig::read_from(cluster.kubeconfig_path()).expect("admin kubeconfig");
    edit(&mut kc);
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(&kc).expect("serialize")).expect("write");
    path
}

fn admin_token(cluster: &TestCluster) -> String {
    let kc = Kubeconfig::read_from(cluster.kubeconfig_path()).expect("admin kubeconfig");
    let user = kc.auth_infos[0].auth_info.clone().expect("admin user");
    // kube serializes the token's value; this avoids a direct dependency on `secrecy`.
    let json = serde_json::to_value(&user).expect("serialize");
    json["token"].as_str().expect("admin token").to_string()
}

fn expect_err<T>(result: Result<T, Error>) -> Error {
    match result {
        Ok(_) => panic!("expected an error"),
        Err(e) => {
            eprintln!("{:?}: {e}", e.code());
            e
        }
    }
}

#[tokio::test]
async fn admin_context_reaches_authenticates_and_has_every_permission() {
    let cluster = cluster().await;
    let set = load(cluster.kubeconfig_path());
    let report = probe_context(&set, "local", &quick())
        .await
        .unwrap_or_else(|e| panic!("probe failed: {e}"));
    assert!(
        report.server_version.starts_with("v1.20"),
        "{}",
        report.server_version
    );
    assert_eq!(report.server, cluster.server_url());
    assert!(report.authenticated);
    assert_eq!(report.permissions.len(), 8);
    assert!(report.all_granted(), "missing: {:?}", report.missing());
    assert!(report.round_trip_ms < 5_000);
    assert!(report.first_response_ms >= report.round_trip_ms / 2);
}

#[tokio::test]
async fn a_limited_user_gets_the_missing_permissions_named() {
    let cluster = cluster().await;
    let ns = "osmo-operator";
    let admin = cluster.client().await.unwrap_or_else(|e| panic!("{e}"));
    let _ = cluster.create_namespace(ns).await; // another test may have created it
    let user = cluster
        .add_user("secret-reader")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let role = Role {
        metadata: ObjectMeta {
            name: Some("secret-reader".into()),
            ..Default::default()
        },
        rules: Some(vec![PolicyRule {
            api_groups: Some(vec![String::new()]),
            resources: Some(vec!["secrets".into()]),
            verbs: vec!["get".into()],
            ..Default::default()
        }]),
    };
    Api::<Role>::namespaced(admin.clone(), ns)
        .create(&PostParams::default(), &role)
        .await
        .expect("create role");
    let binding = RoleBinding {
        metadata: ObjectMeta {
            name: Some("secret-reader".into()),
            ..Default::default()
        },
        role_ref: RoleRef {
            api_group: "rbac.authorization.k8s.io".into(),
            kind: "Role".into(),
            name: "secret-reader".into(),
        },
        subjects: Some(vec![user.subject()]),
    };
    Api::<RoleBinding>::namespaced(admin, ns)
        .create(&PostParams::default(), &binding)
        .await
        .expect("create binding");

    let set = load(user.kubeconfig_path());
    // RBAC changes take effect within a moment.
    let deadline = Instant::now() + Duration::from_secs(15);
    let report = loop {
        let report = probe_context(&set, "secret-reader", &quick())
            .await
            .unwrap_or_else(|e| panic!("probe failed: {e}"));
        if report.permissions.iter().any(|p| p.allowed) || Instant::now() > deadline {
            break report;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    };
    assert!(!report.all_granted());
    assert_eq!(
        report.missing(),
        vec![
            "cannot create namespaces",
            "cannot create secrets in namespace \"osmo-operator\"",
            "cannot update secrets in namespace \"osmo-operator\"",
            "cannot get deployments.apps in namespace \"osmo-operator\"",
            "cannot patch deployments.apps in namespace \"osmo-operator\"",
            "cannot list pods in namespace \"osmo-operator\"",
            "cannot list events in namespace \"osmo-operator\"",
        ]
    );
    let get_secrets = &report.permissions[2];
    assert_eq!(get_secrets.permission.verb, "get");
    assert!(get_secrets.allowed);
}

/// A kubeconfig whose user runs the fixture plugin by bare name, with `args`.
fn exec_variant(cluster: &TestCluster, dir: &Path, command: &str, args: &[&str]) -> PathBuf {
    let token = admin_token(cluster);
    variant(cluster, dir, "exec.kubeconfig", |kc| {
        let user = kc.auth_infos[0].auth_info.as_mut().expect("user");
        user.token = None;
        user.exec = Some(ExecConfig {
            api_version: Some("client.authentication.k8s.io/v1beta1".into()),
            command: Some(command.into()),
            args: Some(args.iter().map(|a| a.to_string()).collect()),
            env: Some(vec![std::collections::HashMap::from([
                ("name".to_string(), "OSMO_TEST_TOKEN".to_string()),
                ("value".to_string(), token),
            ])]),
            ..Default::default()
        });
    })
}

/// A folder holding the fixture plugin, executable, and a PATH with it first.
fn plugin_dir() -> (tempfile::TempDir, std::ffi::OsString) {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).expect("mkdir");
    let plugin = bin.join("osmo-test-exec-plugin");
    std::fs::copy(
        fixtures().join("exec").join("osmo-test-exec-plugin"),
        &plugin,
    )
    .expect("copy");
    std::fs::set_permissions(&plugin, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let path = format!("{}:/usr/bin:/bin", bin.display()).into();
    (dir, path)
}

#[tokio::test]
async fn an_exec_plugin_found_only_on_the_login_path_works() {
    let cluster = cluster().await;
    let (dir, login_path) = plugin_dir();
    let path = exec_variant(cluster, dir.path(), "osmo-test-exec-plugin", &[]);
    let set = load(&path);

    let mut options = quick();
    options.connect.exec_path = Some(login_path);
    let report = probe_context(&set, "local", &options)
        .await
        .unwrap_or_else(|e| panic!("probe with the plugin failed: {e}"));
    assert!(report.all_granted(), "missing: {:?}", report.missing());

    // Without the login-shell PATH the app's own PATH does not have the plugin.
    let err = expect_err(probe_context(&set, "local", &quick()).await);
    assert!(
        matches!(err, Error::CredentialPluginNotFound { .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_failing_plugin_reports_its_stderr_and_a_missing_one_is_named() {
    let cluster = cluster().await;
    let (dir, login_path) = plugin_dir();
    let mut options = quick();
    options.connect.exec_path = Some(login_path.clone());

    let failing = load(&exec_variant(
        cluster,
        dir.path(),
        "osmo-test-exec-plugin",
        &["--fail"],
    ));
    let err = expect_err(probe_context(&failing, "local", &options).await);
    assert_eq!(err.code(), ErrorCode::CredentialPluginFailed, "{err}");
    let text = err.to_string();
    assert!(
        text.contains("refresh token expired; run 'osmo-login' again"),
        "{text}"
    );
    assert!(text.contains("`osmo-test-exec-plugin`"), "{text}");

    let missing = load(&exec_variant(
        cluster,
        dir.path(),
        "osmo-no-such-plugin",
        &[],
    ));
    let err = expect_err(probe_context(&missing, "local", &options).await);
    assert_eq!(err.code(), ErrorCode::CredentialPluginNotStarted, "{err}");
    let text = err.to_string();
    assert!(text.contains("`osmo-no-such-plugin`"), "{text}");
    assert!(text.contains("was not found on PATH"), "{text}");
    assert!(text.contains(&*login_path.to_string_lossy()), "{text}");

    let slow = load(&exec_variant(
        cluster,
        dir.path(),
        "osmo-test-exec-plugin",
        &["--sleep", "8"],
    ));
    options.connect.exec_timeout = Duration::from_secs(1);
    let started = Instant::now();
    let err = expect_err(probe_context(&slow, "local", &options).await);
    assert!(started.elapsed() < Duration::from_secs(4));
    assert_eq!(err.code(), ErrorCode::Timeout, "{err}");
    assert!(
        err.to_string()
            .contains("credential plugin `osmo-test-exec-plugin`"),
        "{err}"
    );
}

#[tokio::test]
async fn a_wrong_ca_is_a_tls_failure_naming_the_cluster() {
    let cluster = cluster().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let other_ca = std::fs::read(fixtures().join("certs").join("valid.crt")).expect("ca");
    let path = variant(cluster, dir.path(), "wrong-ca", |kc| {
        let c = kc.clusters[0].cluster.as_mut().expect("cluster");
        use base64::Engine as _;
        c.certificate_authority_data =
            Some(base64::engine::general_purpose::STANDARD.encode(other_ca));
    });
    let err = expect_err(probe_context(&load(&path), "local", &quick()).await);
    assert_eq!(err.code(), ErrorCode::TlsFailed, "{err}");
    assert!(
        err.to_string()
            .contains("not signed by the CA in the kubeconfig"),
        "{err}"
    );
    assert!(err.to_string().contains("cluster \"local\""), "{err}");
}

#[tokio::test]
async fn a_bad_token_is_unauthorized_and_no_credentials_too() {
    let cluster = cluster().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = variant(cluster, dir.path(), "bad-token", |kc| {
        let user = kc.auth_infos[0].auth_info.as_mut().expect("user");
        user.token = Some("not-a-valid-token".to_string().into());
    });
    let err = expect_err(probe_context(&load(&bad), "local", &quick()).await);
    assert_eq!(err.code(), ErrorCode::Unauthorized, "{err}");
    assert!(err.to_string().contains("get a new token"), "{err}");

    let anonymous = variant(cluster, dir.path(), "anonymous", |kc| {
        kc.auth_infos[0].auth_info = Some(Default::default());
    });
    let err = expect_err(probe_context(&load(&anonymous), "local", &quick()).await);
    assert_eq!(err.code(), ErrorCode::Unauthorized, "{err}");
    assert!(err.to_string().contains("no credentials"), "{err}");
}

/// An exec-plugin user in its own file: context `local-exec` uses cluster `local`, defined only in the
/// admin kubeconfig (a reference across files, as kubectl merges them).
fn exec_user_file(cluster: &TestCluster, dir: &Path) -> PathBuf {
    let token = admin_token(cluster);
    variant(cluster, dir, "exec-user.kubeconfig", |kc| {
        kc.clusters.clear();
        kc.current_context = None;
        let user = &mut kc.auth_infos[0];
        user.name = "exec-admin".into();
        let info = user.auth_info.as_mut().expect("user");
        info.token = None;
        info.exec = Some(ExecConfig {
            api_version: Some("client.authentication.k8s.io/v1beta1".into()),
            command: Some("osmo-test-exec-plugin".into()),
            args: Some(Vec::new()),
            env: Some(vec![std::collections::HashMap::from([
                ("name".to_string(), "OSMO_TEST_TOKEN".to_string()),
                ("value".to_string(), token),
            ])]),
            ..Default::default()
        });
        let context = &mut kc.contexts[0];
        context.name = "local-exec".into();
        context.context.as_mut().expect("context").user = Some("exec-admin".into());
    })
}

#[tokio::test]
async fn a_client_certificate_user_from_a_set_of_files_lists_and_has_every_permission() {
    let cluster = cluster().await;
    let (dir, login_path) = plugin_dir();
    let token_file = cluster.kubeconfig_path().to_path_buf();
    let cert_file = cluster.cert_kubeconfig_path();
    let exec_file = exec_user_file(cluster, dir.path());
    let broken_file = fixtures().join("broken.yaml");
    let files = osmo_admin_kube::discover(
        Some(token_file.as_os_str()),
        Some(dir.path()),
        &[cert_file.clone(), exec_file.clone(), broken_file.clone()],
    );
    assert_eq!(
        files.iter().map(|f| f.origin).collect::<Vec<_>>(),
        [
            FileOrigin::KubeconfigEnv,
            FileOrigin::Extra,
            FileOrigin::Extra,
            FileOrigin::Extra
        ]
    );
    let set = KubeconfigSet::load(files);

    let list = set.contexts();
    let states: Vec<_> = list
        .files
        .iter()
        .map(|f| (f.path.clone(), f.state))
        .collect();
    assert_eq!(
        states,
        [
            (token_file.clone(), FileState::Loaded),
            (cert_file.clone(), FileState::Loaded),
            (exec_file.clone(), FileState::Loaded),
            (broken_file, FileState::Broken),
        ]
    );
    let names: Vec<&str> = list.contexts.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["local", "local-cert", "local-exec"]);
    let cert = &list.contexts[1];
    assert_eq!(cert.source, cert_file);
    assert_eq!(cert.auth, AuthKind::ClientCertificate);
    assert_eq!(cert.user.as_deref(), Some("cert-admin"));
    assert_eq!(cert.server.as_deref(), Some(cluster.server_url()));
    assert!(!cert.is_current);
    assert_eq!(list.contexts[0].auth, AuthKind::Token);
    assert!(
        matches!(&list.contexts[2].auth, AuthKind::Exec { command, .. } if command == "osmo-test-exec-plugin")
    );
    assert_eq!(
        list.contexts[2].server.as_deref(),
        Some(cluster.server_url())
    );
    assert!(
        list.contexts.iter().all(|c| c.problems.is_empty()),
        "{:?}",
        list.contexts
    );
    // The first file that sets current-context wins (kubeconfig-cert sets "local-cert").
    assert_eq!(list.current_context.as_deref(), Some("local"));

    let mut options = quick();
    options.connect.exec_path = Some(login_path);
    let report = probe_context(&set, "local-cert", &options)
        .await
        .unwrap_or_else(|e| panic!("probe with the client certificate failed: {e}"));
    assert_eq!(report.server, cluster.server_url());
    assert!(report.authenticated);
    assert!(
        report.server_version.starts_with("v1.20"),
        "{}",
        report.server_version
    );
    assert_eq!(report.permissions.len(), 8);
    assert!(report.all_granted(), "missing: {:?}", report.missing());

    // The other users of the same set still work beside it.
    for name in ["local", "local-exec"] {
        let report = probe_context(&set, name, &options)
            .await
            .unwrap_or_else(|e| panic!("probe of {name} failed: {e}"));
        assert!(
            report.all_granted(),
            "{name} missing: {:?}",
            report.missing()
        );
    }
}

/// Signs a client certificate for `cert-admin` with the cluster's client CA, valid only in 2020.
fn expired_client_certificate(cluster: &TestCluster, dir: &Path) -> (Vec<u8>, Vec<u8>) {
    let openssl = |args: &[&str]| {
        let out = std::process::Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("run openssl");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    std::fs::write(
        dir.join("ca.cnf"),
        "[ca]\ndefault_ca = test\n[test]\ndatabase = index.txt\nserial = serial\nnew_certs_dir = .\n\
         default_md = sha256\npolicy = any\n[any]\ncommonName = supplied\norganizationName = optional\n",
    )
    .expect("write ca.cnf");
    std::fs::write(dir.join("index.txt"), "").expect("write index");
    std::fs::write(dir.join("serial"), "1000\n").expect("write serial");
    openssl(&[
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-subj",
        "/O=system:masters/CN=cert-admin",
        "-keyout",
        "expired.key",
        "-out",
        "expired.csr",
    ]);
    let ca = cluster.client_ca_path();
    let ca_key = cluster.client_ca_key_path();
    openssl(&[
        "ca",
        "-batch",
        "-config",
        "ca.cnf",
        "-notext",
        "-cert",
        &ca.to_string_lossy(),
        "-keyfile",
        &ca_key.to_string_lossy(),
        "-startdate",
        "20200101000000Z",
        "-enddate",
        "20210101000000Z",
        "-in",
        "expired.csr",
        "-out",
        "expired.crt",
    ]);
    (
        std::fs::read(dir.join("expired.crt")).expect("certificate"),
        std::fs::read(dir.join("expired.key")).expect("key"),
    )
}

#[tokio::test]
async fn an_expired_client_certificate_is_a_tls_failure_saying_it_expired() {
    use base64::Engine as _;
    let cluster = cluster().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let (cert, key) = expired_client_certificate(cluster, dir.path());
    let mut kc = Kubeconfig::read_from(cluster.cert_kubeconfig_path()).expect("cert kubeconfig");
    let user = kc.auth_infos[0].auth_info.as_mut().expect("user");
    user.client_certificate_data = Some(base64::engine::general_purpose::STANDARD.encode(cert));
    user.client_key_data = Some(base64::engine::general_purpose::STANDARD.encode(key).into());
    let path = dir.path().join("expired.kubeconfig");
    std::fs::write(&path, serde_json::to_string_pretty(&kc).expect("serialize")).expect("write");

    let set = load(&path);
    assert_eq!(set.contexts().contexts[0].auth, AuthKind::ClientCertificate);
    let err = expect_err(probe_context(&set, "local-cert", &quick()).await);
    assert_eq!(err.code(), ErrorCode::TlsFailed, "{err}");
    assert!(
        matches!(err, Error::ClientCertificateExpired { .. }),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(text.contains("\"cert-admin\""), "{text}");
    assert!(text.contains("expired on 2021-01-01"), "{text}");
}

/// A kubeconfig for `server` with a token and no CA (the failures below happen before TLS matters).
fn kubeconfig_for(dir: &Path, server: &str) -> PathBuf {
    let path = dir.join("config");
    std::fs::write(
        &path,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: {server}\n\
             users:\n- name: u\n  user:\n    token: t\ncontexts:\n- name: x\n  context: {{cluster: c, user: u}}\n"
        ),
    )
    .expect("write");
    path
}

#[tokio::test]
async fn a_closed_port_is_unreachable() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    let dir = tempfile::tempdir().expect("tempdir");
    let set = load(&kubeconfig_for(
        dir.path(),
        &format!("https://127.0.0.1:{port}"),
    ));
    let err = expect_err(probe_context(&set, "x", &quick()).await);
    assert_eq!(err.code(), ErrorCode::Unreachable, "{err}");
    assert!(err.to_string().contains("connection refused"), "{err}");
}

#[tokio::test]
async fn an_unknown_host_is_a_dns_failure() {
    let dir = tempfile::tempdir().expect("tempdir");
    let set = load(&kubeconfig_for(
        dir.path(),
        "https://osmo-admin-no-such-host.invalid:6443",
    ));
    let err = expect_err(probe_context(&set, "x", &quick()).await);
    assert_eq!(err.code(), ErrorCode::Unreachable, "{err}");
    assert!(matches!(err, Error::DnsFailed { .. }), "{err:?}");
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_on_time() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    // Accepts connections and holds them open without a byte.
    let hold = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            open.push(socket);
        }
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let set = load(&kubeconfig_for(
        dir.path(),
        &format!("https://127.0.0.1:{port}"),
    ));
    let mut options = quick();
    options.connect.connect_timeout = Duration::from_secs(1);
    options.connect.request_timeout = Duration::from_secs(1);
    let started = Instant::now();
    let err = expect_err(probe_context(&set, "x", &options).await);
    let took = started.elapsed();
    assert_eq!(err.code(), ErrorCode::Timeout, "{err}");
    assert!(took < Duration::from_secs(3), "took {took:?}");
    assert!(
        err.to_string().contains(&format!("127.0.0.1:{port}")),
        "{err}"
    );

    // Dropping the probe cancels it: nothing waits for the silent server afterwards.
    options.connect.connect_timeout = Duration::from_secs(60);
    options.connect.request_timeout = Duration::from_secs(60);
    let started = Instant::now();
    let abandoned = tokio::time::timeout(
        Duration::from_millis(300),
        probe_context(&set, "x", &options),
    )
    .await;
    assert!(abandoned.is_err());
    assert!(started.elapsed() < Duration::from_secs(2));
    hold.abort();
}

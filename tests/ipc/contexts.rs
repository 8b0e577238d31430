//! Kubernetes contexts through IPC: kubeconfig fixtures in a temporary folder, a closed port, and
//! one real API server (osmo-admin-test-cluster) for a probe with every permission granted.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use osmo_admin_app::KubeEnv;
use serde_json::{json, Value};

use crate::TestApp;

/// An `https://` address on loopback where nothing listens (bound, then released).
pub fn closed_server() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("https://127.0.0.1:{port}")
}

/// A one-context kubeconfig (token user) at `dir/name`.
pub fn write_kubeconfig(dir: &Path, name: &str, context: &str, server: &str) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join(name);
    std::fs::write(
        &path,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: c-{context}\n  cluster:\n    server: {server}\n\
             users:\n- name: u-{context}\n  user:\n    token: t\n\
             contexts:\n- name: {context}\n  context: {{cluster: c-{context}, user: u-{context}}}\n"
        ),
    )
    .unwrap();
    path
}

const TEAM_A: &str = "apiVersion: v1
kind: Config
clusters:
- name: cluster-a
  cluster:
    server: https://a.example.com:6443
users:
- name: alice
  user:
    token: token-of-alice
- name: eks-user
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args: [eks, get-token, --cluster-name, prod]
contexts:
- name: team-a
  context: {cluster: cluster-a, user: alice, namespace: team-a-ns}
- name: shared
  context: {cluster: cluster-a, user: eks-user}
current-context: team-a
";

const TEAM_B: &str = "apiVersion: v1
kind: Config
clusters:
- name: cluster-b
  cluster:
    server: https://b.example.com
users:
- name: bob
  user:
    client-certificate: /etc/b/bob.crt
    client-key: /etc/b/bob.key
contexts:
- name: team-b
  context: {cluster: cluster-b, user: bob}
- name: shared
  context: {cluster: cluster-b, user: bob}
current-context: team-b
";

/// Half-written: the flow mapping on line 9 is never closed.
const BROKEN: &str = "apiVersion: v1
kind: Config
clusters:
- name: cluster-x
  cluster:
    server: https://x.example.com
contexts:
- {name: x, context: {cluster: cluster-x
";

struct Fixture {
    a: PathBuf,
    b: PathBuf,
    broken: PathBuf,
}

/// `KUBECONFIG=a.yaml:b.yaml` (files under `dir/kube`), plus a broken file not yet added.
fn fixture(dir: &Path) -> (Fixture, KubeEnv) {
    let kube = dir.join("kube");
    std::fs::create_dir_all(&kube).unwrap();
    let write = |name: &str, text: &str| {
        let path = kube.join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let files = Fixture {
        a: write("a.yaml", TEAM_A),
        b: write("b.yaml", TEAM_B),
        broken: write("broken.yaml", BROKEN),
    };
    let env = std::env::join_paths([&files.a, &files.b]).unwrap();
    let kube_env = KubeEnv {
        kubeconfig: Some(env),
        home: Some(dir.join("home")),
    };
    (files, kube_env)
}

fn text(path: &Path) -> String {
    path.display().to_string()
}

fn context<'a>(view: &'a Value, name: &str) -> &'a Value {
    view["contexts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no context {name} in {view}"))
}

#[test]
fn the_list_merges_files_like_kubectl_flags_duplicates_and_shows_a_broken_file() {
    let dir = tempfile::tempdir().unwrap();
    let (files, kube_env) = fixture(dir.path());
    let app = TestApp::start_with(dir, kube_env.clone());

    let view = app.invoke("list_contexts", json!({})).unwrap();
    let names: Vec<_> = view["contexts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["team-a", "shared", "team-b"]);
    assert_eq!(view["currentContext"], "team-a", "from the first file");
    assert_eq!(view["currentContextSource"], text(&files.a));

    let team_a = context(&view, "team-a");
    assert_eq!(team_a["isCurrent"], true);
    assert_eq!(team_a["server"], "https://a.example.com:6443");
    assert_eq!(team_a["user"], "alice");
    assert_eq!(team_a["namespace"], "team-a-ns");
    assert_eq!(team_a["auth"], json!({"kind": "token"}));
    assert_eq!(team_a["source"], text(&files.a));

    let shared = context(&view, "shared");
    assert_eq!(shared["source"], text(&files.a), "the first file wins");
    assert_eq!(shared["shadowedIn"], json!([text(&files.b)]));
    assert_eq!(
        shared["auth"],
        json!({"kind": "exec", "command": "aws", "args": ["eks", "get-token", "--cluster-name", "prod"], "env": []})
    );
    assert_eq!(
        context(&view, "team-b")["auth"],
        json!({"kind": "clientCertificate"})
    );
    let origins: Vec<_> = view["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["origin"].as_str().unwrap(), f["state"].as_str().unwrap()))
        .collect();
    assert_eq!(
        origins,
        [("kubeconfigEnv", "loaded"), ("kubeconfigEnv", "loaded")]
    );
    assert!(!view.to_string().contains("token-of-alice"), "{view}");

    // The broken file is listed with its error and line; the others still work.
    let view = app
        .invoke("add_kubeconfig_file", json!({"path": text(&files.broken)}))
        .unwrap();
    assert_eq!(view["extraFiles"], json!([text(&files.broken)]));
    let broken = &view["files"][2];
    assert_eq!(broken["path"], text(&files.broken));
    assert_eq!(broken["origin"], "extra");
    assert_eq!(broken["state"], "broken");
    assert_eq!(broken["error"]["code"], "kubeconfig_invalid");
    let message = broken["error"]["message"].as_str().unwrap();
    assert!(message.starts_with(&text(&files.broken)), "{message}");
    assert!(broken["error"]["line"].as_u64().is_some(), "{broken}");
    assert_eq!(view["contexts"].as_array().unwrap().len(), 3);

    // Kept in the settings across a restart, then removed.
    let dir = app.dir;
    let app = TestApp::start_with(dir, kube_env);
    let view = app.invoke("list_contexts", json!({})).unwrap();
    assert_eq!(view["files"].as_array().unwrap().len(), 3);
    let view = app
        .invoke(
            "remove_kubeconfig_file",
            json!({"path": text(&files.broken)}),
        )
        .unwrap();
    assert_eq!(view["extraFiles"], json!([]));
    assert_eq!(view["files"].as_array().unwrap().len(), 2);
}

#[test]
fn a_typed_path_must_be_an_existing_absolute_file_and_tilde_means_home() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let kubeconfig = write_kubeconfig(&home.join(".kube"), "prod.yaml", "prod", &closed_server());
    let app = TestApp::start_in(dir);

    let err = app
        .invoke("add_kubeconfig_file", json!({"path": "kube/prod.yaml"}))
        .unwrap_err();
    assert_eq!(err["code"], "invalid_input", "{err}");
    let missing = home.join("nope.yaml");
    let err = app
        .invoke("add_kubeconfig_file", json!({"path": text(&missing)}))
        .unwrap_err();
    assert_eq!(err["code"], "not_found", "{err}");
    assert!(err["message"].as_str().unwrap().contains("nope.yaml"));

    let view = app
        .invoke(
            "add_kubeconfig_file",
            json!({"path": " ~/.kube/prod.yaml "}),
        )
        .unwrap();
    assert_eq!(view["extraFiles"], json!([text(&kubeconfig)]));
    assert_eq!(context(&view, "prod")["source"], text(&kubeconfig));
    // Adding it again changes nothing.
    let again = app
        .invoke("add_kubeconfig_file", json!({"path": text(&kubeconfig)}))
        .unwrap();
    assert_eq!(again["extraFiles"], view["extraFiles"]);
}

#[test]
fn testing_a_context_on_a_closed_port_fails_quickly_as_unreachable() {
    let dir = tempfile::tempdir().unwrap();
    write_kubeconfig(
        &dir.path().join("home/.kube"),
        "config",
        "dev",
        &closed_server(),
    );
    let app = TestApp::start_in(dir);
    let started = Instant::now();
    let err = app
        .invoke("test_context", json!({"name": "dev"}))
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(err["code"], "unreachable", "{err}");
    let message = err["message"].as_str().unwrap();
    assert!(message.contains("127.0.0.1"), "{message}");

    let err = app
        .invoke("test_context", json!({"name": "nope"}))
        .unwrap_err();
    assert_eq!(err["code"], "not_found", "{err}");
    let err = app
        .invoke(
            "test_context",
            json!({"name": "dev", "operatorNamespace": "Not_A_Namespace"}),
        )
        .unwrap_err();
    assert_eq!(err["code"], "invalid_input", "{err}");
    assert!(err["message"]
        .as_str()
        .unwrap()
        .starts_with("operatorNamespace"));
}

#[test]
fn a_backend_link_is_validated_persisted_replaced_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    write_kubeconfig(
        &dir.path().join("home/.kube"),
        "config",
        "east",
        &closed_server(),
    );
    let app = TestApp::start_in(dir);
    let link = |args: Value| app.invoke("link_backend", args);

    let err =
        link(json!({"backend": {"service": "prod", "backend": "gpu-east"}, "context": "west"}))
            .unwrap_err();
    assert_eq!(err["code"], "not_found", "{err}");
    let err = link(json!({"backend": {"service": "prod", "backend": "gpu-east"}, "context": "east", "operatorNamespace": "-x"}))
        .unwrap_err();
    assert_eq!(err["code"], "invalid_input", "{err}");
    let err = link(json!({"backend": {"service": "", "backend": "gpu-east"}, "context": "east"}))
        .unwrap_err();
    assert!(
        err["message"].as_str().unwrap().starts_with("service"),
        "{err}"
    );

    let view =
        link(json!({"backend": {"service": "prod", "backend": "gpu-east"}, "context": "east"}))
            .unwrap();
    assert_eq!(
        view["links"],
        json!([{"service": "prod", "backend": "gpu-east", "context": "east", "operatorNamespace": "osmo-operator"}])
    );
    let view = link(json!({"backend": {"service": "prod", "backend": "gpu-east"}, "context": "east", "operatorNamespace": "osmo"}))
        .unwrap();
    assert_eq!(view["links"].as_array().unwrap().len(), 1, "replaced");
    assert_eq!(view["links"][0]["operatorNamespace"], "osmo");

    // Persisted in the settings file, beside the other settings, which a settings save keeps.
    app.invoke(
        "update_settings",
        json!({"settings": {"theme": "dark", "dashboardRefreshSecs": 10}}),
    )
    .unwrap();
    let saved: Value =
        serde_json::from_str(&std::fs::read_to_string(app.paths().settings_file()).unwrap())
            .unwrap();
    assert_eq!(saved["backend_links"][0]["context"], "east", "{saved}");
    let dir = app.dir;
    let app = TestApp::start_in(dir);
    let view = app.invoke("list_contexts", json!({})).unwrap();
    assert_eq!(view["links"][0]["backend"], "gpu-east");

    let view = app
        .invoke(
            "unlink_backend",
            json!({"backend": {"service": "prod", "backend": "gpu-east"}}),
        )
        .unwrap();
    assert_eq!(view["links"], json!([]));
}

#[test]
fn set_current_context_changes_only_that_line_of_the_first_file_and_keeps_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let (files, kube_env) = fixture(dir.path());
    let app = TestApp::start_with(dir, kube_env);
    let before = std::fs::read_to_string(&files.a).unwrap();
    let b_before = std::fs::read_to_string(&files.b).unwrap();

    let err = app
        .invoke("set_current_context", json!({"name": "nope"}))
        .unwrap_err();
    assert_eq!(err["code"], "not_found", "{err}");
    assert_eq!(std::fs::read_to_string(&files.a).unwrap(), before);

    let done = app
        .invoke("set_current_context", json!({"name": "team-b"}))
        .unwrap();
    assert_eq!(done["file"], text(&files.a), "the file kubectl would write");
    assert_eq!(done["contexts"]["currentContext"], "team-b");
    assert_eq!(context(&done["contexts"], "team-b")["isCurrent"], true);
    let backup = PathBuf::from(done["backup"].as_str().unwrap());
    assert_eq!(backup.parent(), files.a.parent(), "next to the file");
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), before);
    assert_eq!(
        std::fs::read_to_string(&files.a).unwrap(),
        before.replace("current-context: team-a", "current-context: team-b")
    );
    assert_eq!(std::fs::read_to_string(&files.b).unwrap(), b_before);
}

#[test]
fn a_real_cluster_answers_with_its_version_and_every_permission_for_an_admin() {
    let cluster = tauri::async_runtime::block_on(osmo_admin_test_cluster::TestCluster::start())
        .unwrap_or_else(|e| panic!("starting the test cluster: {e}"));
    let dir = tempfile::tempdir().unwrap();
    let kube_env = KubeEnv {
        kubeconfig: Some(OsString::from(cluster.kubeconfig_path())),
        home: None,
    };
    let app = TestApp::start_with(dir, kube_env);
    let view = app.invoke("list_contexts", json!({})).unwrap();
    let name = view["contexts"][0]["name"].as_str().unwrap().to_owned();

    let report = app
        .invoke("test_context", json!({"name": name}))
        .unwrap_or_else(|e| panic!("test_context failed: {e}"));
    assert!(
        report["serverVersion"].as_str().unwrap().starts_with("v1."),
        "{report}"
    );
    assert_eq!(report["server"], cluster.server_url());
    assert_eq!(report["authenticated"], true);
    assert_eq!(report["operatorNamespace"], "osmo-operator");
    assert_eq!(report["allGranted"], true, "{report}");
    let permissions = report["permissions"].as_array().unwrap();
    assert_eq!(permissions.len(), 8);
    assert_eq!(
        permissions[5],
        json!({"verb": "patch", "resource": "deployments.apps", "namespace": "osmo-operator",
               "neededFor": "rotation", "allowed": true, "missing": null, "reason": permissions[5]["reason"]})
    );
    assert!(report["roundTripMs"].as_u64().unwrap() < 5_000);
    drop(app);
    tauri::async_runtime::block_on(cluster.stop()).unwrap();
}

//! The helm stand-in, run as a subprocess the way the app runs `helm`, against the real API server.
//! Fails (never skips) when the kube binaries are missing: run tests/cluster/build.sh.

#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Output;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Namespace, Secret, ServiceAccount};
use k8s_openapi::api::rbac::v1::{ClusterRole, Role};
use kube::api::ListParams;
use kube::{Api, ResourceExt};
use osmo_admin_test_cluster::{HelmSandbox, TestCluster};

const OSMO_REPO: &str = "https://helm.ngc.nvidia.com/nvidia/osmo";

fn values(backend: &str) -> String {
    format!(
        "global:\n  osmoImageTag: \"6.0.0\"\n  serviceUrl: https://osmo.example.com\n  agentNamespace: osmo-operator\n  \
         backendNamespace: osmo-workflows\n  backendName: {backend}\n  accountTokenSecret: osmo-operator-token\n  \
         loginMethod: token\n  imagePullSecret: nvcr-secret\nservices:\n  backendListener:\n    resources:\n      \
         requests: {{cpu: \"1\", memory: 1Gi}}\n      limits: {{memory: 1Gi}}\n"
    )
}

struct Helm {
    sandbox: HelmSandbox,
    kubeconfig: std::path::PathBuf,
}

impl Helm {
    fn run(&self, args: &[&str]) -> Output {
        let mut command = self.sandbox.command();
        command.args(args).env("KUBECONFIG", &self.kubeconfig);
        command.output().unwrap()
    }

    /// Runs and expects success; returns stdout.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "helm {args:?} failed: {}",
            text(&out.stderr)
        );
        text(&out.stdout)
    }

    /// Runs and expects exit status 1; returns stderr.
    fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(1),
            "helm {args:?}: {}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
        let err = text(&out.stderr);
        assert!(err.starts_with("Error: "), "{err}");
        err
    }
}

fn args(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn write(dir: &Path, name: &str, content: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path.to_string_lossy().into_owned()
}

#[tokio::test]
async fn backend_operator_install_and_upgrade() {
    let cluster = TestCluster::start().await.unwrap_or_else(|e| panic!("{e}"));
    let client = cluster.client().await.unwrap();
    cluster.create_namespace("osmo-operator").await.unwrap();
    cluster.create_namespace("osmo-workflows").await.unwrap();
    let token = cluster
        .create_secret(
            "osmo-operator",
            "osmo-operator-token",
            &[("token", "t0k3n")],
        )
        .await
        .unwrap();
    assert_eq!(token.metadata.namespace.as_deref(), Some("osmo-operator"));
    let helm = Helm {
        sandbox: HelmSandbox::with_binary(Path::new(env!("CARGO_BIN_EXE_helm-standin"))).unwrap(),
        kubeconfig: cluster.kubeconfig_path().to_path_buf(),
    };
    let files = tempfile::tempdir().unwrap();
    let good = write(files.path(), "values.yaml", &values("gpu-a"));
    let install = |file: &str| -> Vec<String> {
        [
            "upgrade",
            "--install",
            "osmo-operator",
            "osmo/backend-operator",
            "-f",
            file,
            "--version",
            "1.4.0",
        ]
        .iter()
        .map(|s| s.to_string())
        .chain(["--namespace".to_string(), "osmo-operator".to_string()])
        .collect()
    };

    assert!(helm.ok(&["version"]).contains("Version:\"v3."));
    // The repository must be added first, like with the real helm.
    let err = helm.fails(&args(&install(&good)));
    assert!(err.contains("repo osmo not found"), "{err}");
    assert!(helm
        .ok(&["repo", "add", "osmo", OSMO_REPO])
        .contains("\"osmo\" has been added"));
    assert!(helm.ok(&["repo", "update"]).contains("Update Complete"));

    let out = helm.ok(&args(&install(&good)));
    assert!(
        out.contains("Release \"osmo-operator\" does not exist. Installing it now."),
        "{out}"
    );
    assert!(
        out.contains("STATUS: deployed") && out.contains("REVISION: 1"),
        "{out}"
    );

    // What the chart creates (osmo-api.md §6.2/§6.3).
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), "osmo-operator");
    for component in ["listener", "worker"] {
        let name = format!("osmo-operator-osmo-backend-{component}");
        let d = deployments.get(&name).await.unwrap();
        assert_eq!(d.labels()["app"], name);
        assert_eq!(d.labels()["app.kubernetes.io/managed-by"], "Helm");
        assert_eq!(
            d.annotations()["meta.helm.sh/release-name"],
            "osmo-operator"
        );
        let spec = d.spec.unwrap();
        assert_eq!(spec.selector.match_labels.unwrap()["app"], name);
        let pod = spec.template.spec.unwrap();
        assert_eq!(
            pod.service_account_name.as_deref(),
            Some(format!("osmo-operator-backend-{component}").as_str())
        );
        assert_eq!(pod.image_pull_secrets.unwrap()[0].name, "nvcr-secret");
        let container = &pod.containers[0];
        assert_eq!(container.name, format!("backend-{component}"));
        assert_eq!(
            container.image.as_deref(),
            Some(format!("nvcr.io/nvidia/osmo/backend-{component}:6.0.0").as_str())
        );
        let cmd = container.args.clone().unwrap().join(" ");
        assert!(cmd.contains("--login_method token"), "{cmd}");
        assert!(
            cmd.contains("--token_file /opt/osmo/secrets/token.txt"),
            "{cmd}"
        );
        assert!(
            cmd.contains("--backend gpu-a") && cmd.contains("--namespace osmo-workflows"),
            "{cmd}"
        );
        assert!(cmd.contains("--host https://osmo.example.com"), "{cmd}");
        let secret = pod.volumes.unwrap()[0].secret.clone().unwrap();
        assert_eq!(secret.secret_name.as_deref(), Some("osmo-operator-token"));
        assert_eq!(secret.items.unwrap()[0].key, "token");
        assert_eq!(
            container.volume_mounts.as_ref().unwrap()[0].mount_path,
            "/opt/osmo/secrets"
        );
        let ServiceAccount { metadata, .. } =
            Api::<ServiceAccount>::namespaced(client.clone(), "osmo-operator")
                .get(&format!("osmo-operator-backend-{component}"))
                .await
                .unwrap();
        assert_eq!(
            metadata.annotations.unwrap()["meta.helm.sh/release-namespace"],
            "osmo-operator"
        );
        Api::<ClusterRole>::all(client.clone())
            .get(&format!("osmo-operator-{component}"))
            .await
            .unwrap();
    }
    let listener = deployments
        .get("osmo-operator-osmo-backend-listener")
        .await
        .unwrap();
    let resources = listener.spec.unwrap().template.spec.unwrap().containers[0]
        .resources
        .clone()
        .unwrap();
    assert_eq!(resources.requests.unwrap()["memory"].0, "1Gi");
    Api::<Role>::namespaced(client.clone(), "osmo-workflows")
        .get("osmo-operator-worker")
        .await
        .unwrap();
    let secrets: Api<Secret> = Api::namespaced(client.clone(), "osmo-operator");
    let release = secrets
        .get("sh.helm.release.v1.osmo-operator.v1")
        .await
        .unwrap();
    assert_eq!(release.labels()["status"], "deployed");

    // A second run is an upgrade.
    let changed = write(files.path(), "values2.yaml", &values("gpu-b"));
    let out = helm.ok(&args(&install(&changed)));
    assert!(
        out.contains("Release \"osmo-operator\" has been upgraded. Happy Helming!"),
        "{out}"
    );
    assert!(out.contains("REVISION: 2"), "{out}");
    let worker = deployments
        .get("osmo-operator-osmo-backend-worker")
        .await
        .unwrap();
    let cmd = worker.spec.unwrap().template.spec.unwrap().containers[0]
        .args
        .clone()
        .unwrap()
        .join(" ");
    assert!(cmd.contains("--backend gpu-b"), "{cmd}");
    assert_eq!(
        secrets
            .get("sh.helm.release.v1.osmo-operator.v1")
            .await
            .unwrap()
            .labels()["status"],
        "superseded"
    );
    let releases = secrets
        .list(&ListParams::default().labels("owner=helm,name=osmo-operator"))
        .await
        .unwrap();
    assert_eq!(releases.items.len(), 2);

    // `services:` under `global:` (the guide's indentation) is silently ignored by the chart: warn.
    let nested = values("gpu-b").replace(
        "services:\n  backendListener:",
        "  services:\n    backendListener:",
    );
    let nested = nested.replace(
        "    resources:\n      requests: {cpu: \"1\", memory: 1Gi}\n      limits: {memory: 1Gi}\n",
        "      resources:\n        requests: {cpu: \"1\", memory: 1Gi}\n",
    );
    let nested = write(files.path(), "nested.yaml", &nested);
    let out = helm.run(&args(&install(&nested)));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("WARNING: values key \"global.services\""),
        "{}",
        text(&out.stderr)
    );

    // Bad input fails like helm, with nothing changed.
    let broken = write(
        files.path(),
        "broken.yaml",
        "global:\n  serviceUrl: [unterminated\n",
    );
    assert!(helm
        .fails(&args(&install(&broken)))
        .contains("failed to parse"));
    let missing = files
        .path()
        .join("nope.yaml")
        .to_string_lossy()
        .into_owned();
    assert!(helm
        .fails(&args(&install(&missing)))
        .contains("no such file or directory"));
    let no_url = write(
        files.path(),
        "no-url.yaml",
        &values("x").replace("  serviceUrl: https://osmo.example.com\n", ""),
    );
    assert!(helm
        .fails(&args(&install(&no_url)))
        .contains("global.serviceUrl is required"));
    let err = helm.fails(&[
        "upgrade",
        "--install",
        "osmo-operator",
        "osmo/not-a-chart",
        "-f",
        &good,
    ]);
    assert!(
        err.contains("chart \"not-a-chart\" not found in osmo index"),
        "{err}"
    );
    let err = helm.fails(&[
        "upgrade",
        "--install",
        "osmo-operator",
        "osmo/backend-operator",
        "--set",
        "a=b",
    ]);
    assert!(err.contains("unknown flag: --set"), "{err}");
    let err = helm.fails(&["upgrade", "osmo-operator"]);
    assert!(err.contains("requires 2 arguments"), "{err}");

    // The release namespace must exist unless --create-namespace.
    let err = helm.fails(&[
        "upgrade",
        "--install",
        "other",
        "osmo/backend-operator",
        "-f",
        &good,
        "-n",
        "missing-ns",
    ]);
    assert!(err.contains("namespaces \"missing-ns\" not found"), "{err}");
    let err = helm.fails(&[
        "upgrade",
        "other",
        "osmo/backend-operator",
        "-f",
        &good,
        "-n",
        "osmo-operator",
    ]);
    assert!(err.contains("\"other\" has no deployed releases"), "{err}");
    // A second release over the same objects is refused by helm's ownership check.
    let err = helm.fails(&[
        "upgrade",
        "--install",
        "osmo-operator",
        "osmo/backend-operator",
        "-f",
        &good,
        "-n",
        "elsewhere",
        "--create-namespace",
    ]);
    assert!(err.contains("invalid ownership metadata"), "{err}");
    Api::<Namespace>::all(client.clone())
        .get("elsewhere")
        .await
        .unwrap();
    let agent_missing = write(
        files.path(),
        "agent.yaml",
        &values("x").replace("agentNamespace: osmo-operator", "agentNamespace: osmo"),
    );
    let err = helm.fails(&[
        "upgrade",
        "--install",
        "third",
        "osmo/backend-operator",
        "-f",
        &agent_missing,
        "-n",
        "elsewhere",
    ]);
    assert!(err.contains("namespaces \"osmo\" not found"), "{err}");

    // --kubeconfig and --kube-context work without $KUBECONFIG.
    let mut command = helm.sandbox.command();
    let kubeconfig = cluster.kubeconfig_path().to_string_lossy().into_owned();
    command
        .env_remove("KUBECONFIG")
        .args(args(&install(&good)))
        .args(["--kubeconfig", &kubeconfig, "--kube-context", "local"]);
    let out = command.output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("REVISION: 4"),
        "{}",
        text(&out.stdout)
    );
    let mut command = helm.sandbox.command();
    command
        .env_remove("KUBECONFIG")
        .args(args(&install(&good)))
        .args(["--kubeconfig", &kubeconfig, "--kube-context", "nope"]);
    let out = command.output().unwrap();
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("Kubernetes cluster unreachable"),
        "{}",
        text(&out.stderr)
    );

    // list / status read the release records.
    let listed: serde_json::Value =
        serde_json::from_str(&helm.ok(&["list", "-n", "osmo-operator", "-o", "json"])).unwrap();
    assert_eq!(listed[0]["name"], "osmo-operator");
    assert_eq!(listed[0]["revision"], "4");
    assert_eq!(listed[0]["chart"], "backend-operator-1.4.0");
    assert!(helm.ok(&["list", "-A"]).contains("osmo-operator"));
    let status = helm.ok(&["status", "osmo-operator", "-n", "osmo-operator"]);
    assert!(
        status.contains("STATUS: deployed") && status.contains("REVISION: 4"),
        "{status}"
    );
    assert!(helm
        .fails(&["status", "nope", "-n", "osmo-operator"])
        .contains("release: not found"));

    // Uninstall removes what was installed.
    assert!(helm
        .ok(&["uninstall", "osmo-operator", "-n", "osmo-operator"])
        .contains("uninstalled"));
    assert!(deployments
        .get_opt("osmo-operator-osmo-backend-listener")
        .await
        .unwrap()
        .is_none());
    let releases = secrets
        .list(&ListParams::default().labels("owner=helm"))
        .await
        .unwrap();
    assert!(releases.items.is_empty());
}

#[test]
fn helm_sandbox_builds_the_standin_with_cargo() {
    let sandbox = HelmSandbox::new().unwrap_or_else(|e| panic!("{e}"));
    let out = sandbox
        .command()
        .arg("version")
        .arg("--short")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("v3."));
    // Found on PATH as plain `helm`.
    let out = std::process::Command::new("helm")
        .env("PATH", sandbox.path_var())
        .arg("version")
        .output()
        .unwrap();
    assert!(out.status.success());
}

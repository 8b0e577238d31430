//! [`TestCluster`]: one private Kubernetes control plane per test, started with `tests/cluster/start.sh`
//! and stopped by PID with `tests/cluster/stop.sh`.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use kube::config::{KubeConfigOptions, Kubeconfig};
use tempfile::TempDir;

use crate::paths::{kube_bin_dir, script};
use crate::Error;

/// One process of the control plane, as recorded by `start.sh`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterProcess {
    /// `etcd`, `apiserver`, `kcm` (kube-controller-manager) or `watchdog`.
    pub name: String,
    /// Its process id.
    pub pid: u32,
}

/// A running etcd + kube-apiserver v1.20.2 (TLS, token and client-certificate auth, RBAC) + kube-controller-manager
/// on loopback.
///
/// Stopped by PID on [`TestCluster::stop`] or, synchronously, on drop; a [`TestCluster::start`] abandoned
/// midway (its future dropped) ends what it had started. Its state (etcd data, certificates, logs,
/// kubeconfigs) lives in a temporary folder removed afterwards.
#[derive(Debug)]
pub struct TestCluster {
    run_dir: Option<TempDir>,
    run_path: PathBuf,
    kubeconfig: PathBuf,
    server_url: String,
    processes: Vec<ClusterProcess>,
    stopped: bool,
}

impl TestCluster {
    /// Starts a fresh cluster (~3-6 s). Fails with [`Error::BinariesMissing`] (naming `tests/cluster/build.sh`)
    /// when the kube binaries were never built.
    /// The cluster shared by every test of one test binary, started by the first test that asks
    /// (each test works in its own namespaces). It lives until the process ends; the watchdog
    /// started with `--owner-pid` then stops its processes. Panics when the cluster cannot start,
    /// which is what a test wants.
    pub async fn shared() -> &'static TestCluster {
        static SHARED: tokio::sync::OnceCell<TestCluster> = tokio::sync::OnceCell::const_new();
        SHARED
            .get_or_init(|| async {
                TestCluster::start()
                    .await
                    .unwrap_or_else(|e| panic!("starting the test cluster: {e}"))
            })
            .await
    }

    pub async fn start() -> Result<Self, Error> {
        let bin = kube_bin_dir()?;
        let run_dir = tempfile::Builder::new()
            .prefix("osmo-test-cluster-")
            .tempdir()
            .map_err(|e| Error::io("creating the cluster's run folder", e))?;
        let run_path = run_dir.path().to_path_buf();
        let start = script("start.sh");
        let child = tokio::process::Command::new(&start)
            .arg(&bin)
            .arg(&run_path)
            .arg("--owner-pid")
            .arg(std::process::id().to_string())
            .arg("--remove-run-dir")
            .env(OWNER_ENV, std::process::id().to_string())
            // Its own process group, so an abandoned start ends with everything it started.
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| Error::io(format!("running {}", start.display()), e))?;
        // Declared after `run_dir`, so dropped before it: a start abandoned here stops what it started.
        let abandoned = AbandonedStart {
            group: child.id(),
            run_path: Some(run_path.clone()),
        };
        let output = child
            .wait_with_output()
            .await
            .map_err(|e| Error::io(format!("running {}", start.display()), e))?;
        abandoned.defuse();
        // From here on, dropping `cluster` stops whatever start.sh recorded.
        let mut cluster = TestCluster {
            run_dir: Some(run_dir),
            kubeconfig: run_path.join("kubeconfig"),
            run_path,
            server_url: String::new(),
            processes: Vec::new(),
            stopped: false,
        };
        cluster.processes = cluster.read_pids();
        if !output.status.success() {
            return Err(Error::Command {
                command: start.display().to_string(),
                status: output.status.to_string(),
                stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            });
        }
        let kubeconfig = Kubeconfig::read_from(&cluster.kubeconfig)?;
        cluster.server_url = kubeconfig
            .clusters
            .iter()
            .find_map(|c| c.cluster.as_ref().and_then(|c| c.server.clone()))
            .ok_or_else(|| Error::Other("the generated kubeconfig names no server".into()))?;
        tracing::debug!(server = %cluster.server_url, run = %cluster.run_path.display(), "test cluster started");
        Ok(cluster)
    }

    /// Path of the cluster-admin kubeconfig (context `local`, user `admin`, namespace `default`).
    pub fn kubeconfig_path(&self) -> &Path {
        &self.kubeconfig
    }

    /// Writes `<run dir>/<name>.kubeconfig`: the cluster-admin kubeconfig with its cluster, user
    /// and context all called `name` (so it merges with other kubeconfigs without clashing on
    /// `local`). Written as JSON, which every kubeconfig reader accepts as YAML.
    pub fn write_named_kubeconfig(&self, name: &str) -> Result<PathBuf, Error> {
        let mut config = Kubeconfig::read_from(&self.kubeconfig)?;
        config
            .clusters
            .iter_mut()
            .for_each(|c| c.name = name.into());
        config
            .auth_infos
            .iter_mut()
            .for_each(|u| u.name = name.into());
        for named in &mut config.contexts {
            named.name = name.into();
            if let Some(context) = named.context.as_mut() {
                context.cluster = name.into();
                context.user = Some(name.into());
            }
        }
        config.current_context = Some(name.into());
        let text = serde_json::to_string_pretty(&config)
            .map_err(|e| Error::Other(format!("writing the {name} kubeconfig: {e}")))?;
        let path = self.run_path.join(format!("{name}.kubeconfig"));
        write_private(&path, &text)
            .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
        Ok(path)
    }

    /// Path of a kubeconfig whose user authenticates with a TLS client certificate instead of a token:
    /// context `local-cert`, cluster `local-cert` (same server and CA), user `cert-admin` with
    /// `client-certificate-data`/`client-key-data` (CN=`cert-admin`, O=`system:masters`, signed by
    /// [`TestCluster::client_ca_path`]), namespace `default`.
    pub fn cert_kubeconfig_path(&self) -> PathBuf {
        self.run_path.join("kubeconfig-cert")
    }

    /// The client CA the API server trusts (`--client-ca-file`, PEM). With [`TestCluster::client_ca_key_path`]
    /// tests can sign more client certificates (e.g. expired ones).
    pub fn client_ca_path(&self) -> PathBuf {
        self.run_path.join("client-ca.crt")
    }

    /// The client CA's private key (PEM, PKCS#8).
    pub fn client_ca_key_path(&self) -> PathBuf {
        self.run_path.join("client-ca.key")
    }

    /// The API server URL, e.g. `https://127.0.0.1:41234`.
    pub fn server_url(&self) -> &str {
        &self.server_url
    }

    /// The run folder: logs (`apiserver.log`, `etcd.log`, `kcm.log`), certificates (`ca.crt`), user kubeconfigs.
    pub fn run_dir(&self) -> &Path {
        &self.run_path
    }

    /// The API server's CA certificate (PEM), e.g. for HTTP clients other than kube.
    pub fn ca_path(&self) -> PathBuf {
        self.run_path.join("ca.crt")
    }

    /// The PIDs recorded by `start.sh` (etcd, apiserver, kcm, watchdog), for checking they are gone after stop.
    pub fn processes(&self) -> &[ClusterProcess] {
        &self.processes
    }

    /// A `kube::Client` authenticated as cluster-admin.
    pub async fn client(&self) -> Result<kube::Client, Error> {
        client_from_kubeconfig(&self.kubeconfig).await
    }

    /// Stops the processes by PID and removes the run folder.
    pub async fn stop(mut self) -> Result<(), Error> {
        let stop = script("stop.sh");
        let output = tokio::process::Command::new(&stop)
            .arg(&self.run_path)
            .stdin(Stdio::null())
            .output()
            .await
            .map_err(|e| Error::io(format!("running {}", stop.display()), e))?;
        self.stopped = true;
        if !output.status.success() {
            return Err(Error::Command {
                command: stop.display().to_string(),
                status: output.status.to_string(),
                stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            });
        }
        if let Some(dir) = self.run_dir.take() {
            dir.close()
                .map_err(|e| Error::io("removing the cluster's run folder", e))?;
        }
        Ok(())
    }

    fn read_pids(&self) -> Vec<ClusterProcess> {
        ["etcd", "apiserver", "kcm", "watchdog"]
            .into_iter()
            .filter_map(|name| {
                let text =
                    std::fs::read_to_string(self.run_path.join(format!("{name}.pid"))).ok()?;
                Some(ClusterProcess {
                    name: name.to_string(),
                    pid: text.trim().parse().ok()?,
                })
            })
            .collect()
    }
}

impl Drop for TestCluster {
    fn drop(&mut self) {
        if self.stopped {
            return;
        }
        // Synchronous on purpose: the processes must be gone when drop returns, runtime or not.
        let stop = script("stop.sh");
        match std::process::Command::new(&stop)
            .arg(&self.run_path)
            .stdin(Stdio::null())
            .status()
        {
            Ok(status) if status.success() => {}
            Ok(status) => eprintln!(
                "osmo-admin-test-cluster: {} exited with {status}",
                stop.display()
            ),
            Err(e) => eprintln!(
                "osmo-admin-test-cluster: cannot run {}: {e}",
                stop.display()
            ),
        }
    }
}

/// Set in the environment of `start.sh` and so of every process it starts, to the PID of the
/// process that started the cluster: [`crate::processes_started_by`] finds them by it.
pub const OWNER_ENV: &str = "OSMO_TEST_CLUSTER_OWNER";

/// A `start.sh` still running when [`TestCluster::start`] is abandoned (its future dropped, e.g.
/// a sandbox stopped while its cluster starts): dropping this ends its process group (the script
/// and the control plane it started so far), then `stop.sh` ends the watchdog, which runs in its
/// own session. The run folder is removed after it, by its `TempDir`.
struct AbandonedStart {
    /// `start.sh`'s PID, which is its process group's id (and stays so while anything it started
    /// runs, even once it has exited).
    group: Option<u32>,
    run_path: Option<PathBuf>,
}

impl AbandonedStart {
    /// `start.sh` finished: what it started is the cluster's to stop.
    fn defuse(mut self) {
        self.group = None;
        self.run_path = None;
    }
}

impl Drop for AbandonedStart {
    fn drop(&mut self) {
        let Some(run_path) = self.run_path.take() else {
            return;
        };
        if let Some(group) = self.group {
            // Synchronous, like the cluster's own drop: nothing runs on once this returns.
            let killed = std::process::Command::new("kill")
                .args(["-KILL", "--", &format!("-{group}")])
                .stdin(Stdio::null())
                .stderr(Stdio::null())
                .status();
            if let Err(e) = killed {
                eprintln!("osmo-admin-test-cluster: cannot end the abandoned start.sh: {e}");
            }
        }
        let stop = script("stop.sh");
        if let Err(e) = std::process::Command::new(&stop)
            .arg(&run_path)
            .stdin(Stdio::null())
            .status()
        {
            eprintln!(
                "osmo-admin-test-cluster: cannot run {}: {e}",
                stop.display()
            );
        }
    }
}

/// A `kube::Client` for a kubeconfig file's current context.
pub(crate) async fn client_from_kubeconfig(path: &Path) -> Result<kube::Client, Error> {
    let kubeconfig = Kubeconfig::read_from(path)?;
    let config =
        kube::Config::from_custom_kubeconfig(kubeconfig, &KubeConfigOptions::default()).await?;
    Ok(kube::Client::try_from(config)?)
}

/// Writes a file only its owner can read (it holds a cluster-admin token).
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())
}

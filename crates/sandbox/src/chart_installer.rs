//! The sandbox's chart installer: helm simulated on the sandbox's own cluster by the helm
//! stand-in (`osmo-admin-test-cluster`'s `helm_standin`), run inside the app. Setup's step 3
//! uses it for the context the sandbox lends ([`crate::SANDBOX_CONTEXT`]), so the sandbox's setup
//! journey needs no helm. Nothing is downloaded: the stand-in knows OSMO's chart and creates what
//! it creates in the sandbox cluster, where the chart watch plays the operator it installs.
//! Its repositories file lives in the cluster's run folder, so it is forgotten with the sandbox
//! and never touches the user's helm configuration.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use async_trait::async_trait;
use osmo_admin_setup::{ChartInstaller, InstallerError, Simulation, Stream};
use osmo_admin_test_cluster::helm_standin::{self, Environment};

/// Step 3's first log line in the sandbox.
pub const SIMULATED_NOTE: &str = "The sandbox simulates helm on its own cluster: nothing is downloaded; the objects the chart creates are created in the sandbox cluster.";

/// helm, simulated on one kubeconfig's cluster.
#[derive(Debug)]
pub struct SandboxHelm {
    kubeconfig: PathBuf,
    env: Environment,
}

impl SandboxHelm {
    /// For the cluster of `kubeconfig`, keeping helm's configuration in `config_home`.
    pub(crate) fn new(kubeconfig: &Path, config_home: &Path) -> Self {
        let vars = [
            ("KUBECONFIG", kubeconfig),
            ("HELM_CONFIG_HOME", config_home.join("config").as_path()),
            ("HELM_CACHE_HOME", config_home.join("cache").as_path()),
            ("HELM_DATA_HOME", config_home.join("data").as_path()),
        ]
        .map(|(k, v)| (k.to_owned(), OsString::from(v)));
        Self {
            kubeconfig: kubeconfig.to_owned(),
            env: Environment::new(vars, config_home),
        }
    }

    /// Whether it installs into the cluster `context` of `kubeconfig` names.
    pub(crate) fn serves(&self, context: &str, kubeconfig: &Path) -> bool {
        context == crate::SANDBOX_CONTEXT && kubeconfig == self.kubeconfig
    }
}

#[async_trait]
impl ChartInstaller for SandboxHelm {
    fn simulation(&self) -> Option<Simulation> {
        Some(Simulation {
            by: "the sandbox".into(),
            note: SIMULATED_NOTE.into(),
        })
    }

    async fn run(
        &self,
        args: &[String],
        log: &mut (dyn FnMut(Stream, String) + Send),
    ) -> Result<(), InstallerError> {
        let mut lines = |stream, line| log(log_stream(stream), line);
        match helm_standin::run_to_exit(args, &self.env, &mut lines).await {
            0 => Ok(()),
            code => Err(InstallerError::Failed {
                status: format!("exit status {code} (simulated)"),
            }),
        }
    }
}

fn log_stream(stream: helm_standin::Stream) -> Stream {
    match stream {
        helm_standin::Stream::Stdout => Stream::Stdout,
        helm_standin::Stream::Stderr => Stream::Stderr,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn runs_the_stand_in_with_its_own_configuration() {
        let dir = tempfile::tempdir().unwrap();
        let kubeconfig = dir.path().join("sandbox.kubeconfig");
        let helm = SandboxHelm::new(&kubeconfig, &dir.path().join("helm"));
        assert!(helm.serves(crate::SANDBOX_CONTEXT, &kubeconfig));
        assert!(!helm.serves("other", &kubeconfig));
        assert!(!helm.serves(crate::SANDBOX_CONTEXT, Path::new("/elsewhere")));

        let mut seen = Vec::new();
        let mut log = |stream, line| seen.push((stream, line));
        let args = ["repo", "add", "osmo", helm_standin::OSMO_REPO_URL].map(String::from);
        helm.run(&args, &mut log).await.unwrap();
        assert_eq!(
            seen,
            [(
                Stream::Stdout,
                "\"osmo\" has been added to your repositories".to_owned()
            )]
        );
        assert!(dir.path().join("helm/config/repositories.yaml").exists());

        let mut seen = Vec::new();
        let mut log = |stream, line| seen.push((stream, line));
        let failed = helm.run(&["nope".to_owned()], &mut log).await.unwrap_err();
        assert!(
            matches!(failed, InstallerError::Failed { .. }),
            "{failed:?}"
        );
        assert_eq!(seen[0].0, Stream::Stderr);
        assert!(
            seen[0].1.starts_with("Error: unknown command \"nope\""),
            "{seen:?}"
        );
    }
}

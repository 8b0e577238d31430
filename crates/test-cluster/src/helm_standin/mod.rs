//! A stand-in for the `helm` CLI (v3), for tests (no real helm can be installed on the test
//! machines) and for the sandbox, which runs it inside the app on its own cluster.
//!
//! Understands what the OSMO backend guide runs, with helm's messages and exit codes:
//! `helm version [--short]`, `helm repo add NAME URL [--force-update]`, `helm repo update [NAME...]`,
//! `helm repo list`, `helm upgrade [--install] RELEASE REPO/backend-operator [-f VALUES]... [--version V]
//! [-n NS] [--create-namespace] [--wait] [--timeout D] [--atomic]`, `helm install RELEASE CHART ...`,
//! `helm uninstall RELEASE [-n NS]`, `helm list [-n NS | -A] [-o json|yaml]`,
//! `helm status RELEASE [-n NS] [-o json|yaml]`, with the global `--kubeconfig FILE` and `--kube-context NAME`.
//! The only chart repository known is OSMO's (`https://helm.ngc.nvidia.com/nvidia/osmo`), serving
//! `backend-operator`; installing it creates in the cluster what the real chart creates (see `chart.rs`).
//! `--wait` is accepted but does not wait (Pods never become ready on the test cluster).
//! [`run`] prints to an [`Output`] and reads an [`Environment`]; an error is returned as its message,
//! which the `helm-standin` binary prints to stderr as `Error: ...` with exit status 1. Warnings
//! go to stderr as `WARNING: ...`. State is where helm keeps it: the repositories file (found
//! through the environment) and the releases (Secrets in the cluster).

mod args;
mod chart;
mod environment;
mod inspect;
mod release;
mod repo;
mod uninstall;
mod values;

use args::Parsed;
pub use environment::{Environment, Output, Printed, Stream};
pub use repo::OSMO_REPO_URL;
use serde_json::{Map, Value};

/// The helm release this stand-in imitates.
const HELM_VERSION: &str = "v3.16.2";
const HELM_COMMIT: &str = "13654a52f7c70a143b1dd51416d633e1071faffb";

/// Runs `helm <args>` as the command does: on an error, `Error: <message>` is printed to stderr
/// and the exit status is 1 (else 0).
pub async fn run_to_exit(args: &[String], env: &Environment, out: &mut impl Output) -> u8 {
    match run(args, env, out).await {
        Ok(()) => 0,
        Err(message) => {
            out.stderr(&format!("Error: {message}"));
            1
        }
    }
}

/// Runs `helm <args>`; `Err` is the message helm would print after `Error: ` (exit status 1).
pub async fn run(args: &[String], env: &Environment, out: &mut impl Output) -> Result<(), String> {
    let parsed = args::parse(args)?;
    let words: Vec<&str> = parsed.positionals.iter().map(String::as_str).collect();
    if parsed.has("help") || words.is_empty() {
        out.stdout(&usage());
        return Ok(());
    }
    let connection = release::Connection {
        kubeconfig: parsed.value("kubeconfig").map(str::to_string),
        context: parsed.value("kube-context").map(str::to_string),
        env,
    };
    match words.as_slice() {
        ["version", rest @ ..] => {
            parsed.check_allowed("version")?;
            no_extra("version", rest)?;
            if parsed.has("short") {
                out.stdout(&format!("{HELM_VERSION}+g{}", &HELM_COMMIT[..7]));
            } else {
                out.stdout(&format!(
                    "version.BuildInfo{{Version:\"{HELM_VERSION}\", GitCommit:\"{HELM_COMMIT}\", \
                     GitTreeState:\"clean\", GoVersion:\"go1.22.7\"}}"
                ));
            }
            Ok(())
        }
        ["repo", "add", rest @ ..] => {
            parsed.check_allowed("repo add")?;
            match rest {
                [name, url] => repo::add(env, out, name, url, parsed.has("force-update")),
                _ => Err(format!(
                    "\"helm repo add\" requires 2 arguments\n\n{}",
                    usage_line("repo add [NAME] [URL] [flags]")
                )),
            }
        }
        ["repo", "update", rest @ ..] | ["repo", "up", rest @ ..] => {
            parsed.check_allowed("repo update")?;
            let names: Vec<String> = rest.iter().map(|s| s.to_string()).collect();
            repo::update(env, out, &names)
        }
        ["repo", "list", rest @ ..] | ["repo", "ls", rest @ ..] => {
            parsed.check_allowed("repo list")?;
            no_extra("repo list", rest)?;
            repo::list(env, out)
        }
        ["repo", other, ..] => Err(unknown_command(other, "helm repo")),
        ["repo"] => Err("\"helm repo\" requires a subcommand (add, update, list)".into()),
        [command @ ("upgrade" | "install"), rest @ ..] => {
            parsed.check_allowed(command)?;
            let [release, chart_ref] = rest else {
                return Err(format!(
                    "\"helm {command}\" requires 2 arguments\n\n{}",
                    usage_line(&format!("{command} [RELEASE] [CHART] [flags]"))
                ));
            };
            let request = request(&parsed, env, command == &"install", release, chart_ref)?;
            release::install_or_upgrade(request, &connection, out).await
        }
        [command @ ("uninstall" | "delete" | "del" | "un"), rest @ ..] => {
            parsed.check_allowed("uninstall")?;
            let [release] = rest else {
                return Err(format!(
                    "\"helm {command}\" requires at least 1 argument\n\n{}",
                    usage_line("uninstall RELEASE_NAME [...] [flags]")
                ));
            };
            uninstall::uninstall(release, parsed.value("namespace"), &connection, out).await
        }
        [command @ ("list" | "ls"), rest @ ..] => {
            parsed.check_allowed("list")?;
            no_extra(command, rest)?;
            let output = parsed.value("output").unwrap_or("table");
            inspect::list(
                parsed.value("namespace"),
                parsed.has("all-namespaces"),
                output,
                &connection,
                out,
            )
            .await
        }
        ["status", rest @ ..] => {
            parsed.check_allowed("status")?;
            let [release] = rest else {
                return Err(format!(
                    "\"helm status\" requires 1 argument\n\n{}",
                    usage_line("status RELEASE_NAME [flags]")
                ));
            };
            let output = parsed.value("output").unwrap_or("table");
            inspect::status(release, parsed.value("namespace"), output, &connection, out).await
        }
        [other, ..] => Err(unknown_command(other, "helm")),
        [] => Ok(()),
    }
}

/// What `helm upgrade|install RELEASE CHART ...` asks for: the chart resolved in the repositories
/// file, the version, the `-f` files merged in order.
fn request(
    parsed: &Parsed,
    env: &Environment,
    install_only: bool,
    release_name: &str,
    chart_ref: &str,
) -> Result<release::Request, String> {
    let chart = repo::resolve_chart(env, chart_ref)?;
    let chart_version = match parsed.value("version") {
        None | Some("") => chart::LATEST_CHART_VERSION.to_string(),
        Some(v) if is_version(v) => v.trim_start_matches('v').to_string(),
        Some(v) => {
            let repo_name = chart_ref.split('/').next().unwrap_or_default();
            return Err(format!(
                "chart \"{chart}\" matching {v} not found in {repo_name} index. (try 'helm repo update'): \
                 improper constraint: {v}"
            ));
        }
    };
    let mut supplied = Value::Object(Map::new());
    for file in parsed.values("values") {
        values::merge(&mut supplied, values::read_file(env, file)?);
    }
    Ok(release::Request {
        release: release_name.to_string(),
        chart,
        chart_version,
        values: supplied,
        namespace: parsed.value("namespace").map(str::to_string),
        create_namespace: parsed.has("create-namespace"),
        install_only,
        install: parsed.has("install"),
    })
}

/// `X.Y.Z` with an optional `v` and pre-release/build suffix.
fn is_version(text: &str) -> bool {
    let core = text
        .trim_start_matches('v')
        .split(['-', '+'])
        .next()
        .unwrap_or_default();
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

fn no_extra(command: &str, rest: &[&str]) -> Result<(), String> {
    if rest.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "unknown command {:?} for \"helm {command}\"",
            rest[0]
        ))
    }
}

fn unknown_command(word: &str, parent: &str) -> String {
    format!("unknown command \"{word}\" for \"{parent}\"\nRun '{parent} --help' for usage.")
}

fn usage_line(rest: &str) -> String {
    format!("Usage:  helm {rest}")
}

fn usage() -> String {
    "The Kubernetes package manager (OSMO test stand-in)\n\nUsage:\n  helm [command]\n\nAvailable Commands:\n  \
     install     install a chart\n  list        list releases\n  repo        add, list, update chart repositories\n  \
     status      display the status of the named release\n  uninstall   uninstall a release\n  upgrade     upgrade a release\n  version     print the client version \
     information"
        .to_string()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// What the stand-in printed, by stream.
    #[derive(Default)]
    struct Lines {
        out: Vec<String>,
        err: Vec<String>,
    }

    impl Output for Lines {
        fn stdout(&mut self, text: &str) {
            self.out.push(text.to_owned());
        }
        fn stderr(&mut self, text: &str) {
            self.err.push(text.to_owned());
        }
    }

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| s.to_string()).collect()
    }

    #[tokio::test]
    async fn runs_in_the_callers_runtime_with_the_given_environment() {
        let dir = tempfile::tempdir().unwrap();
        // A relative HELM_CONFIG_HOME starts at the given working folder, not this process's.
        let env = Environment::new([("HELM_CONFIG_HOME".into(), "conf".into())], dir.path());
        let mut lines = Lines::default();
        run(
            &strings(&["repo", "add", "osmo", OSMO_REPO_URL]),
            &env,
            &mut lines,
        )
        .await
        .unwrap();
        assert_eq!(lines.out, ["\"osmo\" has been added to your repositories"]);
        let file = std::fs::read_to_string(dir.path().join("conf/repositories.yaml")).unwrap();
        assert!(file.contains(OSMO_REPO_URL), "{file}");

        let mut lines = Lines::default();
        run(&strings(&["repo", "list"]), &env, &mut lines)
            .await
            .unwrap();
        assert_eq!(lines.out.len(), 2, "{:?}", lines.out);
        assert!(lines.out[1].starts_with("osmo"), "{:?}", lines.out);

        let mut lines = Lines::default();
        let err = run(&strings(&["frobnicate"]), &env, &mut lines)
            .await
            .unwrap_err();
        assert!(err.starts_with("unknown command \"frobnicate\""), "{err}");
        assert!(lines.out.is_empty() && lines.err.is_empty());
    }

    #[tokio::test]
    async fn an_empty_environment_has_no_repositories() {
        let dir = tempfile::tempdir().unwrap();
        let env = Environment::new([("HOME".into(), dir.path().into())], dir.path());
        let mut lines = Lines::default();
        let err = run(&strings(&["repo", "list"]), &env, &mut lines)
            .await
            .unwrap_err();
        assert_eq!(err, "no repositories to show");
    }

    #[test]
    fn versions() {
        assert!(is_version("1.4.0"));
        assert!(is_version("v1.0.0-rc.1"));
        assert!(!is_version("latest"));
        assert!(!is_version("1.4"));
    }
}

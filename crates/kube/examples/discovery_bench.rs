//! Times the full discover-and-merge the Connections screen does: [`discover`] + [`KubeconfigSet::load`]
//! + [`KubeconfigSet::contexts`], over 20 generated kubeconfig files with 500 contexts in total.
//!
//! ```sh
//! cargo run --release -p osmo-admin-kube --example discovery_bench [-- RUNS]
//! ```
//!
//! The files are written to a temporary folder: 15 are listed in a generated `KUBECONFIG` value, 5 are
//! "extra" files from settings. Each context has its own cluster and user; users cycle through six kinds
//! of authentication (token, token file, client certificate, exec plugin, OIDC, basic). Files 5, 10 and 15
//! redefine two context names of file 0 (ignored duplicates, as in kubectl). Every run's result is checked
//! (contexts listed, duplicates flagged, auth kinds, current context) so that a broken merge cannot
//! report a fast time.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use base64::Engine as _;
use osmo_admin_kube::{
    discover, AuthKind, ContextList, FileState, KubeconfigSet, KUBECONFIG_LIST_SEPARATOR,
};

const FILES: usize = 20;
const CONTEXTS_PER_FILE: usize = 25;
const ENV_FILES: usize = 15;
/// Files that redefine `f00-ctx00` and `f00-ctx01`.
const DUPLICATING_FILES: [usize; 3] = [5, 10, 15];
const WARMUPS: usize = 3;
const DEFAULT_RUNS: usize = 30;

const TOTAL_DEFINITIONS: usize = FILES * CONTEXTS_PER_FILE;
const DUPLICATE_DEFINITIONS: usize = DUPLICATING_FILES.len() * 2;
const EXPECTED_LISTED: usize = TOTAL_DEFINITIONS - DUPLICATE_DEFINITIONS;

fn main() {
    let runs = std::env::args()
        .nth(1)
        .map(|a| a.parse::<usize>().expect("RUNS must be a number"))
        .unwrap_or(DEFAULT_RUNS)
        .max(1);
    let dir = tempfile::tempdir().expect("temporary folder");
    let paths = write_files(dir.path());
    let env_value = env_list(&paths[..ENV_FILES]);
    let extra: Vec<PathBuf> = paths[ENV_FILES..].to_vec();
    let bytes: u64 = paths
        .iter()
        .map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .sum();

    let run_once = || {
        let started = Instant::now();
        let files = discover(Some(&env_value), Some(dir.path()), &extra);
        let set = KubeconfigSet::load(files);
        let list = set.contexts();
        let took = started.elapsed();
        (took, list)
    };

    for _ in 0..WARMUPS {
        let (_, list) = run_once();
        check(&list, &paths);
    }
    let mut times = Vec::with_capacity(runs);
    let mut summary = None;
    for _ in 0..runs {
        let (took, list) = run_once();
        summary = Some(check(&list, &paths));
        times.push(took);
    }
    let summary = summary.expect("at least one run");
    times.sort();

    println!(
        "discover + KubeconfigSet::load + contexts(): {FILES} files ({ENV_FILES} from KUBECONFIG, {} extra), {} KiB, {TOTAL_DEFINITIONS} context definitions",
        FILES - ENV_FILES,
        bytes / 1024
    );
    println!(
        "checked every run: {} contexts listed, {} duplicate definitions ignored across {} names, current context {:?}, all {FILES} files loaded",
        summary.listed, summary.ignored_duplicates, summary.names_with_duplicates, summary.current
    );
    println!("auth kinds: {}", summary.auth_kinds);
    println!(
        "{runs} runs after {WARMUPS} warm-ups: median {} ms, p90 {} ms, min {} ms, max {} ms",
        ms(percentile(&times, 50)),
        ms(percentile(&times, 90)),
        ms(times[0]),
        ms(times[times.len() - 1]),
    );
}

/// Nearest-rank percentile of sorted `times`.
fn percentile(times: &[Duration], p: usize) -> Duration {
    let rank = (p * times.len()).div_ceil(100).max(1);
    times[rank - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}

fn env_list(paths: &[PathBuf]) -> OsString {
    let mut value = OsString::new();
    for (i, p) in paths.iter().enumerate() {
        if i > 0 {
            value.push(KUBECONFIG_LIST_SEPARATOR.to_string());
        }
        value.push(p.as_os_str());
    }
    value
}

struct Summary {
    listed: usize,
    ignored_duplicates: usize,
    names_with_duplicates: usize,
    current: String,
    auth_kinds: String,
}

/// Asserts that the merge is what kubectl would produce; panics otherwise.
fn check(list: &ContextList, paths: &[PathBuf]) -> Summary {
    assert_eq!(list.files.len(), FILES, "files read");
    assert!(
        list.files
            .iter()
            .all(|f| f.state == FileState::Loaded && f.contexts == CONTEXTS_PER_FILE),
        "every file loads with {CONTEXTS_PER_FILE} contexts: {:?}",
        list.files
    );
    assert_eq!(list.contexts.len(), EXPECTED_LISTED, "contexts listed");
    let ignored: usize = list
        .contexts
        .iter()
        .map(|c| c.ignored_duplicates.len())
        .sum();
    assert_eq!(ignored, DUPLICATE_DEFINITIONS, "duplicate definitions");
    let with_duplicates: Vec<&str> = list
        .contexts
        .iter()
        .filter(|c| !c.ignored_duplicates.is_empty())
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(with_duplicates, ["f00-ctx00", "f00-ctx01"]);
    let first = &list.contexts[0];
    assert_eq!(first.source, paths[0], "the first file wins");
    assert_eq!(
        first.ignored_duplicates,
        DUPLICATING_FILES
            .iter()
            .map(|&i| paths[i].clone())
            .collect::<Vec<_>>()
    );
    assert_eq!(
        first.server.as_deref(),
        Some("https://f00-c00.example.com:6443")
    );
    assert_eq!(list.current_context.as_deref(), Some("f00-ctx00"));
    assert_eq!(list.current_context_source.as_deref(), Some(&*paths[0]));
    assert!(first.is_current);
    assert_eq!(list.contexts.iter().filter(|c| c.is_current).count(), 1);
    assert!(
        list.contexts.iter().all(|c| c.problems.is_empty()),
        "no dangling references"
    );

    let mut kinds = [0usize; 6];
    for c in &list.contexts {
        let i = match &c.auth {
            AuthKind::Token => 0,
            AuthKind::TokenFile { .. } => 1,
            AuthKind::ClientCertificate => 2,
            AuthKind::Exec { command, .. } => {
                assert_eq!(command, "osmo-login");
                3
            }
            AuthKind::AuthProvider { name } => {
                assert_eq!(name, "oidc");
                4
            }
            AuthKind::Basic { .. } => 5,
            other => panic!("{}: unexpected auth {other:?}", c.name),
        };
        kinds[i] += 1;
    }
    let mut expected = [0usize; 6];
    for file in 0..FILES {
        for j in 0..CONTEXTS_PER_FILE {
            if !(DUPLICATING_FILES.contains(&file) && j < 2) {
                expected[auth_of(file, j)] += 1;
            }
        }
    }
    assert_eq!(kinds, expected, "auth kinds");
    let names = [
        "token",
        "token file",
        "client certificate",
        "exec",
        "oidc",
        "basic",
    ];
    let auth_kinds = names
        .iter()
        .zip(kinds)
        .map(|(n, k)| format!("{k} {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    Summary {
        listed: list.contexts.len(),
        ignored_duplicates: ignored,
        names_with_duplicates: with_duplicates.len(),
        current: list.current_context.clone().unwrap_or_default(),
        auth_kinds,
    }
}

fn auth_of(file: usize, j: usize) -> usize {
    (file + j) % 6
}

/// Writes the 20 files; returns their paths in merge order.
fn write_files(dir: &Path) -> Vec<PathBuf> {
    let certs = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join("certs");
    let b64 = |name: &str| {
        let bytes = std::fs::read(certs.join(name)).expect("fixture certificate");
        base64::engine::general_purpose::STANDARD.encode(bytes)
    };
    let (ca, cert, key) = (b64("valid.crt"), b64("valid.crt"), b64("valid.key"));
    (0..FILES)
        .map(|file| {
            let path = dir.join(format!("kubeconfig-{file:02}.yaml"));
            let text = kubeconfig(file, &ca, &cert, &key, dir);
            std::fs::write(&path, text).expect("write kubeconfig");
            path
        })
        .collect()
}

fn kubeconfig(file: usize, ca: &str, cert: &str, key: &str, dir: &Path) -> String {
    let mut clusters = String::new();
    let mut users = String::new();
    let mut contexts = String::new();
    for j in 0..CONTEXTS_PER_FILE {
        let id = format!("f{file:02}-{j:02}");
        let c = format!("f{file:02}-c{j:02}");
        let u = format!("f{file:02}-u{j:02}");
        let name = if DUPLICATING_FILES.contains(&file) && j < 2 {
            format!("f00-ctx{j:02}")
        } else {
            format!("f{file:02}-ctx{j:02}")
        };
        let _ = write!(
            clusters,
            "- name: {c}\n  cluster:\n    server: https://{c}.example.com:6443\n    certificate-authority-data: {ca}\n"
        );
        let user = match auth_of(file, j) {
            0 => format!("    token: token-{id}\n"),
            1 => format!("    tokenFile: {}\n", dir.join(format!("token-{id}")).display()),
            2 => format!("    client-certificate-data: {cert}\n    client-key-data: {key}\n"),
            3 => format!(
                "    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: osmo-login\n      args: [\"--cluster\", \"{c}\"]\n      env:\n      - name: OSMO_PROFILE\n        value: {id}\n      interactiveMode: Never\n"
            ),
            4 => format!(
                "    auth-provider:\n      name: oidc\n      config:\n        client-id: admin-{id}\n        idp-issuer-url: https://login.example.com\n        refresh-token: refresh-{id}\n"
            ),
            _ => format!("    username: admin-{id}\n    password: secret-{id}\n"),
        };
        let _ = write!(users, "- name: {u}\n  user:\n{user}");
        let _ = write!(
            contexts,
            "- name: {name}\n  context:\n    cluster: {c}\n    user: {u}\n    namespace: ns-{id}\n"
        );
    }
    let current = if file == 0 {
        "current-context: f00-ctx00\n"
    } else {
        ""
    };
    format!(
        "apiVersion: v1\nkind: Config\nclusters:\n{clusters}users:\n{users}contexts:\n{contexts}{current}preferences: {{}}\n"
    )
}

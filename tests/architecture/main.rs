//! Architecture invariants, checked mechanically (see ARCHITECTURE.md). Each check is a function
//! over plain data (a dependency graph, file texts) run on the real workspace, and unit-tested
//! on a planted violation so it can fail.
#![allow(clippy::unwrap_used)]

mod checks;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cargo_metadata::{DependencyKind, MetadataCommand};

use checks::*;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The workspace's normal (non-dev, non-build) dependency graph, by package name.
fn dependency_graph() -> (Graph, Vec<String>) {
    let metadata = MetadataCommand::new()
        .manifest_path(root().join("Cargo.toml"))
        .exec()
        .unwrap();
    let resolve = metadata.resolve.as_ref().unwrap();
    let mut graph = Graph::new();
    for node in &resolve.nodes {
        let deps = node
            .deps
            .iter()
            .filter(|d| d.dep_kinds.iter().any(|k| k.kind == DependencyKind::Normal))
            .map(|d| metadata[&d.pkg].name.to_string())
            .collect();
        graph.insert(metadata[&node.id].name.to_string(), deps);
    }
    let members = metadata
        .workspace_members
        .iter()
        .map(|id| metadata[id].name.to_string())
        .collect();
    (graph, members)
}

/// Every `.rs` file under `dir`, with its text.
fn rust_files(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                files.insert(path, text);
            }
        }
    }
    files
}

/// The benchmark's baseline (bench/empty-app): a Tauri app by design, which nothing may use.
const BENCH_BASELINE: &str = "empty-tauri-app";

/// Only the app package (src-tauri/) may depend on `tauri`, directly or through another crate.
#[test]
fn no_library_crate_depends_on_tauri() {
    let (graph, members) = dependency_graph();
    for (package, deps) in &graph {
        assert!(
            !deps.iter().any(|d| d == BENCH_BASELINE),
            "{package} depends on the benchmark's baseline app"
        );
    }
    let libraries: Vec<&String> = members
        .iter()
        .filter(|m| m.as_str() != env!("CARGO_PKG_NAME") && m.as_str() != BENCH_BASELINE)
        .collect();
    assert!(
        libraries.len() >= 10,
        "expected the library crates, got {libraries:?}"
    );
    for library in libraries {
        if let Some(path) = path_to_tauri(&graph, library) {
            panic!(
                "{library} depends on Tauri via {}: only src-tauri/ may use Tauri",
                path.join(" -> ")
            );
        }
    }
}

/// The shell only registers commands and converts at the edge: small, commands short, and no
/// command module reaching into another.
#[test]
fn the_shell_is_thin() {
    let files = rust_files(&root().join("src-tauri"));
    let lines = rust_lines(&files);
    assert!(
        lines <= SHELL_MAX_LINES,
        "src-tauri/ holds {lines} lines of Rust (at most {SHELL_MAX_LINES})"
    );
    for (path, text) in &files {
        let Some(module) = command_module(path) else {
            continue;
        };
        let imports = imports_of_other_commands(text, &module);
        assert!(
            imports.is_empty(),
            "{} imports {imports:?}: command modules never use each other",
            path.display()
        );
        let long = long_commands(text);
        assert!(
            long.is_empty(),
            "{} declares commands with long bodies {long:?} (at most {COMMAND_MAX_BODY} lines): move the logic into crates/app",
            path.display()
        );
    }
}

/// Nothing that talks to a real OSMO service knows it may be simulated: the sessions, health
/// and tokens libraries have no notion of the sandbox, by dependency or by name.
#[test]
fn the_sessions_health_and_tokens_libraries_know_nothing_of_the_sandbox() {
    let (graph, _) = dependency_graph();
    for library in [
        "osmo-admin-sessions",
        "osmo-admin-health",
        "osmo-admin-tokens",
    ] {
        for simulated in ["osmo-admin-sandbox", "osmo-sim", "osmo-admin-operator-sim"] {
            assert!(
                path_to(&graph, library, simulated).is_none(),
                "{library} depends on {simulated}"
            );
        }
        let dir = root()
            .join("crates")
            .join(library.trim_start_matches("osmo-admin-"))
            .join("src");
        for (path, text) in rust_files(&dir) {
            assert!(
                mentions_sandbox(&text).is_none(),
                "{} mentions the sandbox: {:?}",
                path.display(),
                mentions_sandbox(&text)
            );
        }
    }
}

/// One module talks to Kubernetes about an operator's Secret and maps Kubernetes errors:
/// `osmo-admin-kube`'s `operator`. The simulated world (test-cluster, operator-sim, the sandbox)
/// plays the other side and is exempt.
#[test]
fn one_module_reads_and_writes_the_operators_secret_and_maps_kubernetes_errors() {
    let crates = root().join("crates");
    let mut files = rust_files(&crates);
    files.extend(rust_files(&root().join("src-tauri")));
    let offenders: Vec<String> = files
        .iter()
        .filter(|(path, _)| !is_kubernetes_access_or_simulated_world(&crates, path))
        .filter_map(|(path, text)| {
            kubernetes_access(text).map(|what| format!("{}: {what}", path.display()))
        })
        .collect();
    assert!(
        offenders.is_empty(),
        "Kubernetes access outside crates/kube/src/operator: {offenders:#?}"
    );
}

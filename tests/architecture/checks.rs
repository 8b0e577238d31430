//! The checks behind the architecture tests, as functions over plain data, each tested here on a
//! planted violation.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Package name → the names of its normal dependencies.
pub type Graph = BTreeMap<String, Vec<String>>;

/// The shell's size budget (issue 14): it registers commands and converts at the edge.
pub const SHELL_MAX_LINES: usize = 2000;
/// A command's body stays a call or two.
pub const COMMAND_MAX_BODY: usize = 20;

/// A dependency path from `from` to a package for which `hit` holds.
fn path_where(graph: &Graph, from: &str, hit: impl Fn(&str) -> bool) -> Option<Vec<String>> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![vec![from.to_owned()]];
    while let Some(path) = stack.pop() {
        let last = path.last().cloned().unwrap_or_default();
        if !seen.insert(last.clone()) {
            continue;
        }
        for dep in graph.get(&last).into_iter().flatten() {
            let mut next = path.clone();
            next.push(dep.clone());
            if hit(dep) {
                return Some(next);
            }
            stack.push(next);
        }
    }
    None
}

/// How `library` reaches Tauri (`tauri`, `tauri-*` or `wry`), if it does.
pub fn path_to_tauri(graph: &Graph, library: &str) -> Option<Vec<String>> {
    path_where(graph, library, |name| {
        name == "tauri" || name.starts_with("tauri-") || name == "wry"
    })
}

/// How `from` reaches `to`, if it does.
pub fn path_to(graph: &Graph, from: &str, to: &str) -> Option<Vec<String>> {
    path_where(graph, from, |name| name == to)
}

/// Lines of Rust in `files`.
pub fn rust_lines(files: &BTreeMap<PathBuf, String>) -> usize {
    files.values().map(|t| t.lines().count()).sum()
}

/// `tokens` for `src-tauri/src/commands/tokens.rs` (not for `mod.rs` or `list.rs`).
pub fn command_module(path: &Path) -> Option<String> {
    let parent = path.parent()?.file_name()?;
    let stem = path.file_stem()?.to_str()?;
    (parent == "commands" && !matches!(stem, "mod" | "list")).then(|| stem.to_owned())
}

/// The other command modules `text` (command module `own`) refers to.
pub fn imports_of_other_commands(text: &str, own: &str) -> Vec<String> {
    let mut found = Vec::new();
    for prefix in ["crate::commands::", "super::"] {
        for (i, _) in text.match_indices(prefix) {
            let rest = &text[i + prefix.len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            // `super::*` inside a command's own generated module is its own module.
            if !name.is_empty() && name != own {
                found.push(format!("{prefix}{name}"));
            }
        }
    }
    found
}

/// Each `command! { fn name(...) -> T { body } }` whose body is over [`COMMAND_MAX_BODY`] lines.
pub fn long_commands(text: &str) -> Vec<(String, usize)> {
    let mut long = Vec::new();
    for (start, _) in text.match_indices("command! {") {
        let block = &text[start..];
        let Some(fn_at) = block.find("fn ") else {
            continue;
        };
        let name: String = block[fn_at + 3..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        // The body: from the first `{` after the signature's `->` to its matching `}`.
        let Some(arrow) = block[fn_at..].find("->") else {
            continue;
        };
        let Some(open) = block[fn_at + arrow..].find('{') else {
            continue;
        };
        let body_start = fn_at + arrow + open;
        let mut depth = 0usize;
        let mut end = None;
        for (i, c) in block[body_start..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(body_start + i);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(end) = end else { continue };
        let lines = block[body_start..end].lines().count().saturating_sub(1);
        if lines > COMMAND_MAX_BODY {
            long.push((name, lines));
        }
    }
    long
}

/// The first line of `text` that names the sandbox, ignoring case.
pub fn mentions_sandbox(text: &str) -> Option<String> {
    text.lines()
        .find(|l| l.to_lowercase().contains("sandbox"))
        .map(|l| l.trim().to_owned())
}

/// Whether `path` is the one Kubernetes access module, the simulated world playing the other
/// side (a cluster harness, simulated operators, the sandbox, the OSMO simulator), or a test
/// (which sets up and inspects the cluster it checks against).
pub fn is_kubernetes_access_or_simulated_world(crates: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(crates) else {
        return false;
    };
    let relative = relative.to_string_lossy();
    if !relative.contains("/src/") {
        return true;
    }
    relative.starts_with("kube/")
        || ["test-cluster/", "operator-sim/", "sandbox/", "osmo-sim/"]
            .iter()
            .any(|p| relative.starts_with(p))
}

/// What in `text` reads or writes a Secret or maps a Kubernetes error itself, if anything.
pub fn kubernetes_access(text: &str) -> Option<&'static str> {
    let uses_secret_type = text.contains("core::v1::Secret")
        || text.contains("Api<Secret>")
        || text.contains("Api::<Secret>");
    if uses_secret_type {
        return Some("uses the Kubernetes Secret type");
    }
    if text.contains("kube::Error::Api") || text.contains("ErrorResponse") {
        return Some("maps Kubernetes errors itself");
    }
    None
}

#[cfg(test)]
mod planted {
    use super::*;

    #[test]
    fn a_library_reaching_tauri_through_another_crate_is_found() {
        let mut graph = Graph::new();
        graph.insert("osmo-admin-x".into(), vec!["serde".into(), "helper".into()]);
        graph.insert("helper".into(), vec!["tauri-utils".into()]);
        graph.insert("serde".into(), vec![]);
        assert_eq!(
            path_to_tauri(&graph, "osmo-admin-x").unwrap(),
            ["osmo-admin-x", "helper", "tauri-utils"]
        );
        graph.insert("helper".into(), vec![]);
        assert!(path_to_tauri(&graph, "osmo-admin-x").is_none());
    }

    #[test]
    fn a_command_module_importing_another_is_found() {
        let planted =
            "use crate::commands::dashboard::cluster_target;\nuse osmo_admin_app::tokens;\n";
        assert_eq!(
            imports_of_other_commands(planted, "tokens"),
            ["crate::commands::dashboard"]
        );
        assert_eq!(
            imports_of_other_commands("use super::dashboard::x;", "tokens"),
            ["super::dashboard"]
        );
        assert!(imports_of_other_commands(
            "use super::*;\nuse osmo_admin_app::dashboard;",
            "tokens"
        )
        .is_empty());
        assert_eq!(
            command_module(Path::new("src-tauri/src/commands/tokens.rs")).as_deref(),
            Some("tokens")
        );
        assert!(command_module(Path::new("src-tauri/src/commands/mod.rs")).is_none());
    }

    #[test]
    fn a_shell_over_its_size_and_a_long_command_are_found() {
        let mut files = BTreeMap::new();
        files.insert(PathBuf::from("a.rs"), "x\n".repeat(SHELL_MAX_LINES));
        files.insert(PathBuf::from("b.rs"), "y\n".to_owned());
        assert!(rust_lines(&files) > SHELL_MAX_LINES);

        let short = "command! {\n    fn a(core) -> u32 {\n        Ok(1)\n    }\n}\n";
        assert!(long_commands(short).is_empty());
        let long = format!(
            "command! {{\n    fn big(core, x: u32) -> u32 {{\n{}        Ok(x)\n    }}\n}}\n",
            "        let _y = {{ 1 }};\n".repeat(COMMAND_MAX_BODY + 1)
        );
        let found = long_commands(&long);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "big");
        assert!(found[0].1 > COMMAND_MAX_BODY);
    }

    #[test]
    fn the_sandbox_and_kubernetes_access_are_found() {
        assert!(mentions_sandbox("pub sandbox: bool,").is_some());
        assert!(mentions_sandbox("pub for_this_run_only: bool,").is_none());
        assert!(kubernetes_access("use k8s_openapi::api::core::v1::Secret;").is_some());
        assert!(kubernetes_access("Err(kube::Error::Api(s)) => s.message").is_some());
        assert!(kubernetes_access("let t = operator::read_token(&client).await;").is_none());
        let crates = Path::new("/w/crates");
        assert!(is_kubernetes_access_or_simulated_world(
            crates,
            Path::new("/w/crates/kube/src/operator/secret.rs")
        ));
        assert!(!is_kubernetes_access_or_simulated_world(
            crates,
            Path::new("/w/crates/setup/src/steps/cluster.rs")
        ));
    }
}

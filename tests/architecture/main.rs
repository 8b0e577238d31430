//! Architecture invariants, checked mechanically (see ARCHITECTURE.md).
#![allow(clippy::unwrap_used)]

use std::collections::{HashMap, HashSet};

use cargo_metadata::{MetadataCommand, PackageId};

/// Only the app package (src-tauri/) may depend on `tauri`, directly or through another crate.
#[test]
fn no_library_crate_depends_on_tauri() {
    let metadata = MetadataCommand::new()
        .manifest_path(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .exec()
        .unwrap();
    let resolve = metadata.resolve.as_ref().unwrap();
    let nodes: HashMap<&PackageId, _> = resolve.nodes.iter().map(|node| (&node.id, node)).collect();
    let name_of = |id: &PackageId| metadata[id].name.to_string();

    let libraries: Vec<&PackageId> = metadata
        .workspace_members
        .iter()
        .filter(|id| name_of(id) != env!("CARGO_PKG_NAME"))
        .collect();
    assert!(
        libraries.len() >= 2,
        "expected the library crates, got {libraries:?}"
    );

    for library in libraries {
        // Walk normal (non-dev, non-build) dependencies.
        let mut seen = HashSet::new();
        let mut stack = vec![(library, vec![name_of(library)])];
        while let Some((id, path)) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            for dep in &nodes[id].deps {
                let normal = dep
                    .dep_kinds
                    .iter()
                    .any(|kind| kind.kind == cargo_metadata::DependencyKind::Normal);
                if !normal {
                    continue;
                }
                let name = name_of(&dep.pkg);
                let mut dep_path = path.clone();
                dep_path.push(name.clone());
                assert!(
                    !(name == "tauri" || name.starts_with("tauri-") || name == "wry"),
                    "library crate {} depends on {name} via {}: only src-tauri/ may use Tauri",
                    name_of(library),
                    dep_path.join(" -> ")
                );
                stack.push((&dep.pkg, dep_path));
            }
        }
    }
}

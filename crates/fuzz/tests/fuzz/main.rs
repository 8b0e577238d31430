//! One fuzz target per parser the app feeds with outside data, each run for a time budget
//! (`ARBTEST_BUDGET_MS`, default 2 s a target) by `cargo test`: see the crate's documentation.
//! Longer on demand: `ARBTEST_BUDGET_MS=300000 cargo test -p osmo-admin-fuzz --test fuzz`.

mod cli_login;
mod kubeconfig;
mod osmo_answers;
mod osmo_service;
mod progress;
mod rotation_journal;
mod settings;

/// The files under `dir` of the repository's `crates/`, read (seeds).
pub fn crate_files(dir: &str) -> Vec<Vec<u8>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(dir);
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
        .collect()
}

/// A fresh folder for one input.
pub fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

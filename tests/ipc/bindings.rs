//! The committed TypeScript bindings match the Rust types.

use std::path::Path;

use osmo_backend_admin::bindings::{render, BINDINGS_PATH};

#[test]
fn bindings_file_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(BINDINGS_PATH);
    let expected = render();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == expected,
        "{BINDINGS_PATH} is out of date with the Rust types; regenerate it with \
         `UPDATE_BINDINGS=1 cargo test --test ipc bindings` and commit it"
    );
}

#[test]
fn bindings_declare_every_ipc_type_and_error_code() {
    let text = render();
    for needle in [
        "export type ErrorCode = \"invalid_input\" | \"io\" | \"kubeconfig_invalid\"",
        "export type IpcError = { code: ErrorCode, message: string, }",
        "update_settings: { args: { settings: SettingsDto }; result: SettingsView }",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
}

// The app's own commands are declared here so that tauri-build generates one `allow-<command>`
// permission per command; the main window's capability then grants exactly the ones the UI uses.
const COMMANDS: &[&str] = &[
    "about",
    "get_settings",
    "update_settings",
    "dismiss_settings_notice",
    "sandbox_status",
    "start_sandbox",
    "stop_sandbox",
    "list_contexts",
    "test_context",
    "add_kubeconfig_file",
    "remove_kubeconfig_file",
    "link_backend",
    "unlink_backend",
    "set_current_context",
];

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    tauri_build::try_build(attributes).expect("tauri-build failed");
}

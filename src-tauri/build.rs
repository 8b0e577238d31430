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
    "list_sessions",
    "add_service",
    "sign_in_with_token",
    "sign_in_development",
    "start_device_code",
    "cancel_device_code",
    "sign_out",
    "retry_service",
    "import_cli_login",
    "cancel_operation",
    "open_in_browser",
    "dashboard_snapshot",
    "refresh_dashboard",
    "backend_detail",
    "diagnose_backend",
    "set_backend_notifications",
    "load_scheduler",
    "preview_scheduler",
    "save_scheduler",
    "list_tokens",
    "create_token",
    "delete_token",
    "tokens_needing_rotation",
    "start_rotation",
    "list_rotations",
    "rotation_status",
    "retry_rotation",
    "roll_back_rotation",
    "setup_defaults",
    "check_setup",
    "run_setup_step",
    "save_values_file",
    "setup_progress",
];

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    tauri_build::try_build(attributes).expect("tauri-build failed");
}

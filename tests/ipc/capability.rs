//! The main window's capability grants the app's own commands, listening to the core's events,
//! and nothing else.

use serde_json::json;

use crate::contexts::{closed_server, write_kubeconfig};
use crate::TestApp;

#[test]
fn every_command_in_the_bindings_is_allowed_for_the_main_window() {
    let dir = tempfile::tempdir().unwrap();
    let server = closed_server();
    // `dev` in ~/.kube/config, so it stays defined whatever the extra files are.
    write_kubeconfig(&dir.path().join("home/.kube"), "config", "dev", &server);
    let extra = write_kubeconfig(dir.path(), "extra.yaml", "other", &server);
    let app = TestApp::start_in(dir);
    for command in osmo_backend_admin::bindings::command_names() {
        let args = match command {
            "update_settings" => {
                json!({"settings": {"theme": "system", "dashboardRefreshSecs": 10}})
            }
            "test_context" => json!({"name": "dev"}),
            "add_kubeconfig_file" | "remove_kubeconfig_file" => json!({"path": extra}),
            "link_backend" => json!({"session": "s", "backend": "b", "context": "dev"}),
            "unlink_backend" => json!({"session": "s", "backend": "b"}),
            "set_current_context" => json!({"name": "dev"}),
            _ => json!({}),
        };
        match app.invoke(command, args) {
            Ok(_) => {}
            // Allowed, ran, and failed on its own terms: nothing listens on the test server.
            Err(err) if command == "test_context" && err["code"] == "unreachable" => {}
            Err(err) => panic!("{command} was refused: {err}"),
        }
    }
}

#[test]
fn core_and_plugin_commands_are_not_granted() {
    let app = TestApp::start();
    for command in [
        "plugin:app|version",
        "plugin:event|emit",
        "plugin:webview|print",
        "no_such_command",
    ] {
        let err = app.invoke(command, json!({})).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("not allowed") || text.contains("not found"),
            "{command} should be refused, got {text}"
        );
    }
}

#[test]
fn listening_to_the_cores_events_is_granted_but_emitting_is_not() {
    let app = TestApp::start();
    let args = json!({"event": "kubeconfig-changed", "target": {"kind": "Any"}, "handler": 7});
    let listened = app.invoke("plugin:event|listen", args);
    assert!(listened.is_ok(), "listen refused: {listened:?}");
    let emitted = app
        .invoke("plugin:event|emit", json!({"event": "kubeconfig-changed"}))
        .unwrap_err();
    assert!(emitted.to_string().contains("not allowed"), "{emitted}");
}

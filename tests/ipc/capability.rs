//! The main window's capability grants the app's own commands and nothing else.

use serde_json::json;

use crate::TestApp;

#[test]
fn every_command_in_the_bindings_is_allowed_for_the_main_window() {
    let app = TestApp::start();
    for command in osmo_backend_admin::bindings::command_names() {
        let args = match command {
            "update_settings" => {
                json!({"settings": {"theme": "system", "dashboardRefreshSecs": 10}})
            }
            _ => json!({}),
        };
        if let Err(err) = app.invoke(command, args) {
            panic!("{command} was refused: {err}");
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

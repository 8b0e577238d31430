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
            "link_backend" => {
                json!({"backend": {"service": "s", "backend": "b"}, "context": "dev"})
            }
            "unlink_backend" => json!({"backend": {"service": "s", "backend": "b"}}),
            "set_current_context" => json!({"name": "dev"}),
            "add_service" => json!({"name": "s", "url": server}),
            "sign_in_with_token" => json!({"service": "svc-x", "token": "t"}),
            "sign_in_development" => json!({"service": "svc-x", "user": "u"}),
            "start_device_code" | "cancel_device_code" | "retry_service" => {
                json!({"service": "svc-x"})
            }
            "sign_out" => json!({"service": "svc-x", "keepListed": true}),
            "settle_left_out_secrets" => json!({"ids": [], "remove": false}),
            "import_cli_login" => json!({"name": "cli"}),
            "cancel_operation" => {
                json!({"operation": {"kind": "request", "id": "nothing-running"}})
            }
            "load_scheduler" => json!({"backend": {"service": "none", "backend": "b"}}),
            "preview_scheduler" | "save_scheduler" => json!({
                "backend": {"service": "none", "backend": "b"}, "loaded": {}, "description": "d",
                "form": {"schedulerType": "kai", "schedulerName": "", "coscheduling": null, "schedulerTimeout": "30"}
            }),
            // Refused by the command itself, so no browser opens during the test.
            "open_in_browser" => json!({"url": "file:///etc/passwd"}),
            "backend_detail" | "diagnose_backend" => {
                json!({"backend": {"service": "s", "backend": "b"}})
            }
            "set_backend_notifications" => {
                json!({"backend": {"service": "s", "backend": "b"}, "on": true})
            }
            "list_tokens" => json!({"service": "none"}),
            "create_token" => json!({
                "service": "none",
                "form": {"owner": null, "name": "t", "expiresAt": "2027-01-15", "roles": ["osmo-backend"]}
            }),
            "delete_token" => {
                json!({"service": "none", "owner": "t", "name": "t", "kind": "service"})
            }
            "backend_deletion_plan" => json!({"backend": {"service": "none", "backend": "b"}}),
            "delete_backend" => json!({
                "backend": {"service": "none", "backend": "b"},
                "choices": {"stopOperator": false, "unlink": false}
            }),
            "list_pools" | "list_service_accounts" => json!({"service": "none"}),
            "create_pool" => {
                json!({"backend": {"service": "none", "backend": "b"}, "pool": "p", "description": ""})
            }
            "switch_pool" => json!({"backend": {"service": "none", "backend": "b"}, "pool": "p"}),
            "delete_pool" => json!({"service": "none", "pool": "p"}),
            "config_history" => json!({"service": "none", "kind": "backend"}),
            "config_diff" => json!({"service": "none", "kind": "pool", "first": 1, "second": 2}),
            "tag_revision" => {
                json!({"service": "none", "kind": "backend", "revision": 1, "set": ["t"], "remove": []})
            }
            "rollback_preview" => json!({"service": "none", "kind": "backend", "revision": 1}),
            "roll_back_config" => json!({"service": "none", "description": "", "confirmed": {
                "kind": "backend", "revision": 1, "current": 2, "changes": []
            }}),
            "add_user_roles" => json!({"service": "none", "user": "u", "roles": ["osmo-backend"]}),
            "delete_service_account" => json!({"service": "none", "user": "u"}),
            "start_rotation" => json!({"request": {
                "backend": {"service": "none", "backend": "b"}, "context": null,
                "secretNamespace": "osmo-operator", "secretName": "osmo-operator-token", "secretKey": "token",
                "oldOwner": null, "oldName": null, "newOwner": null, "newName": null,
                "expiresAt": "2027-01-15", "heartbeatTimeoutSecs": 300, "deleteOld": true
            }}),
            "rotation_status" | "retry_rotation" | "roll_back_rotation" | "resolve_rotation" => {
                json!({"id": "none"})
            }
            // An empty backend name: answered with the fields at fault, nothing contacted.
            "setup_defaults" => json!({"service": "none", "backend": "b"}),
            "check_setup" | "run_setup_step" | "save_values_file" => json!({
                "plan": crate::setup::plan_json("", "http://127.0.0.1:9"),
                "service": "none", "context": "none", "step": "token", "replace": false
            }),
            "setup_progress" => json!({"backend": {"service": "none", "backend": "b"}}),
            _ => json!({}),
        };
        match app.invoke(command, args) {
            Ok(_) => {}
            // Allowed, ran, and failed on its own terms (an `IpcError` with a code): nothing
            // listens on the test server, no service "svc-x" exists, ... A refused command is
            // rejected by Tauri with a plain string instead.
            Err(err) if err.get("code").is_some() => {}
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

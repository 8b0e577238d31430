//! The scheduler editor's commands against osmo-sim in both dialects: load (form, preset,
//! history), a preview that names the field at fault, a save that is read back, a save that
//! changes nothing, and someone else's change between load and save shown as a conflict.

use osmo_sim::{Dialect, SeedBackend, SimConfig, Simulator};
use serde_json::{json, Value};

use crate::TestApp;

fn form(kind: &str, name: &str, coscheduling: Value, timeout: &str) -> Value {
    json!({"schedulerType": kind, "schedulerName": name, "coscheduling": coscheduling, "schedulerTimeout": timeout})
}

#[test]
fn edit_a_backends_scheduler_settings_in_both_dialects() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    for (dialect, label) in [(Dialect::V6_0, "6.0/6.1"), (Dialect::V6_4, "6.2+")] {
        let sim = runtime
            .block_on(Simulator::start(
                SimConfig::new(dialect).backend(SeedBackend::new("gpu-east")),
            ))
            .unwrap();
        let app = TestApp::start();
        let id = app
            .invoke("add_service", json!({"name": "lab", "url": sim.base_url()}))
            .unwrap();
        app.invoke("sign_in_development", json!({"service": id, "user": "ana"}))
            .unwrap();
        let args = json!({"backend": {"service": "lab", "backend": "gpu-east"}});
        let view = app.invoke("load_scheduler", args.clone()).unwrap();
        assert_eq!(view["dialect"], label);
        assert_eq!(view["linkedContext"], Value::Null);
        assert_eq!(view["presence"], json!([]));
        let coscheduling_field = view["fields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["name"] == "coscheduling");
        assert_eq!(coscheduling_field, dialect == Dialect::V6_0, "{view}");
        let loaded = view["loaded"].clone();
        let cosched = if dialect == Dialect::V6_0 {
            json!(false)
        } else {
            Value::Null
        };

        let with = |form: Value| {
            let mut a = args.clone();
            a["loaded"] = loaded.clone();
            a["form"] = form;
            a
        };
        let bad = app
            .invoke(
                "preview_scheduler",
                with(form("kai", "kai-scheduler", cosched.clone(), "1.5")),
            )
            .unwrap();
        assert_eq!(bad["violations"][0]["field"], "scheduler_timeout", "{bad}");

        let preset = view["kaiPreset"].clone();
        let at_preset = app
            .invoke("preview_scheduler", with(preset.clone()))
            .unwrap();
        // A new 6.2+ backend already has the guide's KAI settings; a 6.0 one has `default`.
        assert_eq!(
            at_preset["changes"].as_array().unwrap().is_empty(),
            dialect == Dialect::V6_4
        );
        let wanted = match dialect {
            Dialect::V6_0 => preset,
            _ => form("kai", "kai-scheduler", Value::Null, "60"),
        };
        let preview = app
            .invoke("preview_scheduler", with(wanted.clone()))
            .unwrap();
        assert!(
            !preview["changes"].as_array().unwrap().is_empty(),
            "{preview}"
        );
        assert_eq!(preview["violations"], json!([]));

        let mut save = with(wanted.clone());
        save["description"] = json!("  ");
        let err = app.invoke("save_scheduler", save.clone()).unwrap_err();
        assert_eq!(
            err["code"], "invalid_input",
            "a description is required: {err}"
        );
        save["description"] = json!("KAI as in the guide");
        let saved = app.invoke("save_scheduler", save.clone()).unwrap();
        assert_eq!(saved["outcome"], "saved", "{saved}");
        assert_eq!(saved["stored"]["schedulerType"], "kai");

        // Saving the same form over what is stored now changes nothing and sends nothing.
        let reloaded = app.invoke("load_scheduler", args.clone()).unwrap();
        let revisions = reloaded["revisions"].as_array().unwrap();
        assert!(
            revisions
                .iter()
                .any(|r| r["description"] == "KAI as in the guide"),
            "{reloaded}"
        );
        let mut again = save.clone();
        again["loaded"] = reloaded["loaded"].clone();
        assert_eq!(
            app.invoke("save_scheduler", again).unwrap()["outcome"],
            "nothing_changed"
        );

        // The first load is stale now: saving over it is a conflict, not an overwrite.
        let mut stale = with(form("kai", "other-name", cosched.clone(), "45"));
        stale["description"] = json!("mine");
        let conflict = app.invoke("save_scheduler", stale).unwrap();
        assert_eq!(conflict["outcome"], "conflict", "{conflict}");
        assert_eq!(conflict["theirs"]["schedulerType"], "kai");
        runtime.block_on(sim.shutdown());
    }
}

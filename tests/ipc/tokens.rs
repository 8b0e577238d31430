//! The Tokens screen's commands against osmo-sim in both dialects: the list with badges, expiry
//! words and "used by" (a backend named like the token); a form breaking the server's rules gives
//! field errors and creates nothing; a created token's value is returned once and the token is
//! listed (never with a value); delete removes it; nothing interrupted on a fresh start.

use chrono::{Duration, Utc};
use osmo_sim::{Dialect, SeedBackend, SeedToken, SimConfig, Simulator};
use serde_json::{json, Value};

use crate::TestApp;

fn row<'a>(view: &'a Value, name: &str) -> &'a Value {
    view["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no row {name} in {view}"))
}

#[test]
fn list_create_and_delete_tokens_in_both_dialects() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let today = Utc::now().date_naive();
    for (dialect, label) in [(Dialect::V6_0, "6.0/6.1"), (Dialect::V6_4, "6.2+")] {
        let token = |name: &str, days: i64| {
            let t = match dialect {
                Dialect::V6_0 => SeedToken::service(name, &["osmo-backend"]),
                _ => SeedToken::for_user("backend-svc", name, &["osmo-backend"]),
            };
            t.expires_at(today + Duration::days(days))
        };
        let mut config = SimConfig::new(dialect)
            .backend(SeedBackend::new("gpu-east"))
            .token(token("old-token", 10))
            .token(token("gpu-east", 3))
            .token(token("fine-token", 100));
        if dialect != Dialect::V6_0 {
            config = config.user("backend-svc", &["osmo-backend"]);
        }
        let sim = runtime.block_on(Simulator::start(config)).unwrap();
        // The service refuses to create an expired token: age it afterwards.
        let user = match dialect {
            Dialect::V6_0 => "old-token",
            _ => "backend-svc",
        };
        assert!(sim.set_token_expires_at(user, "old-token", today - Duration::days(3)));
        let app = TestApp::start();
        let id = app
            .invoke("add_service", json!({"name": "lab", "url": sim.base_url()}))
            .unwrap();
        app.invoke("sign_in_development", json!({"service": id, "user": "ana"}))
            .unwrap();

        let view = app
            .invoke("list_tokens", json!({"service": "lab"}))
            .unwrap();
        assert_eq!(view["dialect"], label, "{view}");
        assert_eq!(view["warningDays"], 7);
        let expired = row(&view, "old-token");
        assert_eq!(expired["badge"], "expired", "{expired}");
        assert_eq!(expired["words"], "expired 3 days ago");
        assert_eq!(expired["roles"], json!(["osmo-backend"]));
        let soon = row(&view, "gpu-east");
        assert_eq!(soon["badge"], "expires_soon", "{soon}");
        assert_eq!(soon["words"], "expires in 3 days");
        assert_eq!(soon["usedBy"], json!(["gpu-east"]), "matched by name");
        let fine = row(&view, "fine-token");
        assert_eq!(fine["badge"], "fine");
        assert_eq!(fine["usedBy"], json!([]));
        assert_eq!(fine["expiresOn"], (today + Duration::days(100)).to_string());
        assert!(!view.to_string().contains("\"value\""), "{view}");
        assert_eq!(view["backends"], json!(["gpu-east"]));

        // The dashboard badge: the token in use that expires soon.
        let needing = app.invoke("tokens_needing_rotation", json!({})).unwrap();
        assert_eq!(needing["count"], 1, "{needing}");
        assert_eq!(needing["tokens"][0]["name"], "gpu-east");

        // A form that breaks every rule: each field named, nothing created.
        let owner = (dialect != Dialect::V6_0).then_some("backend-svc");
        let bad = json!({"service": "lab", "form": {
            "owner": owner, "name": "1-bad", "expiresAt": today.to_string(), "roles": [], "forOperator": true
        }});
        let answer = app.invoke("create_token", bad).unwrap();
        assert_eq!(answer["outcome"], "invalid", "{answer}");
        let fields: Vec<&str> = answer["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, vec!["name", "expiresAt", "roles"], "{answer}");
        let too_far = json!({"service": "lab", "form": {
            "owner": owner, "name": "new-token", "expiresAt": (today + Duration::days(400)).to_string(),
            "roles": ["osmo-backend"], "forOperator": true
        }});
        let answer = app.invoke("create_token", too_far).unwrap();
        assert_eq!(answer["errors"][0]["field"], "expiresAt", "{answer}");
        let listed = app
            .invoke("list_tokens", json!({"service": "lab"}))
            .unwrap();
        assert_eq!(listed["rows"].as_array().unwrap().len(), 3, "{listed}");

        // Created: the value comes back once, then the token is listed without it.
        let expires = (today + Duration::days(30)).to_string();
        let good = json!({"service": "lab", "form": {
            "owner": owner, "name": "new-token", "expiresAt": expires,
            "roles": ["osmo-backend"], "description": "for a test", "forOperator": true
        }});
        let answer = app.invoke("create_token", good).unwrap();
        assert_eq!(answer["outcome"], "created", "{answer}");
        let created = &answer["token"];
        let value = created["value"].as_str().unwrap();
        assert!(value.len() >= 16, "{created}");
        assert_eq!(created["name"], "new-token");
        assert_eq!(created["expiresOn"], expires.as_str());
        let listed = app
            .invoke("list_tokens", json!({"service": "lab"}))
            .unwrap();
        let new = row(&listed, "new-token");
        assert_eq!(new["description"], "for a test");
        assert_eq!(new["badge"], "fine");
        assert!(
            !listed.to_string().contains(value),
            "the value is never listed"
        );

        let owner_name = new["owner"].as_str().unwrap().to_owned();
        let kind = match dialect {
            Dialect::V6_0 => "service",
            _ => "service_account",
        };
        let deleted = app
            .invoke(
                "delete_token",
                json!({"service": "lab", "owner": owner_name, "name": "new-token", "kind": kind}),
            )
            .unwrap();
        assert_eq!(deleted, json!(true));
        let listed = app
            .invoke("list_tokens", json!({"service": "lab"}))
            .unwrap();
        assert!(
            !listed["rows"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["name"] == "new-token"),
            "{listed}"
        );

        assert_eq!(app.invoke("list_rotations", json!({})).unwrap(), json!([]));
        let err = app
            .invoke("rotation_status", json!({"id": "nope"}))
            .unwrap_err();
        assert_eq!(err["code"], "conflict", "{err}");
        runtime.block_on(sim.shutdown());
    }
}

#[test]
fn an_unknown_session_is_an_error_with_a_code() {
    let app = TestApp::start();
    let err = app
        .invoke("list_tokens", json!({"service": "nowhere"}))
        .unwrap_err();
    assert_eq!(err["code"], "invalid_input", "{err}");
    assert!(
        err["message"].as_str().unwrap().contains("nowhere"),
        "{err}"
    );
}

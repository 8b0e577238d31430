//! Admin-operation rules the captures do not reach on their own: a BACKEND rollback deleting
//! backends made after the revision (and stopping at one deleted since), a POOL rollback
//! re-creating exactly the revision's pools, history paging, tag filters and deleted revisions,
//! 6.2's pydantic-v1 bodies on the 6.2+ routes, and unknown template names.

use osmo_sim::{Dialect, SeedBackend, SimConfig, SimHandle, Simulator};
use serde_json::{json, Value};

/// Sends a request as `admin` and returns the status and JSON body.
async fn call(sim: &SimHandle, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = reqwest::Client::new()
        .request(method, format!("{}{path}", sim.base_url()))
        .header("x-osmo-user", "admin");
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// The newest `n` revisions of `config_type`, newest first.
async fn latest(sim: &SimHandle, config_type: &str, n: usize) -> Vec<Value> {
    let path = format!(
        "/api/configs/history?config_types={config_type}&order=DESC&limit={n}&omit_data=true"
    );
    let (_, body) = call(sim, "GET", &path, None).await;
    body["configs"].as_array().unwrap().clone()
}

async fn set_description(sim: &SimHandle, backend: &str, text: &str) {
    let body = json!({"configs": {"description": text}, "description": text});
    let (status, _) = call(
        sim,
        "POST",
        &format!("/api/configs/backend/{backend}"),
        Some(body),
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn backend_rollback_is_global_and_stops_at_a_deleted_backend() {
    let sim = Simulator::start(SimConfig::new(Dialect::V6_4).backend(SeedBackend::new("a")))
        .await
        .unwrap();
    set_description(&sim, "a", "v1").await;
    let target = latest(&sim, "BACKEND", 1).await[0]["revision"].clone();
    sim.add_backend(SeedBackend::new("b")).unwrap();
    set_description(&sim, "a", "v2").await;
    let rollback = json!({"config_type": "BACKEND", "revision": target, "description": "undo"});
    let (status, _) = call(
        &sim,
        "POST",
        "/api/configs/history/rollback",
        Some(rollback.clone()),
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        sim.backend("b").is_none(),
        "a backend made after the revision survived"
    );
    assert_eq!(sim.backend("a").unwrap().json["description"], "v1");
    let entry = &latest(&sim, "BACKEND", 1).await[0];
    assert_eq!(entry["name"], "");
    assert_eq!(
        entry["description"],
        format!("Roll back BACKEND to r{target}: undo")
    );

    let (status, _) = call(&sim, "DELETE", "/api/configs/backend/a", Some(json!({}))).await;
    assert_eq!(status, 200);
    let before = sim.history_revisions("BACKEND");
    let (status, body) = call(
        &sim,
        "POST",
        "/api/configs/history/rollback",
        Some(rollback),
    )
    .await;
    assert_eq!(
        (status, body),
        (
            500,
            json!({"message": "Internal server error: Backend 'a' not found"})
        )
    );
    assert_eq!(
        sim.history_revisions("BACKEND"),
        before,
        "a failed rollback wrote history"
    );
}

#[tokio::test]
async fn pool_rollback_puts_back_exactly_the_revision_pools() {
    let sim = Simulator::start(SimConfig::new(Dialect::V6_0))
        .await
        .unwrap();
    let p1 = json!({"configs": {"description": "one", "backend": "default"}});
    assert_eq!(
        call(&sim, "PUT", "/api/configs/pool/p1", Some(p1)).await.0,
        500,
        "no backend default"
    );
    let target = latest(&sim, "POOL", 1).await[0]["revision"].clone();
    let p2 = json!({"configs": {"p2": {"backend": "default"}}});
    assert_eq!(
        call(&sim, "PUT", "/api/configs/pool", Some(p2)).await.0,
        200
    );
    let patch = json!({"configs_dict": {"description": "changed"}});
    assert_eq!(
        call(&sim, "PATCH", "/api/configs/pool/p1", Some(patch))
            .await
            .0,
        500
    );
    assert_eq!(
        call(&sim, "GET", "/api/configs/pool/p1", None).await.1["description"],
        "changed"
    );

    let rollback = json!({"config_type": "POOL", "revision": target});
    assert_eq!(
        call(
            &sim,
            "POST",
            "/api/configs/history/rollback",
            Some(rollback)
        )
        .await
        .0,
        200
    );
    let (_, pools) = call(&sim, "GET", "/api/configs/pool", None).await;
    let names: Vec<&String> = pools["pools"].as_object().unwrap().keys().collect();
    assert_eq!(names, ["default", "p1"]);
    assert_eq!(pools["pools"]["p1"]["description"], "one");
    let entry = &latest(&sim, "POOL", 1).await[0];
    assert_eq!(entry["description"], format!("Roll back POOL to r{target}"));
}

#[tokio::test]
async fn history_pages_newest_first_filters_all_tags_and_hides_deleted_revisions() {
    let sim = Simulator::start(SimConfig::new(Dialect::V6_4).backend(SeedBackend::new("a")))
        .await
        .unwrap();
    for text in ["r1", "r2", "r3"] {
        set_description(&sim, "a", text).await;
    }
    let newest = latest(&sim, "BACKEND", 3).await;
    let revision = |i: usize| newest[i]["revision"].as_u64().unwrap();
    let (_, asc) = call(
        &sim,
        "GET",
        "/api/configs/history?config_types=BACKEND&limit=2&omit_data=true",
        None,
    )
    .await;
    let asc: Vec<u64> = asc["configs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["revision"].as_u64().unwrap())
        .collect();
    assert_eq!(
        asc,
        [revision(1), revision(0)],
        "ASC with a limit lists the newest window"
    );

    let s = &sim;
    let tags = |r: u64, set: Value| async move {
        let path = format!("/api/configs/history/backend/revision/{r}/tags");
        call(s, "POST", &path, Some(json!({ "set_tags": set })))
            .await
            .0
    };
    assert_eq!(tags(revision(1), json!(["x", "y"])).await, 200);
    assert_eq!(tags(revision(2), json!(["x"])).await, 200);
    let (_, both) = call(
        &sim,
        "GET",
        "/api/configs/history?tags=x&tags=y&omit_data=true",
        None,
    )
    .await;
    assert_eq!(both["configs"].as_array().unwrap().len(), 1);
    assert_eq!(both["configs"][0]["revision"], revision(1));

    let delete = |r: u64| async move {
        call(
            s,
            "DELETE",
            &format!("/api/configs/history/BACKEND/revision/{r}"),
            None,
        )
        .await
    };
    assert_eq!(delete(revision(1)).await.0, 200);
    let listed = latest(&sim, "BACKEND", 3).await;
    assert!(
        listed.iter().all(|e| e["revision"] != revision(1)),
        "a deleted revision is listed"
    );
    let (status, body) = delete(revision(1)).await;
    assert_eq!(status, 400);
    assert_eq!(
        body["message"],
        format!(
            "No config history entry found for type BACKEND at revision {}",
            revision(1)
        )
    );
    let (status, body) = delete(revision(0)).await;
    assert_eq!(status, 400);
    assert_eq!(
        body["message"],
        format!(
            "Cannot delete the current revision {} for config type BACKEND",
            revision(0)
        )
    );
    let (status, body) = call(
        &sim,
        "DELETE",
        "/api/configs/history/BACKEND/revision/0",
        None,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["detail"][0]["type"], "greater_than");
}

#[tokio::test]
async fn v6_2_answers_pydantic_v1_bodies_and_has_the_role_routes() {
    let sim = Simulator::start(SimConfig::new(Dialect::V6_2).user("u1", &["osmo-backend"]))
        .await
        .unwrap();
    let (status, body) = call(
        &sim,
        "PUT",
        "/api/configs/pool/x",
        Some(json!({"configs": {}})),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        body,
        json!({"detail": [{"loc": ["body", "configs", "backend"], "msg": "field required", "type": "value_error.missing"}]})
    );
    let patch = json!({"configs_dict": {"backend": null}});
    let (status, body) = call(&sim, "PATCH", "/api/configs/pool/default", Some(patch)).await;
    assert_eq!(status, 500);
    assert_eq!(
        body["message"],
        "Internal server error: 1 validation error for Pool\nbackend\n  none is not an allowed value (type=type_error.none.not_allowed)"
    );
    let assign = json!({"user_ids": ["u1", "nobody"]});
    let (status, body) = call(
        &sim,
        "POST",
        "/api/auth/roles/osmo-user/users",
        Some(assign),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({"role_name": "osmo-user", "assigned": ["u1"], "already_assigned": [], "failed": ["nobody"]})
    );
    let (_, roles) = call(&sim, "GET", "/api/auth/user/u1/roles", None).await;
    let names: Vec<&Value> = roles["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["role_name"])
        .collect();
    assert_eq!(names, [&json!("osmo-backend"), &json!("osmo-user")]);
    let (status, body) = call(&sim, "GET", "/api/auth/roles/no-such-role/users", None).await;
    assert_eq!(
        (status, body["message"].clone()),
        (400, json!("Role no-such-role does not exist"))
    );
}

#[tokio::test]
async fn template_names_resolve_or_are_refused() {
    let sim = Simulator::start(SimConfig::new(Dialect::V6_4).backend(SeedBackend::new("gpu")))
        .await
        .unwrap();
    let bad = json!({"configs": {"backend": "gpu", "common_pod_template": ["nope"]}});
    let (status, body) = call(&sim, "PUT", "/api/configs/pool/p", Some(bad)).await;
    assert_eq!(
        (status, body),
        (
            400,
            json!({"message": "Pod template nope does not exist!", "error_code": "USAGE", "workflow_id": null})
        )
    );
    assert_eq!(call(&sim, "GET", "/api/configs/pool/p", None).await.0, 400);
    let good = json!({"configs": {"backend": "gpu", "common_pod_template": ["default_user"],
                                  "platforms": {"x": {"override_pod_template": ["default_ctrl"]}}}});
    assert_eq!(
        call(&sim, "PUT", "/api/configs/pool/p", Some(good)).await.0,
        200
    );
    let (_, pool) = call(&sim, "GET", "/api/configs/pool/p?verbose=true", None).await;
    assert_eq!(
        pool["parsed_pod_template"]["spec"]["containers"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let platform = &pool["platforms"]["x"]["parsed_pod_template"]["spec"]["containers"];
    assert_eq!(
        platform.as_array().unwrap().len(),
        2,
        "the override adds osmo-ctrl"
    );
    assert_eq!(pool["status"], "ONLINE");
}

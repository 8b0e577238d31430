//! The listener WebSocket: replay of `osmo-6.0.0-websocket.json` (init, heartbeat, protocol
//! violations closing with 1006) and init/heartbeat making a backend online.

use std::time::Duration;

use chrono::NaiveDateTime;
use futures::{SinkExt, StreamExt};
use osmo_sim::{Dialect, SeedBackend, SimConfig, SimHandle, Simulator};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use crate::compare::timestamp_kind;
use crate::load_fixture;

/// Scenario order of the capture (the JSON object itself is unordered once parsed).
const SCENARIOS: [&str; 13] = [
    "before",
    "init_only_existing_backend",
    "after_init_only",
    "init_only_new_backend",
    "after_init_only_new",
    "wrong_k8s_uid",
    "heartbeat_before_init",
    "init_extra_key",
    "heartbeat_tz_aware",
    "after_tz_aware",
    "heartbeat_bad_time",
    "version_change",
    "after_version_change",
];

/// How long a socket must stay open to count as "still open" (the capture waited 2 s).
const OPEN_WINDOW: Duration = Duration::from_millis(600);

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub async fn connect(sim: &SimHandle, path: &str) -> Ws {
    tokio_tungstenite::connect_async(format!("{}{path}", sim.ws_url()))
        .await
        .unwrap()
        .0
}

/// Reads until the window passes (`false`) or the server ends the connection (`true`), and
/// whether the server sent a close frame.
async fn drain(ws: &mut Ws, received: &mut Vec<Value>) -> (bool, bool) {
    let deadline = tokio::time::Instant::now() + OPEN_WINDOW;
    loop {
        match tokio::time::timeout_at(deadline, ws.next()).await {
            Err(_) => return (false, false),
            Ok(Some(Ok(Message::Text(t)))) => {
                received.push(serde_json::from_str(t.as_str()).unwrap())
            }
            Ok(Some(Ok(Message::Close(_)))) => return (true, true),
            Ok(Some(Ok(_))) => {}
            Ok(Some(Err(_)) | None) => return (true, false),
        }
    }
}

fn is_hex32(v: &Value) -> bool {
    v.as_str()
        .is_some_and(|s| s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn check_state(sim: &SimHandle, key: &str, expected: &Value) {
    let name = expected["k8s_uid"]
        .as_str()
        .unwrap()
        .trim_start_matches("fake-uid-");
    let b = sim
        .backend(name)
        .unwrap_or_else(|| panic!("{key}: backend {name} missing"));
    let want_hb = expected["last_heartbeat"].as_str().unwrap();
    let got_hb = b.json["last_heartbeat"].as_str().unwrap();
    if want_hb.ends_with("T17:00:00") {
        // Set by the test or sent by the client: must be exactly that time.
        assert_eq!(got_hb, want_hb, "{key}: last_heartbeat");
    } else {
        assert_eq!(
            timestamp_kind(got_hb),
            timestamp_kind(want_hb),
            "{key}: last_heartbeat format {got_hb}"
        );
    }
    assert_eq!(
        b.online,
        expected["online"].as_bool().unwrap(),
        "{key}: online"
    );
    assert_eq!(
        b.k8s_uid,
        expected["k8s_uid"].as_str().unwrap(),
        "{key}: k8s_uid"
    );
    assert_eq!(
        b.version,
        expected["version"].as_str().unwrap(),
        "{key}: version"
    );
}

#[tokio::test]
async fn replay_websocket_captures() {
    let fixture = load_fixture("osmo-6.0.0-websocket.json");
    let keys: std::collections::BTreeSet<&str> = fixture
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        SCENARIOS.iter().copied().collect(),
        "scenario list out of date"
    );
    let old = NaiveDateTime::parse_from_str("2026-11-28T17:00:00", "%Y-%m-%dT%H:%M:%S").unwrap();
    let sim = Simulator::start(
        SimConfig::new(Dialect::V6_0).backend(
            SeedBackend::new("gpu-east")
                .k8s_uid("fake-uid-gpu-east")
                .last_heartbeat(old),
        ),
    )
    .await
    .unwrap();
    for key in SCENARIOS {
        let scenario = &fixture[key];
        let Some(url) = scenario.get("url").and_then(Value::as_str) else {
            check_state(&sim, key, scenario);
            continue;
        };
        let path = &url[url.find("/api/").unwrap()..];
        let mut ws = connect(&sim, path).await;
        let mut received = Vec::new();
        let mut closed = (false, false);
        for msg in scenario["sent"].as_array().unwrap() {
            ws.send(Message::Text(msg.to_string().into()))
                .await
                .unwrap();
            closed = drain(&mut ws, &mut received).await;
            if closed.0 {
                break;
            }
        }
        let expected_received = scenario["received"].as_array().unwrap();
        assert_eq!(
            received.len(),
            expected_received.len(),
            "{key}: received {received:?}"
        );
        for (got, want) in received.iter().zip(expected_received) {
            assert_eq!(got["type"], want["type"], "{key}");
            assert!(is_hex32(&got["uuid"]), "{key}: ack uuid {got}");
            if want["body"]["uuid"] == "u-tz" {
                assert_eq!(got["body"]["uuid"], "u-tz", "{key}");
            } else {
                assert!(
                    is_hex32(&got["body"]["uuid"]),
                    "{key}: generated uuid {got}"
                );
            }
        }
        let result = scenario["result"].as_str().unwrap();
        if result.starts_with("closed by server: code=1006") {
            assert_eq!(
                closed,
                (true, false),
                "{key}: expected an abrupt close (1006)"
            );
        } else {
            assert!(!closed.0, "{key}: socket closed but capture says {result}");
            let _ = ws.close(None).await;
        }
    }
    sim.shutdown().await;
}

async fn backend_json(sim: &SimHandle, name: &str) -> Value {
    reqwest::get(format!("{}/api/configs/backend/{name}", sim.base_url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

fn init(name: &str) -> Message {
    let body = json!({"type": "init", "body": {"k8s_uid": format!("uid-{name}"), "k8s_namespace": "osmo-workflows",
        "version": "6.4.0", "node_condition_prefix": "osmo.nvidia.com/"}});
    Message::Text(body.to_string().into())
}

#[tokio::test]
async fn init_creates_online_backend_and_heartbeat_revives_it() {
    for dialect in [Dialect::V6_0, Dialect::V6_4] {
        let sim = Simulator::start(SimConfig::new(dialect)).await.unwrap();
        let mut ws = connect(&sim, "/api/agent/listener/heartbeat/backend/edge").await;
        ws.send(init("edge")).await.unwrap();
        let mut received = Vec::new();
        assert_eq!(drain(&mut ws, &mut received).await, (false, false));
        assert!(received.is_empty(), "init is not acked");
        let b = backend_json(&sim, "edge").await;
        assert_eq!(
            b["online"], true,
            "{dialect:?}: first init makes the backend online"
        );
        let expected_type = if dialect == Dialect::V6_0 {
            "default"
        } else {
            "kai"
        };
        assert_eq!(b["scheduler_settings"]["scheduler_type"], expected_type);

        // Heartbeat goes stale: offline.
        assert!(sim.set_last_heartbeat(
            "edge",
            chrono::Utc::now().naive_utc() - chrono::Duration::seconds(200)
        ));
        assert_eq!(backend_json(&sim, "edge").await["online"], false);
        // A fresh heartbeat on the socket brings it back, and the time sent is stored.
        let now = chrono::Utc::now().naive_utc();
        let sent = now.format("%Y-%m-%dT%H:%M:%S%.6f").to_string();
        let hb = json!({"type": "heartbeat", "body": {"time": sent}, "uuid": "hb-1"});
        ws.send(Message::Text(hb.to_string().into())).await.unwrap();
        received.clear();
        drain(&mut ws, &mut received).await;
        assert_eq!(received.len(), 1);
        assert_eq!(received[0]["body"]["uuid"], "hb-1");
        let b = backend_json(&sim, "edge").await;
        assert_eq!(b["online"], true);
        assert_eq!(b["last_heartbeat"], sent);
        // Closing the socket alone changes nothing.
        ws.close(None).await.unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(backend_json(&sim, "edge").await["online"], true);
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn online_rule_is_two_minutes_and_drives_pool_status() {
    let sim = Simulator::start(SimConfig::new(Dialect::V6_0).backend(SeedBackend::new("default")))
        .await
        .unwrap();
    let now = chrono::Utc::now().naive_utc();
    let pool_status = || async {
        let v: Value = reqwest::get(format!("{}/api/configs/pool", sim.base_url()))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        v["pools"]["default"]["status"].clone()
    };
    sim.set_last_heartbeat("default", now - chrono::Duration::seconds(115));
    assert_eq!(backend_json(&sim, "default").await["online"], true);
    assert_eq!(pool_status().await, "ONLINE");
    sim.set_last_heartbeat("default", now - chrono::Duration::seconds(121));
    assert_eq!(backend_json(&sim, "default").await["online"], false);
    assert!(!sim.backend("default").unwrap().online);
    assert_eq!(pool_status().await, "OFFLINE");
    // The control endpoint can refresh it.
    let r = reqwest::Client::new()
        .post(format!(
            "{}/__sim/backends/default/heartbeat",
            sim.base_url()
        ))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(backend_json(&sim, "default").await["online"], true);
    sim.shutdown().await;
}

#[tokio::test]
async fn keep_alive_backends_stay_online() {
    let old = chrono::Utc::now().naive_utc() - chrono::Duration::seconds(600);
    let sim = Simulator::start(
        SimConfig::new(Dialect::V6_4)
            .keep_alive_period(Duration::from_millis(50))
            .backend(SeedBackend::new("kept").last_heartbeat(old).keep_alive())
            .backend(SeedBackend::new("idle").last_heartbeat(old)),
    )
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(sim.backend("kept").unwrap().online);
    assert!(!sim.backend("idle").unwrap().online);
    let r = reqwest::Client::new()
        .post(format!("{}/__sim/backends/idle/keep_alive", sim.base_url()))
        .json(&json!({"enabled": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(backend_json(&sim, "idle").await["online"], true);
    assert!(sim.set_keep_alive("kept", false));
    assert!(sim.set_last_heartbeat("kept", old));
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!sim.backend("kept").unwrap().online);
    assert!(!sim.set_keep_alive("missing", true));
    sim.shutdown().await;
}

//! Fault injection through the library handle and the `/__sim/faults` control endpoint.

use std::time::{Duration, Instant};

use osmo_sim::{Dialect, FaultConfig, SimConfig, Simulator};
use serde_json::{json, Value};

fn injected_500() -> Value {
    json!({"message": format!("Internal server error: {}", osmo_sim::INJECTED_ERROR_TEXT)})
}

#[tokio::test]
async fn bursts_latency_drops_and_malformed_bodies() {
    let sim = Simulator::start(SimConfig::new(Dialect::V6_0))
        .await
        .unwrap();
    let client = reqwest::Client::new();
    let backends = format!("{}/api/configs/backend", sim.base_url());
    let version = format!("{}/api/version", sim.base_url());

    sim.set_faults(FaultConfig {
        fail_next: 2,
        path_prefix: Some("/api/configs".into()),
        ..FaultConfig::default()
    });
    assert_eq!(
        client.get(&version).send().await.unwrap().status(),
        200,
        "outside the prefix"
    );
    for _ in 0..2 {
        let r = client.get(&backends).send().await.unwrap();
        assert_eq!(r.status(), 500);
        assert_eq!(r.json::<Value>().await.unwrap(), injected_500());
    }
    assert_eq!(
        client.get(&backends).send().await.unwrap().status(),
        200,
        "burst over"
    );
    assert_eq!(sim.fault_stats().failed, 2);

    sim.set_faults(FaultConfig {
        latency_ms: 300,
        ..FaultConfig::default()
    });
    let start = Instant::now();
    assert_eq!(client.get(&version).send().await.unwrap().status(), 200);
    assert!(start.elapsed() >= Duration::from_millis(300));

    sim.set_faults(FaultConfig {
        drop_next: 1,
        ..FaultConfig::default()
    });
    let err = client
        .get(&version)
        .send()
        .await
        .expect_err("connection should be dropped");
    assert!(
        err.is_request() || err.is_connect() || err.is_body(),
        "{err:?}"
    );
    assert_eq!(client.get(&version).send().await.unwrap().status(), 200);
    assert_eq!(sim.fault_stats().dropped, 1);

    sim.set_faults(FaultConfig {
        malformed_next: 1,
        ..FaultConfig::default()
    });
    let r = client.get(&version).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(serde_json::from_str::<Value>(&r.text().await.unwrap()).is_err());
    assert!(serde_json::from_str::<Value>(
        &client
            .get(&version)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    )
    .is_ok());

    sim.set_faults(FaultConfig {
        error_rate: 1.0,
        ..FaultConfig::default()
    });
    for _ in 0..5 {
        assert_eq!(client.get(&version).send().await.unwrap().status(), 500);
    }
    sim.clear_faults();
    assert_eq!(client.get(&version).send().await.unwrap().status(), 200);
    sim.shutdown().await;
}

#[tokio::test]
async fn control_endpoint_sets_and_clears_faults() {
    let sim = Simulator::start(SimConfig::new(Dialect::V6_4))
        .await
        .unwrap();
    let client = reqwest::Client::new();
    let control = format!("{}/__sim/faults", sim.base_url());
    let health = format!("{}/health", sim.base_url());
    let r = client
        .post(&control)
        .json(&json!({"error_rate": 1.0}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(client.get(&health).send().await.unwrap().status(), 500);
    // The control API itself is never faulted.
    let state: Value = client
        .get(&control)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(state["config"]["error_rate"], 1.0);
    assert_eq!(state["stats"]["failed"], 1);
    let r = client
        .post(&control)
        .json(&json!({"bogus": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "unknown fault fields are rejected");
    assert_eq!(client.delete(&control).send().await.unwrap().status(), 200);
    assert_eq!(client.get(&health).send().await.unwrap().status(), 200);
    assert_eq!(sim.faults(), FaultConfig::default());
    sim.shutdown().await;
}

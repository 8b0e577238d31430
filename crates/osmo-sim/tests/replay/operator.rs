//! The simulated backend operator against the simulator: token from a "secret" file, exchange,
//! heartbeat socket, rotation by restart, and failure on an expired token.

use std::sync::Arc;
use std::time::Duration;

use osmo_sim::{
    Dialect, OperatorConfig, OperatorHandle, OperatorStatus, SeedToken, SimConfig, SimHandle,
    Simulator,
};

fn file_token(path: std::path::PathBuf) -> osmo_sim::TokenSource {
    Arc::new(move || std::fs::read_to_string(&path).map_err(|e| e.to_string()))
}

fn operator(sim: &SimHandle, backend: &str, secret: &std::path::Path) -> OperatorHandle {
    let mut c = OperatorConfig::new(
        sim.base_url(),
        sim.dialect(),
        backend,
        file_token(secret.to_path_buf()),
    );
    c.heartbeat_interval = Duration::from_millis(50);
    c.retry_interval = Duration::from_millis(50);
    OperatorHandle::start(c)
}

const WAIT: Duration = Duration::from_secs(10);

#[tokio::test]
async fn v6_0_operator_connects_rotates_and_fails_on_expired_token() {
    let sim = Simulator::start(
        SimConfig::new(Dialect::V6_0)
            .require_auth(true)
            .token(SeedToken::service("osmo-operator-edge", &["osmo-backend"])),
    )
    .await
    .unwrap();
    let secret = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        secret.path(),
        sim.seeded_token("osmo-operator-edge").unwrap(),
    )
    .unwrap();
    let op = operator(&sim, "edge", secret.path());
    assert_eq!(
        op.wait_for(WAIT, |s| *s == OperatorStatus::Connected).await,
        OperatorStatus::Connected
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    let b = sim.backend("edge").expect("init created the backend");
    assert!(b.online);
    let first = b.last_heartbeat;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        sim.backend("edge").unwrap().last_heartbeat > first,
        "heartbeats advance"
    );

    // Rotation: new token into the secret, restart, delete the old token.
    let expires = chrono::Utc::now().date_naive() + chrono::Duration::days(60);
    let new = sim
        .create_token(
            SeedToken::service("osmo-operator-edge-2", &["osmo-backend"]).expires_at(expires),
        )
        .unwrap();
    std::fs::write(secret.path(), &new).unwrap();
    op.restart();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        op.wait_for(WAIT, |s| *s == OperatorStatus::Connected).await,
        OperatorStatus::Connected
    );
    assert!(sim.set_token_expires_at(
        "osmo-operator-edge",
        "osmo-operator-edge",
        chrono::Utc::now().date_naive()
    ));

    // The new token expires; the next restart cannot log in and heartbeats stop.
    assert!(sim.set_token_expires_at(
        "osmo-operator-edge-2",
        "osmo-operator-edge-2",
        chrono::Utc::now().date_naive()
    ));
    op.restart();
    let status = op
        .wait_for(WAIT, |s| matches!(s, OperatorStatus::Failed(_)))
        .await;
    assert_eq!(
        status,
        OperatorStatus::Failed(
            "Connection failed with error: Unable to refresh login token (status code 400): Access Token has expired".into()
        )
    );
    let stalled = sim.backend("edge").unwrap().last_heartbeat;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(sim.backend("edge").unwrap().last_heartbeat, stalled);
    op.stop();
    sim.shutdown().await;
}

#[tokio::test]
async fn v6_4_operator_uses_bearer_jwt() {
    let sim = Simulator::start(
        SimConfig::new(Dialect::V6_4)
            .require_auth(true)
            .user("backend-operator", &["osmo-backend"])
            .token(SeedToken::for_user(
                "backend-operator",
                "backend-token",
                &["osmo-backend"],
            )),
    )
    .await
    .unwrap();
    let secret = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        secret.path(),
        format!("{}\n", sim.seeded_token("backend-token").unwrap()),
    )
    .unwrap();
    let op = operator(&sim, "gpu", secret.path());
    assert_eq!(
        op.wait_for(WAIT, |s| *s == OperatorStatus::Connected).await,
        OperatorStatus::Connected
    );
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert!(sim.backend("gpu").unwrap().online);
    // A wrong secret value fails the way the 6.2+ exchange answers.
    std::fs::write(secret.path(), "abc").unwrap();
    op.restart();
    let status = op
        .wait_for(WAIT, |s| matches!(s, OperatorStatus::Failed(_)))
        .await;
    assert!(
        matches!(&status, OperatorStatus::Failed(m) if m.ends_with("Access token has invalid length 3")),
        "{status:?}"
    );
    sim.shutdown().await;
}

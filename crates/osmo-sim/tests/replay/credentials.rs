//! Real credentials: access token → JWT exchange, JWTs on API calls in each dialect's header,
//! and rejection of expired, deleted and timed-out credentials.

use std::time::Duration;

use osmo_sim::{Dialect, SeedBackend, SeedToken, SimConfig, Simulator};
use serde_json::{json, Value};

async fn exchange_get(base: &str, token: &str) -> (u16, Value) {
    let r = reqwest::get(format!(
        "{base}/api/auth/jwt/access_token?access_token={token}"
    ))
    .await
    .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

fn user_error(message: &str) -> Value {
    json!({"message": message, "error_code": "USER", "workflow_id": null})
}

#[tokio::test]
async fn v6_0_service_token_jwt_and_rejections() {
    let config = SimConfig::new(Dialect::V6_0)
        .require_auth(true)
        .backend(SeedBackend::new("default"))
        .token(SeedToken::service(
            "osmo-operator-default",
            &["osmo-backend"],
        ))
        .token(SeedToken::service("admin-svc", &["osmo-admin"]));
    let sim = Simulator::start(config).await.unwrap();
    let base = sim.base_url();
    let client = reqwest::Client::new();
    let operator = sim
        .seeded_token("osmo-operator-default")
        .unwrap()
        .to_string();
    assert_eq!(operator.len(), 64);

    let (status, body) = exchange_get(&base, &operator).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["error"], Value::Null);
    let jwt = body["token"].as_str().unwrap().to_string();
    let claims = sim.verify_jwt(&jwt).unwrap();
    assert_eq!(claims.unique_name, "osmo-operator-default");
    assert_eq!(claims.roles, vec!["osmo-backend".to_string()]);
    assert_eq!(claims.exp - claims.iat, 300);
    assert_eq!(claims.osmo_token_name, None);

    let backends = format!("{base}/api/configs/backend");
    let r = client
        .get(&backends)
        .header("x-osmo-auth", &jwt)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // 6.0's gateway reads only x-osmo-auth.
    let r = client
        .get(&backends)
        .bearer_auth(&jwt)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = client
        .get(&backends)
        .header("x-osmo-user", "admin")
        .send()
        .await
        .unwrap();
    assert_eq!(
        (r.status().as_u16(), r.text().await.unwrap()),
        (401, "Jwt is missing".to_string())
    );
    // osmo-backend may read backends but not update them.
    let r = client
        .post(format!("{backends}/default"))
        .header("x-osmo-auth", &jwt)
        .json(&json!({"configs": {"dashboard_url": "x"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        json!({"message": "Forbidden", "error_code": 403})
    );

    // Expiry (expires_at ≤ today) and deletion are rejected at the exchange.
    assert!(sim.set_token_expires_at(
        "osmo-operator-default",
        "osmo-operator-default",
        chrono::Utc::now().date_naive()
    ));
    assert_eq!(
        exchange_get(&base, &operator).await,
        (400, user_error("Access Token has expired"))
    );
    let (_, admin) = exchange_get(&base, sim.seeded_token("admin-svc").unwrap()).await;
    let admin_jwt = admin["token"].as_str().unwrap();
    let r = client
        .delete(format!(
            "{base}/api/auth/access_token/service/osmo-operator-default"
        ))
        .header("x-osmo-auth", admin_jwt)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(!sim.token_exists("osmo-operator-default", "osmo-operator-default"));
    assert_eq!(
        exchange_get(&base, &operator).await,
        (400, user_error("Access Token is invalid"))
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn v6_4_user_token_bearer_and_expiry_middleware() {
    let config = SimConfig::new(Dialect::V6_4)
        .require_auth(true)
        .jwt_lifetime(Duration::from_secs(1))
        .user("backend-operator", &["osmo-backend"])
        .token(SeedToken::for_user(
            "backend-operator",
            "backend-token",
            &["osmo-backend"],
        ));
    let sim = Simulator::start(config).await.unwrap();
    let base = sim.base_url();
    let client = reqwest::Client::new();
    let token = sim.seeded_token("backend-token").unwrap().to_string();
    assert_eq!(token.len(), 43);

    let r = client
        .post(format!("{base}/api/auth/jwt/access_token"))
        .json(&json!({"token": token}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert!(body.get("error").is_none(), "6.2+ omits error: {body}");
    let jwt = body["token"].as_str().unwrap().to_string();
    assert_eq!(
        sim.verify_jwt(&jwt).unwrap().osmo_token_name.as_deref(),
        Some("backend-token")
    );

    let backends = format!("{base}/api/configs/backend");
    assert_eq!(
        client
            .get(&backends)
            .bearer_auth(&jwt)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        client
            .get(&backends)
            .header("x-osmo-auth", &jwt)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let r = client
        .delete(format!("{base}/api/auth/user/backend-operator"))
        .bearer_auth(&jwt)
        .send()
        .await
        .unwrap();
    assert_eq!(
        (r.status().as_u16(), r.text().await.unwrap()),
        (403, "access denied".to_string())
    );

    // The service middleware rejects an expired token when the client sends its version.
    assert!(sim.set_token_expires_at(
        "backend-operator",
        "backend-token",
        chrono::Utc::now().date_naive()
    ));
    let r = client
        .get(&backends)
        .bearer_auth(&jwt)
        .header("x-osmo-client-version", "6.4.0")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        json!({"message": "Access token backend-token has expired.", "error_code": "OSMO_ERROR"})
    );
    let r = client
        .post(format!("{base}/api/auth/jwt/access_token"))
        .json(&json!({"token": token}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        user_error("Access Token has expired")
    );

    // The JWT itself times out (1 s lifetime here).
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let r = client
        .get(&backends)
        .bearer_auth(&jwt)
        .send()
        .await
        .unwrap();
    assert_eq!(
        (r.status().as_u16(), r.text().await.unwrap()),
        (401, "Jwt is expired".to_string())
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn dev_mode_uses_jwt_identity_when_valid() {
    let sim = Simulator::start(SimConfig::new(Dialect::V6_4).user("alice", &["osmo-user"]))
        .await
        .unwrap();
    let jwt = sim.issue_jwt("alice", &["osmo-user"], None);
    let client = reqwest::Client::new();
    let r = client
        .post(format!(
            "{}/api/auth/access_token/laptop?expires_at={}",
            sim.base_url(),
            chrono::Utc::now().date_naive() + chrono::Duration::days(30)
        ))
        .bearer_auth(&jwt)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(sim.token_exists("alice", "laptop"));
    sim.shutdown().await;
}

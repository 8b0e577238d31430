use std::time::Duration;

use osmo_admin_osmo_client::{ClientConfig, Connection, ServiceSpec};
use osmo_sim::{Dialect as SimDialect, SimConfig, SimHandle, Simulator};
use tokio_util::sync::CancellationToken;

pub const DIALECTS: [SimDialect; 3] = [SimDialect::V6_0, SimDialect::V6_2, SimDialect::V6_4];

pub fn spec(base_url: &str) -> ServiceSpec {
    ServiceSpec {
        name: "test-service".into(),
        url: base_url.into(),
        custom_ca_pem: None,
    }
}

/// Short timeouts and backoff so fault tests run fast.
pub fn fast_config() -> ClientConfig {
    ClientConfig {
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_millis(1500),
        get_retries: 2,
        retry_backoff: Duration::from_millis(10),
        refresh_margin: Duration::from_secs(1),
    }
}

pub fn never() -> CancellationToken {
    CancellationToken::new()
}

/// An auth-requiring simulator with an admin token named `admin-token` (user `svc-admin`; at
/// 6.0 a service token whose user is its name) and an osmo-user token `user-token`.
pub async fn auth_sim(dialect: SimDialect, jwt_lifetime: Duration) -> SimHandle {
    let mut config = SimConfig::new(dialect)
        .require_auth(true)
        .jwt_lifetime(jwt_lifetime)
        .backend(osmo_sim::SeedBackend::new("default"));
    config = match dialect {
        SimDialect::V6_0 => config
            .token(osmo_sim::SeedToken::service("admin-token", &["osmo-admin"]))
            .token(osmo_sim::SeedToken::service("user-token", &["osmo-user"])),
        SimDialect::V6_2 | SimDialect::V6_4 => config
            .user("svc-admin", &["osmo-admin"])
            .user("plain-user", &["osmo-user"])
            .token(osmo_sim::SeedToken::for_user(
                "svc-admin",
                "admin-token",
                &["osmo-admin"],
            ))
            .token(osmo_sim::SeedToken::for_user(
                "plain-user",
                "user-token",
                &["osmo-user"],
            )),
    };
    Simulator::start(config).await.expect("simulator starts")
}

/// The user name the admin token's JWT carries.
pub fn admin_user(dialect: SimDialect) -> &'static str {
    match dialect {
        SimDialect::V6_0 => "admin-token",
        SimDialect::V6_2 | SimDialect::V6_4 => "svc-admin",
    }
}

pub async fn connect(sim: &SimHandle) -> Connection {
    Connection::open(spec(&sim.base_url()), fast_config(), &never())
        .await
        .expect("discovery")
}

pub fn token(sim: &SimHandle, name: &str) -> osmo_admin_secrets::Secret {
    osmo_admin_secrets::Secret::new(sim.seeded_token(name).expect("seeded token"))
}

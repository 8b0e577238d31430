use std::time::Duration;

use osmo_admin_osmo_client::{
    CancellationToken, ClientConfig, Connection, Dialect, ServiceSpec, Session,
};
use osmo_admin_scheduler::SchedulerForm;
use osmo_sim::{Dialect as SimDialect, SeedBackend, SimConfig, SimHandle, Simulator};

pub const DIALECTS: [SimDialect; 3] = [SimDialect::V6_0, SimDialect::V6_2, SimDialect::V6_4];

pub fn never() -> CancellationToken {
    CancellationToken::new()
}

pub fn fast_config() -> ClientConfig {
    ClientConfig {
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_secs(5),
        get_retries: 0,
        retry_backoff: Duration::from_millis(10),
        refresh_margin: Duration::from_secs(1),
    }
}

pub async fn connect(base_url: &str) -> Connection {
    let spec = ServiceSpec {
        name: "test-service".into(),
        url: base_url.into(),
        custom_ca_pem: None,
    };
    Connection::open(spec, fast_config(), &never())
        .await
        .expect("discovery")
}

/// A development-mode simulator with backends `default` and `gpu`.
pub async fn sim(dialect: SimDialect) -> SimHandle {
    Simulator::start(
        SimConfig::new(dialect)
            .backend(SeedBackend::new("default"))
            .backend(SeedBackend::new("gpu")),
    )
    .await
    .expect("simulator starts")
}

pub async fn session_as(sim: &SimHandle, user: &str) -> Session {
    connect(&sim.base_url())
        .await
        .sign_in_development(user)
        .unwrap()
}

pub fn client_dialect(d: SimDialect) -> Dialect {
    match d {
        SimDialect::V6_0 => Dialect::V6_0,
        SimDialect::V6_2 | SimDialect::V6_4 => Dialect::V6_2,
    }
}

pub fn form(t: &str, name: &str, co: Option<bool>, timeout: &str) -> SchedulerForm {
    SchedulerForm {
        scheduler_type: t.into(),
        scheduler_name: name.into(),
        coscheduling: co,
        scheduler_timeout: timeout.into(),
    }
}

/// A valid change from the simulator's defaults, per dialect.
pub fn a_change(d: SimDialect) -> SchedulerForm {
    match d {
        SimDialect::V6_0 => form("volcano", "volcano", Some(true), "120"),
        SimDialect::V6_2 | SimDialect::V6_4 => form("kai", "kai-custom", None, "120"),
    }
}

pub fn backend_count(sim: &SimHandle) -> usize {
    sim.history_revisions("BACKEND")
}

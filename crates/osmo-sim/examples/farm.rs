//! Many simulated OSMO services in one process, for the app's scale benchmark (scripts/bench.sh):
//! `SERVICES` services (alternately 6.0 and 6.4) of `BACKENDS` kept-alive backends each, plus a
//! service that refuses connections and one that accepts and never answers.
//!
//! `cargo run -p osmo-sim --example farm -- [services, default 50] [backends each, default 20]`
//!
//! Prints one JSON line, `{"services": [{"name", "url"}...], "refused": url, "hanging": url}`,
//! then serves until stdin closes.
#![allow(clippy::unwrap_used, clippy::print_stdout)]

use std::time::Duration;

use osmo_sim::{Dialect, SeedBackend, SeedPool, SimConfig, Simulator};
use tokio::io::AsyncReadExt;

#[tokio::main]
async fn main() {
    let mut args = std::env::args()
        .skip(1)
        .map(|a| a.parse::<usize>().unwrap());
    let services = args.next().unwrap_or(50);
    let backends = args.next().unwrap_or(20);

    let mut sims = Vec::new();
    let mut listed = Vec::new();
    for s in 0..services {
        let dialect = if s % 2 == 0 {
            Dialect::V6_0
        } else {
            Dialect::V6_4
        };
        let name = format!("scale-{s:02}");
        let mut config = SimConfig::new(dialect).keep_alive_period(Duration::from_secs(20));
        for b in 0..backends {
            config = config.backend(SeedBackend::new(format!("{name}-b{b:02}")).keep_alive());
        }
        config = config.pool(SeedPool {
            name: format!("{name}-pool"),
            backend: format!("{name}-b00"),
            description: String::new(),
            enable_maintenance: false,
        });
        let sim = Simulator::start(config).await.unwrap();
        listed.push(serde_json::json!({ "name": name, "url": sim.base_url() }));
        sims.push(sim);
    }
    // A port nobody listens on: bound, read, then closed.
    let refused = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let refused_url = format!("http://{}", refused.local_addr().unwrap());
    drop(refused);
    // A service that accepts connections and never answers.
    let hanging = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hanging_url = format!("http://{}", hanging.local_addr().unwrap());
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = hanging.accept().await {
            held.push(socket);
        }
    });

    println!(
        "{}",
        serde_json::json!({ "services": listed, "refused": refused_url, "hanging": hanging_url })
    );
    let mut stdin = tokio::io::stdin();
    let mut buf = [0u8; 256];
    while matches!(stdin.read(&mut buf).await, Ok(n) if n > 0) {}
    for sim in sims {
        sim.shutdown().await;
    }
}

//! The `osmo-sim` binary: starts a simulator, prints its base URL as the first stdout line (and the
//! seeded tokens as one JSON line after it), and exits on SIGTERM/SIGINT or, with
//! `--exit-on-stdin-close`, when stdin reaches EOF.

use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use osmo_sim::{Dialect, Seed, SimConfig, Simulator};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const USAGE: &str = "usage: osmo-sim [--dialect 6.0|6.1|6.2|6.3|6.4] [--host 127.0.0.1] [--port 0] [--seed seed.json]
                [--default-admin NAME] [--require-auth] [--jwt-lifetime-secs 300] [--exit-on-stdin-close]";

struct Args {
    dialect: Dialect,
    host: IpAddr,
    port: u16,
    seed: Option<String>,
    default_admin: Option<String>,
    require_auth: bool,
    jwt_lifetime: u64,
    exit_on_stdin_close: bool,
}

fn parse_args(mut it: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut a = Args {
        dialect: Dialect::V6_0,
        host: IpAddr::from([127, 0, 0, 1]),
        port: 0,
        seed: None,
        default_admin: None,
        require_auth: false,
        jwt_lifetime: 300,
        exit_on_stdin_close: false,
    };
    while let Some(flag) = it.next() {
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (flag.clone(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or(format!("{name} needs a value"))
        };
        match name.as_str() {
            "--dialect" => {
                let v = value()?;
                a.dialect = Dialect::parse(&v).ok_or(format!("unknown dialect {v}"))?;
            }
            "--host" => a.host = value()?.parse().map_err(|e| format!("--host: {e}"))?,
            "--port" => a.port = value()?.parse().map_err(|e| format!("--port: {e}"))?,
            "--seed" => a.seed = Some(value()?),
            "--default-admin" => a.default_admin = Some(value()?),
            "--jwt-lifetime-secs" => {
                a.jwt_lifetime = value()?
                    .parse()
                    .map_err(|e| format!("--jwt-lifetime-secs: {e}"))?
            }
            "--require-auth" => a.require_auth = true,
            "--exit-on-stdin-close" => a.exit_on_stdin_close = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(a)
}

/// SIGTERM and SIGINT listeners, installed before the banner is printed so that a parent that
/// signals right after reading it does not kill the process with the default action.
#[cfg(unix)]
type Signals = Vec<tokio::signal::unix::Signal>;
#[cfg(not(unix))]
type Signals = ();

#[cfg(unix)]
fn exit_signals() -> Signals {
    use tokio::signal::unix::{signal, SignalKind};
    [SignalKind::terminate(), SignalKind::interrupt()]
        .into_iter()
        .filter_map(|kind| signal(kind).ok())
        .collect()
}

#[cfg(not(unix))]
fn exit_signals() -> Signals {}

#[cfg(unix)]
async fn any_signal(mut signals: Signals) {
    if signals.is_empty() {
        return std::future::pending::<()>().await;
    }
    let waits = signals.iter_mut().map(|s| Box::pin(s.recv()));
    futures::future::select_all(waits).await;
}

#[cfg(not(unix))]
async fn any_signal(_signals: Signals) {
    let _ = tokio::signal::ctrl_c().await;
}

async fn wait_for_exit(stdin: bool, signals: Signals) {
    let stdin_closed = async {
        if !stdin {
            return std::future::pending::<()>().await;
        }
        let mut input = tokio::io::stdin();
        let mut buf = [0u8; 1024];
        while matches!(input.read(&mut buf).await, Ok(n) if n > 0) {}
    };
    tokio::select! {
        () = any_signal(signals) => {}
        () = stdin_closed => {}
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("osmo-sim: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut seed = Seed::default();
    if let Some(path) = &args.seed {
        let parsed = std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|text| serde_json::from_str::<Seed>(&text).map_err(|e| e.to_string()));
        match parsed {
            Ok(s) => seed = s,
            Err(e) => {
                eprintln!("osmo-sim: cannot read seed {path}: {e}");
                return ExitCode::from(2);
            }
        }
    }
    if args.default_admin.is_some() {
        seed.default_admin = args.default_admin.clone();
    }
    let config = SimConfig::new(args.dialect)
        .bind(SocketAddr::new(args.host, args.port))
        .require_auth(args.require_auth)
        .jwt_lifetime(Duration::from_secs(args.jwt_lifetime))
        .seed(seed);
    let sim = match Simulator::start(config).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("osmo-sim: {e}");
            return ExitCode::from(1);
        }
    };
    let tokens: Vec<serde_json::Value> = sim
        .seeded_tokens()
        .iter()
        .map(|t| serde_json::json!({"user": t.user, "name": t.name, "value": t.value}))
        .collect();
    let signals = exit_signals();
    let mut out = tokio::io::stdout();
    let banner = format!(
        "{}\n{}\n",
        sim.base_url(),
        serde_json::json!({ "seeded_tokens": tokens })
    );
    if out.write_all(banner.as_bytes()).await.is_err() || out.flush().await.is_err() {
        return ExitCode::from(1);
    }
    wait_for_exit(args.exit_on_stdin_close, signals).await;
    sim.shutdown().await;
    ExitCode::SUCCESS
}

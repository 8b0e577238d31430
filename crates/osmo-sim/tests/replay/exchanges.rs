//! Replays every HTTP exchange of `osmo-6.0.0.json`, `osmo-6.2.10.json`, `osmo-6.4.0.json` and
//! `osmo-negative-timeout.json` in order against a simulator seeded like the captured service,
//! and checks that exactly the exchanges listed in `NOT_REPRODUCED_*` differ.

use std::collections::{BTreeSet, HashMap};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use chrono::{Duration, Utc};
use osmo_sim::{Dialect, SeedBackend, SeedToken, SimConfig, SimHandle, Simulator};
use serde_json::Value;

use crate::compare::{
    capture_day, compare, compare_claims, day_shift, jwt_claims, shift_dates, shift_json,
    token_format,
};
use crate::load_fixture;

/// 6.0 exchanges the simulator does not reproduce, with the reason.
const NOT_REPRODUCED_6_0: &[(&str, &str)] = &[(
    "auth_keys",
    "the simulator signs JWTs with a per-run HS256 key, so /api/auth/keys publishes no RSA JWK",
)];

/// 6.4 exchanges the simulator does not reproduce, with the reason.
const NOT_REPRODUCED_6_4: &[(&str, &str)] = &[];

/// 6.2.10 exchanges the simulator does not reproduce, with the reason.
const NOT_REPRODUCED_6_2: &[(&str, &str)] = &[];

/// osmo-negative-timeout.json exchanges the simulator does not reproduce, with the reason.
const NOT_REPRODUCED_NEGATIVE_TIMEOUT: &[(&str, &str)] = &[
    (
        "v6_0_0_config_history_backend_negative_timeout",
        "revision 16 and the earlier revision 13 come from the captured service's earlier history \
         (other captures' backends and settings), which the simulator is not seeded with",
    ),
    (
        "v6_4_0_config_history_backend_negative_timeout",
        "revisions 12 and 11 come from the captured service's earlier history, which the \
         simulator is not seeded with",
    ),
];

/// Sends one captured request (tokens mapped to this run's values, dates shifted).
async fn send(
    client: &reqwest::Client,
    sim: &SimHandle,
    req: &Value,
    days: i64,
    token_map: &HashMap<String, String>,
) -> reqwest::Response {
    let map_tokens = |s: &str| {
        let mut s = s.to_string();
        for (from, to) in token_map {
            s = s.replace(from.as_str(), to);
        }
        s
    };
    let method = reqwest::Method::from_bytes(req["method"].as_str().unwrap().as_bytes()).unwrap();
    let query = map_tokens(&shift_dates(
        req["query_string"].as_str().unwrap_or_default(),
        days,
    ));
    let mut url = format!("{}{}", sim.base_url(), req["path"].as_str().unwrap());
    if !query.is_empty() {
        url = format!("{url}?{query}");
    }
    let mut builder = client.request(method, url);
    for (k, v) in req["headers"].as_object().unwrap() {
        builder = builder.header(k.as_str(), v.as_str().unwrap());
    }
    if !req["body"].is_null() {
        builder = builder.body(map_tokens(&req["body"].to_string()));
    }
    builder.send().await.unwrap()
}

/// The headers compared, `x-osmo-warning` decoded with its dates shifted by `days` (the
/// captured side is shifted to today; the simulator's is already today's).
fn interesting_headers(
    headers: impl Iterator<Item = (String, String)>,
    days: i64,
) -> BTreeSet<(String, String)> {
    headers
        .filter(|(k, _)| {
            k.starts_with("x-osmo-") || k.starts_with("access-control-") || k == "content-type"
        })
        .map(|(k, v)| {
            if k == "x-osmo-warning" {
                let text =
                    String::from_utf8(STANDARD.decode(&v).unwrap_or_default()).unwrap_or_default();
                (k, shift_dates(&text, days))
            } else {
                (k, v)
            }
        })
        .collect()
}

/// Replays a fixture file (the exchanges whose label starts with `labels`); `hook` runs before
/// each exchange (by label). Returns the labels that differ, with their differences.
pub(crate) async fn replay(
    file: &str,
    labels: &str,
    sim: &SimHandle,
    hook: impl Fn(&str, &SimHandle),
    mut token_map: HashMap<String, String>,
) -> (usize, Vec<(String, Vec<String>)>) {
    let fixture = load_fixture(file);
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let exchanges: Vec<&Value> = fixture["exchanges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|ex| ex["label"].as_str().unwrap().starts_with(labels))
        .collect();
    let mut differing = Vec::new();
    for ex in &exchanges {
        let label = ex["label"].as_str().unwrap();
        hook(label, sim);
        let days = day_shift(capture_day(ex));
        let resp = send(&client, sim, &ex["request"], days, &token_map).await;
        let mut diffs = Vec::new();
        let expected = &ex["response"];
        let status = resp.status().as_u16();
        if i64::from(status) != expected["status"].as_i64().unwrap() {
            diffs.push(format!(
                "status: expected {}, got {status}",
                expected["status"]
            ));
        }
        let actual_headers = interesting_headers(
            resp.headers().iter().map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    v.to_str().unwrap_or_default().to_string(),
                )
            }),
            0,
        );
        let expected_headers = interesting_headers(
            expected["headers"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.to_lowercase(), v.as_str().unwrap().to_string())),
            days,
        );
        if actual_headers != expected_headers {
            diffs.push(format!(
                "headers: expected {expected_headers:?}, got {actual_headers:?}"
            ));
        }
        let text = resp.text().await.unwrap();
        let expected_body = shift_json(&expected["body"], days);
        if expected["body_kind"] == "json" {
            match serde_json::from_str::<Value>(&text) {
                Ok(actual) => {
                    compare(&expected_body, &actual, "$", None, &mut diffs);
                    if let (Some(e), Some(a)) = (expected_body.as_str(), actual.as_str()) {
                        if token_format(e).is_some() {
                            token_map.insert(e.to_string(), a.to_string());
                        }
                    }
                    if let Some(decoded) = ex.get("decoded_jwt") {
                        match actual
                            .get("token")
                            .and_then(Value::as_str)
                            .and_then(jwt_claims)
                        {
                            Some(claims) => compare_claims(&decoded["claims"], &claims, &mut diffs),
                            None => diffs.push("no JWT in response".into()),
                        }
                    }
                }
                Err(e) => diffs.push(format!("body is not JSON ({e}): {text}")),
            }
        } else if expected_body.as_str() != Some(text.as_str()) {
            diffs.push(format!("text body: expected {expected_body}, got {text:?}"));
        }
        if !diffs.is_empty() {
            differing.push((label.to_string(), diffs));
        }
    }
    (exchanges.len(), differing)
}

pub(crate) fn assert_only_listed(
    file: &str,
    count: usize,
    differing: &[(String, Vec<String>)],
    listed: &[(&str, &str)],
) {
    let got: BTreeSet<&str> = differing.iter().map(|(l, _)| l.as_str()).collect();
    let want: BTreeSet<&str> = listed.iter().map(|(l, _)| *l).collect();
    assert_eq!(
        got, want,
        "{file}: {count} exchanges replayed; unexpected differences: {differing:#?}"
    );
    eprintln!(
        "{file}: {count} exchanges replayed, {} not reproduced (listed)",
        want.len()
    );
}

pub(crate) fn ago(seconds: i64) -> chrono::NaiveDateTime {
    Utc::now().naive_utc() - Duration::seconds(seconds)
}

#[tokio::test]
async fn replay_osmo_6_0() {
    let sim = Simulator::start(SimConfig::new(Dialect::V6_0))
        .await
        .unwrap();
    let hook = |label: &str, sim: &SimHandle| match label {
        // The two operators connected between `pool_list` and `roles_list` (gpu-east first).
        "roles_list" => {
            sim.add_backend(SeedBackend::new("gpu-east")).unwrap();
            sim.add_backend(SeedBackend::new("default")).unwrap();
        }
        // The capture set this token's expires_at to the server date in Postgres.
        "jwt_exchange_expired_token" => {
            assert!(sim.set_token_expires_at(
                "tok-will-expire",
                "tok-will-expire",
                Utc::now().date_naive()
            ));
        }
        // gpu-east's operator was killed; its last heartbeat is 2m17s old; default keeps beating.
        "backends_list_gpu_east_offline" => {
            assert!(sim.set_last_heartbeat("gpu-east", ago(137)));
            assert!(sim.set_last_heartbeat("default", ago(17)));
        }
        // The WebSocket captures ran here: cpu-west connected, gpu-east re-sent an old heartbeat.
        "backend_delete_no_body" => {
            sim.add_backend(SeedBackend::new("cpu-west")).unwrap();
            assert!(sim.set_last_heartbeat("gpu-east", ago(3600)));
        }
        _ => {}
    };
    let (count, differing) = replay("osmo-6.0.0.json", "", &sim, hook, HashMap::new()).await;
    assert_eq!(count, 94);
    assert_only_listed("osmo-6.0.0.json", count, &differing, NOT_REPRODUCED_6_0);
    // State checks the HTTP bodies cannot show.
    assert!(
        !sim.token_exists("tok-noroles", "tok-noroles"),
        "deleted service token still present"
    );
    assert!(sim.backend("cpu-west").is_none());
    sim.shutdown().await;
}

#[tokio::test]
async fn replay_osmo_6_4() {
    let config = SimConfig::new(Dialect::V6_4)
        .default_admin("admin")
        .backend(SeedBackend::new("default"))
        .backend(SeedBackend::new("gpu-east"));
    let sim = Simulator::start(config).await.unwrap();
    let mut token_map = HashMap::new();
    token_map.insert(
        "_JvlsFxFo27IMxLeXnAThOacnfS1PQCqzGqJYk3CIf8".to_string(),
        sim.seeded_token("default-admin-token").unwrap().to_string(),
    );
    let hook = |label: &str, sim: &SimHandle| match label {
        "jwt_exchange_expired" => {
            assert!(sim.set_token_expires_at(
                "backend-operator",
                "will-expire",
                Utc::now().date_naive()
            ));
        }
        // gpu-east reconnected with a heartbeat time of 17:00 (14 minutes old).
        "backends_list_gpu_east_offline" => {
            assert!(sim.set_last_heartbeat("gpu-east", ago(14 * 60)));
        }
        _ => {}
    };
    let (count, differing) = replay("osmo-6.4.0.json", "", &sim, hook, token_map).await;
    assert_eq!(count, 56);
    assert_only_listed("osmo-6.4.0.json", count, &differing, NOT_REPRODUCED_6_4);
    assert!(!sim.token_exists("admin", "rbac-probe"));
    sim.shutdown().await;
}

#[tokio::test]
async fn replay_osmo_6_2() {
    // Users admin (osmo-admin) and svc-a (osmo-backend) and admin's own token admin-tok were
    // made with the 6.2.10 CLI before the capture; backend gpu-62's operator stopped 16 minutes
    // before it, default's kept beating.
    let config = SimConfig::new(Dialect::V6_2)
        .user("admin", &["osmo-admin"])
        .user("svc-a", &["osmo-backend"])
        .token(
            SeedToken::for_user("admin", "admin-tok", &["osmo-admin"])
                .expires_at(shifted(2027, 3, 1)),
        )
        .backend(SeedBackend::new("gpu-62").last_heartbeat(ago(16 * 60)))
        .backend(SeedBackend::new("default"));
    let sim = Simulator::start(config).await.unwrap();
    // The capture script had run once before, unrecorded: its three scheduler updates are
    // revisions 4 to 6 of the captured history.
    let fixture = load_fixture("osmo-6.2.10.json");
    let client = reqwest::Client::new();
    for label in [
        "backend_update_scheduler",
        "backend_update_scheduler_timeout_45",
        "backend_update_scheduler_restore",
    ] {
        let ex = fixture["exchanges"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["label"] == label)
            .unwrap();
        let resp = send(&client, &sim, &ex["request"], 0, &HashMap::new()).await;
        assert_eq!(resp.status(), 200, "{label}");
    }
    let (count, differing) = replay("osmo-6.2.10.json", "", &sim, |_, _| {}, HashMap::new()).await;
    assert_eq!(count, 56);
    assert_only_listed("osmo-6.2.10.json", count, &differing, NOT_REPRODUCED_6_2);
    assert!(!sim.token_exists("backend-operator", "backend-token"));
    sim.shutdown().await;
}

/// A captured calendar date moved by the days since the 6.2.10 capture (2026-12-06).
fn shifted(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    let captured = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap() + Duration::days(day_shift(captured))
}

/// Both services of osmo-negative-timeout.json store and return `scheduler_timeout: -1`.
#[tokio::test]
async fn replay_negative_timeout() {
    // All four (6.0) and three (6.4) backends were offline; heartbeat ages at capture time.
    let ages = [
        ("default", 25 * 60),
        ("gpu-offline", 38 * 60),
        ("gpu-online", 16 * 60),
        ("gpu-rot", 33 * 60),
    ];
    for (dialect, labels, names) in [
        (
            Dialect::V6_0,
            "v6_0_0_",
            &["default", "gpu-offline", "gpu-online", "gpu-rot"][..],
        ),
        (
            Dialect::V6_4,
            "v6_4_0_",
            &["gpu-offline", "gpu-online", "gpu-rot"][..],
        ),
    ] {
        let mut config = SimConfig::new(dialect);
        for (name, age) in ages.iter().filter(|(n, _)| names.contains(n)) {
            config = config.backend(SeedBackend::new(*name).last_heartbeat(ago(*age)));
        }
        let sim = Simulator::start(config).await.unwrap();
        let (count, differing) = replay(
            "osmo-negative-timeout.json",
            labels,
            &sim,
            |_, _| {},
            HashMap::new(),
        )
        .await;
        assert_eq!(count, 7, "{labels}");
        let listed: Vec<(&str, &str)> = NOT_REPRODUCED_NEGATIVE_TIMEOUT
            .iter()
            .filter(|(l, _)| l.starts_with(labels))
            .copied()
            .collect();
        assert_only_listed("osmo-negative-timeout.json", count, &differing, &listed);
        sim.shutdown().await;
    }
}

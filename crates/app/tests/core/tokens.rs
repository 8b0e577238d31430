//! The tokens in use that need rotating: `needing_rotation_view` lists each expiring or expired
//! token with the backends using it (here: a backend named like the token), and the token watch
//! sends that list to the UI and announces each such token on the desktop once, unless every
//! backend using it is muted.

use chrono::{Duration, Utc};
use osmo_admin_app::tokens::{self, BadgeDto};
use osmo_admin_core::{BackendRef, ServiceId};
use osmo_sim::{Dialect, SeedBackend, SeedToken, SimConfig, SimHandle, Simulator};

use crate::{eventually, TestCore};

/// A 6.0 service with backends gpu-east and cpu-west, each using the service token of its name
/// (gpu-east's expires in 3 days, cpu-west's expired 2 days ago), a spare token expiring in 3
/// days that no backend uses, and a token with 100 days left.
async fn service() -> SimHandle {
    let today = Utc::now().date_naive();
    let token = |name: &str, days: i64| {
        SeedToken::service(name, &["osmo-backend"]).expires_at(today + Duration::days(days))
    };
    let sim = Simulator::start(
        SimConfig::new(Dialect::V6_0)
            .backend(SeedBackend::new("gpu-east"))
            .backend(SeedBackend::new("cpu-west"))
            .token(token("gpu-east", 3))
            .token(token("cpu-west", 10))
            .token(token("spare", 3))
            .token(token("fine", 100)),
    )
    .await
    .unwrap();
    // The service refuses to create an expired token: age it afterwards.
    assert!(sim.set_token_expires_at("cpu-west", "cpu-west", today - Duration::days(2)));
    sim
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_needing_rotation_are_the_expiring_ones_in_use_with_their_backend() {
    let sim = service().await;
    let t = TestCore::start().await;
    let before = tokens::needing_rotation_view(&t.core).await;
    assert_eq!(before.count, 0, "nothing signed in: {before:?}");

    let id = crate::sign_in(&t.core, "lab", &sim.base_url()).await;
    let view = tokens::needing_rotation_view(&t.core).await;
    assert!(view.errors.is_empty(), "{view:?}");
    let mut found: Vec<(String, Vec<String>, BadgeDto)> = view
        .tokens
        .iter()
        .map(|t| {
            assert_eq!(t.session, id);
            let used_by = t.used_by.iter().map(|b| b.as_str().to_owned()).collect();
            (t.name.clone(), used_by, t.badge)
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        found,
        [
            (
                "cpu-west".to_owned(),
                vec!["cpu-west".to_owned()],
                BadgeDto::Expired
            ),
            (
                "gpu-east".to_owned(),
                vec!["gpu-east".to_owned()],
                BadgeDto::ExpiresSoon
            ),
        ],
        "the unused spare and the fine token are left out"
    );
    assert_eq!(view.count, 2);
    let gpu = view.tokens.iter().find(|t| t.name == "gpu-east").unwrap();
    assert_eq!(gpu.words, "expires in 3 days");
    let in_three = Utc::now().date_naive() + Duration::days(3);
    assert_eq!(gpu.expires_on, in_three.to_string());
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_watch_sends_the_list_and_announces_unmuted_tokens_once() {
    let sim = service().await;
    let t = TestCore::start().await;
    let id: ServiceId = crate::add_service(&t.core, "lab", &sim.base_url()).await;
    let muted = BackendRef::new(id.clone(), "cpu-west");
    osmo_admin_app::dashboard::set_notifications(&t.core, &muted, false).unwrap();
    osmo_admin_app::sessions::sign_in_development(&t.core, id, "ana".into(), None)
        .await
        .unwrap();

    // The watch checks a few seconds after the sessions change.
    let first = eventually("the watch's list with both tokens", 30, || async {
        let lists = t.events.payloads("tokens-needing-rotation");
        lists.into_iter().find(|l| l["count"] == 2)
    })
    .await;
    let names: Vec<&str> = first["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"cpu-west") && names.contains(&"gpu-east"),
        "{first}"
    );
    let desktop = t.events.desktop();
    assert_eq!(desktop.len(), 1, "one announcement: {desktop:?}");
    assert!(
        desktop[0].starts_with("Token gpu-east (lab) expires in 3 days"),
        "{desktop:?}"
    );
    assert!(desktop[0].contains("used by gpu-east"), "{desktop:?}");

    // A new threshold calls for a new check: the list is sent again, the token not announced again.
    let sent = t.events.payloads("tokens-needing-rotation").len();
    t.core
        .settings
        .change(|s| {
            s.token_warning_days = 10;
            Ok::<_, osmo_admin_app::IpcError>(())
        })
        .unwrap();
    eventually("a second check", 30, || async {
        (t.events.payloads("tokens-needing-rotation").len() > sent).then_some(())
    })
    .await;
    assert_eq!(
        t.events.desktop(),
        desktop,
        "announced once per token and run"
    );
    sim.shutdown().await;
}

//! The dashboard's use cases: a signed-in service's backends become rows of `snapshot` and every
//! poll sends `health-updated`; a backend going offline or coming back is announced (in the app
//! and on the desktop) unless its notifications are muted. "Why is it offline?" (a health check
//! for an online backend) uses the token the backend uses and asks for a link when there is none.

use chrono::{Duration, Utc};
use osmo_admin_app::dashboard::diagnosis::{
    self, CheckDto, CheckKindDto, DiagnosisDto, VerdictDto,
};
use osmo_admin_app::dashboard::{self, BackendRowDto, DashboardView, KnownRows};
use osmo_admin_app::{tokens, AppCore};
use osmo_admin_core::BackendRef;
use osmo_admin_kube::operator::{write_secret, Change, Limits, SecretWrite, TokenRef, TokenSecret};
use osmo_admin_secrets::Secret;
use osmo_admin_test_cluster::TestCluster;
use osmo_sim::{Dialect, SeedBackend, SeedPool, SeedToken, SimConfig, SimHandle, Simulator};
use serde_json::json;

use crate::{eventually, first_context, sign_in, TestCore};

fn row<'a>(view: &'a DashboardView, name: &str) -> &'a BackendRowDto {
    view.rows()
        .find(|r| r.name.as_str() == name)
        .unwrap_or_else(|| panic!("no row {name}: {view:?}"))
}

/// The snapshot once `ok` holds of it.
async fn snapshot_when(
    core: &AppCore,
    what: &str,
    ok: impl Fn(&DashboardView) -> bool,
) -> DashboardView {
    eventually(what, 30, || async {
        let view = dashboard::snapshot(core, &[]).await.unwrap();
        ok(&view).then_some(view)
    })
    .await
}

/// The tags of every session's rows in `view`, as the page names them in its next read.
fn known(view: &DashboardView) -> Vec<KnownRows> {
    view.session_rows
        .iter()
        .map(|s| KnownRows {
            session: s.session.clone(),
            tag: s.tag.clone(),
            beats: s.beats.clone(),
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_naming_the_rows_it_has_gets_only_what_moved_and_heartbeats_alone() {
    // Both online (a heartbeat within 2 minutes) whichever of these times they show.
    let recent = Utc::now().naive_utc() - Duration::seconds(40);
    let sim = Simulator::start(
        SimConfig::new(Dialect::V6_4)
            .backend(SeedBackend::new("gpu-east").last_heartbeat(recent))
            .backend(SeedBackend::new("cpu-west").last_heartbeat(recent)),
    )
    .await
    .unwrap();
    let t = TestCore::start().await;
    sign_in(&t.core, "lab", &sim.base_url()).await;
    let first = snapshot_when(&t.core, "two rows", |v| v.rows().count() == 2).await;
    let rows = first.session_rows[0].rows.clone().unwrap();

    // Nothing moved: neither the rows nor their heartbeats cross again.
    let same = dashboard::snapshot(&t.core, &known(&first)).await.unwrap();
    let s = &same.session_rows[0];
    assert!(s.rows.is_none() && s.heartbeats.is_none(), "{s:?}");
    assert_eq!(
        (&s.tag, &s.beats),
        (&first.session_rows[0].tag, &first.session_rows[0].beats)
    );

    // Muting a backend's notifications colours its row: the rows cross again, without a poll.
    let gpu = BackendRef::new("lab", "gpu-east");
    assert!(!dashboard::set_notifications(&t.core, &gpu, false).unwrap());
    let muted = dashboard::snapshot(&t.core, &known(&first)).await.unwrap();
    assert_ne!(muted.session_rows[0].tag, first.session_rows[0].tag);
    assert!(!row(&muted, "gpu-east").notify && row(&muted, "cpu-west").notify);
    assert!(dashboard::set_notifications(&t.core, &gpu, true).unwrap());
    let unmuted = dashboard::snapshot(&t.core, &known(&first)).await.unwrap();
    assert!(
        unmuted.session_rows[0].rows.is_none(),
        "the rows as they were"
    );

    // One heartbeat moved: the heartbeats alone, in the rows' order, under the same rows' tag.
    let now = Utc::now().naive_utc();
    assert!(sim.set_last_heartbeat("gpu-east", now));
    dashboard::refresh(&t.core);
    let moved = eventually("the heartbeats alone", 30, || async {
        let view = dashboard::snapshot(&t.core, &known(&first)).await.unwrap();
        view.session_rows[0].heartbeats.is_some().then_some(view)
    })
    .await;
    let s = &moved.session_rows[0];
    assert!(s.rows.is_none(), "{s:?}");
    assert_eq!(
        s.tag, first.session_rows[0].tag,
        "the rows' tag leaves heartbeats aside"
    );
    assert_ne!(s.beats, first.session_rows[0].beats);
    let beats = s.heartbeats.as_ref().unwrap();
    assert_eq!(beats.len(), rows.len());
    for (row, beat) in rows.iter().zip(beats) {
        if row.name.as_str() == "gpu-east" {
            assert_ne!(beat, &row.last_heartbeat, "{beats:?}");
            assert!(
                beat.as_deref()
                    .is_some_and(|b| b.starts_with(&now.format("%Y-%m-%dT%H:%M").to_string())),
                "{beat:?}"
            );
        } else {
            assert_eq!(beat, &row.last_heartbeat);
        }
    }
    // A read that names no tags gets every row, with its heartbeat.
    let full = dashboard::snapshot(&t.core, &[]).await.unwrap();
    assert_eq!(
        row(&full, "gpu-east").last_heartbeat,
        beats[rows
            .iter()
            .position(|r| r.name.as_str() == "gpu-east")
            .unwrap()]
    );

    // Something else changed (gpu-east went offline): every row crosses again, heartbeats in them.
    assert!(sim.set_last_heartbeat("gpu-east", now - Duration::hours(1)));
    dashboard::refresh(&t.core);
    let changed = eventually("every row again", 30, || async {
        let view = dashboard::snapshot(&t.core, &known(&moved)).await.unwrap();
        view.session_rows[0].rows.is_some().then_some(view)
    })
    .await;
    let s = &changed.session_rows[0];
    assert_ne!(s.tag, first.session_rows[0].tag);
    assert!(s.heartbeats.is_none(), "{s:?}");
    let gpu = s
        .rows
        .as_ref()
        .unwrap()
        .iter()
        .find(|r| r.name.as_str() == "gpu-east")
        .unwrap();
    assert!(!gpu.online && gpu.last_heartbeat.is_some(), "{gpu:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_in_services_backends_are_rows_and_each_poll_reaches_the_sink() {
    let old = Utc::now().naive_utc() - Duration::hours(1);
    let sim = Simulator::start(
        SimConfig::new(Dialect::V6_4)
            .backend(SeedBackend::new("gpu-east"))
            .backend(SeedBackend::new("cpu-west").last_heartbeat(old))
            .pool(SeedPool {
                name: "training".into(),
                backend: "gpu-east".into(),
                description: String::new(),
                enable_maintenance: false,
            }),
    )
    .await
    .unwrap();
    let t = TestCore::start().await;
    let empty = dashboard::snapshot(&t.core, &[]).await.unwrap();
    assert!(empty.rows().next().is_none(), "{empty:?}");
    assert!(t.events.payloads("health-updated").is_empty());

    let id = sign_in(&t.core, "lab", &sim.base_url()).await;
    let view = snapshot_when(&t.core, "two rows", |v| v.rows().count() == 2).await;
    let gpu = row(&view, "gpu-east");
    assert_eq!(gpu.session, id);
    assert!(gpu.online, "{gpu:?}");
    assert_eq!(gpu.offline_since, None);
    assert_eq!(gpu.pools, ["training"]);
    assert!(gpu.notify && !gpu.linked, "{gpu:?}");
    let cpu = row(&view, "cpu-west");
    assert!(!cpu.online, "{cpu:?}");
    assert!(cpu.offline_since.is_some(), "{cpu:?}");
    assert!(cpu.pools.is_empty());
    let session = &view.sessions[0];
    assert_eq!(session.session, id);
    assert_eq!((session.total, session.online, session.offline), (2, 1, 1));
    assert!(
        !session.stale && session.updated_at.is_some(),
        "{session:?}"
    );
    assert!(view.not_polled.is_empty(), "{view:?}");

    // The poll that filled the rows was announced (with any that ended with it), naming its
    // service.
    let announced = |updates: &[serde_json::Value]| {
        updates.iter().any(|u| {
            u["sessions"]
                .as_array()
                .is_some_and(|s| s.contains(&json!({"session": "lab", "stale": false})))
        })
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while !announced(&t.events.payloads("health-updated")) && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let updates = t.events.payloads("health-updated");
    assert!(announced(&updates), "{updates:?}");
    assert!(!t.events.payloads("sessions-changed").is_empty());
    // Nothing flipped: the first poll is no news.
    assert_eq!(
        t.events.payloads("backend-status-changed"),
        Vec::<serde_json::Value>::new()
    );
    assert!(t.events.desktop().is_empty(), "{:?}", t.events.desktop());

    // Uptime says since when the app has watched: cpu-west's server says offline for about an
    // hour, but the app has watched it only since its first poll, so the timeline (the last
    // hour) is unknown before that and offline after, and the ratio counts the watched seconds.
    snapshot_when(&t.core, "a second poll", |v| v.sessions[0].polls >= 2).await;
    let detail =
        dashboard::detail::backend_detail(&t.core, BackendRef::new(id.clone(), "cpu-west"))
            .await
            .unwrap();
    let up = &detail.uptime;
    let observed_since =
        chrono::DateTime::parse_from_rfc3339(up.observed_since.as_deref().unwrap())
            .unwrap()
            .with_timezone(&Utc);
    assert!(Utc::now() - observed_since < Duration::minutes(1), "{up:?}");
    assert!(up.observed_secs < 60, "{up:?}");
    assert_eq!(
        (up.last_day, up.last_week),
        (Some(0.0), Some(0.0)),
        "{up:?}"
    );
    let since = chrono::DateTime::parse_from_rfc3339(&up.since).unwrap();
    let now = chrono::DateTime::parse_from_rfc3339(&up.now).unwrap();
    assert_eq!(
        now - since,
        Duration::hours(1),
        "the shortest timeline that shows it"
    );
    let states: Vec<Option<bool>> = up.segments.iter().map(|s| s.online).collect();
    assert_eq!(states, [None, Some(false)], "{up:?}");
    assert_eq!(up.segments[1].from, up.observed_since.clone().unwrap());
    let detail = dashboard::detail::backend_detail(&t.core, BackendRef::new(id, "gpu-east"))
        .await
        .unwrap();
    let states: Vec<Option<bool>> = detail.uptime.segments.iter().map(|s| s.online).collect();
    assert_eq!(
        states,
        [None, Some(true)],
        "online time is drawn: {:?}",
        detail.uptime
    );
    assert_eq!(detail.uptime.last_week, Some(1.0));
    sim.shutdown().await;
}

fn go_offline(sim: &SimHandle, backend: &str) {
    assert!(sim.set_keep_alive(backend, false));
    assert!(sim.set_last_heartbeat(backend, Utc::now().naive_utc() - Duration::hours(1)));
}

fn come_back(sim: &SimHandle, backend: &str) {
    assert!(sim.set_last_heartbeat(backend, Utc::now().naive_utc()));
    assert!(sim.set_keep_alive(backend, true));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_muted_backends_flips_are_silent_while_an_unmuted_ones_are_announced_twice_over() {
    let sim = Simulator::start(
        SimConfig::new(Dialect::V6_4)
            .backend(SeedBackend::new("gpu-east"))
            .backend(SeedBackend::new("cpu-west")),
    )
    .await
    .unwrap();
    let t = TestCore::start().await;
    let id = crate::add_service(&t.core, "lab", &sim.base_url()).await;
    let muted = BackendRef::new(id.clone(), "cpu-west");
    assert!(!dashboard::set_notifications(&t.core, &muted, false).unwrap());
    osmo_admin_app::sessions::sign_in_development(&t.core, id.clone(), "ana".into(), None)
        .await
        .unwrap();
    let view = snapshot_when(&t.core, "both online", |v| {
        v.rows().count() == 2 && v.rows().all(|r| r.online)
    })
    .await;
    assert!(!row(&view, "cpu-west").notify);
    assert!(row(&view, "gpu-east").notify);

    go_offline(&sim, "gpu-east");
    go_offline(&sim, "cpu-west");
    dashboard::refresh(&t.core);
    snapshot_when(&t.core, "both offline", |v| v.rows().all(|r| !r.online)).await;
    let changes = eventually("the offline news", 10, || async {
        let seen = t.events.payloads("backend-status-changed");
        (!seen.is_empty()).then_some(seen)
    })
    .await;
    assert_eq!(changes.len(), 1, "only the unmuted backend: {changes:?}");
    assert_eq!(changes[0]["session"], "lab");
    assert_eq!(changes[0]["backend"], "gpu-east");
    assert_eq!(changes[0]["online"], false);
    let message = changes[0]["message"].as_str().unwrap();
    assert_eq!(
        t.events.desktop(),
        [message],
        "the same news on the desktop"
    );
    assert!(message.contains("gpu-east"), "{message}");

    come_back(&sim, "gpu-east");
    come_back(&sim, "cpu-west");
    dashboard::refresh(&t.core);
    snapshot_when(&t.core, "both back", |v| v.rows().all(|r| r.online)).await;
    let changes = eventually("the back-online news", 10, || async {
        let seen = t.events.payloads("backend-status-changed");
        (seen.len() >= 2).then_some(seen)
    })
    .await;
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert_eq!(
        (changes[1]["backend"].clone(), changes[1]["online"].clone()),
        (json!("gpu-east"), json!(true))
    );
    let desktop = t.events.desktop();
    assert_eq!(desktop.len(), 2, "{desktop:?}");
    assert!(
        desktop.iter().all(|m| !m.contains("cpu-west")),
        "the muted backend is never announced: {desktop:?}"
    );
    sim.shutdown().await;
}

/// A 6.4 service with dgx-lab offline for 3 hours, its token `dgx-lab-token` (of its service
/// account) expired 3 days ago, and gpu-west online with `gpu-west-operator-token` fine for 120
/// days: the names the sandbox and the setup guide give a backend's token.
async fn named_tokens_service() -> SimHandle {
    let today = Utc::now().date_naive();
    let sim = Simulator::start(
        SimConfig::new(Dialect::V6_4)
            .user("dgx-lab-svc", &["osmo-backend"])
            .user("gpu-west-svc", &["osmo-backend"])
            .backend(
                SeedBackend::new("dgx-lab")
                    .last_heartbeat(Utc::now().naive_utc() - Duration::hours(3)),
            )
            .backend(SeedBackend::new("gpu-west").keep_alive())
            .token(
                SeedToken::for_user("dgx-lab-svc", "dgx-lab-token", &["osmo-backend"])
                    .expires_at(today + Duration::days(1)),
            )
            .token(
                SeedToken::for_user("gpu-west-svc", "gpu-west-operator-token", &["osmo-backend"])
                    .expires_at(today + Duration::days(120)),
            ),
    )
    .await
    .unwrap();
    assert!(sim.set_token_expires_at("dgx-lab-svc", "dgx-lab-token", today - Duration::days(3)));
    sim
}

fn check(d: &DiagnosisDto, kind: CheckKindDto) -> &CheckDto {
    d.checks
        .iter()
        .find(|c| c.kind == kind)
        .unwrap_or_else(|| panic!("no check {kind:?}: {d:#?}"))
}

fn first_failure(d: &DiagnosisDto) -> &CheckDto {
    &d.checks[d.first_failure.expect("a failing check") as usize]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_link_the_diagnosis_asks_for_one_first_and_finds_the_expired_token_by_its_name() {
    let sim = named_tokens_service().await;
    let t = TestCore::start().await;
    let id = sign_in(&t.core, "lab", &sim.base_url()).await;

    let d = diagnosis::diagnose_backend(&t.core, BackendRef::new(id.clone(), "dgx-lab"))
        .await
        .unwrap();
    assert!(!d.linked && !d.healthy, "{d:#?}");
    let first = first_failure(&d);
    assert_eq!(first.kind, CheckKindDto::ContextLinked, "{d:#?}");
    assert!(
        first
            .next_step
            .as_deref()
            .unwrap()
            .starts_with("Link dgx-lab to the Kubernetes context of its cluster"),
        "{first:?}"
    );
    let token = check(&d, CheckKindDto::TokenExpiry);
    assert_eq!(token.verdict, VerdictDto::Fail, "{d:#?}");
    assert!(
        token.finding.starts_with(
            "dgx-lab uses token dgx-lab-token of dgx-lab-svc (it is named for the backend); it expired 3 days ago"
        ),
        "{}",
        token.finding
    );
    assert_eq!(check(&d, CheckKindDto::Heartbeat).verdict, VerdictDto::Fail);
    assert_eq!(
        check(&d, CheckKindDto::Namespaces).verdict,
        VerdictDto::Skipped
    );

    // The Tokens screen matches the same way: the expired token is dgx-lab's.
    let list = tokens::list(&t.core, id.clone(), None).await.unwrap();
    let used_by = |name: &str| {
        list.rows
            .iter()
            .find(|r| r.name == name)
            .unwrap_or_else(|| panic!("no token {name}: {list:?}"))
            .used_by
            .clone()
    };
    assert_eq!(used_by("dgx-lab-token"), ["dgx-lab"]);
    assert_eq!(used_by("gpu-west-operator-token"), ["gpu-west"]);

    // An online backend gets a health check: healthy as far as the service tells, and the
    // missing link is a hint, not a failure.
    let d = diagnosis::diagnose_backend(&t.core, BackendRef::new(id, "gpu-west"))
        .await
        .unwrap();
    assert_eq!(d.first_failure, None, "{d:#?}");
    assert!(d.healthy, "{d:#?}");
    assert!(
        d.summary
            .starts_with("gpu-west is healthy as far as checked: every check that ran passed"),
        "{}",
        d.summary
    );
    let link = check(&d, CheckKindDto::ContextLinked);
    assert_eq!(link.verdict, VerdictDto::Skipped);
    assert!(link.next_step.is_some(), "{link:?}");
    let token = check(&d, CheckKindDto::TokenExpiry);
    assert_eq!(token.verdict, VerdictDto::Pass, "{d:#?}");
    assert!(
        token
            .finding
            .contains("gpu-west-operator-token of gpu-west-svc"),
        "{}",
        token.finding
    );
    sim.shutdown().await;
}

/// On the real API server: a token named unlike the backend is unknown until the backend is
/// linked; then its Secret names it, and its expiry is the failure to fix first: "Rotate now".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn once_linked_the_secret_names_the_token_and_an_expired_one_ends_in_rotate_now() {
    let cluster = TestCluster::shared().await;
    let today = Utc::now().date_naive();
    let sim = Simulator::start(SimConfig::new(Dialect::V6_0).backend(
        SeedBackend::new("dgx-lab").last_heartbeat(Utc::now().naive_utc() - Duration::hours(3)),
    ))
    .await
    .unwrap();
    let value = sim
        .create_token(
            SeedToken::service("lab-operator", &["osmo-backend"])
                .expires_at(today + Duration::days(1)),
        )
        .unwrap();
    assert!(sim.set_token_expires_at("lab-operator", "lab-operator", today - Duration::days(2)));
    let namespace = format!("core-diagnosis-{}", std::process::id());
    cluster.create_namespace(&namespace).await.unwrap();
    let secret = TokenSecret {
        namespace: namespace.clone(),
        ..TokenSecret::default()
    };
    let holder = TokenRef {
        owner: "lab-operator".into(),
        name: "lab-operator".into(),
    };
    let write = SecretWrite {
        value: Change::Set(&Secret::new(value)),
        holder: Change::Set(&holder),
        ..SecretWrite::default()
    };
    let client = cluster.client().await.unwrap();
    write_secret(&client, &secret, &Limits::default(), None, &write)
        .await
        .unwrap();

    let t = TestCore::start_on(cluster).await;
    let id = sign_in(&t.core, "lab", &sim.base_url()).await;
    let backend = BackendRef::new(id.clone(), "dgx-lab");
    let d = diagnosis::diagnose_backend(&t.core, backend.clone())
        .await
        .unwrap();
    let token = check(&d, CheckKindDto::TokenExpiry);
    assert_eq!(token.verdict, VerdictDto::Skipped, "{d:#?}");
    assert!(
        token.finding.contains(
            "no token is named dgx-lab, dgx-lab-token or dgx-lab-operator-token, and no linked Secret names one"
        ),
        "{}",
        token.finding
    );

    let context = first_context(&t.core);
    osmo_admin_app::contexts::link_backend(
        &t.core,
        backend.clone(),
        context.clone(),
        Some(namespace.clone()),
    )
    .unwrap();
    let d = diagnosis::diagnose_backend(&t.core, backend).await.unwrap();
    assert!(d.linked, "{d:#?}");
    let link = check(&d, CheckKindDto::ContextLinked);
    assert_eq!(
        (link.verdict, link.finding.as_str()),
        (
            VerdictDto::Pass,
            format!("context {context}, operator namespace {namespace}").as_str()
        )
    );
    let first = first_failure(&d);
    assert_eq!(first.kind, CheckKindDto::TokenExpiry, "{d:#?}");
    assert!(
        first.finding.starts_with(&format!(
            "dgx-lab uses token lab-operator (the operator's Secret {namespace}/osmo-operator-token names it); it expired 2 days ago"
        )),
        "{}",
        first.finding
    );
    assert!(
        first
            .next_step
            .as_deref()
            .unwrap()
            .starts_with("Rotate now:"),
        "{first:?}"
    );
    assert!(d.summary.contains("Next: Rotate now"), "{}", d.summary);
    assert_eq!(
        check(&d, CheckKindDto::TokenSecret).verdict,
        VerdictDto::Pass
    );
    // The service refuses the expired token too: a consequence, without its own next step.
    let accepted = check(&d, CheckKindDto::TokenAccepted);
    assert_eq!(accepted.verdict, VerdictDto::Fail, "{d:#?}");
    assert_eq!(accepted.next_step, None);
    sim.shutdown().await;
}

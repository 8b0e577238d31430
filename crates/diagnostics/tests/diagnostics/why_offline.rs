//! "Why is it offline?" end to end: each scenario breaks one thing and expects that check to be
//! the first failure, with its next step.

use std::time::{Duration, Instant};

use osmo_admin_diagnostics::{
    diagnose, CheckKind, ClusterLink, ClusterTarget, DiagnoseInput, Diagnosis, TokenInUse,
    TokenState, UsedToken, Verdict, LISTENER_DEPLOYMENT, ROTATE_NOW, WORKER_DEPLOYMENT,
};
use osmo_admin_osmo_client::CancellationToken;
use osmo_sim::{Dialect, FaultConfig};
use serde_json::json;

use crate::common::{install, pods_of, run_pods, set_pods, target, world, Install, World, BACKEND};

const CHART: &[&str] = &[LISTENER_DEPLOYMENT, WORKER_DEPLOYMENT];

async fn run(world: &World, target: Option<&ClusterTarget>) -> Diagnosis {
    run_with(world, target, None).await
}

async fn run_with(
    world: &World,
    target: Option<&ClusterTarget>,
    token: Option<TokenInUse>,
) -> Diagnosis {
    let mut input =
        DiagnoseInput::new(world.session.clone(), BACKEND).with_timeout(Duration::from_secs(5));
    if let Some(t) = target {
        input = input.with_cluster(t.clone());
    }
    if let Some(t) = token {
        input = input.with_token(t);
    }
    diagnose(&input, &CancellationToken::new()).await
}

/// The backend's token as a caller found it.
fn used(state: TokenState, words: &str) -> TokenInUse {
    TokenInUse::Known(UsedToken {
        token: "backend-token".into(),
        known_from: "the operator's Secret names it".into(),
        state,
        words: words.into(),
        expires_on: chrono::Utc::now().date_naive(),
    })
}

fn verdicts(d: &Diagnosis) -> Vec<(CheckKind, Verdict)> {
    d.checks.iter().map(|c| (c.kind, c.verdict)).collect()
}

fn verdict(d: &Diagnosis, kind: CheckKind) -> Verdict {
    d.check(kind).unwrap().verdict
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_healthy_backend_passes_every_check_in_both_dialects() {
    for (dialect, prefix) in [(Dialect::V6_0, "healthy60"), (Dialect::V6_4, "healthy64")] {
        let w = world(dialect, true).await;
        let t = target(prefix).await;
        let token = w.backend_token.clone();
        let what = Install {
            namespaces: true,
            token: Some(&token),
            deployments: CHART,
        };
        install(&t, what).await;

        // As installed: pods exist but nothing schedules them.
        for name in CHART {
            pods_of(&t, name).await;
        }
        let d = run(&w, Some(&t)).await;
        assert_eq!(d.first_failure, None, "{dialect:?}: {d:#?}");
        assert_eq!(verdict(&d, CheckKind::Pods), Verdict::Warn, "{d:#?}");
        let pods = d.check(CheckKind::Pods).unwrap();
        assert!(pods.finding.contains("not scheduled"), "{}", pods.finding);
        assert!(pods.next_step.as_deref().unwrap().contains("tolerations"));
        assert_eq!(verdict(&d, CheckKind::Deployments), Verdict::Warn);
        assert_eq!(
            verdict(&d, CheckKind::TokenAccepted),
            Verdict::Pass,
            "{d:#?}"
        );

        // Pods running and ready, a token far from its expiry: every check passes.
        run_pods(&t).await;
        let fine = used(TokenState::Fine, "expires in 90 days");
        let d = run_with(&w, Some(&t), Some(fine)).await;
        let all_pass: Vec<_> = CheckKind::ALL.iter().map(|k| (*k, Verdict::Pass)).collect();
        assert_eq!(verdicts(&d), all_pass, "{dialect:?}: {d:#?}");
        assert_eq!(
            d.summary,
            format!("{BACKEND} is healthy: every check passed.")
        );
        // The token not looked up: healthy as far as checked, and it says what was not run.
        let d = run(&w, Some(&t)).await;
        assert_eq!(verdict(&d, CheckKind::TokenExpiry), Verdict::Skipped);
        assert_eq!(
            d.summary,
            format!("{BACKEND} is healthy as far as checked: every check that ran passed (1 not run: the token was not looked up).")
        );
        let accepted = d.check(CheckKind::TokenAccepted).unwrap();
        assert!(
            accepted.finding.contains("backend-svc") || accepted.finding.contains("backend-token"),
            "{}",
            accepted.finding
        );

        // Nothing it reports holds the token.
        let text = serde_json::to_string(&d).unwrap() + &format!("{d:?}");
        assert!(!text.contains(&token), "the token leaked");
        let secret = d.cluster.as_ref().unwrap().token_secret.as_ref().unwrap();
        assert!(secret.present && secret.key_present && secret.non_empty);
        assert!(secret.last_changed.is_some());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_secret_is_the_first_failure_of_an_offline_backend() {
    let w = world(Dialect::V6_4, false).await;
    let t = target("nosecret").await;
    install(
        &t,
        Install {
            namespaces: true,
            token: None,
            deployments: CHART,
        },
    )
    .await;
    let d = run(&w, Some(&t)).await;
    let first = &d.checks[d.first_failure.unwrap()];
    assert_eq!(first.kind, CheckKind::TokenSecret, "{d:#?}");
    assert!(
        first.finding.contains("does not exist"),
        "{}",
        first.finding
    );
    let next = first.next_step.as_deref().unwrap();
    assert!(
        next.contains("kubectl create secret generic osmo-operator-token -n nosecret-op"),
        "{next}"
    );
    let heartbeat = d.check(CheckKind::Heartbeat).unwrap();
    assert_eq!(heartbeat.verdict, Verdict::Fail);
    assert!(
        heartbeat.finding.contains("3 h ago"),
        "{}",
        heartbeat.finding
    );
    assert_eq!(
        heartbeat.next_step, None,
        "the symptom does not compete with the cause"
    );
    assert_eq!(verdict(&d, CheckKind::TokenAccepted), Verdict::Skipped);
    assert!(
        d.summary.contains("Token secret present failed"),
        "{}",
        d.summary
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_the_service_rejects_fails_the_token_check() {
    let w = world(Dialect::V6_0, false).await;
    let unknown = "0".repeat(64);
    let t = target("badtoken").await;
    install(
        &t,
        Install {
            namespaces: true,
            token: Some(&unknown),
            deployments: CHART,
        },
    )
    .await;
    let d = run(&w, Some(&t)).await;
    let first = &d.checks[d.first_failure.unwrap()];
    assert_eq!(first.kind, CheckKind::TokenAccepted, "{d:#?}");
    assert!(first.finding.contains("not valid"), "{}", first.finding);
    assert!(first
        .next_step
        .as_deref()
        .unwrap()
        .contains("--service --roles osmo-backend"));
    assert_eq!(verdict(&d, CheckKind::TokenSecret), Verdict::Pass);
    assert!(!format!("{d:?}").contains(&unknown));

    // An expired token (6.2+): the same check, the reason says so.
    let w = world(Dialect::V6_4, true).await;
    let yesterday = chrono::Utc::now().date_naive() - chrono::Days::new(1);
    assert!(w
        .sim
        .set_token_expires_at("backend-svc", "backend-token", yesterday));
    let t = target("expired").await;
    let token = w.backend_token.clone();
    install(
        &t,
        Install {
            namespaces: true,
            token: Some(&token),
            deployments: CHART,
        },
    )
    .await;
    let d = run(&w, Some(&t)).await;
    let first = &d.checks[d.first_failure.unwrap()];
    assert_eq!(first.kind, CheckKind::TokenAccepted, "{d:#?}");
    assert!(first.finding.contains("expired"), "{}", first.finding);

    // The caller knows the token expired: that is the cause to fix first, with "Rotate now"; the
    // service refusing it follows from it.
    let d = run_with(
        &w,
        Some(&t),
        Some(used(TokenState::Expired, "expired 1 day ago")),
    )
    .await;
    let first = &d.checks[d.first_failure.unwrap()];
    assert_eq!(first.kind, CheckKind::TokenExpiry, "{d:#?}");
    assert!(
        first.finding.contains("expired 1 day ago"),
        "{}",
        first.finding
    );
    assert!(first.next_step.as_deref().unwrap().starts_with(ROTATE_NOW));
    assert!(d.summary.contains("Next: Rotate now"), "{}", d.summary);
    assert_eq!(verdict(&d, CheckKind::TokenAccepted), Verdict::Fail);
    assert_eq!(d.check(CheckKind::TokenAccepted).unwrap().next_step, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_link_an_offline_backend_is_told_to_link_one_and_its_token_is_still_checked() {
    let w = world(Dialect::V6_4, false).await;
    let expired = used(TokenState::Expired, "expired 3 days ago");
    let d = run_with(&w, None, Some(expired.clone())).await;
    let first = &d.checks[d.first_failure.unwrap()];
    assert_eq!(first.kind, CheckKind::ContextLinked, "{d:#?}");
    assert!(first
        .next_step
        .as_deref()
        .unwrap()
        .starts_with("Link gpu to the Kubernetes context"));
    let token = d.check(CheckKind::TokenExpiry).unwrap();
    assert_eq!(
        token.verdict,
        Verdict::Fail,
        "found without a cluster: {d:#?}"
    );
    assert!(
        token.finding.contains("expired 3 days ago"),
        "{}",
        token.finding
    );
    for kind in [
        CheckKind::ClusterReachable,
        CheckKind::Namespaces,
        CheckKind::WarningEvents,
    ] {
        assert_eq!(verdict(&d, kind), Verdict::Skipped, "{kind:?}");
    }
    let kinds: Vec<CheckKind> = d.checks.iter().map(|c| c.kind).collect();
    assert_eq!(kinds, CheckKind::ALL, "every check, in order");

    // A linked context that cannot be used fails the same check, naming it.
    let gone = ClusterLink::Unusable {
        context: "prod".into(),
        reason: "it is not in the kubeconfig".into(),
    };
    let input = DiagnoseInput::new(w.session.clone(), BACKEND).with_link(gone);
    let d = diagnose(&input, &CancellationToken::new()).await;
    let first = &d.checks[d.first_failure.unwrap()];
    assert_eq!(first.kind, CheckKind::ContextLinked);
    assert_eq!(
        first.finding,
        "context prod is linked but cannot be used: it is not in the kubeconfig"
    );

    // Online and not linked: a hint, not a failure; healthy as far as checked.
    let w = world(Dialect::V6_4, true).await;
    let d = run_with(&w, None, Some(used(TokenState::Fine, "expires in 90 days"))).await;
    assert_eq!(d.first_failure, None, "{d:#?}");
    let link = d.check(CheckKind::ContextLinked).unwrap();
    assert_eq!(link.verdict, Verdict::Skipped);
    assert!(link
        .next_step
        .as_deref()
        .unwrap()
        .ends_with("to check the cluster side too."));
    assert!(
        d.summary.starts_with("gpu is healthy as far as checked: every check that ran passed (8 not run: no Kubernetes context is linked"),
        "{}",
        d.summary
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_deployment_fails_the_deployments_check() {
    let w = world(Dialect::V6_4, true).await;
    let t = target("nodeploy").await;
    let token = w.backend_token.clone();
    let only_listener = &[LISTENER_DEPLOYMENT];
    install(
        &t,
        Install {
            namespaces: true,
            token: Some(&token),
            deployments: only_listener,
        },
    )
    .await;
    let d = run(&w, Some(&t)).await;
    let first = &d.checks[d.first_failure.unwrap()];
    assert_eq!(first.kind, CheckKind::Deployments, "{d:#?}");
    assert!(
        first.finding.contains(WORKER_DEPLOYMENT),
        "{}",
        first.finding
    );
    assert!(first
        .next_step
        .as_deref()
        .unwrap()
        .contains("helm upgrade --install"));

    // No namespaces at all: that comes first.
    let t = target("nothing").await;
    let d = run(&w, Some(&t)).await;
    let first = &d.checks[d.first_failure.unwrap()];
    assert_eq!(first.kind, CheckKind::Namespaces, "{d:#?}");
    assert!(
        first.finding.contains("nothing-op and nothing-wf"),
        "{}",
        first.finding
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_looping_pods_fail_with_their_reason() {
    let w = world(Dialect::V6_4, false).await;
    let t = target("crash").await;
    let token = w.backend_token.clone();
    install(
        &t,
        Install {
            namespaces: true,
            token: Some(&token),
            deployments: CHART,
        },
    )
    .await;
    run_pods(&t).await;
    let crash = json!({
        "ready": false, "restartCount": 5,
        "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 5m0s"}},
        "lastState": {"terminated": {"exitCode": 1, "reason": "Error"}}
    });
    set_pods(&t, LISTENER_DEPLOYMENT, false, crash).await;
    let events: kube::Api<k8s_openapi::api::core::v1::Event> =
        kube::Api::namespaced(t.client.clone(), &t.operator_namespace);
    let backoff =
        crate::inspection::event(&t.operator_namespace, "backoff", "Warning", "BackOff", 1);
    events.create(&Default::default(), &backoff).await.unwrap();
    let d = run(&w, Some(&t)).await;
    let first = &d.checks[d.first_failure.unwrap()];
    assert_eq!(first.kind, CheckKind::Pods, "{d:#?}");
    assert!(
        first.finding.contains("CrashLoopBackOff") && first.finding.contains("5 restarts"),
        "{}",
        first.finding
    );
    assert!(
        first.finding.contains("last terminated: Error"),
        "{}",
        first.finding
    );
    assert!(first.next_step.as_deref().unwrap().contains("--previous"));
    let warnings = d.check(CheckKind::WarningEvents).unwrap();
    assert_eq!(warnings.verdict, Verdict::Warn, "{d:#?}");
    assert!(
        warnings.finding.contains("latest: BackOff on Deployment/"),
        "{}",
        warnings.finding
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_service_or_cluster_fails_fast_and_nothing_hangs() {
    // A service that stalls every answer: the first check fails within the time limit.
    let w = world(Dialect::V6_4, true).await;
    w.sim.set_faults(FaultConfig {
        latency_ms: 60_000,
        ..FaultConfig::default()
    });
    let input = DiagnoseInput::new(w.session.clone(), BACKEND).with_timeout(Duration::from_secs(1));
    let started = Instant::now();
    let d = diagnose(&input, &CancellationToken::new()).await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(d.first_failure, Some(0), "{d:#?}");
    assert_eq!(verdict(&d, CheckKind::BackendKnown), Verdict::Skipped);
    assert_eq!(
        verdict(&d, CheckKind::ClusterReachable),
        Verdict::Skipped,
        "no cluster linked"
    );

    // A service that is gone, and a cluster nobody listens for.
    let w = world(Dialect::V6_4, true).await;
    let World { sim, session, .. } = w;
    sim.shutdown().await;
    let config = kube::Config::new("https://127.0.0.1:9".parse().unwrap());
    let dead = ClusterTarget::new(kube::Client::try_from(config).unwrap());
    let input = DiagnoseInput::new(session, BACKEND)
        .with_timeout(Duration::from_secs(2))
        .with_cluster(dead);
    let started = Instant::now();
    let d = diagnose(&input, &CancellationToken::new()).await;
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    let first = &d.checks[0];
    assert_eq!(
        (d.first_failure, first.verdict),
        (Some(0), Verdict::Fail),
        "{d:#?}"
    );
    assert!(
        first
            .next_step
            .as_deref()
            .unwrap()
            .contains("Could not reach"),
        "{first:?}"
    );
    let cluster = d.check(CheckKind::ClusterReachable).unwrap();
    assert_eq!(cluster.verdict, Verdict::Fail, "{d:#?}");
    assert_eq!(verdict(&d, CheckKind::Namespaces), Verdict::Skipped);
}

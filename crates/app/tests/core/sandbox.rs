//! The sandbox tells the dashboard's story whole: dgx-lab's operator runs in the sandbox cluster
//! with its expired token, so "why is it offline?" ends in "Rotate now"; rotating it brings dgx-lab
//! back online. gpu-east, linked and healthy, passes every cluster check.

use std::time::Instant;

use osmo_admin_app::dashboard::diagnosis::{self, CheckKindDto, DiagnosisDto, VerdictDto};
use osmo_admin_app::dashboard::{self};
use osmo_admin_app::sandbox::{
    self, SandboxClusterState, SandboxState, SandboxView, CLUSTER_STARTING_NOTE,
};
use osmo_admin_app::tokens::rotations::RotationStatusDto;
use osmo_admin_app::tokens::{self, RotationRequestDto};
use osmo_admin_app::{contexts, sessions, AppCore};
use osmo_admin_core::BackendRef;
use osmo_admin_sandbox::{SANDBOX_CONTEXT, WAITING_FOR_CLUSTER};
use osmo_admin_sessions::SessionStatus;

use crate::{eventually, TestCore};

fn lends_its_context(core: &AppCore) -> bool {
    contexts::list(core)
        .contexts
        .iter()
        .any(|c| c.name == SANDBOX_CONTEXT)
}

/// Starts the sandbox and waits until its cluster runs and is lent to the app.
pub async fn start_with_cluster(core: &AppCore) -> SandboxView {
    let view = sandbox::start(core).await;
    assert_eq!(view.state, SandboxState::Running, "{view:?}");
    core.sandbox.cluster_settled().await;
    let view = sandbox::status(core);
    assert_eq!(
        view.cluster_state,
        SandboxClusterState::Running,
        "the local cluster runs in tests (tests/cluster/build.sh builds it): {view:?}"
    );
    eventually("the sandbox's context lent", 10, || async {
        lends_its_context(core).then_some(())
    })
    .await;
    view
}

/// The dashboard need not wait for the cluster: `sandbox::start` returns with both services
/// listed and signed in while the cluster still starts; once it runs, its context and links are
/// lent and the UI is told (a kubeconfig change), with nobody asking.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_services_are_listed_while_the_cluster_starts_then_the_cluster_is_lent() {
    let t = TestCore::start().await;
    let asked = Instant::now();
    let view = sandbox::start(&t.core).await;
    let listed = asked.elapsed();
    assert_eq!(view.state, SandboxState::Running, "{view:?}");
    assert_eq!(
        view.cluster_state,
        SandboxClusterState::Starting,
        "{view:?}"
    );
    assert_eq!(view.cluster_note.as_deref(), Some(CLUSTER_STARTING_NOTE));
    assert_eq!(view.cluster_server, None);
    let east = view.services[0]
        .backends
        .iter()
        .find(|b| b.name == "gpu-east")
        .unwrap();
    assert_eq!(east.operator_status.as_deref(), Some(WAITING_FOR_CLUSTER));
    let sessions = sessions::list(&t.core).await.unwrap().sessions;
    let names: Vec<&str> = sessions.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["sandbox-6.0", "sandbox-6.4"], "{sessions:?}");
    assert!(
        sessions
            .iter()
            .all(|s| matches!(s.status, SessionStatus::SignedIn { .. })),
        "{sessions:?}"
    );
    // Read before the status: while the cluster still starts, nothing of it is lent.
    let before = contexts::list(&t.core);
    if sandbox::status(&t.core).cluster_state == SandboxClusterState::Starting {
        assert!(before.links.is_empty(), "{:?}", before.links);
        assert!(!before.contexts.iter().any(|c| c.name == SANDBOX_CONTEXT));
    }
    let changes_before = t.events.payloads("kubeconfig-changed").len();
    println!(
        "# sandbox::start returned {} ms after it was called, its two services listed and signed in, its cluster still starting",
        listed.as_millis()
    );

    eventually("the sandbox's cluster lent", 90, || async {
        lends_its_context(&t.core).then_some(())
    })
    .await;
    println!(
        "# the sandbox's cluster was lent {} ms after sandbox::start was called",
        asked.elapsed().as_millis()
    );
    let view = sandbox::status(&t.core);
    assert_eq!(view.cluster_state, SandboxClusterState::Running, "{view:?}");
    assert!(view.cluster_kubeconfig.is_some());
    assert_eq!(contexts::list(&t.core).links.len(), 4);
    // Told right after the loan (once the files are watched again), so a moment after it shows.
    eventually("the UI told that the contexts changed", 10, || async {
        (t.events.payloads("kubeconfig-changed").len() > changes_before).then_some(())
    })
    .await;
    sandbox::stop(&t.core).await;
    assert!(!lends_its_context(&t.core));
    assert!(contexts::list(&t.core).links.is_empty());
}

/// Stopped while its cluster starts: nothing is lent afterwards, even once that start would have
/// finished.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sandbox_stopped_while_its_cluster_starts_lends_nothing() {
    let t = TestCore::start().await;
    let view = sandbox::start(&t.core).await;
    assert_eq!(
        view.cluster_state,
        SandboxClusterState::Starting,
        "{view:?}"
    );
    let view = sandbox::stop(&t.core).await;
    assert_eq!(view.state, SandboxState::Off, "{view:?}");
    let sessions = sessions::list(&t.core).await.unwrap().sessions;
    assert!(sessions.is_empty(), "{sessions:?}");
    // Longer than the cluster takes to start.
    tokio::time::sleep(std::time::Duration::from_secs(8)).await;
    assert!(!lends_its_context(&t.core));
    assert!(contexts::list(&t.core).links.is_empty());
}

fn verdict(d: &DiagnosisDto, kind: CheckKindDto) -> VerdictDto {
    d.checks
        .iter()
        .find(|c| c.kind == kind)
        .unwrap_or_else(|| panic!("no check {kind:?}: {d:#?}"))
        .verdict
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dgx_labs_diagnosis_ends_in_rotate_now_and_rotating_brings_it_back() {
    let t = TestCore::start().await;
    start_with_cluster(&t.core).await;
    // The rows are polled (the checks read the workflow namespace from them).
    eventually("sandbox-6.0's rows", 60, || async {
        let v = dashboard::snapshot(&t.core, &[]).await.unwrap();
        let online = v.rows().any(|r| {
            r.session.as_str() == "sandbox-6.0" && r.name.as_str() == "gpu-east" && r.online
        });
        online.then_some(())
    })
    .await;

    // gpu-east: linked, every cluster check passes (its workflow namespace and worker exist, its
    // pods run); only its token, expiring in 5 days, is worth a look.
    let east = BackendRef::new("sandbox-6.0", "gpu-east");
    // The Deployments' ready counts follow the pods a moment later (the controller manager).
    let d = eventually(
        "gpu-east's pods to run and its Deployments to be ready",
        90,
        || async {
            let d = diagnosis::diagnose_backend(&t.core, east.clone())
                .await
                .unwrap();
            (verdict(&d, CheckKindDto::Pods) == VerdictDto::Pass
                && verdict(&d, CheckKindDto::Deployments) == VerdictDto::Pass)
                .then_some(d)
        },
    )
    .await;
    assert_eq!(d.first_failure, None, "{d:#?}");
    for kind in [
        CheckKindDto::Heartbeat,
        CheckKindDto::ContextLinked,
        CheckKindDto::ClusterReachable,
        CheckKindDto::Namespaces,
        CheckKindDto::TokenSecret,
        CheckKindDto::TokenAccepted,
        CheckKindDto::Deployments,
        CheckKindDto::WarningEvents,
    ] {
        assert_eq!(verdict(&d, kind), VerdictDto::Pass, "{kind:?}: {d:#?}");
    }
    assert_eq!(verdict(&d, CheckKindDto::TokenExpiry), VerdictDto::Warn);
    assert_eq!(
        d.summary,
        "gpu-east: no check failed; look at: Token not expired."
    );

    // dgx-lab: offline, linked; its Secret names its expired token: "Rotate now".
    let dgx = BackendRef::new("sandbox-6.0", "dgx-lab");
    let d = diagnosis::diagnose_backend(&t.core, dgx.clone())
        .await
        .unwrap();
    assert!(d.linked, "{d:#?}");
    let first = &d.checks[d.first_failure.unwrap() as usize];
    assert_eq!(first.kind, CheckKindDto::TokenExpiry, "{d:#?}");
    assert!(
        first.finding.starts_with(
            "dgx-lab uses token dgx-lab-token (the operator's Secret dgx-lab-operator/osmo-operator-token names it); it expired 3 days ago"
        ),
        "{}",
        first.finding
    );
    assert!(first
        .next_step
        .as_deref()
        .unwrap()
        .starts_with("Rotate now:"));
    assert_eq!(
        verdict(&d, CheckKindDto::Namespaces),
        VerdictDto::Pass,
        "{d:#?}"
    );
    assert_eq!(
        verdict(&d, CheckKindDto::Deployments),
        VerdictDto::Pass,
        "{d:#?}"
    );

    // Rotate now, as the dashboard's form sends it: the linked context, the Secret's namespace.
    let expires = chrono::Utc::now().date_naive() + chrono::Duration::days(30);
    let request = RotationRequestDto {
        backend: dgx.clone(),
        context: None,
        secret_namespace: "dgx-lab-operator".into(),
        secret_name: "osmo-operator-token".into(),
        secret_key: "token".into(),
        old_owner: None,
        old_name: None,
        new_owner: None,
        new_name: None,
        expires_at: expires.to_string(),
        heartbeat_timeout_secs: 90,
        delete_old: true,
        poll_interval_secs: Some(1),
    };
    let started = tokens::start_rotation(&t.core, request).await.unwrap();
    let done = eventually("the rotation to end", 120, || async {
        let v = tokens::rotation_status(&t.core, &started.id).unwrap();
        (!v.running).then_some(v)
    })
    .await;
    assert_eq!(done.status, RotationStatusDto::Completed, "{done:?}");
    let d = diagnosis::diagnose_backend(&t.core, dgx).await.unwrap();
    assert_eq!(d.first_failure, None, "{d:#?}");
    assert!(d.healthy, "online, with a fresh token: {d:#?}");
    assert_eq!(d.summary, "dgx-lab is healthy: every check passed.");
    sandbox::stop(&t.core).await;
}

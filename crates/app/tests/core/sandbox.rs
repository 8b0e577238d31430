//! The sandbox tells the dashboard's story whole: dgx-lab's operator runs in the sandbox cluster
//! with its expired token, so "why is it offline?" ends in "Rotate now"; rotating it brings dgx-lab
//! back online. gpu-east, linked and healthy, passes every cluster check.

use osmo_admin_app::dashboard::diagnosis::{self, CheckKindDto, DiagnosisDto, VerdictDto};
use osmo_admin_app::dashboard::{self};
use osmo_admin_app::sandbox::{self, SandboxState};
use osmo_admin_app::tokens::rotations::RotationStatusDto;
use osmo_admin_app::tokens::{self, RotationRequestDto};
use osmo_admin_core::BackendRef;

use crate::{eventually, TestCore};

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
    let view = sandbox::start(&t.core).await;
    assert_eq!(view.state, SandboxState::Running, "{view:?}");
    assert!(
        view.cluster_server.is_some(),
        "the local cluster runs in tests: {view:?}"
    );
    // The rows are polled (the checks read the workflow namespace from them).
    eventually("sandbox-6.0's rows", 60, || async {
        let v = dashboard::snapshot(&t.core).await.unwrap();
        v.rows
            .iter()
            .any(|r| {
                r.session.as_str() == "sandbox-6.0" && r.name.as_str() == "gpu-east" && r.online
            })
            .then_some(())
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

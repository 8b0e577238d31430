//! A rotation that fails part-way leaves its journal: the core sends its steps as
//! `rotation-progress` and its end as `rotations-changed`, and a core opened again on the same
//! folder lists it as interrupted, with the service and context it ran with, to retry or roll
//! back. The backend's token Secret is in a namespace that does not exist on the real API
//! server, so the new token is created and writing it into the Secret fails.

use chrono::{Duration, Utc};
use osmo_admin_app::tokens::rotations::{RotationStatusDto, RotationView, StepDto, StepStateDto};
use osmo_admin_app::tokens::{self, RotationRequestDto};
use osmo_admin_core::BackendRef;
use osmo_admin_test_cluster::TestCluster;
use osmo_sim::{Dialect, SeedBackend, SeedToken, SimConfig, Simulator};

use crate::{cluster_env, eventually, first_context, TestCore};

fn state(view: &RotationView, step: StepDto) -> StepStateDto {
    view.steps
        .iter()
        .find(|s| s.step == step)
        .unwrap_or_else(|| panic!("no step {step:?}: {view:?}"))
        .state
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_rotation_is_listed_as_interrupted_when_the_core_opens_again() {
    let cluster = TestCluster::shared().await;
    let sim = Simulator::start(
        SimConfig::new(Dialect::V6_0)
            .backend(SeedBackend::new("gpu-east"))
            .token(SeedToken::service("gpu-east-token", &["osmo-backend"])),
    )
    .await
    .unwrap();
    let t = TestCore::start_on(cluster).await;
    let id = crate::sign_in(&t.core, "lab", &sim.base_url()).await;
    let context = first_context(&t.core);
    let backend = BackendRef::new(id.clone(), "gpu-east");
    let namespace = format!("core-rotation-missing-{}", std::process::id());
    osmo_admin_app::contexts::link_backend(
        &t.core,
        backend.clone(),
        context.clone(),
        Some(namespace.clone()),
    )
    .unwrap();

    let expires = Utc::now().date_naive() + Duration::days(30);
    let request = RotationRequestDto {
        backend: backend.clone(),
        context: None,
        secret_namespace: namespace.clone(),
        secret_name: "osmo-operator-token".into(),
        secret_key: "token".into(),
        old_owner: None,
        old_name: Some("gpu-east-token".into()),
        new_owner: None,
        new_name: None,
        expires_at: expires.to_string(),
        heartbeat_timeout_secs: 10,
        delete_old: true,
        poll_interval_secs: Some(1),
    };
    let started = tokens::start_rotation(&t.core, request).await.unwrap();
    assert_eq!(started.session.as_ref(), Some(&id));
    assert_eq!(
        started.context.as_deref(),
        Some(context.as_str()),
        "the linked context"
    );
    let rotation = started.id.clone();
    let new_token = started.new_token.clone();
    assert_eq!(
        new_token,
        format!("gpu-east-token-{}", expires.format("%Y%m%d"))
    );

    let failed = eventually("the rotation to stop", 60, || async {
        let view = tokens::rotation_status(&t.core, &rotation).unwrap();
        (!view.running && view.status != RotationStatusDto::Running).then_some(view)
    })
    .await;
    assert_eq!(failed.status, RotationStatusDto::Failed, "{failed:?}");
    assert_eq!(state(&failed, StepDto::CreateToken), StepStateDto::Done);
    assert_eq!(
        state(&failed, StepDto::WriteSecret),
        StepStateDto::Failed,
        "{failed:?}"
    );
    assert!(failed.failure.is_some(), "{failed:?}");
    assert!(
        sim.token_exists(&new_token, &new_token),
        "the new token was created"
    );
    assert!(
        sim.token_exists("gpu-east-token", "gpu-east-token"),
        "the old one kept"
    );

    let progress = t.events.payloads("rotation-progress");
    assert!(
        progress.iter().any(|p| p["rotationId"] == rotation.as_str()
            && p["step"] == "create_token"
            && p["state"] == "done"),
        "{progress:?}"
    );
    assert!(
        progress
            .iter()
            .any(|p| p["step"] == "write_secret" && p["state"] == "failed"),
        "{progress:?}"
    );
    let ended = t.events.payloads("rotations-changed");
    assert!(
        ended.iter().any(|e| e["id"] == rotation.as_str()),
        "{ended:?}"
    );

    // The app quits and starts again on the same folder.
    let TestCore { core, dir, .. } = t;
    drop(core);
    let again = TestCore::start_with(dir, cluster_env(cluster)).await;
    let listed = tokens::list_rotations(&again.core);
    assert_eq!(listed.len(), 1, "{listed:?}");
    let interrupted = &listed[0];
    assert_eq!(interrupted.id, rotation);
    assert_eq!(
        interrupted.status,
        RotationStatusDto::Interrupted,
        "{interrupted:?}"
    );
    assert_eq!(interrupted.backend.as_str(), "gpu-east");
    assert_eq!(
        interrupted.session.as_ref(),
        Some(&id),
        "the service it ran with"
    );
    assert_eq!(interrupted.context.as_deref(), Some(context.as_str()));
    assert!(!interrupted.running);
    assert!(
        interrupted.can_retry && interrupted.can_roll_back,
        "{interrupted:?}"
    );
    assert!(
        interrupted.words.contains(&format!(
            "The new token {new_token} exists in OSMO but was not written into the secret"
        )),
        "{}",
        interrupted.words
    );
    assert!(
        interrupted.words.contains("Retry it or roll it back"),
        "{}",
        interrupted.words
    );
    sim.shutdown().await;
}

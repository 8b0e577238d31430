//! A rotation that fails part-way leaves its journal: the core sends its steps as
//! `rotation-progress` and its end as `rotations-changed`, and a core opened again on the same
//! folder lists it as interrupted, with the service and context it ran with, to retry or roll
//! back, described from what the cluster and the service show when checked. A journal that cannot
//! be read is set aside, listed as needing the user, and blocks its backend until resolved. The
//! backend's token Secret is in a namespace that does not exist on the real API server at first,
//! so the new token is created and writing it into the Secret fails.

use std::time::Duration as StdDuration;

use chrono::{Duration, Utc};
use osmo_admin_app::tokens::rotations::{RotationStatusDto, RotationView, StepDto, StepStateDto};
use osmo_admin_app::tokens::{self, RotationRequestDto};
use osmo_admin_core::{BackendRef, ServiceId};
use osmo_admin_kube::operator::{write_secret, Change, Limits, SecretWrite, TokenRef, TokenSecret};
use osmo_admin_osmo_client::CancellationToken;
use osmo_admin_secrets::Secret;
use osmo_admin_test_cluster::TestCluster;
use osmo_sim::{Dialect, SeedBackend, SeedToken, SimConfig, SimHandle, Simulator};

use crate::{cluster_env, eventually, first_context, TestCore};

fn state(view: &RotationView, step: StepDto) -> StepStateDto {
    view.steps
        .iter()
        .find(|s| s.step == step)
        .unwrap_or_else(|| panic!("no step {step:?}: {view:?}"))
        .state
}

/// A rotation of `gpu-east` of service `lab` that failed writing the Secret.
struct Failed {
    sim: SimHandle,
    id: ServiceId,
    context: String,
    namespace: String,
    rotation: String,
    new_token: String,
}

fn request(backend: &BackendRef, namespace: &str) -> RotationRequestDto {
    let expires = Utc::now().date_naive() + Duration::days(30);
    RotationRequestDto {
        backend: backend.clone(),
        context: None,
        secret_namespace: namespace.into(),
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
    }
}

async fn failed_rotation(cluster: &TestCluster, tag: &str) -> (TestCore, Failed) {
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
    let namespace = format!("core-rotation-{tag}-{}", std::process::id());
    osmo_admin_app::contexts::link_backend(
        &t.core,
        backend.clone(),
        context.clone(),
        Some(namespace.clone()),
    )
    .unwrap();

    let started = tokens::start_rotation(&t.core, request(&backend, &namespace))
        .await
        .unwrap();
    assert_eq!(started.session.as_ref(), Some(&id));
    assert_eq!(
        started.context.as_deref(),
        Some(context.as_str()),
        "the linked context"
    );
    let rotation = started.id.clone();
    let expires = Utc::now().date_naive() + Duration::days(30);
    assert_eq!(
        started.new_token,
        format!("gpu-east-token-{}", expires.format("%Y%m%d"))
    );
    let failed = eventually("the rotation to stop", 60, || async {
        let view = tokens::rotation_status(&t.core, &rotation).unwrap();
        (!view.running && view.status != RotationStatusDto::Running).then_some(view)
    })
    .await;
    assert_eq!(failed.status, RotationStatusDto::Failed, "{failed:?}");
    let failed = Failed {
        new_token: started.new_token,
        sim,
        id,
        context,
        namespace,
        rotation,
    };
    (t, failed)
}

/// The app quits and starts again on the same folder.
async fn restart(cluster: &TestCluster, t: TestCore) -> TestCore {
    let TestCore { core, dir, .. } = t;
    drop(core);
    TestCore::start_with(dir, cluster_env(cluster)).await
}

/// Signs in again (the memory keyring of the first run is gone).
async fn sign_in_again(core: &osmo_admin_app::AppCore, id: &ServiceId) {
    osmo_admin_app::sessions::sign_in_development(core, id.clone(), "ana".into(), None)
        .await
        .unwrap();
}

/// Writes the Secret the way the rotation's step 2 does (the new token, the old one kept, this
/// app's annotations): what a kill right after that write leaves behind.
async fn write_as_the_rotation(cluster: &TestCluster, f: &Failed) {
    cluster.create_namespace(&f.namespace).await.unwrap();
    let client = cluster.client().await.unwrap();
    let target = TokenSecret {
        namespace: f.namespace.clone(),
        ..TokenSecret::default()
    };
    let (new, old) = (Secret::new("new-value"), Secret::new("old-value"));
    let holder = TokenRef {
        owner: f.new_token.clone(),
        name: f.new_token.clone(),
    };
    let write = SecretWrite {
        value: Change::Set(&new),
        previous: Change::Set(&old),
        holder: Change::Set(&holder),
        rotation: Change::Set(&f.rotation),
    };
    let limits = Limits::new(StdDuration::from_secs(10), CancellationToken::new());
    write_secret(&client, &target, &limits, None, &write)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_rotation_is_listed_as_interrupted_and_described_from_the_cluster() {
    let cluster = TestCluster::shared().await;
    let (t, f) = failed_rotation(cluster, "missing").await;
    let (rotation, new_token) = (f.rotation.clone(), f.new_token.clone());
    let failed = tokens::rotation_status(&t.core, &rotation).unwrap();
    assert_eq!(state(&failed, StepDto::CreateToken), StepStateDto::Done);
    assert_eq!(
        state(&failed, StepDto::WriteSecret),
        StepStateDto::Failed,
        "{failed:?}"
    );
    assert!(failed.failure.is_some(), "{failed:?}");
    assert!(
        f.sim.token_exists(&new_token, &new_token),
        "the new token was created"
    );
    assert!(
        f.sim.token_exists("gpu-east-token", "gpu-east-token"),
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

    let again = restart(cluster, t).await;
    let listed = tokens::list_rotations(&again.core);
    assert_eq!(listed.len(), 1, "{listed:?}");
    let interrupted = &listed[0];
    assert_eq!(interrupted.id, rotation);
    assert_eq!(
        interrupted.status,
        RotationStatusDto::Interrupted,
        "{interrupted:?}"
    );
    assert_eq!(interrupted.backend.as_ref().unwrap().as_str(), "gpu-east");
    assert_eq!(
        interrupted.session.as_ref(),
        Some(&f.id),
        "the service it ran with"
    );
    assert_eq!(interrupted.context.as_deref(), Some(f.context.as_str()));
    assert!(!interrupted.running);
    assert!(
        interrupted.can_retry && interrupted.can_roll_back,
        "{interrupted:?}"
    );

    sign_in_again(&again.core, &f.id).await;
    let checked = tokens::check_rotations(&again.core).await;
    let seen = &checked[0];
    let now = seen.now.as_ref().expect("checked");
    assert!(now.notes.is_empty(), "{now:?}");
    assert_eq!(now.secret_exists, Some(false));
    assert_eq!(
        now.tokens_existing.as_deref(),
        Some(&["gpu-east-token".to_owned(), new_token.clone()][..])
    );
    for part in [
        "does not exist".to_owned(),
        format!("The new token {new_token} exists in OSMO but was not written into the secret"),
        "Retry it or roll it back".to_owned(),
    ] {
        assert!(seen.words.contains(&part), "{part:?} not in {}", seen.words);
    }

    // The Secret is found written by this rotation (as a kill right after the write leaves it):
    // the words follow the cluster, not the journal's "failed writing".
    write_as_the_rotation(cluster, &f).await;
    let checked = tokens::check_rotations(&again.core).await;
    let seen = &checked[0];
    assert!(
        seen.words
            .contains(&format!("The new token {new_token} is in secret")),
        "{}",
        seen.words
    );
    assert!(!seen.words.contains("was not written"), "{}", seen.words);
    assert_eq!(state(seen, StepDto::WriteSecret), StepStateDto::Done);
    let now = seen.now.as_ref().unwrap();
    assert_eq!(now.secret_holder.as_deref(), Some(new_token.as_str()));
    assert_eq!(now.previous_kept, Some(true));
    f.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_journal_is_set_aside_and_blocks_its_backend_until_resolved() {
    let cluster = TestCluster::shared().await;
    let (t, f) = failed_rotation(cluster, "corrupt").await;
    let dir = t.core.rotations.dir().to_owned();
    let journal = dir.join(format!("{}.json", f.rotation));
    let text = std::fs::read_to_string(&journal).unwrap();
    let cut = text[..text.len() * 2 / 5].to_owned();
    std::fs::write(&journal, &cut).unwrap();
    std::fs::write(dir.join("stray.json"), "\u{1}not a journal").unwrap();
    write_as_the_rotation(cluster, &f).await;

    let again = restart(cluster, t).await;
    let listed = tokens::list_rotations(&again.core);
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert!(listed
        .iter()
        .all(|v| v.status == RotationStatusDto::NeedsYou && !v.can_retry && !v.can_roll_back));
    let ours = listed
        .iter()
        .find(|v| v.backend.is_some())
        .expect("the backend is told by its link");
    let stray = listed.iter().find(|v| v.backend.is_none()).unwrap();
    let aside = ours.set_aside.as_ref().unwrap();
    assert!(aside.blocks);
    assert_eq!(std::fs::read_to_string(&aside.file).unwrap(), cut, "kept");
    assert!(!journal.exists());
    assert_eq!(ours.session.as_ref(), Some(&f.id));
    assert_eq!(ours.new_token, f.new_token);
    assert!(!stray.set_aside.as_ref().unwrap().blocks);
    assert!(stray.words.contains("blocks nothing"), "{}", stray.words);

    sign_in_again(&again.core, &f.id).await;
    let checked = tokens::check_rotations(&again.core).await;
    let ours = checked.iter().find(|v| v.id == ours.id).unwrap();
    let now = ours.now.as_ref().expect("checked");
    assert_eq!(now.secret_holder.as_deref(), Some(f.new_token.as_str()));
    assert_eq!(now.previous_kept, Some(true));
    assert_eq!(
        now.tokens_existing.as_deref(),
        Some(&["gpu-east-token".to_owned(), f.new_token.clone()][..])
    );
    for part in [
        format!("holds token {}", f.new_token),
        "a previous value is still kept".to_owned(),
        aside.file.clone(),
    ] {
        assert!(ours.words.contains(&part), "{part:?} not in {}", ours.words);
    }

    let backend = BackendRef::new(f.id.clone(), "gpu-east");
    let refused = tokens::start_rotation(&again.core, request(&backend, &f.namespace))
        .await
        .unwrap_err();
    assert!(refused.message.contains(&aside.file), "{refused:?}");
    assert!(
        tokens::retry_rotation(&again.core, ours.id.clone(), None, None)
            .await
            .is_err()
    );

    let left = tokens::resolve_rotation(&again.core, &ours.id).unwrap();
    assert_eq!(left.len(), 1, "the stray one is still listed: {left:?}");
    assert!(std::path::Path::new(&aside.file).exists(), "still kept");
    tokens::start_rotation(&again.core, request(&backend, &f.namespace))
        .await
        .expect("resolved: a new rotation starts (the stray file blocks nothing)");
    f.sim.shutdown().await;
}

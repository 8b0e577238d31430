//! A failure injected at each step; each ends, after `retry_step` or `roll_back`, with the
//! backend's Secret holding a token the service accepts.

use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::rbac::v1::{ClusterRole, PolicyRule};
use kube::api::{DeleteParams, ObjectMeta, PostParams};
use kube::Api;
use osmo_admin_kube::operator::KubeCallError;
use osmo_admin_osmo_client::CancellationToken;
use osmo_admin_tokens::rotation::{Rotation, Status, Step};
use osmo_admin_tokens::{Rules, TokensError};
use osmo_sim::{Dialect, FaultConfig};

use crate::common::{cluster, connected, create_listener, start_operator, world, NEW, OLD, WAIT};

fn fail_next(prefix: String) -> FaultConfig {
    FaultConfig {
        fail_next: 1,
        path_prefix: Some(prefix),
        ..FaultConfig::default()
    }
}

#[tokio::test]
async fn service_error_at_create_then_retry_completes() {
    let w = world(Dialect::V6_0, "tok-f-create").await;
    w.sim
        .set_faults(fail_next(format!("/api/auth/access_token/service/{NEW}")));
    let mut rotation = Rotation::start(
        w.session.clone(),
        w.client.clone(),
        w.plan(),
        &w.journal_dir(),
        &Rules::default(),
    )
    .unwrap();
    let cancel = CancellationToken::new();
    let err = rotation.run(&cancel).await.unwrap_err();
    assert!(matches!(err, TokensError::Osmo(_)), "{err:?}");
    let state = rotation.state();
    assert_eq!(
        (state.status, state.stopped_at),
        (Status::Failed, Some(Step::CreateToken))
    );
    assert!(
        state.words.contains("old token is still in the secret"),
        "{}",
        state.words
    );
    assert_eq!(w.secret_token().await, w.old_value);
    w.assert_secret_token_valid().await;

    rotation.retry_step(&cancel).await.unwrap();
    assert_eq!(rotation.state().status, Status::Completed);
    assert_ne!(w.secret_token().await, w.old_value);
    w.assert_secret_token_valid().await;
    assert!(!w.sim.token_exists(OLD, OLD));
    w.assert_comes_online().await;
}

/// A ClusterRole that may read Secrets but not change them, and restart Deployments.
async fn read_only_secrets_role(name: &str) {
    let rule = |resources: &str, group: &str, verbs: &[&str]| PolicyRule {
        api_groups: Some(vec![group.into()]),
        resources: Some(vec![resources.into()]),
        verbs: verbs.iter().map(|v| v.to_string()).collect(),
        ..PolicyRule::default()
    };
    let role = ClusterRole {
        metadata: ObjectMeta {
            name: Some(name.into()),
            ..ObjectMeta::default()
        },
        rules: Some(vec![
            rule("secrets", "", &["get"]),
            rule("deployments", "apps", &["get", "list", "patch"]),
        ]),
        ..ClusterRole::default()
    };
    let api: Api<ClusterRole> = Api::all(cluster().await.client().await.unwrap());
    api.create(&PostParams::default(), &role).await.unwrap();
}

#[tokio::test]
async fn secret_update_forbidden_then_roll_back() {
    let w = world(Dialect::V6_4, "tok-f-rbac").await;
    let cluster = cluster().await;
    read_only_secrets_role("tokens-test-secret-reader").await;
    let user = cluster.add_user("tokens-secret-reader").await.unwrap();
    cluster
        .bind_cluster_role(&user, "tokens-test-secret-reader", Some(&w.namespace))
        .await
        .unwrap();
    let limited = user.client().await.unwrap();

    let mut rotation = Rotation::start(
        w.session.clone(),
        limited,
        w.plan(),
        &w.journal_dir(),
        &Rules::default(),
    )
    .unwrap();
    let cancel = CancellationToken::new();
    let err = rotation.run(&cancel).await.unwrap_err();
    assert!(
        matches!(&err, TokensError::Kube(e) if e.is_not_allowed()),
        "{err:?}"
    );
    assert!(err.to_string().contains("update secret"), "{err}");
    let state = rotation.state();
    assert_eq!(state.stopped_at, Some(Step::WriteSecret));
    assert!(
        state.words.contains("not in the secret yet"),
        "{}",
        state.words
    );
    assert!(
        rotation.new_token_value().is_some(),
        "the new token's value must be held for the screen"
    );
    assert_eq!(w.secret_token().await, w.old_value);

    rotation.roll_back(&cancel).await.unwrap();
    assert_eq!(rotation.state().status, Status::RolledBack);
    assert!(rotation.new_token_value().is_none());
    assert_eq!(w.secret_token().await, w.old_value);
    w.assert_secret_token_valid().await;
    assert!(
        !w.sim.token_exists(crate::common::ACCOUNT, NEW),
        "the new token was not deleted"
    );
    assert!(w.sim.token_exists(crate::common::ACCOUNT, OLD));
}

#[tokio::test]
async fn deployment_missing_then_retry_completes() {
    let w = world(Dialect::V6_0, "tok-f-deploy").await;
    let api: Api<Deployment> = Api::namespaced(w.client.clone(), &w.namespace);
    api.delete(
        osmo_admin_tokens::rotation::LISTENER_DEPLOYMENT,
        &DeleteParams::default(),
    )
    .await
    .unwrap();
    let mut rotation = Rotation::start(
        w.session.clone(),
        w.client.clone(),
        w.plan(),
        &w.journal_dir(),
        &Rules::default(),
    )
    .unwrap();
    let cancel = CancellationToken::new();
    let err = rotation.run(&cancel).await.unwrap_err();
    assert!(
        matches!(&err, TokensError::Kube(KubeCallError::NotFound { .. })),
        "{err:?}"
    );
    let state = rotation.state();
    assert_eq!(state.stopped_at, Some(Step::RestartOperator));
    assert!(
        state.words.contains("has not been restarted"),
        "{}",
        state.words
    );
    assert_ne!(w.secret_token().await, w.old_value);
    w.assert_secret_token_valid().await;
    assert_eq!(w.secret_data().await["token.previous"], w.old_value);

    create_listener(&w.client, &w.namespace).await;
    rotation.retry_step(&cancel).await.unwrap();
    assert_eq!(rotation.state().status, Status::Completed);
    w.assert_secret_token_valid().await;
    assert!(!w.sim.token_exists(OLD, OLD));
    w.assert_comes_online().await;
}

#[tokio::test]
async fn backend_never_comes_back_then_roll_back() {
    let mut w = world(Dialect::V6_4, "tok-f-heartbeat").await;
    w.operator = None;
    let mut plan = w.plan();
    plan.heartbeat_timeout = Duration::from_secs(2);
    let mut rotation = Rotation::start(
        w.session.clone(),
        w.client.clone(),
        plan,
        &w.journal_dir(),
        &Rules::default(),
    )
    .unwrap();
    let cancel = CancellationToken::new();
    let err = rotation.run(&cancel).await.unwrap_err();
    assert!(matches!(err, TokensError::NoHeartbeat { .. }), "{err:?}");
    let state = rotation.state();
    assert_eq!(state.stopped_at, Some(Step::WaitForHeartbeat));
    assert!(
        state.words.contains("has not come back online"),
        "{}",
        state.words
    );
    w.assert_secret_token_valid().await;

    rotation.roll_back(&cancel).await.unwrap();
    assert_eq!(rotation.state().status, Status::RolledBack);
    let data = w.secret_data().await;
    assert_eq!(data["token"], w.old_value);
    assert!(!data.contains_key("token.previous"));
    w.assert_secret_token_valid().await;
    assert!(!w.sim.token_exists(crate::common::ACCOUNT, NEW));

    let operator = start_operator(&w.sim, &w.client, &w.namespace);
    let status = operator.wait_for(WAIT, connected).await;
    assert!(connected(&status), "{status:?}");
    w.assert_comes_online().await;
}

#[tokio::test]
async fn delete_refused_then_retry_completes() {
    let w = world(Dialect::V6_4, "tok-f-delete").await;
    w.sim.set_faults(fail_next(format!(
        "/api/auth/user/{}/access_token/{OLD}",
        crate::common::ACCOUNT
    )));
    let mut rotation = Rotation::start(
        w.session.clone(),
        w.client.clone(),
        w.plan(),
        &w.journal_dir(),
        &Rules::default(),
    )
    .unwrap();
    let cancel = CancellationToken::new();
    let err = rotation.run(&cancel).await.unwrap_err();
    assert!(matches!(err, TokensError::Osmo(_)), "{err:?}");
    let state = rotation.state();
    assert_eq!(state.stopped_at, Some(Step::DeleteOldToken));
    assert!(
        state.words.contains("online with the new token"),
        "{}",
        state.words
    );
    assert!(w.sim.token_exists(crate::common::ACCOUNT, OLD));
    w.assert_secret_token_valid().await;

    rotation.retry_step(&cancel).await.unwrap();
    assert_eq!(rotation.state().status, Status::Completed);
    assert!(!w.sim.token_exists(crate::common::ACCOUNT, OLD));
    assert!(!w.secret_data().await.contains_key("token.previous"));
    w.assert_secret_token_valid().await;
    w.assert_comes_online().await;
}

#[tokio::test]
async fn cancelled_while_waiting_then_retry_completes() {
    let mut w = world(Dialect::V6_0, "tok-f-cancel").await;
    w.operator = None;
    let mut plan = w.plan();
    plan.heartbeat_timeout = Duration::from_secs(120);
    let mut rotation = Rotation::start(
        w.session.clone(),
        w.client.clone(),
        plan,
        &w.journal_dir(),
        &Rules::default(),
    )
    .unwrap();
    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(1)).await;
        trigger.cancel();
    });
    let started = std::time::Instant::now();
    let err = rotation.run(&cancel).await.unwrap_err();
    assert!(matches!(err, TokensError::Cancelled), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "cancel took {:?}",
        started.elapsed()
    );
    assert_eq!(rotation.state().stopped_at, Some(Step::WaitForHeartbeat));
    w.assert_secret_token_valid().await;

    w.operator = Some(start_operator(&w.sim, &w.client, &w.namespace));
    rotation
        .retry_step(&CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(rotation.state().status, Status::Completed);
    assert!(!w.sim.token_exists(OLD, OLD));
    w.assert_comes_online().await;
}

#[tokio::test]
async fn a_current_token_ending_in_a_newline_is_kept_as_the_operator_reads_it() {
    let w = world(Dialect::V6_0, "tok-f-newline").await;
    let secrets: Api<k8s_openapi::api::core::v1::Secret> =
        Api::namespaced(w.client.clone(), &w.namespace);
    let with_newline = serde_json::json!({"stringData": {"token": format!("{}\n", w.old_value)}});
    secrets
        .patch(
            "osmo-operator-token",
            &kube::api::PatchParams::default(),
            &kube::api::Patch::Merge(&with_newline),
        )
        .await
        .unwrap();
    let api: Api<Deployment> = Api::namespaced(w.client.clone(), &w.namespace);
    api.delete(
        osmo_admin_tokens::rotation::LISTENER_DEPLOYMENT,
        &DeleteParams::default(),
    )
    .await
    .unwrap();
    let mut rotation = Rotation::start(
        w.session.clone(),
        w.client.clone(),
        w.plan(),
        &w.journal_dir(),
        &Rules::default(),
    )
    .unwrap();
    let cancel = CancellationToken::new();
    rotation.run(&cancel).await.unwrap_err();
    assert_eq!(rotation.state().stopped_at, Some(Step::RestartOperator));
    assert_eq!(w.secret_data().await["token.previous"], w.old_value);

    rotation.roll_back(&cancel).await.unwrap();
    assert_eq!(w.secret_token().await, w.old_value);
    w.assert_secret_token_valid().await;
}

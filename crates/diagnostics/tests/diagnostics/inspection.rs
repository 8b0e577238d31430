//! `inspect` against the real API server: what it reports, and a user who may not read it all.

use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Event;
use k8s_openapi::api::rbac::v1::{ClusterRole, PolicyRule};
use kube::api::{ObjectMeta, Patch, PatchParams, PostParams};
use kube::Api;
use osmo_admin_core::ErrorCode;
use osmo_admin_diagnostics::{
    diagnose, inspect, read_token, ChartRole, CheckKind, ClusterTarget, DiagnoseInput, Limits,
    Verdict, LISTENER_DEPLOYMENT, WORKER_DEPLOYMENT,
};
use osmo_admin_osmo_client::CancellationToken;
use osmo_sim::Dialect;
use serde_json::json;

use crate::common::{cluster, install, target, world, Install, BACKEND};

pub(crate) fn event(ns: &str, name: &str, type_: &str, reason: &str, minutes_ago: i64) -> Event {
    let at = chrono::Utc::now() - chrono::Duration::minutes(minutes_ago);
    serde_json::from_value(json!({
        "metadata": {"name": name},
        "type": type_, "reason": reason, "message": format!("{reason} happened"),
        "involvedObject": {"kind": "Deployment", "name": LISTENER_DEPLOYMENT, "namespace": ns},
        "firstTimestamp": at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "lastTimestamp": at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "count": 2
    }))
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inspect_reports_deployments_restarts_and_events_newest_first() {
    let t = target("inspect").await;
    let what = Install {
        namespaces: true,
        token: Some("   "),
        deployments: &[LISTENER_DEPLOYMENT, WORKER_DEPLOYMENT],
    };
    install(&t, what).await;
    let ns = t.operator_namespace.clone();
    let deployments: Api<Deployment> = Api::namespaced(t.client.clone(), &ns);
    let restart = json!({"spec": {"template": {"metadata": {"annotations": {
        "kubectl.kubernetes.io/restartedAt": "2026-11-28T12:00:00Z"}}}}});
    deployments
        .patch(
            LISTENER_DEPLOYMENT,
            &PatchParams::default(),
            &Patch::Merge(&restart),
        )
        .await
        .unwrap();
    let events: Api<Event> = Api::namespaced(t.client.clone(), &ns);
    for e in [
        event(&ns, "old", "Warning", "BackOff", 120),
        event(&ns, "new", "Warning", "FailedMount", 5),
    ] {
        events.create(&PostParams::default(), &e).await.unwrap();
    }

    let side = inspect(&t, &Limits::default()).await;
    assert_eq!(side.operator_namespace.present, Ok(true));
    let secret = side.token_secret.as_ref().unwrap();
    assert!(
        secret.present && secret.key_present && !secret.non_empty,
        "{secret:?}"
    );
    let found = &side.deployments.as_ref().unwrap().found;
    let roles: Vec<_> = found.iter().map(|d| d.role).collect();
    assert_eq!(
        roles,
        vec![Some(ChartRole::Listener), Some(ChartRole::Worker)]
    );
    let listener = &found[0];
    assert_eq!(listener.desired_replicas, 1);
    assert_eq!(
        listener.restarted_at.as_deref(),
        Some("2026-11-28T12:00:00Z")
    );
    let ours: Vec<_> = side
        .events
        .as_ref()
        .unwrap()
        .iter()
        // The deployment controller adds its own events (ScalingReplicaSet) whenever it gets to them.
        .filter(|e| e.object.ends_with(LISTENER_DEPLOYMENT) && e.type_ == "Warning")
        .map(|e| e.reason.as_str())
        .collect();
    assert_eq!(ours, vec!["FailedMount", "BackOff"], "newest first");
    let token = read_token(&t, &Limits::default()).await.unwrap();
    assert!(token.is_none(), "a blank value is no token");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_who_may_only_see_namespaces_is_told_what_is_not_allowed() {
    let cluster = cluster().await;
    let admin = target("perm").await;
    let role = ClusterRole {
        metadata: ObjectMeta {
            name: Some("namespaces-only".into()),
            ..Default::default()
        },
        rules: Some(vec![PolicyRule {
            api_groups: Some(vec![String::new()]),
            resources: Some(vec!["namespaces".into()]),
            verbs: vec!["get".into(), "list".into()],
            ..Default::default()
        }]),
        ..Default::default()
    };
    Api::<ClusterRole>::all(admin.client.clone())
        .create(&PostParams::default(), &role)
        .await
        .unwrap();
    let user = cluster.add_user("ns-viewer").await.unwrap();
    cluster
        .bind_cluster_role(&user, "namespaces-only", None)
        .await
        .unwrap();
    let w = world(Dialect::V6_4, true).await;
    let token = w.backend_token.clone();
    let what = Install {
        namespaces: true,
        token: Some(&token),
        deployments: &[LISTENER_DEPLOYMENT, WORKER_DEPLOYMENT],
    };
    install(&admin, what).await;
    let viewer = ClusterTarget {
        client: user.client().await.unwrap(),
        ..admin.clone()
    };

    let side = inspect(&viewer, &Limits::default()).await;
    assert_eq!(side.operator_namespace.present, Ok(true));
    let denied = side.token_secret.unwrap_err();
    assert_eq!(denied.code(), ErrorCode::Forbidden);
    assert_eq!(denied.short(), "not allowed to get secrets in perm-op");
    assert!(side.deployments.unwrap_err().is_not_allowed());
    assert_eq!(
        side.events.unwrap_err().short(),
        "not allowed to list events in perm-op"
    );
    assert!(read_token(&viewer, &Limits::default())
        .await
        .unwrap_err()
        .is_not_allowed());

    let input = DiagnoseInput::new(w.session.clone(), BACKEND)
        .with_cluster(viewer)
        .with_timeout(Duration::from_secs(5));
    let d = diagnose(&input, &CancellationToken::new()).await;
    assert_eq!(d.first_failure, None, "{d:#?}");
    let secret = d.check(CheckKind::TokenSecret).unwrap();
    assert_eq!(secret.verdict, Verdict::Warn);
    assert!(
        secret.finding.contains("not allowed to get secrets"),
        "{}",
        secret.finding
    );
    assert_eq!(
        d.check(CheckKind::Namespaces).unwrap().verdict,
        Verdict::Pass
    );
    assert_eq!(
        d.check(CheckKind::TokenAccepted).unwrap().verdict,
        Verdict::Skipped
    );
    assert_eq!(
        d.check(CheckKind::Deployments).unwrap().verdict,
        Verdict::Warn
    );
}

#[test]
fn the_chart_names_match_the_operator_simulator() {
    assert_eq!(
        LISTENER_DEPLOYMENT,
        osmo_admin_operator_sim::LISTENER_DEPLOYMENT
    );
    assert_eq!(ChartRole::Worker.default_name(), WORKER_DEPLOYMENT);
    assert_eq!(
        WORKER_DEPLOYMENT,
        osmo_admin_operator_sim::WORKER_DEPLOYMENT
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_ending_in_a_newline_is_read_the_way_the_operator_reads_it() {
    let t = target("newline").await;
    let what = Install {
        namespaces: true,
        token: Some("tok-123\n"),
        deployments: &[],
    };
    install(&t, what).await;
    let token = read_token(&t, &Limits::default()).await.unwrap().unwrap();
    assert_eq!(token.expose(), "tok-123");
    let side = inspect(&t, &Limits::default()).await;
    assert!(side.token_secret.unwrap().non_empty);
    let operator = osmo_admin_operator_sim::SecretRef {
        namespace: t.operator_namespace.clone(),
        name: t.secret.name.clone(),
        key: t.secret.key.clone(),
    };
    let seen_by_operator = operator.read(&t.client).await.unwrap();
    assert_eq!(
        token.expose(),
        seen_by_operator,
        "the simulated operator disagrees"
    );
}

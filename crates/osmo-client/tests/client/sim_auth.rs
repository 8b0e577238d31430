//! Discovery and sign-in against osmo-sim, every dialect (6.0, 6.2.x reporting 6.0, 6.4).

use std::time::Duration;

use osmo_admin_core::ErrorCode;
use osmo_admin_osmo_client::{Dialect, EvidenceKind, OsmoError, SessionState, SignInMethod};
use osmo_sim::{Dialect as SimDialect, SimConfig, Simulator};

use crate::common::*;

#[tokio::test]
async fn discovery_picks_the_dialect_and_sees_a_development_service() {
    for (sim_dialect, expected, version, evidence) in [
        (
            SimDialect::V6_0,
            Dialect::V6_0,
            "6.0.0",
            EvidenceKind::ExchangeByPostMissing,
        ),
        (
            SimDialect::V6_2,
            Dialect::V6_2,
            "6.0.0",
            EvidenceKind::ExchangeByPostExists,
        ),
        (
            SimDialect::V6_4,
            Dialect::V6_2,
            "6.4.0",
            EvidenceKind::VersionNumber,
        ),
    ] {
        let sim = Simulator::start(SimConfig::new(sim_dialect)).await.unwrap();
        let conn = connect(&sim).await;
        assert_eq!(conn.discovery().dialect, expected, "{sim_dialect:?}");
        assert_eq!(conn.discovery().version.to_string(), version);
        assert_eq!(conn.discovery().evidence.kind, evidence, "{sim_dialect:?}");
        assert!(conn.discovery().login.is_development());
        assert!(!conn.discovery().login.offers_device_code());
    }
}

/// A 6.2.x service behind sign-in: the probe goes to the public exchange route, so the dialect
/// is decided before anyone signs in; the sentence names the evidence.
#[tokio::test]
async fn a_6_2_x_service_requiring_sign_in_is_told_apart_before_sign_in() {
    for (sim_dialect, expected) in [
        (SimDialect::V6_0, Dialect::V6_0),
        (SimDialect::V6_2, Dialect::V6_2),
    ] {
        let sim = auth_sim(sim_dialect, Duration::from_secs(300)).await;
        let conn = connect(&sim).await;
        let discovery = conn.discovery();
        assert_eq!(discovery.dialect, expected, "{sim_dialect:?}");
        assert!(
            discovery
                .evidence
                .sentence
                .starts_with("Version 6.0.0 reported, "),
            "{}",
            discovery.evidence.sentence
        );
        assert!(
            discovery
                .evidence
                .sentence
                .ends_with(&format!(": {} dialect.", expected.label())),
            "{}",
            discovery.evidence.sentence
        );
    }
}

#[tokio::test]
async fn token_sign_in_gives_name_roles_and_expiry_and_the_right_header_works() {
    for dialect in DIALECTS {
        let sim = auth_sim(dialect, Duration::from_secs(300)).await;
        let conn = connect(&sim).await;
        let before = chrono::Utc::now();
        let session = conn
            .sign_in_with_access_token(token(&sim, "admin-token"), &never())
            .await
            .unwrap();
        let SessionState::SignedIn(info) = session.state().await else {
            panic!("not signed in")
        };
        assert_eq!(info.user, admin_user(dialect), "{dialect:?}");
        assert_eq!(info.roles, vec!["osmo-admin"]);
        assert_eq!(info.method, SignInMethod::AccessToken);
        assert!(info.signed_in_at >= before);
        let until = info.credential_expires_at.unwrap();
        let lifetime = until - before;
        assert!(
            lifetime > chrono::Duration::seconds(290) && lifetime <= chrono::Duration::seconds(301),
            "{lifetime}"
        );
        // The auth-requiring simulator accepts only the dialect's header.
        let backends = session.list_backends(&never()).await.unwrap();
        assert_eq!(backends.len(), 1);
        assert_eq!(backends[0].name, "default");
        assert!(backends[0].online);
        let one = session.get_backend("default", &never()).await.unwrap();
        assert_eq!(one.k8s_uid, "fake-uid-default");
        let err = session.get_backend("nope", &never()).await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::NotFound, "{err}");
        // Nothing secret in Debug output.
        let printed = format!("{session:?} {:?}", session.state().await);
        assert!(
            !printed.contains(token(&sim, "admin-token").expose()),
            "{printed}"
        );
        assert!(!printed.contains("eyJ"), "JWT leaked: {printed}");
        assert!(printed.contains("[redacted]"));
        // Secrets to keep: the access token only.
        let secrets = session.secrets_to_store().await;
        assert_eq!(secrets.len(), 1);
        assert_eq!(secrets[0].1, token(&sim, "admin-token"));
    }
}

#[tokio::test]
async fn tokens_and_users_per_dialect() {
    let sim = auth_sim(SimDialect::V6_0, Duration::from_secs(300)).await;
    let session = connect(&sim)
        .await
        .sign_in_with_access_token(token(&sim, "admin-token"), &never())
        .await
        .unwrap();
    let tokens = session.list_service_tokens(&never()).await.unwrap();
    let names: Vec<_> = tokens.iter().map(|t| t.token_name.as_str()).collect();
    assert!(
        names.contains(&"admin-token") && names.contains(&"user-token"),
        "{names:?}"
    );
    assert_eq!(tokens[0].access_type.as_deref(), Some("SERVICE"));
    let err = session.list_users(1, 100, &never()).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    assert!(err.to_string().contains("6.0.0"), "{err}");

    let sim = auth_sim(SimDialect::V6_4, Duration::from_secs(300)).await;
    let session = connect(&sim)
        .await
        .sign_in_with_access_token(token(&sim, "admin-token"), &never())
        .await
        .unwrap();
    let page = session.list_users(1, 100, &never()).await.unwrap();
    let ids: Vec<_> = page.users.iter().map(|u| u.id.as_str()).collect();
    assert!(
        ids.contains(&"svc-admin") && ids.contains(&"plain-user"),
        "{ids:?}"
    );
    let tokens = session
        .list_user_tokens("plain-user", &never())
        .await
        .unwrap();
    assert_eq!(tokens.len(), 1);
    assert_eq!(tokens[0].token_name, "user-token");
    assert_eq!(tokens[0].roles, vec!["osmo-user"]);
    assert!(session.list_service_tokens(&never()).await.is_err());
    let err = session
        .list_user_tokens("nobody", &never())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Rejected);
    assert!(err.to_string().contains("User nobody not found"), "{err}");
}

#[tokio::test]
async fn the_jwt_is_renewed_shortly_before_it_expires() {
    for dialect in DIALECTS {
        // Lifetime 5 s (the service rounds expiry to whole seconds: 4-5 s), margin 3 s: at
        // 2.5 s the JWT is due for renewal but still valid on the server, so only a proactive
        // renewal (not a 401 re-exchange) can change its expiry.
        let sim = auth_sim(dialect, Duration::from_secs(5)).await;
        let config = osmo_admin_osmo_client::ClientConfig {
            refresh_margin: Duration::from_secs(3),
            ..fast_config()
        };
        let conn =
            osmo_admin_osmo_client::Connection::open(spec(&sim.base_url()), config, &never())
                .await
                .unwrap();
        let session = conn
            .sign_in_with_access_token(token(&sim, "admin-token"), &never())
            .await
            .unwrap();
        let first = match session.state().await {
            SessionState::SignedIn(i) => i.credential_expires_at.unwrap(),
            other => panic!("{other:?}"),
        };
        session.list_backends(&never()).await.unwrap();
        tokio::time::sleep(Duration::from_millis(2500)).await;
        session.list_backends(&never()).await.unwrap();
        let second = match session.state().await {
            SessionState::SignedIn(i) => i.credential_expires_at.unwrap(),
            other => panic!("{other:?}"),
        };
        assert!(
            second > first,
            "{dialect:?}: not renewed ({first} -> {second})"
        );
    }
}

#[tokio::test]
async fn an_expired_token_puts_the_session_into_sign_in_again() {
    for dialect in DIALECTS {
        let sim = auth_sim(dialect, Duration::from_secs(300)).await;
        let session = connect(&sim)
            .await
            .sign_in_with_access_token(token(&sim, "admin-token"), &never())
            .await
            .unwrap();
        let today = chrono::Utc::now().date_naive();
        assert!(sim.set_token_expires_at(admin_user(dialect), "admin-token", today));
        let err = session.renew(&never()).await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::SessionExpired, "{err}");
        let SessionState::SignInAgain { reason } = session.state().await else {
            panic!("{dialect:?}: still signed in")
        };
        assert!(
            reason.contains("Access Token has expired") && reason.contains("Create a new token"),
            "{reason}"
        );
        // No error loop: later calls answer at once, without the network.
        sim.set_faults(osmo_sim::FaultConfig {
            fail_next: 100,
            ..Default::default()
        });
        let err = session.list_backends(&never()).await.unwrap_err();
        assert!(matches!(err, OsmoError::SignInAgain { .. }), "{err:?}");
        assert_eq!(sim.fault_stats().failed, 0);
    }
}

#[tokio::test]
async fn a_deleted_token_puts_the_session_into_sign_in_again() {
    for dialect in DIALECTS {
        let sim = auth_sim(dialect, Duration::from_secs(300)).await;
        let session = connect(&sim)
            .await
            .sign_in_with_access_token(token(&sim, "user-token"), &never())
            .await
            .unwrap();
        let (header, path) = match dialect {
            SimDialect::V6_0 => (
                "x-osmo-auth",
                "/api/auth/access_token/service/user-token".to_owned(),
            ),
            SimDialect::V6_2 | SimDialect::V6_4 => (
                "x-osmo-auth",
                "/api/auth/user/plain-user/access_token/user-token".to_owned(),
            ),
        };
        let admin_jwt = sim.issue_jwt(admin_user(dialect), &["osmo-admin"], Some("admin-token"));
        let resp = reqwest::Client::new()
            .delete(format!("{}{path}", sim.base_url()))
            .header(header, admin_jwt)
            .send()
            .await
            .unwrap();
        assert!(
            resp.status().is_success(),
            "{dialect:?}: delete answered {}",
            resp.status()
        );
        let err = session.renew(&never()).await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::SessionExpired);
        let text = err.to_string();
        assert!(
            text.contains("Access Token is invalid") && text.contains("deleted"),
            "{text}"
        );
        assert!(matches!(
            session.state().await,
            SessionState::SignInAgain { .. }
        ));
    }
}

#[tokio::test]
async fn refused_tokens_at_sign_in_are_unauthorized_with_the_reason() {
    let sim = auth_sim(SimDialect::V6_4, Duration::from_secs(300)).await;
    let conn = connect(&sim).await;
    let err = conn
        .sign_in_with_access_token(osmo_admin_secrets::Secret::new("short"), &never())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Unauthorized);
    assert!(err.to_string().contains("wrong length"), "{err}");
    assert!(!err.to_string().contains("short\""), "{err}");

    let sim = auth_sim(SimDialect::V6_0, Duration::from_secs(300)).await;
    let conn = connect(&sim).await;
    let wrong = "0".repeat(64);
    let err = conn
        .sign_in_with_access_token(osmo_admin_secrets::Secret::new(wrong.clone()), &never())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Unauthorized);
    assert!(
        err.to_string().contains("not valid") && !err.to_string().contains(&wrong),
        "{err}"
    );
    let err = conn
        .sign_in_with_access_token(osmo_admin_secrets::Secret::new(" "), &never())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
}

#[tokio::test]
async fn forbidden_as_json_at_6_0_and_plain_text_at_6_4() {
    for (dialect, needle) in [
        (SimDialect::V6_0, "\"Forbidden\""),
        (SimDialect::V6_4, "\"access denied\""),
    ] {
        let sim = auth_sim(dialect, Duration::from_secs(300)).await;
        let session = connect(&sim)
            .await
            .sign_in_with_access_token(token(&sim, "user-token"), &never())
            .await
            .unwrap();
        let err = session.list_backends(&never()).await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::Forbidden, "{err}");
        let text = err.to_string();
        assert!(
            text.contains(needle)
                && text.contains("/api/configs/backend")
                && text.contains("not allowed"),
            "{text}"
        );
    }
}

#[tokio::test]
async fn development_mode_names_the_user_and_fails_clearly_where_auth_is_required() {
    let sim = Simulator::start(
        SimConfig::new(SimDialect::V6_4).backend(osmo_sim::SeedBackend::new("default")),
    )
    .await
    .unwrap();
    let conn = connect(&sim).await;
    let session = conn.sign_in_development("admin").unwrap();
    assert_eq!(session.list_backends(&never()).await.unwrap().len(), 1);
    let SessionState::SignedIn(info) = session.state().await else {
        panic!()
    };
    assert_eq!(
        (info.user.as_str(), info.method, info.credential_expires_at),
        ("admin", SignInMethod::Development, None)
    );
    assert!(conn.sign_in_development("  ").is_err());

    let sim = auth_sim(SimDialect::V6_4, Duration::from_secs(300)).await;
    let session = connect(&sim).await.sign_in_development("admin").unwrap();
    let err = session.list_backends(&never()).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Unauthorized);
    assert!(err.to_string().contains("requires sign-in"), "{err}");
}

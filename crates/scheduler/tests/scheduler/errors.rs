//! The service's refusals against osmo-sim: 403 for a role that may only read, 500 for an
//! unknown backend, injected server errors.

use osmo_admin_core::ErrorCode;
use osmo_admin_osmo_client::Session;
use osmo_admin_scheduler::{load, save, settings_history, Operation, SaveOutcome, SchedulerError};
use osmo_admin_secrets::Secret;
use osmo_sim::{
    Dialect as SimDialect, FaultConfig, SeedBackend, SeedToken, SimConfig, SimHandle, Simulator,
};

use crate::common::*;

/// An auth-requiring simulator with an `osmo-backend` token (`operator`, may read backends) and
/// an `osmo-user` token (`user`, may not).
async fn auth_sim(d: SimDialect) -> SimHandle {
    let config = SimConfig::new(d)
        .require_auth(true)
        .backend(SeedBackend::new("gpu"));
    let config = match d {
        SimDialect::V6_0 => config
            .token(SeedToken::service("operator", &["osmo-backend"]))
            .token(SeedToken::service("user", &["osmo-user"])),
        SimDialect::V6_2 | SimDialect::V6_4 => config
            .user("op", &["osmo-backend"])
            .user("u", &["osmo-user"])
            .token(SeedToken::for_user("op", "operator", &["osmo-backend"]))
            .token(SeedToken::for_user("u", "user", &["osmo-user"])),
    };
    Simulator::start(config).await.unwrap()
}

async fn sign_in(sim: &SimHandle, token: &str) -> Session {
    connect(&sim.base_url())
        .await
        .sign_in_with_access_token(Secret::new(sim.seeded_token(token).unwrap()), &never())
        .await
        .unwrap()
}

#[tokio::test]
async fn forbidden_names_the_role_needed() {
    for d in DIALECTS {
        let sim = auth_sim(d).await;
        let operator = sign_in(&sim, "operator").await;
        let loaded = load(&operator, "gpu", &never()).await.unwrap();
        let revisions = backend_count(&sim);
        let err = save(&operator, &loaded, &a_change(d), "not allowed", &never())
            .await
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::Forbidden, "{d:?}: {err}");
        assert!(
            matches!(
                &err,
                SchedulerError::Forbidden {
                    operation: Operation::Update,
                    role_needed: "osmo-admin",
                    ..
                }
            ),
            "{err:?}"
        );
        let text = err.to_string();
        assert!(
            text.contains("osmo-admin") && text.contains("backend gpu"),
            "{text}"
        );
        assert_eq!(backend_count(&sim), revisions);

        let user = sign_in(&sim, "user").await;
        let err = load(&user, "gpu", &never()).await.unwrap_err();
        assert!(
            matches!(
                &err,
                SchedulerError::Forbidden {
                    operation: Operation::Read,
                    ..
                }
            ),
            "{d:?}: {err:?}"
        );
        let err = settings_history(&user, "gpu", &never()).await.unwrap_err();
        assert!(
            matches!(
                &err,
                SchedulerError::Forbidden {
                    operation: Operation::History,
                    ..
                }
            ),
            "{d:?}: {err:?}"
        );
    }
}

#[tokio::test]
async fn an_unknown_backend_is_not_found() {
    for d in DIALECTS {
        let sim = sim(d).await;
        let session = session_as(&sim, "alice").await;
        let err = load(&session, "nope", &never()).await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::NotFound, "{err}");
        assert!(
            err.to_string().contains("Backend nope was not found"),
            "{err}"
        );
        // A backend that is gone by the time of saving (the re-read answers 500).
        let mut loaded = load(&session, "gpu", &never()).await.unwrap();
        loaded.backend = "deleted-meanwhile".into();
        let err = save(&session, &loaded, &a_change(d), "x", &never())
            .await
            .unwrap_err();
        assert!(
            matches!(err, SchedulerError::BackendNotFound { ref backend } if backend == "deleted-meanwhile"),
            "{err:?}"
        );
    }
}

#[tokio::test]
async fn a_server_failure_is_a_server_error_and_writes_nothing() {
    for d in DIALECTS {
        let sim = sim(d).await;
        let session = session_as(&sim, "alice").await;
        let loaded = load(&session, "gpu", &never()).await.unwrap();
        let revisions = backend_count(&sim);
        sim.set_faults(FaultConfig {
            fail_next: 1,
            path_prefix: Some("/api/configs/backend".into()),
            ..FaultConfig::default()
        });
        let err = save(&session, &loaded, &a_change(d), "x", &never())
            .await
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::ServerError, "{err}");
        assert!(matches!(err, SchedulerError::Osmo(_)));
        assert_eq!(backend_count(&sim), revisions);
        let outcome = save(&session, &loaded, &a_change(d), "x", &never())
            .await
            .unwrap();
        assert!(matches!(outcome, SaveOutcome::Saved { .. }));
    }
}

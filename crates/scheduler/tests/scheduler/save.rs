//! Load, validate, diff and save against osmo-sim in both dialects.

use osmo_admin_core::ErrorCode;
use osmo_admin_scheduler::{kai_preset, load, save, settings_history, SaveOutcome, SchedulerError};
use osmo_sim::{Dialect as SimDialect, FaultConfig};
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn a_valid_change_round_trips_and_appears_in_history() {
    for d in DIALECTS {
        let sim = sim(d).await;
        let session = session_as(&sim, "alice").await;
        let loaded = load(&session, "gpu", &never()).await.unwrap();
        assert_eq!(loaded.dialect, client_dialect(d));
        let revisions = backend_count(&sim);
        let outcome = save(&session, &loaded, &a_change(d), "  tune gpu  ", &never())
            .await
            .unwrap();
        let SaveOutcome::Saved { changes, stored } = outcome else {
            panic!("{d:?}: {outcome:?}");
        };
        let changed: Vec<_> = changes.iter().map(|c| c.field.as_str()).collect();
        let expected_json = match d {
            SimDialect::V6_0 => {
                assert_eq!(
                    changed,
                    [
                        "scheduler_type",
                        "scheduler_name",
                        "coscheduling",
                        "scheduler_timeout"
                    ]
                );
                json!({"scheduler_type": "volcano", "scheduler_name": "volcano", "coscheduling": true, "scheduler_timeout": 120})
            }
            SimDialect::V6_2 | SimDialect::V6_4 => {
                assert_eq!(changed, ["scheduler_name", "scheduler_timeout"]);
                json!({"scheduler_type": "kai", "scheduler_name": "kai-custom", "scheduler_timeout": 120})
            }
        };
        assert_eq!(
            serde_json::to_value(&stored).unwrap(),
            expected_json,
            "{d:?}"
        );
        // The simulator's own view agrees, and exactly one history revision was written.
        let on_server = sim.backend("gpu").unwrap().json["scheduler_settings"].clone();
        assert_eq!(on_server, expected_json, "{d:?}");
        assert_eq!(backend_count(&sim), revisions + 1, "{d:?}");
        // The untouched backend kept its settings.
        let other = load(&session, "default", &never()).await.unwrap();
        assert_eq!(other.settings, loaded.settings, "{d:?}");

        let history = settings_history(&session, "gpu", &never()).await.unwrap();
        let newest = &history[0];
        assert!(newest.latest);
        assert_eq!(
            (newest.username.as_str(), newest.description.as_str()),
            ("alice", "tune gpu"),
            "{d:?}"
        );
        assert_eq!(newest.settings, stored);
    }
}

#[tokio::test]
async fn the_kai_preset_saves_as_the_guide_says() {
    for d in DIALECTS {
        let sim = sim(d).await;
        let session = session_as(&sim, "alice").await;
        let loaded = load(&session, "default", &never()).await.unwrap();
        let outcome = save(
            &session,
            &loaded,
            &kai_preset(loaded.dialect),
            "Enable KAI",
            &never(),
        )
        .await
        .unwrap();
        match (d, outcome) {
            (SimDialect::V6_0, SaveOutcome::Saved { stored, .. }) => assert_eq!(
                serde_json::to_value(&stored).unwrap(),
                json!({"scheduler_type": "kai", "scheduler_name": "kai-scheduler", "coscheduling": true, "scheduler_timeout": 30})
            ),
            // 6.2+ backends start with exactly the preset.
            (SimDialect::V6_2 | SimDialect::V6_4, SaveOutcome::NothingChanged) => {}
            (d, other) => panic!("{d:?}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn invalid_forms_are_refused_locally_naming_the_field_and_send_nothing() {
    for d in DIALECTS {
        let sim = sim(d).await;
        let session = session_as(&sim, "alice").await;
        let loaded = load(&session, "gpu", &never()).await.unwrap();
        let revisions = backend_count(&sim);
        let cases = match d {
            SimDialect::V6_0 => vec![
                (
                    form("default", "default-scheduler", Some(true), "30"),
                    "coscheduling",
                ),
                (form("bogus", "x", Some(false), "30"), "scheduler_type"),
                (
                    form("kai", "kai-scheduler", Some(true), "1.5"),
                    "scheduler_timeout",
                ),
            ],
            SimDialect::V6_2 | SimDialect::V6_4 => vec![
                (form("volcano", "volcano", None, "30"), "scheduler_type"),
                (
                    form("default", "default-scheduler", None, "30"),
                    "scheduler_type",
                ),
                (
                    form("kai", "kai-scheduler", None, "abc"),
                    "scheduler_timeout",
                ),
            ],
        };
        for (f, field) in cases {
            let err = save(&session, &loaded, &f, "bad", &never())
                .await
                .unwrap_err();
            assert_eq!(err.code(), ErrorCode::InvalidInput, "{d:?} {f:?}");
            let fields: Vec<_> = err.fields().iter().map(|v| v.field.as_str()).collect();
            assert_eq!(fields, [field], "{d:?} {f:?}: {err}");
            assert!(err.to_string().contains(field), "{err}");
        }
        // A real change without a description is refused too.
        for description in ["", "   "] {
            let err = save(&session, &loaded, &a_change(d), description, &never())
                .await
                .unwrap_err();
            assert!(
                matches!(&err, SchedulerError::Invalid(v) if v[0].field == "description"),
                "{err}"
            );
        }
        assert_eq!(backend_count(&sim), revisions, "{d:?}: nothing was sent");
        assert_eq!(
            sim.backend("gpu").unwrap().json["scheduler_settings"],
            serde_json::to_value(&loaded.settings).unwrap()
        );
    }
}

#[tokio::test]
async fn nothing_changed_sends_nothing() {
    for d in DIALECTS {
        let sim = sim(d).await;
        let session = session_as(&sim, "alice").await;
        let loaded = load(&session, "gpu", &never()).await.unwrap();
        let revisions = backend_count(&sim);
        // Any request to the configs API from now on would fail.
        sim.set_faults(FaultConfig {
            fail_next: 100,
            path_prefix: Some("/api/configs".into()),
            ..FaultConfig::default()
        });
        let mut same = loaded.form.clone();
        same.scheduler_timeout = format!("  {} ", same.scheduler_timeout);
        same.scheduler_name = format!(" {}", same.scheduler_name);
        for f in [loaded.form.clone(), same] {
            let outcome = save(&session, &loaded, &f, "", &never()).await.unwrap();
            assert_eq!(outcome, SaveOutcome::NothingChanged, "{d:?}");
        }
        assert_eq!(sim.fault_stats().failed, 0, "{d:?}: no request was made");
        assert_eq!(backend_count(&sim), revisions, "{d:?}");
    }
}

#[tokio::test]
async fn a_change_by_someone_else_since_loading_is_a_conflict_not_an_overwrite() {
    for d in DIALECTS {
        let sim = sim(d).await;
        let alice = session_as(&sim, "alice").await;
        let bob = session_as(&sim, "bob").await;
        let alice_loaded = load(&alice, "gpu", &never()).await.unwrap();
        let bob_loaded = load(&bob, "gpu", &never()).await.unwrap();
        let bob_form = form(
            "kai",
            "kai-bob",
            bob_loaded.form.coscheduling.map(|_| false),
            "30",
        );
        let SaveOutcome::Saved { stored: bobs, .. } =
            save(&bob, &bob_loaded, &bob_form, "bob's change", &never())
                .await
                .unwrap()
        else {
            panic!("bob saves");
        };
        let revisions = backend_count(&sim);

        let outcome = save(
            &alice,
            &alice_loaded,
            &a_change(d),
            "alice's change",
            &never(),
        )
        .await
        .unwrap();
        let SaveOutcome::Conflict {
            loaded,
            theirs,
            yours,
            their_changes,
            your_changes,
        } = outcome
        else {
            panic!("{d:?}: {outcome:?}");
        };
        assert_eq!(loaded, alice_loaded.settings);
        assert_eq!(theirs, bobs);
        assert_eq!(yours.scheduler_timeout, Some(120));
        assert!(their_changes
            .iter()
            .any(|c| c.field == "scheduler_name" && c.after == json!("kai-bob")));
        assert!(your_changes.iter().any(|c| c.field == "scheduler_timeout"));
        assert_eq!(backend_count(&sim), revisions, "{d:?}: nothing written");
        assert_eq!(
            sim.backend("gpu").unwrap().json["scheduler_settings"]["scheduler_name"],
            "kai-bob"
        );

        // After reloading, alice's change goes through.
        let reloaded = load(&alice, "gpu", &never()).await.unwrap();
        let outcome = save(&alice, &reloaded, &a_change(d), "alice's change", &never())
            .await
            .unwrap();
        assert!(matches!(outcome, SaveOutcome::Saved { .. }), "{outcome:?}");
    }
}

/// What the service accepts but is unwise (an empty name, a negative timeout; coscheduling at
/// 6.2+, which the service drops) is saved, with warnings naming the fields.
#[tokio::test]
async fn what_the_service_accepts_is_saved_with_warnings() {
    for d in DIALECTS {
        let sim = sim(d).await;
        let session = session_as(&sim, "alice").await;
        let loaded = load(&session, "gpu", &never()).await.unwrap();
        let coscheduling = Some(true);
        let f = form("kai", "", coscheduling, "-1");
        let warned: Vec<String> = osmo_admin_scheduler::warnings(client_dialect(d), &f)
            .into_iter()
            .map(|w| w.field)
            .collect();
        let mut expected = vec!["scheduler_name", "scheduler_timeout"];
        if d != SimDialect::V6_0 {
            expected.push("coscheduling");
        }
        assert_eq!(warned, expected, "{d:?}");
        let outcome = save(&session, &loaded, &f, "odd but accepted", &never())
            .await
            .unwrap();
        let SaveOutcome::Saved { stored, .. } = outcome else {
            panic!("{d:?}: {outcome:?}")
        };
        assert_eq!(stored.scheduler_name, "", "{d:?}");
        assert_eq!(stored.scheduler_timeout, Some(-1), "{d:?}");
        let reloaded = load(&session, "gpu", &never()).await.unwrap();
        assert_eq!(reloaded.form.scheduler_timeout, "-1", "{d:?}");
    }
}

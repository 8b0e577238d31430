//! `Session::update_backend` and `Session::config_history` against osmo-sim in both dialects.

use osmo_admin_core::ErrorCode;
use osmo_admin_osmo_client::HistoryQuery;
use osmo_sim::{SeedBackend, SimConfig, Simulator};
use serde_json::{json, Map, Value};

use crate::common::*;

fn configs(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => panic!("not an object"),
    }
}

#[tokio::test]
async fn update_writes_the_backend_and_a_history_entry() {
    for dialect in DIALECTS {
        let sim = Simulator::start(
            SimConfig::new(dialect)
                .backend(SeedBackend::new("default"))
                .backend(SeedBackend::new("gpu")),
        )
        .await
        .unwrap();
        let session = connect(&sim).await.sign_in_development("alice").unwrap();
        let before = sim.history_revisions("BACKEND");
        session
            .update_backend(
                "gpu",
                configs(json!({"scheduler_settings": {"scheduler_type": "kai", "scheduler_name": "kai-x", "scheduler_timeout": 45}})),
                "try kai-x",
                &never(),
            )
            .await
            .unwrap();
        assert_eq!(sim.history_revisions("BACKEND"), before + 1, "{dialect:?}");
        let b = session.get_backend("gpu", &never()).await.unwrap();
        assert_eq!(b.scheduler_settings.scheduler_name, "kai-x");
        assert_eq!(b.scheduler_settings.scheduler_timeout, Some(45));

        let newest = session
            .config_history(
                &HistoryQuery {
                    config_types: vec!["BACKEND".into()],
                    limit: 1,
                    descending: true,
                    ..HistoryQuery::default()
                },
                &never(),
            )
            .await
            .unwrap();
        assert_eq!(newest.len(), 1);
        let e = &newest[0];
        assert_eq!(
            (e.name.as_str(), e.username.as_str(), e.description.as_str()),
            ("gpu", "alice", "try kai-x")
        );
        assert!(e.created_at.is_some());
        let names: Vec<_> = e
            .data
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["name"].as_str().unwrap())
            .collect();
        assert_eq!(names.len(), 2, "snapshot of all backends: {names:?}");

        let only_gpu = session
            .config_history(
                &HistoryQuery {
                    config_types: vec!["BACKEND".into()],
                    name: Some("gpu".into()),
                    omit_data: true,
                    limit: 1000,
                    ..HistoryQuery::default()
                },
                &never(),
            )
            .await
            .unwrap();
        assert!(
            only_gpu.len() >= 2 && only_gpu.iter().all(|e| e.name == "gpu" && e.data.is_null())
        );
        assert!(
            only_gpu.windows(2).all(|w| w[0].revision < w[1].revision),
            "ascending"
        );
    }
}

#[tokio::test]
async fn update_errors_unknown_backend_and_422() {
    for dialect in DIALECTS {
        let sim = Simulator::start(SimConfig::new(dialect).backend(SeedBackend::new("default")))
            .await
            .unwrap();
        let session = connect(&sim).await.sign_in_development("alice").unwrap();
        let err = session
            .update_backend(
                "nope",
                configs(json!({"scheduler_settings": {"scheduler_type": "kai"}})),
                "x",
                &never(),
            )
            .await
            .unwrap_err();
        assert_eq!(
            (err.code(), err.status()),
            (ErrorCode::NotFound, Some(500)),
            "{err}"
        );
        let err = session
            .update_backend(
                "default",
                configs(json!({"scheduler_settings": {"scheduler_type": "bogus"}})),
                "x",
                &never(),
            )
            .await
            .unwrap_err();
        assert_eq!(
            (err.code(), err.status()),
            (ErrorCode::Rejected, Some(422)),
            "{err}"
        );
        assert!(
            err.server_message()
                .unwrap()
                .contains("scheduler_settings.scheduler_type"),
            "{err}"
        );
        let err = session
            .update_backend("default", Map::new(), "x", &never())
            .await
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput);
    }
}

/// osmo-negative-timeout.json: every version stores `scheduler_timeout: -1`; the list still
/// reads, the odd backend says so and the other is exact.
#[tokio::test]
async fn a_stored_negative_timeout_is_a_warning_not_a_failed_list() {
    for dialect in DIALECTS {
        let sim = Simulator::start(
            SimConfig::new(dialect)
                .backend(SeedBackend::new("default"))
                .backend(SeedBackend::new("gpu")),
        )
        .await
        .unwrap();
        let session = connect(&sim).await.sign_in_development("alice").unwrap();
        let before = session.list_backends(&never()).await.unwrap();
        session
            .update_backend(
                "gpu",
                configs(json!({"scheduler_settings": {"scheduler_type": "kai", "scheduler_name": "kai-scheduler", "scheduler_timeout": -1}})),
                "negative scheduler_timeout (-1)",
                &never(),
            )
            .await
            .unwrap();
        let after = session.list_backends(&never()).await.unwrap();
        assert_eq!(after.len(), 2, "{dialect:?}");
        assert_eq!(after[0], before[0], "{dialect:?}: default changed");
        let gpu = &after[1];
        assert_eq!(gpu.scheduler_settings.scheduler_timeout, Some(-1));
        let fields: Vec<&str> = gpu.warnings.iter().map(|w| w.field.as_str()).collect();
        assert_eq!(
            fields,
            ["scheduler_settings.scheduler_timeout"],
            "{dialect:?}"
        );
        let one = session.get_backend("gpu", &never()).await.unwrap();
        assert_eq!(one.warnings, gpu.warnings);
    }
}

//! Undo: this backend's earlier scheduler settings from the config history, against osmo-sim.

use osmo_admin_scheduler::{load, save, settings_history, SaveOutcome};
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn lists_only_this_backends_scheduler_changes_and_restores_one() {
    for d in DIALECTS {
        let sim = sim(d).await;
        let alice = session_as(&sim, "alice").await;
        let bob = session_as(&sim, "bob").await;
        let co = |v: bool| match d {
            osmo_sim::Dialect::V6_0 => Some(v),
            osmo_sim::Dialect::V6_2 | osmo_sim::Dialect::V6_4 => None,
        };

        let gpu = load(&alice, "gpu", &never()).await.unwrap();
        let first = form("kai", "kai-one", co(true), "30");
        assert!(matches!(
            save(&alice, &gpu, &first, "first", &never()).await.unwrap(),
            SaveOutcome::Saved { .. }
        ));
        // Another backend's change (a snapshot that also contains gpu, unchanged).
        let default = load(&bob, "default", &never()).await.unwrap();
        let other = form("kai", "kai-default", co(true), "60");
        assert!(matches!(
            save(&bob, &default, &other, "default's change", &never())
                .await
                .unwrap(),
            SaveOutcome::Saved { .. }
        ));
        // A change of gpu that is not about its scheduler.
        let mut configs = serde_json::Map::new();
        configs.insert("dashboard_url".into(), json!("https://dash.example.com"));
        bob.update_backend("gpu", configs, "dashboard", &never())
            .await
            .unwrap();
        let gpu = load(&bob, "gpu", &never()).await.unwrap();
        let second = form("kai", "kai-two", co(false), "90");
        assert!(matches!(
            save(&bob, &gpu, &second, "second", &never()).await.unwrap(),
            SaveOutcome::Saved { .. }
        ));

        let history = settings_history(&alice, "gpu", &never()).await.unwrap();
        let got: Vec<_> = history
            .iter()
            .map(|r| {
                (
                    r.username.as_str(),
                    r.description.as_str(),
                    r.settings.scheduler_name.as_str(),
                    r.latest,
                )
            })
            .collect();
        let created_with = sim_default_name(d);
        assert_eq!(
            got,
            [
                ("bob", "second", "kai-two", true),
                ("alice", "first", "kai-one", false),
                ("system", "Create backend gpu", created_with, false),
            ],
            "{d:?}"
        );
        assert!(history.windows(2).all(|w| w[0].revision > w[1].revision));
        assert!(history.iter().all(|r| r.created_at.is_some()));
        assert_eq!(
            history[1].form, first,
            "{d:?}: the form is prepared with the earlier settings"
        );

        // Undo: save the earlier form over the current settings.
        let current = load(&alice, "gpu", &never()).await.unwrap();
        let SaveOutcome::Saved { stored, .. } =
            save(&alice, &current, &history[1].form, "undo second", &never())
                .await
                .unwrap()
        else {
            panic!("undo saves");
        };
        assert_eq!(stored, history[1].settings);

        let defaults = settings_history(&alice, "default", &never()).await.unwrap();
        let names: Vec<_> = defaults
            .iter()
            .map(|r| r.settings.scheduler_name.as_str())
            .collect();
        assert_eq!(names, ["kai-default", created_with], "{d:?}");
    }
}

fn sim_default_name(d: osmo_sim::Dialect) -> &'static str {
    match d {
        osmo_sim::Dialect::V6_0 => "default-scheduler",
        osmo_sim::Dialect::V6_2 | osmo_sim::Dialect::V6_4 => "kai-scheduler",
    }
}

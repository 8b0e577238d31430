//! The settings file, opened the way the app opens it (`SettingsStore::open`): a file that is not
//! a settings file is moved aside, wrong entries are set aside one by one. Seeds: files the app's
//! own `save` wrote, with every kind of entry.

use std::path::PathBuf;

use osmo_admin_core::settings::{
    save, SavedSignIn, ServiceSetting, Settings, SettingsStore, ThemePreference,
};
use osmo_admin_core::{BackendLink, BackendRef};
use osmo_admin_fuzz::{assert_short, fuzz, mutated, within};

use crate::scratch;

fn seeds() -> Vec<Vec<u8>> {
    let dir = scratch();
    let path = dir.path().join("settings.json");
    let backend = BackendRef::new("osmo-prod", "gpu-east");
    let full = Settings {
        theme: ThemePreference::Dark,
        dashboard_refresh_secs: 30,
        token_warning_days: 14,
        extra_kubeconfigs: vec![PathBuf::from("/home/a/.kube/extra.yaml")],
        backend_links: vec![
            BackendLink::new(backend.clone(), "ctx-a", Some("osmo-operator"))
                .expect("a valid link"),
        ],
        services: vec![ServiceSetting {
            id: "svc-1".into(),
            name: "osmo-prod".into(),
            url: "https://osmo.example.com".into(),
            custom_ca_pem: None,
            sign_in: Some(SavedSignIn::Development {
                user: "admin".into(),
            }),
        }],
        muted_notifications: vec![backend],
    };
    [Settings::default(), full]
        .iter()
        .map(|settings| {
            save(&path, settings).expect("saving the seed");
            std::fs::read(&path).expect("reading the seed")
        })
        .collect()
}

#[test]
fn settings_file() {
    let seeds = seeds();
    fuzz(|u| {
        let input = mutated(u, &seeds)?;
        within("opening the settings file", move || {
            let dir = scratch();
            let path = dir.path().join("settings.json");
            std::fs::write(&path, &input).expect("writing the input");
            let store = SettingsStore::open(&path);
            if let Some(notice) = store.notice() {
                assert_short("the settings notice", &notice.to_string());
            }
        });
        Ok(())
    });
}

//! Reading a settings file entry by entry: every entry that is valid on its own and beside the
//! ones kept before it is kept; each wrong one is left out with its reason, to be set aside.
//! The rules are [`Settings::validate`]'s: an entry is kept when the settings still validate with it.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use super::Settings;
use crate::quote::quote_text;

/// An entry left out: where it was (`backend_links[2]`, `theme`), why, and its stored value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(super) struct WrongEntry {
    pub entry: String,
    pub reason: String,
    pub value: Value,
}

/// The settings read from a file's object, and what was left out.
pub(super) fn salvage(mut object: Map<String, Value>) -> (Settings, Vec<WrongEntry>) {
    let mut salvage = Salvage {
        settings: Settings::default(),
        wrong: Vec::new(),
    };
    salvage.scalar(&mut object, "theme", |s, v| s.theme = v);
    salvage.scalar(&mut object, "dashboard_refresh_secs", |s, v| {
        s.dashboard_refresh_secs = v
    });
    salvage.scalar(&mut object, "token_warning_days", |s, v| {
        s.token_warning_days = v
    });
    salvage.list(&mut object, "extra_kubeconfigs", |s, v| {
        s.extra_kubeconfigs.push(v)
    });
    salvage.list(&mut object, "backend_links", |s, v| s.backend_links.push(v));
    salvage.list(&mut object, "services", |s, v| s.services.push(v));
    salvage.list(&mut object, "muted_notifications", |s, v| {
        s.muted_notifications.push(v)
    });
    (salvage.settings, salvage.wrong)
}

struct Salvage {
    settings: Settings,
    wrong: Vec<WrongEntry>,
}

impl Salvage {
    fn scalar<T: DeserializeOwned>(
        &mut self,
        object: &mut Map<String, Value>,
        key: &str,
        set: fn(&mut Settings, T),
    ) {
        if let Some(value) = object.remove(key) {
            self.keep_if_valid(key.to_owned(), value, set);
        }
    }

    fn list<T: DeserializeOwned>(
        &mut self,
        object: &mut Map<String, Value>,
        key: &str,
        push: fn(&mut Settings, T),
    ) {
        match object.remove(key) {
            None => {}
            Some(Value::Array(items)) => {
                for (i, item) in items.into_iter().enumerate() {
                    self.keep_if_valid(format!("{key}[{i}]"), item, push);
                }
            }
            Some(other) => self.wrong.push(WrongEntry {
                entry: key.to_owned(),
                reason: "is not a list".into(),
                value: other,
            }),
        }
    }

    fn keep_if_valid<T: DeserializeOwned>(
        &mut self,
        entry: String,
        value: Value,
        add: fn(&mut Settings, T),
    ) {
        let mut next = self.settings.clone();
        let checked = serde_json::from_value::<T>(value.clone())
            .map_err(|e| e.to_string())
            .and_then(|v| {
                add(&mut next, v);
                next.validate().map_err(|e| e.to_string())
            });
        match checked {
            Ok(()) => self.settings = next,
            Err(reason) => self.wrong.push(WrongEntry {
                entry,
                // The parser's description may copy the stored value whole.
                reason: quote_text(&reason),
                value,
            }),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn salvaged(json: Value) -> (Settings, Vec<String>) {
        let Value::Object(object) = json else {
            panic!("not an object")
        };
        let (settings, wrong) = salvage(object);
        (settings, wrong.into_iter().map(|w| w.entry).collect())
    }

    #[test]
    fn each_wrong_entry_is_left_out_and_the_rest_kept() {
        let (settings, wrong) = salvaged(serde_json::json!({
            "theme": "purple",
            "dashboard_refresh_secs": 30,
            "token_warning_days": 0,
            "extra_kubeconfigs": ["/a.yaml", "relative.yaml", "/a.yaml", "/b.yaml"],
            "backend_links": [
                {"service": "prod", "backend": "gpu-east", "context": "east"},
                {"service": "prod", "backend": "../escape", "context": "east"},
                {"service": "prod", "backend": "gpu-east", "context": "other"},
                {"service": "prod", "backend": "gpu-west", "context": "west"}
            ],
            "services": [
                {"id": "a", "name": "prod", "url": "https://osmo.example.com"},
                {"id": "b", "name": "prod", "url": "https://other.example.com"},
                {"name": "no id"},
                {"id": "c", "name": "staging", "url": "https://staging.example.com"}
            ],
            "muted_notifications": {"service": "prod"}
        }));
        assert_eq!(
            wrong,
            [
                "theme",
                "token_warning_days",
                "extra_kubeconfigs[1]",
                "extra_kubeconfigs[2]",
                "backend_links[1]",
                "backend_links[2]",
                "services[1]",
                "services[2]",
                "muted_notifications",
            ]
        );
        assert_eq!(settings.theme, Settings::default().theme);
        assert_eq!(settings.dashboard_refresh_secs, 30);
        assert_eq!(
            settings.extra_kubeconfigs,
            [
                std::path::PathBuf::from("/a.yaml"),
                std::path::PathBuf::from("/b.yaml")
            ]
        );
        let backends: Vec<&str> = settings
            .backend_links
            .iter()
            .map(|l| l.backend_name().as_str())
            .collect();
        assert_eq!(backends, ["gpu-east", "gpu-west"]);
        assert_eq!(settings.backend_links[0].context(), "east");
        let services: Vec<&str> = settings.services.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(services, ["a", "c"]);
        settings.validate().unwrap();
    }
}

//! Services left out of the settings (their entry set aside, or the whole file moved aside): their
//! sessions' secrets may still be in the OS keyring under their ids, where nothing lists them any
//! more. The app offers to remove them rather than leaving them orphaned.

use serde_json::Value;

use super::Settings;

/// A service whose saved sign-in may have left secrets in the OS keyring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOutService {
    /// Its keyring entries are named after this id.
    pub id: String,
    /// The name the user gave it, or the id when the entry had none.
    pub name: String,
}

/// The services among `values` (stored service entries) that saved a sign-in with secrets and
/// are not among the `kept` settings' services.
pub(super) fn left_out_services<'a>(
    values: impl IntoIterator<Item = &'a Value>,
    kept: &Settings,
) -> Vec<LeftOutService> {
    let mut found: Vec<LeftOutService> = Vec::new();
    for value in values {
        let Some(id) = value.get("id").and_then(Value::as_str) else {
            continue;
        };
        let method = value
            .get("sign_in")
            .and_then(|s| s.get("method"))
            .and_then(Value::as_str);
        // No sign-in saved, or development mode: nothing of it was ever put in the keyring.
        let kept_secrets = matches!(method, Some(m) if m != "development");
        let usable_id = !id.trim().is_empty() && !id.contains('/') && id.len() <= 200;
        let still_listed = kept.services.iter().any(|s| s.id == id);
        if !kept_secrets || !usable_id || still_listed || found.iter().any(|f| f.id == id) {
            continue;
        }
        let name = value.get("name").and_then(Value::as_str).unwrap_or(id);
        found.push(LeftOutService {
            id: id.to_owned(),
            name: name.to_owned(),
        });
    }
    found
}

/// The service entries of a settings file moved aside whole, as far as it is JSON at all.
pub(super) fn services_in_file(bytes: &[u8]) -> Vec<Value> {
    serde_json::from_slice::<Value>(bytes)
        .ok()
        .and_then(|file| match file.get("services") {
            Some(Value::Array(items)) => Some(items.clone()),
            _ => None,
        })
        .unwrap_or_default()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::settings::ServiceSetting;

    #[test]
    fn only_services_with_saved_secrets_and_no_longer_listed_are_left_out() {
        let mut kept = Settings::default();
        kept.services.push(ServiceSetting {
            id: "kept".into(),
            name: "prod".into(),
            url: "https://osmo.example.com".into(),
            custom_ca_pem: None,
            sign_in: None,
        });
        let entries = [
            json!({"id": "a1", "name": "staging", "url": 5, "sign_in": {"method": "access_token"}}),
            json!({"id": "d1", "name": "dev", "sign_in": {"method": "development", "user": "x"}}),
            json!({"id": "n1", "name": "never signed in"}),
            json!({"id": "kept", "name": "prod twice", "sign_in": {"method": "access_token"}}),
            json!({"id": "../x", "sign_in": {"method": "access_token"}}),
            json!({"id": "c1", "sign_in": {"method": "device_code"}}),
            json!("not an object"),
        ];
        let found = left_out_services(entries.iter(), &kept);
        assert_eq!(
            found,
            vec![
                LeftOutService {
                    id: "a1".into(),
                    name: "staging".into()
                },
                LeftOutService {
                    id: "c1".into(),
                    name: "c1".into()
                },
            ]
        );
    }

    #[test]
    fn a_file_moved_aside_gives_its_services_when_it_is_json() {
        let file = br#"{"schema_version": 99, "services": [{"id": "a1", "sign_in": {"method": "access_token"}}]}"#;
        assert_eq!(services_in_file(file).len(), 1);
        assert!(services_in_file(b"{ not json").is_empty());
        assert!(services_in_file(br#"{"services": 3}"#).is_empty());
    }
}

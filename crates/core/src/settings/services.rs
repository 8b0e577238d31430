//! OSMO services the user added (the Connections screen's OSMO half), as stored in the settings
//! file: where each service is and how its session signed in, never a secret. The secrets of a
//! session live in the OS keyring under the service's `id`.

use serde::{Deserialize, Serialize};

use super::SettingsError;

/// An OSMO service as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceSetting {
    /// Stable id; names the keyring entries of the session (`<id>/access-token`, ...).
    pub id: String,
    /// The name the user gave it (unique; backend links and history refer to it).
    pub name: String,
    /// Base URL, e.g. `https://osmo.example.com`.
    pub url: String,
    /// Extra CA certificate(s) in PEM for an on-prem service (public data, not a secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_ca_pem: Option<String>,
    /// How the session signed in last; `None` while signed out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_in: Option<SavedSignIn>,
}

/// How a session signed in, enough to resume it with the secrets from the keyring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum SavedSignIn {
    /// An OSMO access token (in the keyring) exchanged for JWTs.
    AccessToken,
    /// Identity-provider tokens (in the keyring), renewed at `token_endpoint` as `client_id`.
    DeviceCode {
        token_endpoint: String,
        client_id: String,
    },
    /// Development mode: no secret, every call names `user`.
    Development { user: String },
}

pub(super) fn validate(services: &[ServiceSetting]) -> Result<(), SettingsError> {
    let invalid = |reason: String| {
        Err(SettingsError::Invalid {
            field: "services",
            reason,
        })
    };
    for (i, service) in services.iter().enumerate() {
        if service.id.trim().is_empty() || service.id.contains('/') {
            return invalid(format!("has a service with the id {:?}", service.id));
        }
        if service.name.trim().is_empty() {
            return invalid("has a service without a name".into());
        }
        let earlier = &services[..i];
        if earlier.iter().any(|s| s.id == service.id) {
            return invalid(format!("lists the service id {:?} twice", service.id));
        }
        if earlier.iter().any(|s| s.name == service.name) {
            return invalid(format!("lists the service name {:?} twice", service.name));
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn service(id: &str, name: &str) -> ServiceSetting {
        ServiceSetting {
            id: id.into(),
            name: name.into(),
            url: "https://osmo.example.com".into(),
            custom_ca_pem: None,
            sign_in: Some(SavedSignIn::AccessToken),
        }
    }

    #[test]
    fn ids_and_names_must_be_unique_and_present() {
        assert!(validate(&[service("a", "prod"), service("b", "staging")]).is_ok());
        for bad in [
            vec![service("a", "prod"), service("a", "staging")],
            vec![service("a", "prod"), service("b", "prod")],
            vec![service("", "prod")],
            vec![service("a/b", "prod")],
            vec![service("a", " ")],
        ] {
            assert!(validate(&bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn sign_in_is_stored_by_method_name() {
        let json = serde_json::to_value(SavedSignIn::Development {
            user: "alice".into(),
        })
        .unwrap();
        assert_eq!(json["method"], "development");
        assert_eq!(json["user"], "alice");
        let back: SavedSignIn = serde_json::from_value(json).unwrap();
        assert_eq!(
            back,
            SavedSignIn::Development {
                user: "alice".into()
            }
        );
    }
}

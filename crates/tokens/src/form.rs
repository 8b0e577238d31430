//! The "create a token" form and the server's rules checked before anything is sent
//! (osmo-api.md §2.3): the name pattern, a `YYYY-MM-DD` date strictly after today (UTC) and at
//! most the maximum lifetime away (365 days unless the service is configured otherwise), at least
//! one role (`osmo-backend` for an operator's token), and on 6.2+ a valid service-account name.
//! Every violation names its [`Field`].

use chrono::{Duration, NaiveDate};
use osmo_admin_osmo_client::Dialect;
use serde::{Deserialize, Serialize};

use crate::expiry::today_utc;
use crate::inventory::BACKEND_ROLE;

/// The service's default `service_auth.max_token_duration`.
pub const DEFAULT_MAX_LIFETIME_DAYS: i64 = 365;
/// `TOKEN_NAME_REGEX` of the service, for messages.
pub const TOKEN_NAME_PATTERN: &str = "^[a-zA-Z]([a-zA-Z0-9_-]*[a-zA-Z0-9])?$";
/// `USERNAME_REGEX` of the service, for messages.
pub const USERNAME_PATTERN: &str = "^[a-zA-Z0-9]([a-zA-Z0-9_.@-]*[a-zA-Z0-9])?$";

/// What the form holds. No secret: the value comes back only after creation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewToken {
    /// 6.2+: the service-account user the token belongs to (created when missing). Ignored at
    /// 6.0/6.1, where a service token's owner is its name.
    pub owner: Option<String>,
    pub name: String,
    /// `YYYY-MM-DD`, a UTC date.
    pub expires_at: String,
    pub roles: Vec<String>,
    #[serde(default)]
    pub description: String,
    /// For a backend operator: `osmo-backend` is then required among the roles.
    pub for_operator: bool,
}

/// A form field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Field {
    Owner,
    Name,
    ExpiresAt,
    Roles,
}

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct FieldError {
    pub field: Field,
    pub message: String,
}

/// The server-side limits the form checks against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    pub today: NaiveDate,
    pub max_lifetime_days: i64,
}

impl Default for Rules {
    fn default() -> Self {
        Self {
            today: today_utc(),
            max_lifetime_days: DEFAULT_MAX_LIFETIME_DAYS,
        }
    }
}

/// A form that passed [`validate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidToken {
    /// The owner as the service will record it (6.0: the token name).
    pub owner: String,
    pub name: String,
    pub expires_on: NaiveDate,
    pub roles: Vec<String>,
    pub description: String,
}

pub(crate) fn token_name_ok(name: &str) -> bool {
    let ok_char = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(ok_char)
        && name
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric())
}

fn username_ok(id: &str) -> bool {
    let ok_char = |c: char| c.is_ascii_alphanumeric() || "_.@-".contains(c);
    id.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && id.chars().all(ok_char)
        && id.chars().last().is_some_and(|c| c.is_ascii_alphanumeric())
}

/// Checks `form` against the server's rules for `dialect`; all violations at once.
pub fn validate(
    form: &NewToken,
    dialect: Dialect,
    rules: &Rules,
) -> Result<ValidToken, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut fail = |field, message: String| errors.push(FieldError { field, message });
    let owner = match dialect {
        Dialect::V6_0 => form.name.clone(),
        Dialect::V6_2 => match form.owner.as_deref().map(str::trim) {
            None | Some("") => {
                fail(
                    Field::Owner,
                    "Choose the service account (user) the token belongs to.".into(),
                );
                String::new()
            }
            Some(id) if !username_ok(id) => {
                fail(Field::Owner, format!("User name {id} must match {USERNAME_PATTERN}: start and end with a letter or digit; use letters, digits, _ . @ - in between."));
                String::new()
            }
            Some(id) => id.to_owned(),
        },
    };
    if !token_name_ok(&form.name) {
        fail(Field::Name, format!("Token name {:?} must match {TOKEN_NAME_PATTERN}: start with a letter, end with a letter or digit, and use only letters, digits, _ and - in between.", form.name));
    }
    let max = rules.today + Duration::days(rules.max_lifetime_days);
    let date = NaiveDate::parse_from_str(form.expires_at.trim(), "%Y-%m-%d")
        .ok()
        .filter(|_| form.expires_at.trim().len() == 10);
    match date {
        None => fail(Field::ExpiresAt, format!("Expiry date {:?} must be a date in YYYY-MM-DD format (e.g. 2027-01-15).", form.expires_at)),
        Some(d) if d <= rules.today => fail(Field::ExpiresAt, format!("Expiry date must be after today ({}, UTC): a token is refused from its expiry date on.", rules.today)),
        Some(d) if d > max => fail(Field::ExpiresAt, format!("Expiry date must be at most {} days from today, i.e. on or before {max}.", rules.max_lifetime_days)),
        Some(_) => {}
    }
    let roles: Vec<String> = form
        .roles
        .iter()
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty())
        .fold(Vec::new(), |mut acc, r| {
            if !acc.contains(&r) {
                acc.push(r);
            }
            acc
        });
    if roles.is_empty() {
        fail(Field::Roles, "Choose at least one role.".into());
    } else if form.for_operator && !roles.iter().any(|r| r == BACKEND_ROLE) {
        fail(
            Field::Roles,
            format!("A backend operator's token needs the role {BACKEND_ROLE}."),
        );
    }
    match (errors.is_empty(), date) {
        (true, Some(expires_on)) => Ok(ValidToken {
            owner,
            name: form.name.clone(),
            expires_on,
            roles,
            description: form.description.trim().to_owned(),
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn rules() -> Rules {
        Rules {
            today: NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
            max_lifetime_days: 365,
        }
    }

    fn form(name: &str, date: &str, roles: &[&str]) -> NewToken {
        NewToken {
            owner: Some("backend-operator".into()),
            name: name.into(),
            expires_at: date.into(),
            roles: roles.iter().map(|r| r.to_string()).collect(),
            description: " rotated ".into(),
            for_operator: true,
        }
    }

    fn fields(r: Result<ValidToken, Vec<FieldError>>) -> Vec<Field> {
        r.unwrap_err().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_good_form_passes_with_the_owner_each_dialect_records() {
        let f = form(
            "backend-token-20270115",
            "2027-01-15",
            &["osmo-backend", "osmo-backend"],
        );
        let v = validate(&f, Dialect::V6_2, &rules()).unwrap();
        assert_eq!(
            (v.owner.as_str(), v.roles.len(), v.description.as_str()),
            ("backend-operator", 1, "rotated")
        );
        let v = validate(&f, Dialect::V6_0, &rules()).unwrap();
        assert_eq!(v.owner, "backend-token-20270115");
    }

    #[test]
    fn names_follow_the_servers_pattern() {
        for bad in ["", "1token", "token-", "to ken", "tok.en", "_x"] {
            let f = form(bad, "2027-01-15", &["osmo-backend"]);
            assert_eq!(
                fields(validate(&f, Dialect::V6_0, &rules())),
                vec![Field::Name],
                "{bad}"
            );
        }
        for good in ["a", "A_b-9", "backend-token-20270115"] {
            assert!(validate(
                &form(good, "2027-01-15", &["osmo-backend"]),
                Dialect::V6_0,
                &rules()
            )
            .is_ok());
        }
    }

    #[test]
    fn the_date_is_after_today_and_within_the_lifetime() {
        for bad in [
            "2026-11-28",
            "2026-11-01",
            "2027-11-29",
            "2027-1-15",
            "15.01.2027",
            "",
        ] {
            let f = form("t", bad, &["osmo-backend"]);
            assert_eq!(
                fields(validate(&f, Dialect::V6_0, &rules())),
                vec![Field::ExpiresAt],
                "{bad}"
            );
        }
        for good in ["2026-11-29", "2027-11-28"] {
            assert!(
                validate(&form("t", good, &["osmo-backend"]), Dialect::V6_0, &rules()).is_ok(),
                "{good}"
            );
        }
        let short = Rules {
            max_lifetime_days: 30,
            ..rules()
        };
        let err = validate(
            &form("t", "2027-01-15", &["osmo-backend"]),
            Dialect::V6_0,
            &short,
        )
        .unwrap_err();
        assert!(err[0].message.contains("2026-12-28"), "{}", err[0].message);
    }

    #[test]
    fn roles_and_owner_are_checked_and_all_errors_reported() {
        let f = form("t", "2027-01-15", &["osmo-user"]);
        assert_eq!(
            fields(validate(&f, Dialect::V6_0, &rules())),
            vec![Field::Roles]
        );
        let f = NewToken {
            for_operator: false,
            ..form("t", "2027-01-15", &["osmo-user"])
        };
        assert!(validate(&f, Dialect::V6_0, &rules()).is_ok());
        let f = NewToken {
            owner: None,
            ..form("-", "x", &[" "])
        };
        assert_eq!(
            fields(validate(&f, Dialect::V6_2, &rules())),
            vec![Field::Owner, Field::Name, Field::ExpiresAt, Field::Roles]
        );
        let f = NewToken {
            owner: Some("-bad".into()),
            ..form("t", "2027-01-15", &["osmo-backend"])
        };
        assert_eq!(
            fields(validate(&f, Dialect::V6_2, &rules())),
            vec![Field::Owner]
        );
    }
}

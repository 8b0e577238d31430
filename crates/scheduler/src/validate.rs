//! The service's rules, checked before anything is sent (osmo-api.md §4 and the captured 422s),
//! plus the obvious ones the service does not check. Every [`FieldViolation`] names its field.
//!
//! * `scheduler_type`: 6.0/6.1 one of `default`, `scheduler-plugins`, `volcano`, `kai`
//!   (server: "value is not a valid enumeration member; …"); 6.2+ `kai` only ("Input should be 'kai'").
//! * `coscheduling` (6.0/6.1 only): cannot be true with `default`
//!   (server: "Coscheduling cannot be True if scheduler_type is DEFAULT"); at 6.2+ the field does
//!   not exist (the service would silently drop it), so setting it is refused here.
//! * `scheduler_timeout`: an integer (server: "value is not a valid integer"); here also whole
//!   and not negative, since it is a number of seconds.
//! * `scheduler_name`: a string for the service; here also non-empty without spaces, since it
//!   must name a deployed Kubernetes scheduler.

use osmo_admin_osmo_client::{Dialect, SchedulerSettings};
use serde::Serialize;

use crate::schema::{
    SchedulerForm, COSCHEDULING, SCHEDULER_NAME, SCHEDULER_TIMEOUT, SCHEDULER_TYPE, V6_0_TYPES,
    V6_2_TYPES,
};

/// One field at fault and why, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldViolation {
    pub field: String,
    pub message: String,
}

impl FieldViolation {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

/// Checks `form` against the rules of `dialect`; on success, the settings to send (without
/// unknown extra fields: [`crate::save`] carries those over from what was loaded).
pub fn validate(
    dialect: Dialect,
    form: &SchedulerForm,
) -> Result<SchedulerSettings, Vec<FieldViolation>> {
    let mut v = Vec::new();
    let allowed: &[&str] = match dialect {
        Dialect::V6_0 => &V6_0_TYPES,
        Dialect::V6_2 => &V6_2_TYPES,
    };
    let scheduler_type = form.scheduler_type.trim();
    let type_ok = allowed.contains(&scheduler_type);
    if !type_ok {
        let message = match dialect {
            Dialect::V6_0 => format!(
                "Scheduler type \"{scheduler_type}\" is not one of {}.",
                allowed.join(", ")
            ),
            Dialect::V6_2 => format!(
                "Scheduler type \"{scheduler_type}\" is not available: OSMO 6.2 and later support only kai."
            ),
        };
        v.push(FieldViolation::new(SCHEDULER_TYPE, message));
    }

    let name = form.scheduler_name.trim();
    if name.is_empty() {
        v.push(FieldViolation::new(
            SCHEDULER_NAME,
            "Enter the scheduler name (for KAI: kai-scheduler).",
        ));
    } else if name.chars().any(char::is_whitespace) {
        v.push(FieldViolation::new(
            SCHEDULER_NAME,
            format!("Scheduler name \"{name}\" must not contain spaces."),
        ));
    }

    let coscheduling = match (dialect, form.coscheduling) {
        (Dialect::V6_0, c) => {
            let c = c.unwrap_or(false);
            if c && type_ok && scheduler_type == "default" {
                v.push(FieldViolation::new(
                    COSCHEDULING,
                    "Coscheduling cannot be on with the default scheduler (the service says \
                     \"Coscheduling cannot be True if scheduler_type is DEFAULT\"); choose \
                     scheduler-plugins, volcano or kai, or turn coscheduling off.",
                ));
            }
            Some(c)
        }
        (Dialect::V6_2, None) => None,
        (Dialect::V6_2, Some(_)) => {
            v.push(FieldViolation::new(
                COSCHEDULING,
                "OSMO 6.2 and later have no coscheduling setting (KAI schedules groups together); \
                 leave it out.",
            ));
            None
        }
    };

    let timeout_text = form.scheduler_timeout.trim();
    let timeout = if timeout_text.is_empty() {
        v.push(FieldViolation::new(
            SCHEDULER_TIMEOUT,
            "Enter the scheduling timeout in whole seconds (the service's default is 30).",
        ));
        None
    } else if timeout_text.starts_with('-') {
        v.push(FieldViolation::new(
            SCHEDULER_TIMEOUT,
            format!("Scheduling timeout \"{timeout_text}\" cannot be negative."),
        ));
        None
    } else {
        match timeout_text.parse::<u64>() {
            Ok(t) if i64::try_from(t).is_ok() => Some(t),
            Ok(_) => {
                v.push(FieldViolation::new(
                    SCHEDULER_TIMEOUT,
                    format!("Scheduling timeout {timeout_text} is too large."),
                ));
                None
            }
            Err(_) => {
                v.push(FieldViolation::new(
                    SCHEDULER_TIMEOUT,
                    format!(
                        "Scheduling timeout \"{timeout_text}\" is not a whole number of seconds."
                    ),
                ));
                None
            }
        }
    };

    if !v.is_empty() {
        return Err(v);
    }
    Ok(SchedulerSettings {
        scheduler_type: scheduler_type.to_owned(),
        scheduler_name: name.to_owned(),
        coscheduling,
        scheduler_timeout: timeout,
        extra: Default::default(),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn form(t: &str, name: &str, co: Option<bool>, timeout: &str) -> SchedulerForm {
        SchedulerForm {
            scheduler_type: t.into(),
            scheduler_name: name.into(),
            coscheduling: co,
            scheduler_timeout: timeout.into(),
        }
    }

    fn fields(r: Result<SchedulerSettings, Vec<FieldViolation>>) -> Vec<String> {
        r.unwrap_err().into_iter().map(|v| v.field).collect()
    }

    #[test]
    fn valid_forms_become_settings() {
        let s = validate(
            Dialect::V6_0,
            &form(" volcano ", "volcano", Some(true), " 60 "),
        )
        .unwrap();
        assert_eq!(
            (
                s.scheduler_type.as_str(),
                s.scheduler_name.as_str(),
                s.coscheduling,
                s.scheduler_timeout
            ),
            ("volcano", "volcano", Some(true), Some(60))
        );
        let s = validate(Dialect::V6_2, &form("kai", "kai-scheduler", None, "0")).unwrap();
        assert_eq!(s.coscheduling, None);
        assert_eq!(s.scheduler_timeout, Some(0));
        let s = validate(
            Dialect::V6_0,
            &form("default", "default-scheduler", Some(false), "30"),
        )
        .unwrap();
        assert_eq!(s.coscheduling, Some(false));
    }

    #[test]
    fn coscheduling_with_default_is_refused_naming_the_field() {
        let r = validate(
            Dialect::V6_0,
            &form("default", "default-scheduler", Some(true), "30"),
        );
        let v = r.unwrap_err();
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].field, COSCHEDULING);
        assert!(
            v[0].message.contains("default scheduler"),
            "{}",
            v[0].message
        );
    }

    #[test]
    fn types_per_dialect() {
        assert_eq!(
            fields(validate(
                Dialect::V6_0,
                &form("bogus", "x", Some(false), "30")
            )),
            [SCHEDULER_TYPE]
        );
        for t in ["volcano", "default", "scheduler-plugins"] {
            let v = validate(Dialect::V6_2, &form(t, "x", None, "30")).unwrap_err();
            assert_eq!(v[0].field, SCHEDULER_TYPE);
            assert!(v[0].message.contains("only kai"), "{}", v[0].message);
        }
    }

    #[test]
    fn coscheduling_does_not_exist_at_6_2() {
        assert_eq!(
            fields(validate(
                Dialect::V6_2,
                &form("kai", "kai-scheduler", Some(true), "30")
            )),
            [COSCHEDULING]
        );
    }

    #[test]
    fn timeout_must_be_whole_non_negative_seconds() {
        for bad in ["", "abc", "1.5", "-3", "30s", "99999999999999999999"] {
            assert_eq!(
                fields(validate(
                    Dialect::V6_0,
                    &form("kai", "kai-scheduler", Some(true), bad)
                )),
                [SCHEDULER_TIMEOUT],
                "{bad:?}"
            );
        }
    }

    #[test]
    fn scheduler_name_must_be_given_without_spaces() {
        for bad in ["", "  ", "kai scheduler"] {
            assert_eq!(
                fields(validate(Dialect::V6_2, &form("kai", bad, None, "30"))),
                [SCHEDULER_NAME],
                "{bad:?}"
            );
        }
    }

    #[test]
    fn all_violations_are_reported_at_once() {
        assert_eq!(
            fields(validate(
                Dialect::V6_2,
                &form("volcano", "", Some(false), "x")
            )),
            [
                SCHEDULER_TYPE,
                SCHEDULER_NAME,
                COSCHEDULING,
                SCHEDULER_TIMEOUT
            ]
        );
    }
}

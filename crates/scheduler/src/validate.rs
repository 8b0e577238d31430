//! The service's rules, checked before anything is sent (osmo-api.md §4, §12 and the captured
//! 422s). [`validate`] refuses only what the service refuses; [`warnings`] names what the service
//! accepts but is unwise. Every [`FieldViolation`] names its field.
//!
//! Refused (the service answers 422 or 400):
//! * `scheduler_type`: 6.0/6.1 one of `default`, `scheduler-plugins`, `volcano`, `kai`
//!   (server: "value is not a valid enumeration member; …"); 6.2+ `kai` only ("Input should be 'kai'").
//! * `coscheduling` (6.0/6.1): cannot be true with `default`
//!   (server: "Coscheduling cannot be True if scheduler_type is DEFAULT"); with `kai` it is accepted.
//! * `scheduler_timeout`: an integer (server: "value is not a valid integer").
//!
//! Warned (accepted and stored as given):
//! * an empty `scheduler_name`, or one with spaces: it must name a deployed Kubernetes scheduler;
//! * a negative `scheduler_timeout` (stored unchecked);
//! * `coscheduling` at 6.2+: the field does not exist there; the service drops it, so it is not sent.

use std::num::IntErrorKind;

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
        // The service drops it (osmo-api.md §12); `warnings` says so.
        (Dialect::V6_2, _) => None,
    };

    let timeout_text = form.scheduler_timeout.trim();
    let timeout = if timeout_text.is_empty() {
        v.push(FieldViolation::new(
            SCHEDULER_TIMEOUT,
            "Enter the scheduling timeout in whole seconds (the service's default is 30).",
        ));
        None
    } else {
        match timeout_text.parse::<i64>() {
            Ok(t) => Some(t),
            Err(e)
                if matches!(
                    e.kind(),
                    IntErrorKind::PosOverflow | IntErrorKind::NegOverflow
                ) =>
            {
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

/// What the service accepts in `form` but is unwise, each naming its field; shown beside the
/// form and the preview, never stopping a save.
pub fn warnings(dialect: Dialect, form: &SchedulerForm) -> Vec<FieldViolation> {
    let mut w = Vec::new();
    let name = form.scheduler_name.trim();
    if name.is_empty() {
        w.push(FieldViolation::new(
            SCHEDULER_NAME,
            "The scheduler name is empty: the service accepts it, but workflows are scheduled only \
             by a scheduler the name points to (for KAI: kai-scheduler).",
        ));
    } else if name.chars().any(char::is_whitespace) {
        w.push(FieldViolation::new(
            SCHEDULER_NAME,
            format!(
                "Scheduler name \"{name}\" contains spaces: no Kubernetes scheduler can have \
                 that name, so workflows would not be scheduled."
            ),
        ));
    }
    if form
        .scheduler_timeout
        .trim()
        .parse::<i64>()
        .is_ok_and(|t| t < 0)
    {
        w.push(FieldViolation::new(
            SCHEDULER_TIMEOUT,
            format!(
                "Scheduling timeout {} is negative: the service stores it unchecked, but it is a \
                 number of seconds (the service's default is 30).",
                form.scheduler_timeout.trim()
            ),
        ));
    }
    if dialect == Dialect::V6_2 && form.coscheduling.is_some() {
        w.push(FieldViolation::new(
            COSCHEDULING,
            "OSMO 6.2 and later have no coscheduling setting (KAI schedules groups together): \
             the service drops it, so it is not sent.",
        ));
    }
    w
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
    fn coscheduling_at_6_2_is_dropped_with_a_warning() {
        let f = form("kai", "kai-scheduler", Some(true), "30");
        assert_eq!(validate(Dialect::V6_2, &f).unwrap().coscheduling, None);
        let w = warnings(Dialect::V6_2, &f);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].field, COSCHEDULING);
        assert!(w[0].message.contains("drops it"), "{}", w[0].message);
    }

    #[test]
    fn coscheduling_with_kai_is_accepted_at_6_0() {
        let f = form("kai", "kai-scheduler", Some(true), "30");
        assert_eq!(
            validate(Dialect::V6_0, &f).unwrap().coscheduling,
            Some(true)
        );
        assert_eq!(warnings(Dialect::V6_0, &f), vec![]);
    }

    #[test]
    fn a_negative_timeout_is_sent_as_given_with_a_warning() {
        let f = form("kai", "kai-scheduler", None, "-1");
        assert_eq!(
            validate(Dialect::V6_2, &f).unwrap().scheduler_timeout,
            Some(-1)
        );
        let w = warnings(Dialect::V6_2, &f);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].field, SCHEDULER_TIMEOUT);
        assert!(w[0].message.contains("negative"), "{}", w[0].message);
    }

    #[test]
    fn timeout_must_be_a_whole_number_of_seconds() {
        for bad in ["", "abc", "1.5", "30s", "99999999999999999999"] {
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
    fn an_empty_or_spaced_scheduler_name_is_accepted_with_a_warning() {
        for odd in ["", "  ", "kai scheduler"] {
            let f = form("kai", odd, None, "30");
            let s = validate(Dialect::V6_2, &f).unwrap();
            assert_eq!(s.scheduler_name, odd.trim());
            let w = warnings(Dialect::V6_2, &f);
            assert_eq!(w.len(), 1, "{odd:?}");
            assert_eq!(w[0].field, SCHEDULER_NAME);
        }
        assert_eq!(
            warnings(Dialect::V6_2, &form("kai", "kai-scheduler", None, "30")),
            vec![]
        );
    }

    #[test]
    fn all_violations_are_reported_at_once() {
        assert_eq!(
            fields(validate(Dialect::V6_0, &form("bogus", "", Some(true), "x"))),
            [SCHEDULER_TYPE, SCHEDULER_TIMEOUT]
        );
    }
}

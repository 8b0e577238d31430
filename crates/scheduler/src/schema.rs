//! The scheduler-settings form: [`SchedulerForm`] (what the user edits) and [`FormSchema`] (how
//! the UI renders it), per [`Dialect`] (osmo-api.md §4).
//!
//! * 6.0/6.1: `scheduler_type` one of `default`, `scheduler-plugins`, `volcano`, `kai`;
//!   `scheduler_name`; `coscheduling`; `scheduler_timeout`.
//! * 6.2+: `scheduler_type` `kai` only; no `coscheduling`.

use osmo_admin_osmo_client::{Dialect, SchedulerSettings};
use serde::{Deserialize, Serialize};

/// Field names, as the service spells them.
pub const SCHEDULER_TYPE: &str = "scheduler_type";
pub const SCHEDULER_NAME: &str = "scheduler_name";
pub const COSCHEDULING: &str = "coscheduling";
pub const SCHEDULER_TIMEOUT: &str = "scheduler_timeout";
/// The change description (not a scheduler field, but validated like one).
pub const DESCRIPTION: &str = "description";

/// `scheduler_type` values accepted by 6.0/6.1.
pub const V6_0_TYPES: [&str; 4] = ["default", "scheduler-plugins", "volcano", "kai"];
/// `scheduler_type` values accepted by 6.2+.
pub const V6_2_TYPES: [&str; 1] = ["kai"];

/// The form as the user edits it. `scheduler_timeout` is the text typed (validated as whole
/// seconds); `coscheduling` is `None` at 6.2+, where the field does not exist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchedulerForm {
    pub scheduler_type: String,
    pub scheduler_name: String,
    pub coscheduling: Option<bool>,
    pub scheduler_timeout: String,
}

impl SchedulerForm {
    /// The form showing `settings` as stored on a service of `dialect`.
    pub fn from_settings(dialect: Dialect, settings: &SchedulerSettings) -> Self {
        Self {
            scheduler_type: settings.scheduler_type.clone(),
            scheduler_name: settings.scheduler_name.clone(),
            coscheduling: match dialect {
                Dialect::V6_0 => Some(settings.coscheduling.unwrap_or(false)),
                Dialect::V6_2 => None,
            },
            scheduler_timeout: settings
                .scheduler_timeout
                .map(|t| t.to_string())
                .unwrap_or_default(),
        }
    }
}

/// How a field is edited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FieldKind {
    /// One of `values`.
    Choice { values: Vec<String> },
    /// Free text.
    Text,
    /// A checkbox.
    Bool,
    /// A whole number of seconds, at least `min`.
    Seconds { min: u64 },
}

/// One field of the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldSchema {
    /// The service's field name (also the key of violations).
    pub name: &'static str,
    pub label: &'static str,
    pub kind: FieldKind,
    pub help: &'static str,
    /// The service's default for a new backend, as form text.
    pub default: String,
}

/// The form for one dialect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormSchema {
    pub dialect: Dialect,
    pub fields: Vec<FieldSchema>,
}

/// The form's fields on a service of `dialect`.
pub fn schema(dialect: Dialect) -> FormSchema {
    let values = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let mut fields = Vec::new();
    match dialect {
        Dialect::V6_0 => fields.push(FieldSchema {
            name: SCHEDULER_TYPE,
            label: "Scheduler type",
            kind: FieldKind::Choice {
                values: values(&V6_0_TYPES),
            },
            help: "Which Kubernetes scheduler places this backend's workflow pods: the cluster's \
                   default scheduler, scheduler-plugins (coscheduling PodGroups), Volcano, or KAI.",
            default: "default".into(),
        }),
        Dialect::V6_2 => fields.push(FieldSchema {
            name: SCHEDULER_TYPE,
            label: "Scheduler type",
            kind: FieldKind::Choice {
                values: values(&V6_2_TYPES),
            },
            help: "OSMO 6.2 and later schedule workflow pods with the KAI scheduler only.",
            default: "kai".into(),
        }),
    }
    fields.push(FieldSchema {
        name: SCHEDULER_NAME,
        label: "Scheduler name",
        kind: FieldKind::Text,
        help: "The schedulerName set on workflow pods: the name the scheduler is deployed under \
               in the backend cluster (KAI: kai-scheduler).",
        default: match dialect {
            Dialect::V6_0 => "default-scheduler".into(),
            Dialect::V6_2 => "kai-scheduler".into(),
        },
    });
    if dialect == Dialect::V6_0 {
        fields.push(FieldSchema {
            name: COSCHEDULING,
            label: "Coscheduling",
            kind: FieldKind::Bool,
            help: "Schedule a group's tasks all together. Needed to submit groups with more than \
                   one task; not possible with the default scheduler.",
            default: "false".into(),
        });
    }
    fields.push(FieldSchema {
        name: SCHEDULER_TIMEOUT,
        label: "Scheduling timeout (seconds)",
        kind: FieldKind::Seconds { min: 0 },
        help: "How long a group may wait to be scheduled, in whole seconds. Used as the PodGroup \
               scheduleTimeoutSeconds by scheduler-plugins; KAI ignores it.",
        default: "30".into(),
    });
    FormSchema { dialect, fields }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v6_0_has_four_types_and_coscheduling_v6_2_only_kai() {
        let s = schema(Dialect::V6_0);
        let names: Vec<_> = s.fields.iter().map(|f| f.name).collect();
        assert_eq!(
            names,
            [
                SCHEDULER_TYPE,
                SCHEDULER_NAME,
                COSCHEDULING,
                SCHEDULER_TIMEOUT
            ]
        );
        assert_eq!(
            s.fields[0].kind,
            FieldKind::Choice {
                values: V6_0_TYPES.iter().map(|v| (*v).to_owned()).collect()
            }
        );
        let s = schema(Dialect::V6_2);
        let names: Vec<_> = s.fields.iter().map(|f| f.name).collect();
        assert_eq!(names, [SCHEDULER_TYPE, SCHEDULER_NAME, SCHEDULER_TIMEOUT]);
        assert_eq!(
            s.fields[0].kind,
            FieldKind::Choice {
                values: vec!["kai".into()]
            }
        );
        assert!(s.fields.iter().all(|f| !f.help.is_empty()));
    }

    #[test]
    fn form_from_settings_per_dialect() {
        let settings = SchedulerSettings {
            scheduler_type: "kai".into(),
            scheduler_name: "kai-scheduler".into(),
            coscheduling: None,
            scheduler_timeout: Some(45),
            extra: Default::default(),
        };
        let f = SchedulerForm::from_settings(Dialect::V6_0, &settings);
        assert_eq!(f.coscheduling, Some(false));
        assert_eq!(f.scheduler_timeout, "45");
        let f = SchedulerForm::from_settings(Dialect::V6_2, &settings);
        assert_eq!(f.coscheduling, None);
    }
}

//! The deployment guide's recommended KAI settings (osmo-api.md §4):
//! `{"scheduler_type": "kai", "scheduler_name": "kai-scheduler", "coscheduling": true,
//! "scheduler_timeout": 30}` at 6.0/6.1; the same without `coscheduling` at 6.2+.

use osmo_admin_osmo_client::Dialect;

use crate::schema::SchedulerForm;

/// The recommended KAI settings as a form for `dialect`.
pub fn kai_preset(dialect: Dialect) -> SchedulerForm {
    SchedulerForm {
        scheduler_type: "kai".into(),
        scheduler_name: "kai-scheduler".into(),
        coscheduling: match dialect {
            Dialect::V6_0 => Some(true),
            Dialect::V6_2 => None,
        },
        scheduler_timeout: "30".into(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::validate::validate;

    #[test]
    fn preset_is_valid_and_matches_the_guide() {
        let s = validate(Dialect::V6_0, &kai_preset(Dialect::V6_0)).unwrap();
        assert_eq!(
            serde_json::to_value(&s).unwrap(),
            serde_json::json!({"scheduler_type": "kai", "scheduler_name": "kai-scheduler", "coscheduling": true, "scheduler_timeout": 30})
        );
        let s = validate(Dialect::V6_2, &kai_preset(Dialect::V6_2)).unwrap();
        assert_eq!(
            serde_json::to_value(&s).unwrap(),
            serde_json::json!({"scheduler_type": "kai", "scheduler_name": "kai-scheduler", "scheduler_timeout": 30})
        );
    }
}

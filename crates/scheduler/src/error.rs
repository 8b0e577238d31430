//! [`SchedulerError`]: how editing scheduler settings fails, with [`SchedulerError::code`] for the
//! UI and a sentence for a person. The service's answers (osmo-api.md §3.4, §9, §11 and the
//! captures) become:
//!
//! | answer | variant | code |
//! |---|---|---|
//! | refused locally | `Invalid` (fields named) | `InvalidInput` |
//! | 422 `{"detail": […]}` | `Rejected` (fields named from `loc`) | `Rejected` |
//! | 403 (6.0 JSON `Forbidden`, 6.2+ `access denied`) | `Forbidden` (names the role needed) | `Forbidden` |
//! | 409 "Configs are managed by ConfigMap …" | `ConfigMapManaged` | `Conflict` |
//! | 500 "Backend X is not found." | `BackendNotFound` | `NotFound` |
//! | anything else | `Osmo` (osmo-client's error) | its code |

use osmo_admin_core::ErrorCode;
use osmo_admin_osmo_client::OsmoError;

use crate::schema::{COSCHEDULING, SCHEDULER_NAME, SCHEDULER_TIMEOUT, SCHEDULER_TYPE};
use crate::validate::FieldViolation;

/// What the failed call was doing, for the 403 message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// Reading the backend.
    Read,
    /// Writing the backend.
    Update,
    /// Reading config history.
    History,
}

/// Editing scheduler settings failed.
#[derive(Debug, thiserror::Error)]
pub enum SchedulerError {
    /// Refused before anything was sent.
    #[error("Check the scheduler settings: {}.", list(.0))]
    Invalid(Vec<FieldViolation>),
    /// The service refused the values (422).
    #[error("OSMO refused the scheduler settings of backend {backend}: {}. Correct {} and save again.", rejected_text(.fields, .server_message), if .fields.is_empty() { "the settings" } else { "these fields" })]
    Rejected {
        backend: String,
        /// The fields at fault, from the 422's `loc`; empty if none could be told apart.
        fields: Vec<FieldViolation>,
        server_message: String,
    },
    /// The account lacks the role (403).
    #[error("Your account may not {} of backend {backend} (the service answered 403{}). Ask an OSMO administrator for the {role_needed} role.", action(*.operation), quoted(.server_message))]
    Forbidden {
        backend: String,
        operation: Operation,
        role_needed: &'static str,
        server_message: Option<String>,
    },
    /// The service's configs come from a ConfigMap (409).
    #[error("The configs of this OSMO service are managed by a ConfigMap, so the scheduler settings of backend {backend} cannot be changed here: change the Helm values (services.configs) and redeploy instead.")]
    ConfigMapManaged { backend: String },
    /// The backend does not exist (the service answers 500 "Backend X is not found.").
    #[error("Backend {backend} was not found on the OSMO service. It may have been deleted, or its operator has never connected; reload the backend list.")]
    BackendNotFound { backend: String },
    /// Any other failure of the call (unreachable, timeout, session expired, server error, …).
    #[error(transparent)]
    Osmo(#[from] OsmoError),
}

impl SchedulerError {
    pub fn code(&self) -> ErrorCode {
        match self {
            SchedulerError::Invalid(_) => ErrorCode::InvalidInput,
            SchedulerError::Rejected { .. } => ErrorCode::Rejected,
            SchedulerError::Forbidden { .. } => ErrorCode::Forbidden,
            SchedulerError::ConfigMapManaged { .. } => ErrorCode::Conflict,
            SchedulerError::BackendNotFound { .. } => ErrorCode::NotFound,
            SchedulerError::Osmo(e) => e.code(),
        }
    }

    /// The fields at fault (local or from the service's 422).
    pub fn fields(&self) -> &[FieldViolation] {
        match self {
            SchedulerError::Invalid(v) | SchedulerError::Rejected { fields: v, .. } => v,
            _ => &[],
        }
    }

    /// Turns an OSMO error of `operation` on `backend` into the matching variant.
    pub fn from_osmo(err: OsmoError, backend: &str, operation: Operation) -> Self {
        let backend = backend.to_owned();
        let message = err.server_message().map(str::to_owned);
        match err.status() {
            Some(422) => SchedulerError::Rejected {
                backend,
                fields: rejected_fields(message.as_deref().unwrap_or("")),
                server_message: message.unwrap_or_default(),
            },
            Some(403) => SchedulerError::Forbidden {
                backend,
                operation,
                role_needed: match operation {
                    // 6.2+: POST /api/configs/backend/{name} has no semantic action, so only `*:*`.
                    Operation::Update => "osmo-admin",
                    Operation::Read | Operation::History => {
                        "osmo-admin (or another role allowed config:Read)"
                    }
                },
                server_message: message,
            },
            Some(409) if message.as_deref().is_some_and(|m| m.contains("ConfigMap")) => {
                SchedulerError::ConfigMapManaged { backend }
            }
            Some(500) if err.code() == ErrorCode::NotFound => {
                SchedulerError::BackendNotFound { backend }
            }
            _ => SchedulerError::Osmo(err),
        }
    }
}

/// The scheduler fields a 422's text names. osmo-client joins the `detail` items as
/// `loc: msg; loc: msg` (with `body` dropped), and messages may themselves hold `; `, so the
/// known field paths are searched for instead of splitting.
pub(crate) fn rejected_fields(server_message: &str) -> Vec<FieldViolation> {
    let mut hits: Vec<(usize, usize, &str)> = Vec::new();
    for field in [
        SCHEDULER_TYPE,
        SCHEDULER_NAME,
        COSCHEDULING,
        SCHEDULER_TIMEOUT,
    ] {
        let pattern = format!("scheduler_settings.{field}: ");
        let mut from = 0;
        while let Some(i) = server_message[from..].find(&pattern) {
            let at = from + i;
            hits.push((at, at + pattern.len(), field));
            from = at + pattern.len();
        }
    }
    hits.sort_unstable();
    hits.iter()
        .enumerate()
        .map(|(n, (_, start, field))| {
            let end = hits
                .get(n + 1)
                .map(|(next, _, _)| {
                    // Back up over the `configs.` prefix of the next item.
                    server_message[..*next]
                        .rfind("; ")
                        .filter(|p| p >= start)
                        .unwrap_or(*next)
                })
                .unwrap_or(server_message.len());
            FieldViolation::new(field, server_message[*start..end].trim())
        })
        .collect()
}

fn list(v: &[FieldViolation]) -> String {
    v.iter()
        .map(|f| format!("{}: {}", f.field, f.message))
        .collect::<Vec<_>>()
        .join("; ")
}

fn rejected_text(fields: &[FieldViolation], server_message: &str) -> String {
    if fields.is_empty() {
        format!("\"{server_message}\"")
    } else {
        list(fields)
    }
}

fn action(op: Operation) -> &'static str {
    match op {
        Operation::Read => "read the settings",
        Operation::Update => "change the scheduler settings",
        Operation::History => "read the config history",
    }
}

fn quoted(m: &Option<String>) -> String {
    m.as_deref()
        .map(|m| format!(": \"{m}\""))
        .unwrap_or_default()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const T: &str = "POST osmo.example.com/api/configs/backend/default";

    fn reply(status: u16, ct: &str, body: &str) -> OsmoError {
        OsmoError::from_reply(T, status, Some(ct), body.as_bytes())
    }

    #[test]
    fn captured_422s_name_their_fields() {
        // osmo-6.0.0.json backend_update_bad_type_and_timeout: the enum message contains "; ".
        let v60 = r#"{"detail": [{"loc": ["body", "configs", "scheduler_settings", "scheduler_type"], "msg": "value is not a valid enumeration member; permitted: 'default', 'scheduler-plugins', 'volcano', 'kai'", "type": "type_error.enum"}, {"loc": ["body", "configs", "scheduler_settings", "scheduler_timeout"], "msg": "value is not a valid integer", "type": "type_error.integer"}]}"#;
        let e = SchedulerError::from_osmo(
            reply(422, "application/json", v60),
            "default",
            Operation::Update,
        );
        assert_eq!(e.code(), ErrorCode::Rejected);
        assert_eq!(
            e.fields(),
            [
                FieldViolation::new(SCHEDULER_TYPE, "value is not a valid enumeration member; permitted: 'default', 'scheduler-plugins', 'volcano', 'kai'"),
                FieldViolation::new(SCHEDULER_TIMEOUT, "value is not a valid integer"),
            ]
        );
        assert!(e.to_string().contains("backend default"), "{e}");
        // osmo-6.0.0.json backend_update_coscheduling_with_default_type.
        let co = r#"{"detail": [{"loc": ["body", "configs", "scheduler_settings", "coscheduling"], "msg": "Coscheduling cannot be True if scheduler_type is DEFAULT", "type": "value_error"}]}"#;
        let e =
            SchedulerError::from_osmo(reply(422, "application/json", co), "d", Operation::Update);
        assert_eq!(e.fields()[0].field, COSCHEDULING);
        // osmo-6.4.0.json backend_update_bad.
        let v64 = r#"{"detail": [{"type": "enum", "loc": ["body", "configs", "scheduler_settings", "scheduler_type"], "msg": "Input should be 'kai'", "input": "bogus", "ctx": {"expected": "'kai'"}}, {"type": "int_parsing", "loc": ["body", "configs", "scheduler_settings", "scheduler_timeout"], "msg": "Input should be a valid integer, unable to parse string as an integer", "input": "abc"}]}"#;
        let e =
            SchedulerError::from_osmo(reply(422, "application/json", v64), "d", Operation::Update);
        let f: Vec<_> = e
            .fields()
            .iter()
            .map(|f| (f.field.as_str(), f.message.as_str()))
            .collect();
        assert_eq!(
            f,
            [
                (SCHEDULER_TYPE, "Input should be 'kai'"),
                (
                    SCHEDULER_TIMEOUT,
                    "Input should be a valid integer, unable to parse string as an integer"
                )
            ]
        );
        // A 422 about something else keeps the service's text.
        let other = r#"{"detail": [{"loc": ["body", "configs"], "msg": "field required", "type": "value_error.missing"}]}"#;
        let e = SchedulerError::from_osmo(
            reply(422, "application/json", other),
            "d",
            Operation::Update,
        );
        assert!(e.fields().is_empty());
        assert!(e.to_string().contains("configs: field required"), "{e}");
    }

    #[test]
    fn forbidden_of_both_dialects_names_the_role() {
        for (ct, body) in [
            (
                "application/json",
                r#"{"message":"Forbidden","error_code":403}"#,
            ),
            ("text/plain", "access denied"),
        ] {
            let e = SchedulerError::from_osmo(reply(403, ct, body), "gpu", Operation::Update);
            assert_eq!(e.code(), ErrorCode::Forbidden);
            let text = e.to_string();
            assert!(
                text.contains("osmo-admin") && text.contains("backend gpu"),
                "{text}"
            );
        }
    }

    #[test]
    fn configmap_409_unknown_backend_500_and_others() {
        let e = SchedulerError::from_osmo(
            reply(
                409,
                "application/json",
                r#"{"message": "Configs are managed by ConfigMap and cannot be modified via CLI/API. Update the Helm values and redeploy instead.", "error_code": "USER", "workflow_id": null}"#,
            ),
            "gpu",
            Operation::Update,
        );
        assert_eq!(e.code(), ErrorCode::Conflict);
        assert!(matches!(e, SchedulerError::ConfigMapManaged { .. }));
        assert!(e.to_string().contains("Helm values"), "{e}");
        let e = SchedulerError::from_osmo(
            reply(
                500,
                "application/json",
                r#"{"message": "Internal server error: Backend unknown is not found."}"#,
            ),
            "unknown",
            Operation::Update,
        );
        assert_eq!(e.code(), ErrorCode::NotFound);
        assert!(
            e.to_string().contains("Backend unknown was not found"),
            "{e}"
        );
        let e = SchedulerError::from_osmo(
            reply(
                500,
                "application/json",
                r#"{"message": "Internal server error: simulated fault"}"#,
            ),
            "gpu",
            Operation::Update,
        );
        assert_eq!(e.code(), ErrorCode::ServerError);
        assert!(matches!(e, SchedulerError::Osmo(_)));
    }

    #[test]
    fn invalid_lists_every_field() {
        let e = SchedulerError::Invalid(vec![
            FieldViolation::new(SCHEDULER_TYPE, "bad type"),
            FieldViolation::new("description", "say why"),
        ]);
        assert_eq!(e.code(), ErrorCode::InvalidInput);
        assert_eq!(
            e.to_string(),
            "Check the scheduler settings: scheduler_type: bad type; description: say why."
        );
    }
}

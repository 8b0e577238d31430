//! A backend's scheduler settings, edited safely (over `osmo-admin-scheduler`): load the form for
//! the service's dialect with the KAI preset, the earlier settings from the config history and,
//! when the backend is linked to a context, which schedulers its cluster has; preview the change;
//! save it with a description. The loaded settings travel with the form (`loaded`), so a save can
//! tell when someone else changed them meanwhile.

use osmo_admin_core::{BackendLink, BackendName, BackendRef, ServiceId};
use osmo_admin_diagnostics::{scheduler_presence, Limits, SchedulerPresence};
use osmo_admin_osmo_client::{Dialect, SchedulerSettings};
use osmo_admin_scheduler::{
    kai_preset, preview, schema, settings_history, FieldChange, FieldKind, Loaded, SaveOutcome,
    SchedulerError, SchedulerForm,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::error::IpcError;
use crate::operations::RequestId;
use crate::{clusters, AppCore};

/// The settings exactly as loaded, sent back with a preview or a save so it can tell whether
/// someone else changed them meanwhile (opaque to the UI).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(transparent)]
pub struct LoadedSettings(#[ts(type = "Record<string, unknown>")] pub Value);

/// The form as the user edits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SchedulerFormDto {
    pub scheduler_type: String,
    pub scheduler_name: String,
    /// `null` at 6.2+, where the field does not exist.
    pub coscheduling: Option<bool>,
    /// Whole seconds, as typed.
    pub scheduler_timeout: String,
}

/// How a field is edited.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SchedulerFieldKind {
    Choice { values: Vec<String> },
    Text,
    Bool,
    Seconds { min: u32 },
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SchedulerFieldDto {
    /// The service's field name (also the key of a violation).
    pub name: String,
    pub label: String,
    pub kind: SchedulerFieldKind,
    pub help: String,
    pub default: String,
}

/// An earlier state of this backend's scheduler settings, for undo.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SchedulerRevisionDto {
    pub revision: u32,
    pub username: String,
    /// UTC, RFC 3339.
    pub created_at: Option<String>,
    pub description: String,
    pub form: SchedulerFormDto,
    pub latest: bool,
}

/// Whether the linked cluster has a scheduler.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SchedulerPresenceDto {
    pub scheduler_type: String,
    /// `present`, `absent` or `unknown`.
    pub state: String,
    /// What was found, looked for, or why it could not be told.
    pub detail: String,
}

/// Everything the editor shows.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SchedulerEditorView {
    pub session: ServiceId,
    pub backend: BackendName,
    /// `6.0/6.1` or `6.2+`.
    pub dialect: String,
    pub fields: Vec<SchedulerFieldDto>,
    /// The form showing what the service has now.
    pub form: SchedulerFormDto,
    /// Exactly what was loaded; send it back with `preview_scheduler` and `save_scheduler`.
    pub loaded: LoadedSettings,
    /// The deployment guide's recommended KAI settings for this dialect.
    pub kai_preset: SchedulerFormDto,
    pub revisions: Vec<SchedulerRevisionDto>,
    /// Why the history could not be read (the form still works).
    pub revisions_error: Option<String>,
    /// The kubeconfig context the backend is linked to, if any.
    pub linked_context: Option<String>,
    /// For each scheduler type, whether the linked cluster has it (empty without a link).
    pub presence: Vec<SchedulerPresenceDto>,
    /// Why the cluster could not be asked, when it could not.
    pub presence_error: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SchedulerChangeDto {
    pub field: String,
    #[ts(type = "unknown")]
    pub before: Value,
    #[ts(type = "unknown")]
    pub after: Value,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FieldViolationDto {
    pub field: String,
    pub message: String,
}

/// What saving the form would change, or what is wrong with it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SchedulerPreviewDto {
    pub changes: Vec<SchedulerChangeDto>,
    pub violations: Vec<FieldViolationDto>,
    /// What the service accepts but is unwise (never blocks a save).
    pub warnings: Vec<FieldViolationDto>,
}

/// How a save ended.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum SchedulerSaveDto {
    /// Written; `stored` is what the service holds now (read back).
    Saved {
        changes: Vec<SchedulerChangeDto>,
        stored: SchedulerFormDto,
    },
    /// The form equals what was loaded: nothing was sent.
    NothingChanged,
    /// Someone else changed the settings since they were loaded: nothing was written.
    #[serde(rename_all = "camelCase")]
    Conflict {
        their_changes: Vec<SchedulerChangeDto>,
        your_changes: Vec<SchedulerChangeDto>,
        theirs: SchedulerFormDto,
    },
}

pub(crate) fn form_dto(form: SchedulerForm) -> SchedulerFormDto {
    SchedulerFormDto {
        scheduler_type: form.scheduler_type,
        scheduler_name: form.scheduler_name,
        coscheduling: form.coscheduling,
        scheduler_timeout: form.scheduler_timeout,
    }
}

pub(crate) fn form_of(dto: SchedulerFormDto) -> SchedulerForm {
    SchedulerForm {
        scheduler_type: dto.scheduler_type,
        scheduler_name: dto.scheduler_name,
        coscheduling: dto.coscheduling,
        scheduler_timeout: dto.scheduler_timeout,
    }
}

fn change_dto(c: FieldChange) -> SchedulerChangeDto {
    SchedulerChangeDto {
        field: c.field,
        before: c.before,
        after: c.after,
    }
}

pub(crate) fn field_dto(f: osmo_admin_scheduler::FieldSchema) -> SchedulerFieldDto {
    SchedulerFieldDto {
        name: f.name.to_owned(),
        label: f.label.to_owned(),
        kind: match f.kind {
            FieldKind::Choice { values } => SchedulerFieldKind::Choice { values },
            FieldKind::Text => SchedulerFieldKind::Text,
            FieldKind::Bool => SchedulerFieldKind::Bool,
            FieldKind::Seconds { min } => SchedulerFieldKind::Seconds {
                min: u32::try_from(min).unwrap_or(u32::MAX),
            },
        },
        help: f.help.to_owned(),
        default: f.default,
    }
}

/// What the UI sent back as `loaded`, for the backend it names.
fn loaded_of(backend: &str, dialect: Dialect, loaded: LoadedSettings) -> Result<Loaded, IpcError> {
    let settings: SchedulerSettings = serde_json::from_value(loaded.0).map_err(|e| {
        IpcError::new(
            osmo_admin_core::ErrorCode::InvalidInput,
            format!(
                "The loaded scheduler settings sent back are not readable ({e}); reload the form."
            ),
        )
    })?;
    Ok(Loaded {
        backend: backend.to_owned(),
        dialect,
        form: SchedulerForm::from_settings(dialect, &settings),
        settings,
    })
}

/// The form for the service's dialect, the earlier settings and the linked cluster's schedulers.
pub async fn load(
    state: &AppCore,
    backend_ref: BackendRef,
    operation: Option<RequestId>,
) -> Result<SchedulerEditorView, IpcError> {
    let running = state.operations.begin_request(operation);
    let cancel = running.token();
    let osmo = state.sessions.session(&backend_ref.service)?;
    let backend = backend_ref.backend.as_str();
    let loaded = osmo_admin_scheduler::load(&osmo, backend, cancel).await?;
    let (revisions, revisions_error) = match settings_history(&osmo, backend, cancel).await {
        Ok(revisions) => (revisions, None),
        Err(e) => (Vec::new(), Some(e.to_string())),
    };
    let link = state.links.of(&backend_ref);
    let fields: Vec<SchedulerFieldDto> = schema(loaded.dialect)
        .fields
        .into_iter()
        .map(field_dto)
        .collect();
    let (presence, presence_error) = match &link {
        None => (Vec::new(), None),
        Some(link) => cluster_presence(state, link, &fields).await,
    };
    Ok(SchedulerEditorView {
        session: backend_ref.service.clone(),
        backend: backend_ref.backend.clone(),
        dialect: loaded.dialect.label().to_owned(),
        fields,
        form: form_dto(loaded.form.clone()),
        loaded: LoadedSettings(serde_json::to_value(&loaded.settings).unwrap_or(Value::Null)),
        kai_preset: form_dto(kai_preset(loaded.dialect)),
        revisions: revisions
            .into_iter()
            .map(|r| SchedulerRevisionDto {
                revision: u32::try_from(r.revision).unwrap_or(u32::MAX),
                username: r.username,
                created_at: r.created_at.map(|t| t.and_utc().to_rfc3339()),
                description: r.description,
                form: form_dto(r.form),
                latest: r.latest,
            })
            .collect(),
        revisions_error,
        linked_context: link.map(|l| l.context().to_owned()),
        presence,
        presence_error,
    })
}

/// Which of the form's scheduler types the linked cluster has.
async fn cluster_presence(
    state: &AppCore,
    link: &BackendLink,
    fields: &[SchedulerFieldDto],
) -> (Vec<SchedulerPresenceDto>, Option<String>) {
    let client = match clusters::client(state, link.context()).await {
        Ok(client) => client,
        Err(e) => return (Vec::new(), Some(e.message)),
    };
    let types = fields
        .iter()
        .find_map(|f| match &f.kind {
            SchedulerFieldKind::Choice { values } if f.name == "scheduler_type" => {
                Some(values.clone())
            }
            _ => None,
        })
        .unwrap_or_default();
    let limits = Limits::default();
    let mut presence = Vec::new();
    for scheduler_type in types {
        let (state, detail) = match scheduler_presence(&client, &scheduler_type, &limits).await {
            SchedulerPresence::Present { evidence } => ("present", evidence),
            SchedulerPresence::Absent { looked_for } => ("absent", looked_for),
            SchedulerPresence::Unknown { reason } => ("unknown", reason),
        };
        presence.push(SchedulerPresenceDto {
            scheduler_type,
            state: state.to_owned(),
            detail,
        });
    }
    (presence, None)
}

fn violation_dtos(violations: Vec<osmo_admin_scheduler::FieldViolation>) -> Vec<FieldViolationDto> {
    violations
        .into_iter()
        .map(|v| FieldViolationDto {
            field: v.field,
            message: v.message,
        })
        .collect()
}

/// What saving `form` would change, or the fields at fault (nothing is sent).
pub fn preview_change(
    state: &AppCore,
    backend: &BackendRef,
    loaded: LoadedSettings,
    form: SchedulerFormDto,
) -> Result<SchedulerPreviewDto, IpcError> {
    let osmo = state.sessions.session(&backend.service)?;
    let loaded = loaded_of(&backend.backend, osmo.dialect(), loaded)?;
    let form = form_of(form);
    let warnings = violation_dtos(osmo_admin_scheduler::warnings(loaded.dialect, &form));
    Ok(match preview(&loaded, &form) {
        Ok((_, changes)) => SchedulerPreviewDto {
            changes: changes.into_iter().map(change_dto).collect(),
            violations: Vec::new(),
            warnings,
        },
        Err(SchedulerError::Invalid(violations)) => SchedulerPreviewDto {
            changes: Vec::new(),
            violations: violation_dtos(violations),
            warnings,
        },
        Err(other) => return Err(other.into()),
    })
}

/// Saves `form` with `description` unless someone else changed the settings since `loaded`.
pub async fn save(
    state: &AppCore,
    backend: BackendRef,
    loaded: LoadedSettings,
    form: SchedulerFormDto,
    description: String,
    operation: Option<RequestId>,
) -> Result<SchedulerSaveDto, IpcError> {
    let running = state.operations.begin_request(operation);
    let osmo = state.sessions.session(&backend.service)?;
    let loaded = loaded_of(&backend.backend, osmo.dialect(), loaded)?;
    let outcome = osmo_admin_scheduler::save(
        &osmo,
        &loaded,
        &form_of(form),
        &description,
        running.token(),
    )
    .await?;
    let dialect = loaded.dialect;
    Ok(match outcome {
        SaveOutcome::Saved { changes, stored } => {
            tracing::info!(%backend, "scheduler settings saved");
            SchedulerSaveDto::Saved {
                changes: changes.into_iter().map(change_dto).collect(),
                stored: form_dto(SchedulerForm::from_settings(dialect, &stored)),
            }
        }
        SaveOutcome::NothingChanged => SchedulerSaveDto::NothingChanged,
        SaveOutcome::Conflict {
            theirs,
            their_changes,
            your_changes,
            ..
        } => SchedulerSaveDto::Conflict {
            their_changes: their_changes.into_iter().map(change_dto).collect(),
            your_changes: your_changes.into_iter().map(change_dto).collect(),
            theirs: form_dto(SchedulerForm::from_settings(dialect, &theirs)),
        },
    })
}

impl From<SchedulerError> for IpcError {
    /// The library's messages name the fields at fault, the role needed, or what to do instead.
    fn from(err: SchedulerError) -> Self {
        Self::new(err.code(), err.to_string())
    }
}

//! The config history of backends and pools: every revision with its tags, what changed between
//! any two (the service's own diff route), tags set and removed, and the whole-type rollback with
//! a preview. The service's rollback is global for its type (rolling BACKEND back deletes every
//! backend missing from that revision and rewrites the others), so the rollback runs only when
//! the preview the user confirmed is still what it would do.

use osmo_admin_core::{ErrorCode, ServiceId};
use osmo_admin_health::{config_changes, EntityChange, EntityChangeKind};
use osmo_admin_osmo_client::{CancellationToken, ConfigType, HistoryQuery, Session};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::dashboard::detail::FieldChangeDto;
use crate::dashboard::rfc3339;
use crate::error::IpcError;
use crate::operations::RequestId;
use crate::AppCore;

/// How many revisions the history shows (newest first).
const SHOWN_REVISIONS: u64 = 200;

/// The config types whose history the app shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ConfigKindDto {
    Backend,
    Pool,
}

impl From<ConfigKindDto> for ConfigType {
    fn from(kind: ConfigKindDto) -> Self {
        match kind {
            ConfigKindDto::Backend => ConfigType::Backend,
            ConfigKindDto::Pool => ConfigType::Pool,
        }
    }
}

/// One revision.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RevisionDto {
    pub revision: u32,
    /// The backend or pool it was about ("" for a rollback or a change of several).
    pub about: String,
    pub username: String,
    /// UTC, RFC 3339.
    pub created_at: Option<String>,
    pub description: String,
    pub tags: Vec<String>,
    /// The revision in force now.
    pub current: bool,
}

/// The history of one config type of one service, newest first.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConfigHistoryView {
    pub service: ServiceId,
    pub kind: ConfigKindDto,
    pub revisions: Vec<RevisionDto>,
}

/// A backend or pool that differs between two revisions.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EntityChangeDto {
    pub name: String,
    /// `added` (only in the second), `removed` (only in the first) or `changed`.
    pub change: String,
    pub fields: Vec<FieldChangeDto>,
}

/// What differs from revision `first` to revision `second`.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConfigDiffDto {
    pub first: u32,
    pub second: u32,
    pub changes: Vec<EntityChangeDto>,
}

/// What a whole-type rollback to `revision` would do now.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RollbackPreviewDto {
    pub kind: ConfigKindDto,
    pub revision: u32,
    /// The revision in force now.
    pub current: u32,
    /// From now to the target: `removed` ones will be deleted, `added` ones re-created, `changed`
    /// ones rewritten.
    pub changes: Vec<EntityChangeDto>,
}

fn revision_number(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn change_dto(change: EntityChange) -> EntityChangeDto {
    EntityChangeDto {
        name: change.name,
        change: match change.kind {
            EntityChangeKind::Added => "added",
            EntityChangeKind::Removed => "removed",
            EntityChangeKind::Changed => "changed",
        }
        .to_owned(),
        fields: change
            .fields
            .into_iter()
            .map(|f| FieldChangeDto {
                field: f.field,
                before: f.before,
                after: f.after,
            })
            .collect(),
    }
}

async fn read_history(
    osmo: &Session,
    service: ServiceId,
    kind: ConfigKindDto,
    cancel: &CancellationToken,
) -> Result<ConfigHistoryView, IpcError> {
    let query = HistoryQuery {
        config_types: vec![ConfigType::from(kind).as_str().to_owned()],
        limit: SHOWN_REVISIONS,
        descending: true,
        omit_data: true,
        ..HistoryQuery::default()
    };
    let entries = osmo.config_history(&query, cancel).await?;
    let newest = entries.iter().map(|e| e.revision).max();
    Ok(ConfigHistoryView {
        service,
        kind,
        revisions: entries
            .into_iter()
            .map(|e| RevisionDto {
                revision: revision_number(e.revision),
                current: Some(e.revision) == newest,
                about: e.name,
                username: e.username,
                created_at: e.created_at.map(|t| rfc3339(t.and_utc())),
                description: e.description,
                tags: e.tags.unwrap_or_default(),
            })
            .collect(),
    })
}

/// The revisions of `kind` on `service`, newest first.
pub async fn history(
    state: &AppCore,
    service: ServiceId,
    kind: ConfigKindDto,
    operation: Option<RequestId>,
) -> Result<ConfigHistoryView, IpcError> {
    let running = state.operations.begin_request(operation);
    let osmo = state.sessions.session(&service)?;
    read_history(&osmo, service, kind, running.token()).await
}

async fn changes_between(
    osmo: &Session,
    kind: ConfigKindDto,
    first: u64,
    second: u64,
    cancel: &CancellationToken,
) -> Result<Vec<EntityChangeDto>, IpcError> {
    let diff = osmo.config_diff(kind.into(), first, second, cancel).await?;
    Ok(
        config_changes(kind.into(), &diff.first_data, &diff.second_data)
            .into_iter()
            .map(change_dto)
            .collect(),
    )
}

/// What differs from revision `first` to revision `second` of `kind`.
pub async fn diff(
    state: &AppCore,
    service: ServiceId,
    kind: ConfigKindDto,
    first: u32,
    second: u32,
    operation: Option<RequestId>,
) -> Result<ConfigDiffDto, IpcError> {
    let running = state.operations.begin_request(operation);
    let osmo = state.sessions.session(&service)?;
    let changes =
        changes_between(&osmo, kind, first.into(), second.into(), running.token()).await?;
    Ok(ConfigDiffDto {
        first,
        second,
        changes,
    })
}

/// Sets `set` and removes `remove` on one revision; answers the history as re-read.
pub async fn tag(
    state: &AppCore,
    service: ServiceId,
    kind: ConfigKindDto,
    revision: u32,
    set: Vec<String>,
    remove: Vec<String>,
    operation: Option<RequestId>,
) -> Result<ConfigHistoryView, IpcError> {
    let set: Vec<String> = set
        .into_iter()
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .collect();
    if set.is_empty() && remove.is_empty() {
        return Err(IpcError::new(
            ErrorCode::InvalidInput,
            "Type a tag to add (tags cannot be blank).",
        ));
    }
    let running = state.operations.begin_request(operation);
    let osmo = state.sessions.session(&service)?;
    osmo.tag_revision(kind.into(), revision.into(), &set, &remove, running.token())
        .await?;
    tracing::info!(%service, revision, "revision tags changed");
    read_history(&osmo, service, kind, running.token()).await
}

async fn current_revision(
    osmo: &Session,
    kind: ConfigKindDto,
    cancel: &CancellationToken,
) -> Result<u64, IpcError> {
    let query = HistoryQuery {
        config_types: vec![ConfigType::from(kind).as_str().to_owned()],
        limit: 1,
        descending: true,
        omit_data: true,
        ..HistoryQuery::default()
    };
    let newest = osmo.config_history(&query, cancel).await?;
    newest.first().map(|e| e.revision).ok_or_else(|| {
        IpcError::new(
            ErrorCode::NotFound,
            "The service has no history for this config type yet.",
        )
    })
}

/// What rolling every `kind` back to `revision` would change now.
pub async fn rollback_preview(
    state: &AppCore,
    service: ServiceId,
    kind: ConfigKindDto,
    revision: u32,
    operation: Option<RequestId>,
) -> Result<RollbackPreviewDto, IpcError> {
    let running = state.operations.begin_request(operation);
    let osmo = state.sessions.session(&service)?;
    preview(&osmo, kind, revision, running.token()).await
}

async fn preview(
    osmo: &Session,
    kind: ConfigKindDto,
    revision: u32,
    cancel: &CancellationToken,
) -> Result<RollbackPreviewDto, IpcError> {
    let current = current_revision(osmo, kind, cancel).await?;
    let changes = changes_between(osmo, kind, current, revision.into(), cancel).await?;
    Ok(RollbackPreviewDto {
        kind,
        revision,
        current: revision_number(current),
        changes,
    })
}

fn affected(changes: &[EntityChangeDto]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = changes
        .iter()
        .map(|c| (c.name.clone(), c.change.clone()))
        .collect();
    out.sort();
    out
}

/// Rolls every `kind` back to `revision`, only when it would still change exactly what the
/// confirmed preview showed; answers the history as re-read.
pub async fn roll_back(
    state: &AppCore,
    service: ServiceId,
    confirmed: RollbackPreviewDto,
    description: String,
    operation: Option<RequestId>,
) -> Result<ConfigHistoryView, IpcError> {
    let running = state.operations.begin_request(operation);
    let cancel = running.token();
    let osmo = state.sessions.session(&service)?;
    let kind = confirmed.kind;
    let now = preview(&osmo, kind, confirmed.revision, cancel).await?;
    if now.current != confirmed.current || affected(&now.changes) != affected(&confirmed.changes) {
        return Err(IpcError::new(
            ErrorCode::Conflict,
            format!(
                "The configuration changed since the preview (revision {} is now in force), so the rollback was not sent. Look at the new preview and confirm again.",
                now.current
            ),
        ));
    }
    let description = if description.trim().is_empty() {
        format!("Roll back to revision {}", confirmed.revision)
    } else {
        description.trim().to_owned()
    };
    osmo.roll_back(kind.into(), confirmed.revision.into(), &description, cancel)
        .await?;
    tracing::info!(%service, revision = confirmed.revision, "config rolled back");
    state.health.poll_now();
    read_history(&osmo, service, kind, cancel).await
}

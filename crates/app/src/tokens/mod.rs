//! The Tokens screen over `osmo-admin-tokens`: the token list with badges and the backends known
//! to use each token, create (the one place a token's value crosses IPC: [`CreatedTokenDto`]),
//! delete, the tokens in use that need rotating (dashboard badge), and rotations of a backend's
//! token run in the background ([`rotations`]), checked against the cluster and the service after
//! a crash ([`check_rotations`], [`resolve_rotation`]); the token [`watch`] announces expiring ones.
//! Which token a backend uses is told in one place, [`uses`].

pub mod accounts;
mod recovery;
mod rotate;
pub mod rotations;
mod uses;
pub mod watch;

pub use recovery::{check_rotations, resolve_rotation};
pub use rotate::{
    list_rotations, retry_rotation, roll_back_rotation, rotation_status, start_rotation,
    RotationRequestDto,
};
pub(crate) use uses::used_token;

use std::sync::Arc;
use std::time::Duration;

use osmo_admin_core::{BackendName, ServiceId};
use osmo_admin_osmo_client::{CancellationToken, Session};
use osmo_admin_tokens::{
    inventory, needing_rotation, today_utc, Badge, Field, InventoryOptions, NewToken, Rules,
    TokenKind, TokenRef, TokenRow, TokensError,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::IpcError;
use crate::operations::RequestId;
use crate::AppCore;

/// Time limit of one cluster call made to tell which token a backend uses.
pub(crate) const USE_LOOKUP_TIMEOUT: Duration = Duration::from_secs(8);

/// Connects the rotations to the events, finds interrupted and set-aside ones (at start) and
/// checks in the background what the cluster and the service show for them.
pub(crate) fn start(core: &AppCore) {
    core.rotations.connect(core.downgrade());
    core.rotations.scan();
    recovery::check_in_background(core);
}

impl From<TokensError> for IpcError {
    /// The library's messages name the field, the object and what to do next.
    fn from(err: TokensError) -> Self {
        Self::new(err.code(), err.to_string())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BadgeDto {
    Expired,
    ExpiresSoon,
    Fine,
}

impl From<Badge> for BadgeDto {
    fn from(b: Badge) -> Self {
        match b {
            Badge::Expired => BadgeDto::Expired,
            Badge::ExpiresSoon => BadgeDto::ExpiresSoon,
            Badge::Fine => BadgeDto::Fine,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TokenKindDto {
    /// 6.0/6.1 service token.
    Service,
    /// 6.2+ token of a user holding `osmo-backend`.
    ServiceAccount,
    /// The signed-in user's own (personal) token.
    Own,
}

impl From<TokenKindDto> for TokenKind {
    fn from(kind: TokenKindDto) -> Self {
        match kind {
            TokenKindDto::Service => TokenKind::Service,
            TokenKindDto::ServiceAccount => TokenKind::ServiceAccount,
            TokenKindDto::Own => TokenKind::Own,
        }
    }
}

/// One token of the list (never its value).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TokenRowDto {
    pub owner: String,
    pub name: String,
    pub kind: TokenKindDto,
    pub roles: Vec<String>,
    pub description: String,
    /// `YYYY-MM-DD`, UTC: the service refuses the token from this date on.
    pub expires_on: String,
    pub days_left: i32,
    pub badge: BadgeDto,
    /// "expires in 5 days", "expired 3 days ago".
    pub words: String,
    /// Backends known to use it (a linked context's secret names it, or it carries a name this app
    /// gives a backend's token: `<backend>`, `<backend>-token`, `<backend>-operator-token`).
    pub used_by: Vec<String>,
}

/// The Tokens table of one session.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TokensView {
    pub session: ServiceId,
    /// `6.0/6.1` or `6.2+`.
    pub dialect: String,
    pub rows: Vec<TokenRowDto>,
    /// The "expires soon" threshold in days (settings).
    pub warning_days: u32,
    /// Today's UTC date, `YYYY-MM-DD`.
    pub today: String,
    /// Why some "used by" could not be told (a linked cluster unreachable, ...).
    pub use_notes: Vec<String>,
    /// The backends of this session (for the Rotate form).
    pub backends: Vec<BackendName>,
}

fn row_dto(r: TokenRow) -> TokenRowDto {
    TokenRowDto {
        owner: r.owner,
        name: r.name,
        kind: match r.kind {
            TokenKind::Service => TokenKindDto::Service,
            TokenKind::ServiceAccount => TokenKindDto::ServiceAccount,
            TokenKind::Own => TokenKindDto::Own,
        },
        roles: r.roles,
        description: r.description,
        expires_on: r.expiry.expires_on.format("%Y-%m-%d").to_string(),
        days_left: i32::try_from(r.expiry.days_left).unwrap_or(i32::MIN),
        badge: r.expiry.badge.into(),
        words: r.expiry.words,
        used_by: r.used_by,
    }
}

async fn token_rows(
    state: &AppCore,
    service: &ServiceId,
    session: Arc<Session>,
    cancel: &CancellationToken,
) -> Result<(Vec<TokenRow>, Vec<String>, Vec<String>), IpcError> {
    let known = uses::known_uses(state, service, &session, None, cancel).await;
    let options = InventoryOptions {
        soon_days: i64::from(state.settings.get().token_warning_days),
        today: today_utc(),
        uses: known.uses,
        ..InventoryOptions::default()
    };
    let rows = inventory_sendable(session, options, cancel).await?;
    Ok((rows, known.notes, known.backends))
}

/// `inventory` on a blocking thread: its future (a buffered stream of borrowed closures) cannot
/// be proven `Send` (rust-lang/rust#102211), which a command's future must be.
async fn inventory_sendable(
    session: Arc<Session>,
    options: InventoryOptions,
    cancel: &CancellationToken,
) -> Result<Vec<TokenRow>, TokensError> {
    let cancel = cancel.clone();
    let handle = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        handle.block_on(async move { inventory(&session, &options, &cancel).await })
    })
    .await
    .unwrap_or_else(|e| {
        Err(TokensError::State(format!(
            "Listing the tokens stopped unexpectedly: {e}"
        )))
    })
}

/// The tokens of `service`, with badges and the backends known to use each.
pub async fn list(
    state: &AppCore,
    session: ServiceId,
    operation: Option<RequestId>,
) -> Result<TokensView, IpcError> {
    let running = state.operations.begin_request(operation);
    let osmo = state.sessions.session(&session)?;
    let (rows, use_notes, backends) =
        token_rows(state, &session, osmo.clone(), running.token()).await?;
    Ok(TokensView {
        dialect: osmo.dialect().label().to_owned(),
        session,
        rows: rows.into_iter().map(row_dto).collect(),
        warning_days: state.settings.get().token_warning_days,
        today: today_utc().format("%Y-%m-%d").to_string(),
        use_notes,
        backends: backends.into_iter().map(BackendName::new).collect(),
    })
}

/// The "Create token" form.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewTokenDto {
    /// 6.2+: the service-account user (created when missing). Ignored at 6.0/6.1.
    pub owner: Option<String>,
    pub name: String,
    /// `YYYY-MM-DD`, a UTC date strictly after today.
    pub expires_at: String,
    pub roles: Vec<String>,
    #[serde(default)]
    pub description: String,
    /// For a backend operator: `osmo-backend` is then required.
    #[serde(default)]
    pub for_operator: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum TokenFieldDto {
    Owner,
    Name,
    ExpiresAt,
    Roles,
}

/// One broken rule of the form, for the field it names.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TokenFieldErrorDto {
    pub field: TokenFieldDto,
    pub message: String,
}

/// A created token, WITH ITS VALUE. This is the only DTO that carries a token's value over IPC:
/// the service shows it once, the app does not keep it, and the UI shows it once with a copy
/// button (then forgets it; the clipboard is cleared after 60 s if it still holds it).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CreatedTokenDto {
    pub owner: String,
    pub name: String,
    pub expires_on: String,
    /// The token's value: show it once, never store it.
    pub value: String,
    /// 6.2+: the service-account user did not exist and was created.
    pub user_created: bool,
}

/// How "Create token" ended: created (value shown once), or the fields at fault (nothing sent).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum CreateTokenDto {
    Created {
        token: CreatedTokenDto,
    },
    Invalid {
        errors: Vec<TokenFieldErrorDto>,
    },
    /// 6.2+: the user lacks roles the token asks for; nothing was sent. The user may add them
    /// (`add_user_roles`) and create again.
    MissingRoles {
        user: String,
        roles: Vec<String>,
        message: String,
    },
}

fn field_dto(f: Field) -> TokenFieldDto {
    match f {
        Field::Owner => TokenFieldDto::Owner,
        Field::Name => TokenFieldDto::Name,
        Field::ExpiresAt => TokenFieldDto::ExpiresAt,
        Field::Roles => TokenFieldDto::Roles,
    }
}

fn new_token(form: NewTokenDto) -> NewToken {
    NewToken {
        owner: form.owner.filter(|o| !o.trim().is_empty()),
        name: form.name.trim().to_owned(),
        expires_at: form.expires_at,
        roles: form.roles,
        description: form.description,
        for_operator: form.for_operator,
    }
}

/// Creates a token after checking the server's rules; its value is in the answer, once.
pub async fn create(
    state: &AppCore,
    session: ServiceId,
    form: NewTokenDto,
    operation: Option<RequestId>,
) -> Result<CreateTokenDto, IpcError> {
    let running = state.operations.begin_request(operation);
    let osmo = state.sessions.session(&session)?;
    let answer =
        osmo_admin_tokens::create(&osmo, &new_token(form), &Rules::default(), running.token())
            .await;
    match answer {
        Ok(created) => {
            tracing::info!(token = %created.token, "token created");
            Ok(CreateTokenDto::Created {
                token: CreatedTokenDto {
                    owner: created.token.owner.clone(),
                    name: created.token.name.clone(),
                    expires_on: created.expires_on.format("%Y-%m-%d").to_string(),
                    value: created.value.expose().to_owned(),
                    user_created: created.user_created,
                },
            })
        }
        Err(TokensError::Invalid(errors)) => Ok(CreateTokenDto::Invalid {
            errors: errors
                .into_iter()
                .map(|e| TokenFieldErrorDto {
                    field: field_dto(e.field),
                    message: e.message,
                })
                .collect(),
        }),
        Err(err @ TokensError::MissingRoles { .. }) => {
            let message = err.to_string();
            let TokensError::MissingRoles { user, roles } = err else {
                unreachable!("matched above")
            };
            Ok(CreateTokenDto::MissingRoles {
                user,
                roles,
                message,
            })
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn delete(
    state: &AppCore,
    session: ServiceId,
    owner: String,
    name: String,
    kind: TokenKindDto,
    operation: Option<RequestId>,
) -> Result<bool, IpcError> {
    let running = state.operations.begin_request(operation);
    let osmo = state.sessions.session(&session)?;
    let token = TokenRef { owner, name };
    osmo_admin_tokens::delete(&osmo, &token, kind.into(), running.token()).await?;
    tracing::info!(%token, "token deleted");
    Ok(true)
}

/// A token in use that is expired or expires within the threshold.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TokenNeedingRotationDto {
    pub session: ServiceId,
    pub owner: String,
    pub name: String,
    pub used_by: Vec<BackendName>,
    pub badge: BadgeDto,
    pub words: String,
    pub expires_on: String,
}

/// The dashboard's and the Tokens nav item's badge.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TokensNeedingRotationView {
    pub count: u32,
    pub tokens: Vec<TokenNeedingRotationDto>,
    /// Sessions whose tokens could not be listed, in words.
    pub errors: Vec<String>,
}

/// Every signed-in session's tokens in use that are expired or expire within the threshold.
pub async fn needing_rotation_view(state: &AppCore) -> TokensNeedingRotationView {
    let cancel = CancellationToken::new();
    let mut tokens = Vec::new();
    let mut errors = Vec::new();
    for (name, session) in state.sessions.signed_in() {
        match token_rows(state, &name, session, &cancel).await {
            Ok((rows, _, _)) => {
                tokens.extend(needing_rotation(&rows).map(|r| {
                    TokenNeedingRotationDto {
                        session: name.clone(),
                        owner: r.owner.clone(),
                        name: r.name.clone(),
                        used_by: r
                            .used_by
                            .iter()
                            .map(|b| BackendName::new(b.as_str()))
                            .collect(),
                        badge: r.expiry.badge.into(),
                        words: r.expiry.words.clone(),
                        expires_on: r.expiry.expires_on.format("%Y-%m-%d").to_string(),
                    }
                }));
            }
            Err(e) => errors.push(format!("{name}: {}", e.message)),
        }
    }
    TokensNeedingRotationView {
        count: u32::try_from(tokens.len()).unwrap_or(u32::MAX),
        tokens,
        errors,
    }
}

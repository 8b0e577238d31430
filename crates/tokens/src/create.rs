//! Creating and deleting tokens per dialect. [`create`] validates the form first (nothing is sent
//! when it breaks a rule); at 6.2+ it creates the service-account user with the token's roles
//! when the user does not exist yet. The value is returned once, as a [`Secret`] in [`Created`]
//! (which has no `Serialize`; its `Debug` prints `[redacted]`). [`delete`] removes a token by
//! owner and name; [`token_exists`] says whether one exists.

use chrono::NaiveDate;
use osmo_admin_osmo_client::{CancellationToken, Dialect, Session};
use osmo_admin_secrets::Secret;

use crate::error::{is_gone, TokensError};
use crate::form::{validate, NewToken, Rules, ValidToken};
use crate::inventory::TokenKind;

/// A token by owner and name (6.0 service tokens: the owner is the name); the same type names the
/// token a Secret holds in osmo-admin-kube.
pub use osmo_admin_kube::operator::TokenRef;

/// A created token: shown once, then dropped (the memory is zeroed).
#[derive(Debug)]
pub struct Created {
    pub token: TokenRef,
    pub expires_on: NaiveDate,
    pub value: Secret,
    /// 6.2+: the service-account user did not exist and was created.
    pub user_created: bool,
}

/// Validates `form` and creates the token.
pub async fn create(
    session: &Session,
    form: &NewToken,
    rules: &Rules,
    cancel: &CancellationToken,
) -> Result<Created, TokensError> {
    let valid = validate(form, session.dialect(), rules).map_err(TokensError::Invalid)?;
    let user_created = ensure_owner(session, &valid, cancel).await?;
    let value = create_valid(session, &valid, cancel).await?;
    Ok(Created {
        token: TokenRef {
            owner: valid.owner,
            name: valid.name,
        },
        expires_on: valid.expires_on,
        value,
        user_created,
    })
}

/// 6.2+: creates the owner with the token's roles when missing (true), or checks that it holds
/// them. 6.0/6.1: nothing to do.
pub(crate) async fn ensure_owner(
    session: &Session,
    valid: &ValidToken,
    cancel: &CancellationToken,
) -> Result<bool, TokensError> {
    if session.dialect() == Dialect::V6_0 {
        return Ok(false);
    }
    let user = session
        .get_user(&valid.owner, cancel)
        .await
        .map_err(TokensError::osmo)?;
    let Some(user) = user else {
        session
            .create_user(&valid.owner, &valid.roles, cancel)
            .await
            .map_err(TokensError::osmo)?;
        return Ok(true);
    };
    let held = user.role_names();
    let missing: Vec<&str> = valid
        .roles
        .iter()
        .filter(|r| !held.contains(r))
        .map(String::as_str)
        .collect();
    if missing.is_empty() {
        return Ok(false);
    }
    Err(TokensError::MissingRoles {
        user: valid.owner.clone(),
        roles: missing.into_iter().map(str::to_owned).collect(),
    })
}

/// Sends the creation of an already validated token.
pub(crate) async fn create_valid(
    session: &Session,
    valid: &ValidToken,
    cancel: &CancellationToken,
) -> Result<Secret, TokensError> {
    let answer = match session.dialect() {
        Dialect::V6_0 => {
            session
                .create_service_token(
                    &valid.name,
                    valid.expires_on,
                    &valid.roles,
                    &valid.description,
                    cancel,
                )
                .await
        }
        Dialect::V6_2 => {
            session
                .create_user_token(
                    &valid.owner,
                    &valid.name,
                    valid.expires_on,
                    &valid.roles,
                    &valid.description,
                    cancel,
                )
                .await
        }
    };
    answer.map_err(TokensError::osmo)
}

/// Deletes `token`, a row of the list of that `kind` (an operator's token is never `Own`). At 6.0/6.1 a service token is deleted by
/// name (its owner is its name); a personal token through the signed-in user's own route.
pub async fn delete(
    session: &Session,
    token: &TokenRef,
    kind: TokenKind,
    cancel: &CancellationToken,
) -> Result<(), TokensError> {
    let answer = match (session.dialect(), kind) {
        (Dialect::V6_0, TokenKind::Own) => session.delete_own_token(&token.name, cancel).await,
        (Dialect::V6_0, _) => session.delete_service_token(&token.name, cancel).await,
        (Dialect::V6_2, _) => {
            session
                .delete_user_token(&token.owner, &token.name, cancel)
                .await
        }
    };
    answer.map_err(TokensError::osmo)
}

/// Whether `token` exists in the service (6.2+: an owner that does not exist has none).
pub async fn token_exists(
    session: &Session,
    token: &TokenRef,
    cancel: &CancellationToken,
) -> Result<bool, TokensError> {
    let listed = match session.dialect() {
        Dialect::V6_0 => session.list_service_tokens(cancel).await,
        Dialect::V6_2 => session.list_user_tokens(&token.owner, cancel).await,
    };
    match listed {
        Ok(list) => Ok(list
            .iter()
            .any(|t| t.token_name == token.name && t.user_name == token.owner)),
        Err(e) if is_gone(&e) => Ok(false),
        Err(e) => Err(TokensError::osmo(e)),
    }
}

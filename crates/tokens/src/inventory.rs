//! The token list (osmo-api.md §2.1, §2.2). 6.0/6.1: every service token
//! (`GET /api/auth/access_token/service`) and the signed-in user's personal tokens. 6.2+: the tokens of every user holding `osmo-backend`
//! (the service accounts operators use) and the signed-in user's own tokens. Each row carries
//! its [`Expiry`] and the backends known to use it (from pairs the caller supplies: a backend
//! whose secret this app wrote, or matched by name).

use std::time::Duration;

use chrono::NaiveDate;
use futures::{stream, StreamExt, TryStreamExt};
use osmo_admin_osmo_client::{AccessTokenInfo, CancellationToken, Dialect, Session, SessionState};
use serde::Serialize;

use crate::error::TokensError;
use crate::expiry::{today_utc, Expiry, DEFAULT_SOON_DAYS};
use crate::within::within;
use crate::Limits;

/// The role that marks a 6.2+ user as a backend service account.
pub const BACKEND_ROLE: &str = "osmo-backend";

/// How long the whole list may take by default, every page and account included.
pub const INVENTORY_DEADLINE: Duration = Duration::from_secs(60);

/// How many service accounts' token lists are read at once (6.2+).
const PARALLEL_LISTS: usize = 8;

/// Whose token a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TokenKind {
    /// 6.0/6.1 service token (its owner is its name).
    Service,
    /// 6.2+ token of a user holding `osmo-backend`.
    ServiceAccount,
    /// The signed-in user's own (personal) token.
    Own,
}

/// "Backend `backend` uses token `token_name` (of `owner`, when known)".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenUse {
    pub backend: String,
    /// `None` matches the name under any owner.
    pub owner: Option<String>,
    pub token_name: String,
}

/// One token of the list (never its value: the service cannot return it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenRow {
    pub owner: String,
    pub name: String,
    pub kind: TokenKind,
    pub roles: Vec<String>,
    pub description: String,
    pub expiry: Expiry,
    /// Backends known to use it (empty when unknown).
    pub used_by: Vec<String>,
}

/// How to build the list.
#[derive(Debug, Clone)]
pub struct InventoryOptions {
    /// Days left at or below which a token is "expires soon" (default 7).
    pub soon_days: i64,
    /// Today (UTC); settable for tests.
    pub today: NaiveDate,
    pub uses: Vec<TokenUse>,
    /// The whole list fails with [`TokensError::Timeout`] after this long, even when the
    /// caller's cancellation never fires (default [`INVENTORY_DEADLINE`]).
    pub deadline: Duration,
}

impl Default for InventoryOptions {
    fn default() -> Self {
        Self {
            soon_days: DEFAULT_SOON_DAYS,
            today: today_utc(),
            uses: Vec::new(),
            deadline: INVENTORY_DEADLINE,
        }
    }
}

/// Turns the service's token records into rows (sorted by expiry, soonest first).
pub fn rows(
    tokens: Vec<(TokenKind, AccessTokenInfo)>,
    options: &InventoryOptions,
) -> Vec<TokenRow> {
    let mut rows: Vec<TokenRow> = tokens
        .into_iter()
        .map(|(kind, t)| {
            let used_by = options
                .uses
                .iter()
                .filter(|u| {
                    u.token_name == t.token_name
                        && u.owner.as_deref().is_none_or(|o| o == t.user_name)
                })
                .map(|u| u.backend.clone())
                .collect();
            TokenRow {
                expiry: Expiry::new(t.expires_at.date(), options.today, options.soon_days),
                owner: t.user_name,
                name: t.token_name,
                kind,
                roles: t.roles,
                description: t.description,
                used_by,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        (a.expiry.expires_on, &a.owner, &a.name).cmp(&(b.expiry.expires_on, &b.owner, &b.name))
    });
    rows
}

/// The rows a dashboard badge and notification are about: tokens in use by a backend that are
/// expired or expire within the threshold ("rotate now").
pub fn needing_rotation(rows: &[TokenRow]) -> impl Iterator<Item = &TokenRow> {
    rows.iter()
        .filter(|r| !r.used_by.is_empty() && r.expiry.badge != crate::expiry::Badge::Fine)
}

/// Lists the tokens an admin manages on this session's service, within `options.deadline`.
pub async fn inventory(
    session: &Session,
    options: &InventoryOptions,
    cancel: &CancellationToken,
) -> Result<Vec<TokenRow>, TokensError> {
    let limits = Limits::new(options.deadline, cancel.clone());
    let tokens = within(
        &limits,
        "list the access tokens",
        read_tokens(session, cancel),
    )
    .await?;
    Ok(rows(tokens, options))
}

/// Every token record the list shows, with its kind.
async fn read_tokens(
    session: &Session,
    cancel: &CancellationToken,
) -> Result<Vec<(TokenKind, AccessTokenInfo)>, TokensError> {
    let mut tokens: Vec<(TokenKind, AccessTokenInfo)> = Vec::new();
    match session.dialect() {
        Dialect::V6_0 => {
            let list = session
                .list_service_tokens(cancel)
                .await
                .map_err(TokensError::osmo)?;
            tokens.extend(list.into_iter().map(|t| (TokenKind::Service, t)));
            let own = session
                .list_own_tokens(cancel)
                .await
                .map_err(TokensError::osmo)?;
            tokens.extend(own.into_iter().map(|t| (TokenKind::Own, t)));
        }
        Dialect::V6_2 => {
            let accounts = session
                .list_users_with_role(BACKEND_ROLE, cancel)
                .await
                .map_err(TokensError::osmo)?;
            let lists: Vec<Vec<AccessTokenInfo>> = stream::iter(&accounts)
                .map(|user| async move {
                    session
                        .list_user_tokens(&user.id, cancel)
                        .await
                        .map_err(TokensError::osmo)
                })
                .buffered(PARALLEL_LISTS)
                .try_collect()
                .await?;
            tokens.extend(
                lists
                    .into_iter()
                    .flatten()
                    .map(|t| (TokenKind::ServiceAccount, t)),
            );
            let me = match session.state().await {
                SessionState::SignedIn(info) => Some(info.user),
                SessionState::SignInAgain { .. } => None,
            };
            if !me.is_some_and(|me| accounts.iter().any(|a| a.id == me)) {
                let own = session
                    .list_own_tokens(cancel)
                    .await
                    .map_err(TokensError::osmo)?;
                tokens.extend(own.into_iter().map(|t| (TokenKind::Own, t)));
            }
        }
    }
    Ok(tokens)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::expiry::Badge;

    fn token(user: &str, name: &str, date: &str) -> AccessTokenInfo {
        serde_json::from_value(serde_json::json!({
            "user_name": user, "token_name": name, "expires_at": format!("{date}T00:00:00"),
            "description": "", "roles": ["osmo-backend"]
        }))
        .unwrap()
    }

    #[test]
    fn rows_carry_badges_and_known_uses() {
        let options = InventoryOptions {
            today: NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
            uses: vec![
                TokenUse {
                    backend: "gpu-east".into(),
                    owner: Some("svc".into()),
                    token_name: "backend-token".into(),
                },
                TokenUse {
                    backend: "gpu-west".into(),
                    owner: Some("other".into()),
                    token_name: "backend-token".into(),
                },
            ],
            ..InventoryOptions::default()
        };
        let list = rows(
            vec![
                (
                    TokenKind::ServiceAccount,
                    token("svc", "backend-token", "2027-01-01"),
                ),
                (TokenKind::Own, token("admin", "mine", "2026-11-30")),
            ],
            &options,
        );
        assert_eq!(list[0].name, "mine");
        assert_eq!(list[0].expiry.badge, Badge::ExpiresSoon);
        assert_eq!(list[1].used_by, vec!["gpu-east".to_owned()]);
        assert_eq!(list[1].expiry.badge, Badge::Fine);
        assert_eq!(needing_rotation(&list).count(), 0);
        let soon = rows(
            vec![(
                TokenKind::ServiceAccount,
                token("svc", "backend-token", "2026-11-28"),
            )],
            &options,
        );
        let names: Vec<&str> = needing_rotation(&soon).map(|r| r.name.as_str()).collect();
        assert_eq!(names, vec!["backend-token"]);
    }

    /// A service that answers too slowly for the deadline: the list fails with a timeout even
    /// though the caller's cancellation never fires.
    #[tokio::test]
    async fn the_list_stops_at_its_deadline() {
        use osmo_admin_osmo_client::{ClientConfig, Connection, ServiceSpec};
        use osmo_sim::{FaultConfig, SimConfig, Simulator};

        let sim =
            Simulator::start(SimConfig::new(osmo_sim::Dialect::V6_2).user("svc", &[BACKEND_ROLE]))
                .await
                .unwrap();
        sim.set_faults(FaultConfig {
            latency_ms: 5_000,
            path_prefix: Some("/api/auth/user".into()),
            ..FaultConfig::default()
        });
        let spec = ServiceSpec {
            name: "sim".into(),
            url: sim.base_url(),
            custom_ca_pem: None,
        };
        let never = CancellationToken::new();
        let session = Connection::open(spec, ClientConfig::default(), &never)
            .await
            .unwrap()
            .sign_in_development("admin")
            .unwrap();
        let options = InventoryOptions {
            deadline: Duration::from_millis(300),
            ..InventoryOptions::default()
        };
        let started = std::time::Instant::now();
        let err = inventory(&session, &options, &never).await.unwrap_err();
        assert!(matches!(err, TokensError::Timeout { .. }), "{err}");
        assert!(err.to_string().contains("list the access tokens"), "{err}");
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{:?}",
            started.elapsed()
        );
    }
}

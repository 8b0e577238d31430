//! Which token each backend uses: the one matcher behind the Tokens screen's "used by", the
//! dashboard's "rotate now" and the diagnosis' token check. A linked backend's Secret names its
//! token when this app (or the sandbox) wrote it; otherwise a token carrying one of the names this
//! app gives a backend's token ([`names_for`]) is taken as the backend's.

use std::sync::Arc;

use osmo_admin_core::{BackendLink, BackendName, BackendRef, ServiceId};
use osmo_admin_diagnostics::{TokenInUse, TokenState, UsedToken};
use osmo_admin_osmo_client::{CancellationToken, Session};
use osmo_admin_tokens::rotation::{token_in_secret, SecretTarget};
use osmo_admin_tokens::{Badge, InventoryOptions, Limits, TokenRef, TokenRow, TokenUse};

use super::{inventory_sendable, USE_LOOKUP_TIMEOUT};
use crate::{clusters, AppCore};

/// The names this app gives a backend's token: the backend's own name, the sandbox's
/// `<backend>-token` and the setup guide's `<backend>-operator-token`.
pub(crate) fn names_for(backend: &str) -> [String; 3] {
    [
        backend.to_owned(),
        format!("{backend}-token"),
        format!("{backend}-operator-token"),
    ]
}

/// The uses known for a service's backends, why some could not be told, and its backends.
pub(super) struct KnownUses {
    pub uses: Vec<TokenUse>,
    pub notes: Vec<String>,
    pub backends: Vec<String>,
}

fn secret_of(link: &BackendLink) -> SecretTarget {
    SecretTarget {
        namespace: link.operator_namespace().to_owned(),
        ..SecretTarget::default()
    }
}

/// Which token a linked backend's secret holds (written by this app), with a time limit.
async fn token_of_link(
    state: &AppCore,
    link: &BackendLink,
    cancel: &CancellationToken,
) -> Result<Option<TokenRef>, String> {
    let client = tokio::time::timeout(USE_LOOKUP_TIMEOUT, clusters::client(state, link.context()))
        .await
        .map_err(|_| format!("context {} did not answer in time", link.context()))?
        .map_err(|e| e.message)?;
    let limits = Limits::new(USE_LOOKUP_TIMEOUT, cancel.clone());
    token_in_secret(&client, &secret_of(link), &limits)
        .await
        .map_err(|e| e.to_string())
}

/// The backends known to use which tokens: linked contexts' secrets (only `only`'s, when given),
/// then, for a backend whose secret names none, the tokens named for it ([`names_for`]).
pub(super) async fn known_uses(
    state: &AppCore,
    service: &ServiceId,
    session: &Session,
    only: Option<&BackendName>,
    cancel: &CancellationToken,
) -> KnownUses {
    let mut uses = Vec::new();
    let mut notes = Vec::new();
    let links = state.links.of_service(service);
    for link in links
        .iter()
        .filter(|l| only.is_none_or(|b| l.backend_name() == b))
    {
        match token_of_link(state, link, cancel).await {
            Ok(Some(token)) => uses.push(TokenUse {
                backend: link.backend_name().to_string(),
                owner: Some(token.owner),
                token_name: token.name,
            }),
            Ok(None) => {}
            Err(e) => notes.push(format!(
                "Which token backend {} uses is unknown: {e}",
                link.backend_name()
            )),
        }
    }
    let backends = match session.list_backends(cancel).await {
        Ok(list) => list.into_iter().map(|b| b.name).collect(),
        Err(e) => {
            notes.push(format!("The backends could not be listed: {e}"));
            Vec::new()
        }
    };
    let by_name: Vec<TokenUse> = backends
        .iter()
        .filter(|b| !uses.iter().any(|u| &u.backend == *b))
        .flat_map(|b| {
            names_for(b).into_iter().map(|token_name| TokenUse {
                backend: b.clone(),
                owner: None,
                token_name,
            })
        })
        .collect();
    uses.extend(by_name);
    KnownUses {
        uses,
        notes,
        backends,
    }
}

fn state_of(badge: Badge) -> TokenState {
    match badge {
        Badge::Expired => TokenState::Expired,
        Badge::ExpiresSoon => TokenState::ExpiresSoon,
        Badge::Fine => TokenState::Fine,
    }
}

fn named(row: &TokenRow) -> String {
    if row.owner == row.name {
        row.name.clone()
    } else {
        format!("{} of {}", row.name, row.owner)
    }
}

/// The token `backend` uses, as the Tokens screen's "used by" tells it, with its expiry. When
/// several tokens are named for it, the one expiring last (the others are named in the finding).
pub(crate) async fn used_token(
    state: &AppCore,
    backend: &BackendRef,
    session: Arc<Session>,
    cancel: &CancellationToken,
) -> TokenInUse {
    let name = backend.backend.as_str();
    let known = known_uses(
        state,
        &backend.service,
        &session,
        Some(&backend.backend),
        cancel,
    )
    .await;
    let in_secret = known
        .uses
        .iter()
        .find(|u| u.backend == name && u.owner.is_some())
        .map(|u| u.token_name.clone());
    let link = state.links.of(backend);
    let options = InventoryOptions {
        soon_days: i64::from(state.settings.get().token_warning_days),
        uses: known.uses,
        ..InventoryOptions::default()
    };
    let rows = match inventory_sendable(session, options, cancel).await {
        Ok(rows) => rows,
        Err(e) => return TokenInUse::Unreadable(e.to_string()),
    };
    let mut mine: Vec<&TokenRow> = rows
        .iter()
        .filter(|r| r.used_by.iter().any(|b| b == name))
        .collect();
    mine.sort_by_key(|r| r.expiry.expires_on);
    let Some(used) = mine.pop() else {
        let [a, b, c] = names_for(name);
        let mut why = match &in_secret {
            Some(token) => format!(
                "its Secret names token {token}, which {} does not list",
                backend.service
            ),
            None => format!("no token is named {a}, {b} or {c}, and no linked Secret names one"),
        };
        for note in known.notes {
            why.push_str(&format!("; {note}"));
        }
        return TokenInUse::Unknown(why);
    };
    let mut known_from = match (&in_secret, &link) {
        (Some(_), Some(l)) => format!(
            "the operator's Secret {}/{} names it",
            l.operator_namespace(),
            secret_of(l).name
        ),
        _ => "it is named for the backend".to_owned(),
    };
    if !mine.is_empty() {
        let others: Vec<String> = mine
            .iter()
            .map(|r| format!("{} ({})", named(r), r.expiry.words))
            .collect();
        known_from.push_str(&format!("; also named for it: {}", others.join(", ")));
    }
    TokenInUse::Known(UsedToken {
        token: named(used),
        known_from,
        state: state_of(used.expiry.badge),
        words: used.expiry.words.clone(),
        expires_on: used.expiry.expires_on,
    })
}

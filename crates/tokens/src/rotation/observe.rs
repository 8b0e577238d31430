//! Reading what the cluster and the service show now about a rotation's backend ([`Observed`]):
//! the token Secret (which token its annotations name, whether `<key>.previous` is there, which
//! rotation marked it), which of the rotation's tokens exist in OSMO, the operator's last restart
//! and the backend's last heartbeat. Each read has the caller's time limit; one that fails is a
//! note in the answer, never an error, so the rest is still shown.

use std::collections::BTreeSet;

use chrono::Utc;
use osmo_admin_kube::operator::{self, KubeCallError};
use osmo_admin_osmo_client::{Dialect, Session};

use crate::create::TokenRef;
use crate::error::{is_gone, TokensError};
use crate::rotation::plan::SecretTarget;
use crate::rotation::truth::{Observed, SecretSeen};
use crate::rotation::Journal;
use crate::within::within;
use crate::Limits;

/// What to read: the backend, its token Secret, and the tokens whose existence matters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watched {
    pub backend: String,
    pub secret: SecretTarget,
    /// The old and the new token (the Secret's holder is looked up as well).
    pub tokens: Vec<TokenRef>,
}

impl Watched {
    /// What matters for rotation `j`.
    pub fn of(j: &Journal) -> Self {
        let new = TokenRef {
            owner: j.new_token.owner.clone(),
            name: j.new_token.name.clone(),
        };
        Self {
            backend: j.plan.backend.clone(),
            secret: j.plan.secret.clone(),
            tokens: j.plan.old_token.iter().cloned().chain([new]).collect(),
        }
    }
}

/// Reads the cluster (`client`) and the service (`session`) now; either may be missing, with why.
pub async fn observe(
    session: Result<&Session, String>,
    client: Result<&kube::Client, String>,
    what: &Watched,
    limits: &Limits,
) -> Observed {
    let mut seen = Observed {
        at: Utc::now(),
        secret: None,
        existing: None,
        restarted_at: None,
        last_heartbeat: None,
        notes: Vec::new(),
    };
    match client {
        Ok(client) => read_cluster(client, what, limits, &mut seen).await,
        Err(why) => seen.notes.push(format!("the cluster: {why}")),
    }
    match session {
        Ok(session) => read_service(session, what, limits, &mut seen).await,
        Err(why) => seen.notes.push(format!("the service: {why}")),
    }
    seen
}

async fn read_cluster(client: &kube::Client, what: &Watched, limits: &Limits, seen: &mut Observed) {
    let note = |e: KubeCallError| e.short();
    match operator::read_secret(client, &what.secret, limits).await {
        Ok(Some(c)) => {
            seen.secret = Some(SecretSeen {
                exists: true,
                holder: c.holder(),
                previous_kept: c.previous_present,
                rotation: c.rotation().map(str::to_owned),
                last_changed: c.last_changed,
            });
        }
        Ok(None) => seen.secret = Some(SecretSeen::default()),
        Err(e) => seen.notes.push(note(e)),
    }
    match operator::list_deployments(client, &what.secret.namespace, limits).await {
        Ok(list) => seen.restarted_at = Some(list.iter().filter_map(operator::restarted_at).max()),
        Err(e) => seen.notes.push(note(e)),
    }
}

async fn read_service(session: &Session, what: &Watched, limits: &Limits, seen: &mut Observed) {
    let mut tokens: Vec<TokenRef> = what.tokens.clone();
    if let Some(holder) = seen.secret.as_ref().and_then(|s| s.holder.clone()) {
        if !tokens.contains(&holder) {
            tokens.push(holder);
        }
    }
    match existing(session, &tokens, limits).await {
        Ok(found) => seen.existing = Some(found),
        Err(e) => seen.notes.push(format!("the tokens: {e}")),
    }
    let backend = within(limits, "read the backend", async {
        session
            .get_backend(&what.backend, &limits.cancel)
            .await
            .map_err(TokensError::osmo)
    })
    .await;
    match backend {
        Ok(b) => seen.last_heartbeat = Some(b.last_heartbeat.map(|t| t.and_utc())),
        Err(e) => seen.notes.push(format!("backend {}: {e}", what.backend)),
    }
}

/// Which of `tokens` exist in the service.
async fn existing(
    session: &Session,
    tokens: &[TokenRef],
    limits: &Limits,
) -> Result<Vec<TokenRef>, TokensError> {
    let owners: BTreeSet<&str> = tokens.iter().map(|t| t.owner.as_str()).collect();
    let mut listed = Vec::new();
    match session.dialect() {
        Dialect::V6_0 => {
            listed = within(limits, "list the service tokens", async {
                session
                    .list_service_tokens(&limits.cancel)
                    .await
                    .map_err(TokensError::osmo)
            })
            .await?;
        }
        Dialect::V6_2 => {
            for owner in owners {
                let list = within(limits, "list a service account's tokens", async {
                    session
                        .list_user_tokens(owner, &limits.cancel)
                        .await
                        .map_err(TokensError::osmo)
                })
                .await;
                match list {
                    Ok(list) => listed.extend(list),
                    Err(TokensError::Osmo(e)) if is_gone(&e) => {}
                    Err(e) => return Err(e),
                }
            }
        }
    }
    Ok(tokens
        .iter()
        .filter(|t| {
            listed
                .iter()
                .any(|l| l.token_name == t.name && l.user_name == t.owner)
        })
        .cloned()
        .collect())
}

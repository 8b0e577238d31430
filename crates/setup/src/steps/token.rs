//! Step 1: the operator's access token. At 6.0/6.1 a service token, at 6.2+ a token of a
//! service-account user (created first when missing), both through osmo-admin-tokens' `create`
//! with the `osmo-backend` role. When the Secret already holds a token the service accepts
//! (exchanged without being shown, `check_access_token`), it is reused and nothing is created.
//! A created token stays in memory only, until step 2 writes it into the Secret.
//!
//! So that a run stopped in between (the app quit or was killed) never leaves the user stuck
//! with a token name taken by a value nobody has, the token is saved in the progress file just
//! before its creation is sent, when it did not exist yet ([`Progress::token_sent`]). A token of
//! that name that no Secret of the plan holds is then this setup's own orphan: the next run
//! deletes it (its lost value stops working) and creates it again, saying so in the log. A token
//! of that name that this setup did not create (another backend's) is never touched: the run
//! stops with [`SetupError::TokenExists`].

use osmo_admin_kube::operator;
use osmo_admin_osmo_client::{
    check_access_token, CancellationToken, ClientConfig, Dialect, HttpClient, TokenCheck,
};
use osmo_admin_tokens::{
    create, delete, token_exists, validate, Rules, TokenKind, TokenRef, TokensError,
};

use super::cluster::{secret_value, token_secret};
use super::{limits, within, Setup, StepOutcome, StepState};
use crate::error::SetupError;
use crate::log::StepLog;
use crate::progress::Progress;

/// What the Secret's token is worth.
enum Held {
    /// Accepted by the service; `who` names its user.
    Accepted {
        who: String,
    },
    Refused {
        reason: String,
    },
    Missing,
}

async fn held(setup: &Setup, cancel: &CancellationToken) -> Result<Held, SetupError> {
    let Some(value) = secret_value(setup, cancel).await? else {
        return Ok(Held::Missing);
    };
    let http = HttpClient::new(setup.session.spec(), ClientConfig::default())?;
    let dialect = setup.session.dialect();
    let check = within(
        setup.plan.call_timeout,
        cancel,
        "check the Secret's token with the service",
        async { Ok(check_access_token(&http, dialect, &value, cancel).await) },
    )
    .await?;
    match check {
        TokenCheck::Accepted { user, .. } => Ok(Held::Accepted {
            who: user.map(|u| format!(" (user {u})")).unwrap_or_default(),
        }),
        TokenCheck::Rejected { reason } => Ok(Held::Refused { reason }),
        TokenCheck::Failed(e) => Err(e.into()),
    }
}

fn pending_name(setup: &Setup) -> Option<String> {
    setup
        .new_token
        .lock()
        .ok()
        .and_then(|t| t.as_ref().map(|(r, _)| r.to_string()))
}

fn secret_ref(setup: &Setup) -> String {
    let p = &setup.plan;
    format!("{}/{}", p.operator_namespace, p.secret_name)
}

fn will_create(setup: &Setup) -> String {
    let t = &setup.plan.token;
    format!(
        "Create token {} with role(s) {}, expiring {}{}.",
        t.name,
        t.roles.join(", "),
        t.expires_at,
        match (setup.session.dialect(), &t.owner) {
            (osmo_admin_osmo_client::Dialect::V6_2, Some(owner)) =>
                format!(", for service account {owner} (created if missing)"),
            _ => " (a service token)".into(),
        }
    )
}

/// The token step 1 creates, as the service records it (6.0/6.1: its owner is its name).
fn planned(setup: &Setup) -> Result<TokenRef, SetupError> {
    let valid = validate(
        &setup.plan.token,
        setup.session.dialect(),
        &Rules::default(),
    )
    .map_err(TokensError::Invalid)?;
    Ok(TokenRef {
        owner: valid.owner,
        name: valid.name,
    })
}

/// What the service holds under step 1's token name (when the Secret holds no usable token).
enum Existing {
    None,
    /// Created by an earlier run of this setup that stopped before step 2 wrote it: its value
    /// is lost.
    Orphan(TokenRef),
    /// Not created by this setup, or named by the plan's Secret (`held`) whose value the service
    /// refuses: never touched.
    Other {
        token: TokenRef,
        held: bool,
    },
}

async fn existing(setup: &Setup, cancel: &CancellationToken) -> Result<Existing, SetupError> {
    let token = planned(setup)?;
    let exists = within(
        setup.plan.call_timeout,
        cancel,
        "list the tokens of the service",
        async {
            token_exists(&setup.session, &token, cancel)
                .await
                .map_err(SetupError::from)
        },
    )
    .await?;
    if !exists {
        return Ok(Existing::None);
    }
    let sent = Progress::load(&setup.dir, &setup.plan.backend_name)?.and_then(|p| p.token_sent);
    let secret =
        operator::read_secret(&setup.client, &token_secret(setup), &limits(setup, cancel)).await?;
    let held = secret.and_then(|s| s.holder()).as_ref() == Some(&token);
    Ok(if sent.as_ref() == Some(&token) && !held {
        Existing::Orphan(token)
    } else {
        Existing::Other { token, held }
    })
}

/// The command deleting step 1's token by hand.
fn delete_command(setup: &Setup) -> String {
    let t = &setup.plan.token;
    match (setup.session.dialect(), &t.owner) {
        (Dialect::V6_2, Some(owner)) => format!("osmo token delete {} --user {owner}", t.name),
        _ => format!("osmo token delete {} --service", t.name),
    }
}

fn taken(setup: &Setup) -> SetupError {
    SetupError::TokenExists {
        name: setup.plan.token.name.clone(),
        delete: delete_command(setup),
    }
}

fn orphan_text(setup: &Setup, token: &TokenRef) -> String {
    format!(
        "Token {token} exists in OSMO, created by an earlier run of this setup that stopped before step 2 wrote it into Secret {}: its value was lost with that run",
        secret_ref(setup)
    )
}

/// Done when the Secret holds a token the service accepts (it will be reused) or this run
/// created one that step 2 has not written yet.
pub async fn check(setup: &Setup, cancel: &CancellationToken) -> Result<StepState, SetupError> {
    if let Some(name) = pending_name(setup) {
        return Ok(StepState::Done {
            what: format!(
                "Token {name} was created in this run; step 2 writes it into Secret {}.",
                secret_ref(setup)
            ),
        });
    }
    let will = match held(setup, cancel).await? {
        Held::Accepted { who } => {
            return Ok(StepState::Done {
                what: format!("Secret {} already holds a token the service accepts{who}: it is reused.", secret_ref(setup)),
            })
        }
        Held::Refused { reason } => format!(
            "Secret {} holds a token the service refuses ({reason}). {} Step 2 replaces it after confirmation.",
            secret_ref(setup),
            will_create(setup)
        ),
        Held::Missing => will_create(setup),
    };
    Ok(match existing(setup, cancel).await? {
        Existing::None => StepState::NotDone { what_it_will_do: will },
        Existing::Orphan(token) => StepState::Partial {
            done: format!("{}.", orphan_text(setup, &token)),
            what_it_will_do: format!("Delete token {token} (its lost value stops working), then: {will}"),
        },
        Existing::Other { token, held: false } => StepState::NotDone {
            what_it_will_do: format!(
                "Token {token} already exists in OSMO and this setup did not create it, so running this step stops: choose another token name, or delete it ({}) if nothing uses it.",
                delete_command(setup)
            ),
        },
        Existing::Other { token, held: true } => StepState::NotDone {
            what_it_will_do: format!(
                "Secret {} names token {token}, but the service refuses the value it holds, and {token} still exists in OSMO, so running this step stops: choose another token name, or delete it ({}) first.",
                secret_ref(setup),
                delete_command(setup)
            ),
        },
    })
}

/// Creates the token unless a usable one is there; keeps its value for step 2.
pub(crate) async fn run(
    setup: &Setup,
    log: &StepLog<'_>,
    cancel: &CancellationToken,
) -> Result<StepOutcome, SetupError> {
    if let StepState::Done { what } = check(setup, cancel).await? {
        return Ok(StepOutcome::AlreadyDone { what });
    }
    let token = planned(setup)?;
    match existing(setup, cancel).await? {
        Existing::None => {}
        Existing::Orphan(orphan) => {
            log.info(format!(
                "{}. Deleting it, so that value stops working, and creating it again.",
                orphan_text(setup, &orphan)
            ));
            log.command(delete_command(setup));
            delete_orphan(setup, &orphan, cancel).await?;
        }
        Existing::Other { .. } => return Err(taken(setup)),
    }
    // Saved before the creation is sent: if this run stops before step 2, the next one knows
    // the token is its own.
    setup
        .change_progress(log, |p| p.token_sent = Some(token.clone()))
        .map_err(|e| match e {
            SetupError::Io { what, detail } => SetupError::Io {
                what: format!(
                    "{what} to note token {token} before creating it (nothing was created)"
                ),
                detail,
            },
            other => other,
        })?;
    for command in setup.commands(super::StepId::Token) {
        log.command(command);
    }
    let created = match create(&setup.session, &setup.plan.token, &Rules::default(), cancel).await {
        Ok(created) => created,
        Err(TokensError::Osmo(e))
            if e.server_message()
                .is_some_and(|m| m.contains("already exists")) =>
        {
            // Someone else created it meanwhile: not this setup's.
            let _ = setup.change_progress(log, |p| {
                if p.token_sent.as_ref() == Some(&token) {
                    p.token_sent = None;
                }
            });
            return Err(taken(setup));
        }
        Err(e) => return Err(e.into()),
    };
    if created.user_created {
        log.info(format!("Created service account {}.", created.token.owner));
    }
    let what = format!(
        "Created token {} (expires {}). Its value is kept in memory only until step 2 writes it into Secret {}.",
        created.token, created.expires_on, secret_ref(setup)
    );
    if let Ok(mut slot) = setup.new_token.lock() {
        *slot = Some((created.token, created.value));
    }
    Ok(StepOutcome::Done { what })
}

/// Deletes this setup's orphan token; one already gone is fine.
async fn delete_orphan(
    setup: &Setup,
    orphan: &TokenRef,
    cancel: &CancellationToken,
) -> Result<(), SetupError> {
    let deleted = within(
        setup.plan.call_timeout,
        cancel,
        "delete the token left by the earlier run",
        async {
            delete(&setup.session, orphan, TokenKind::Service, cancel)
                .await
                .map_err(SetupError::from)
        },
    )
    .await;
    match deleted {
        Ok(()) => Ok(()),
        Err(e) => {
            let still = token_exists(&setup.session, orphan, cancel).await;
            if matches!(still, Ok(false)) {
                Ok(())
            } else {
                Err(e)
            }
        }
    }
}

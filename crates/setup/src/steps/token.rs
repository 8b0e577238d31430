//! Step 1: the operator's access token. At 6.0/6.1 a service token, at 6.2+ a token of a
//! service-account user (created first when missing), both through osmo-admin-tokens' `create`
//! with the `osmo-backend` role. When the Secret already holds a token the service accepts
//! (exchanged without being shown, `check_access_token`), it is reused and nothing is created.
//! A created token stays in memory only, until step 2 writes it into the Secret.

use osmo_admin_osmo_client::{
    check_access_token, CancellationToken, ClientConfig, HttpClient, TokenCheck,
};
use osmo_admin_tokens::{create, Rules, TokensError};

use super::cluster::secret_value;
use super::{within, Setup, StepOutcome, StepState};
use crate::error::SetupError;
use crate::log::StepLog;

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
    Ok(match held(setup, cancel).await? {
        Held::Accepted { who } => StepState::Done {
            what: format!("Secret {} already holds a token the service accepts{who}: it is reused.", secret_ref(setup)),
        },
        Held::Refused { reason } => StepState::NotDone {
            what_it_will_do: format!(
                "Secret {} holds a token the service refuses ({reason}). {} Step 2 replaces it after confirmation.",
                secret_ref(setup),
                will_create(setup)
            ),
        },
        Held::Missing => StepState::NotDone { what_it_will_do: will_create(setup) },
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
    for command in setup.commands(super::StepId::Token) {
        log.command(command);
    }
    let created = match create(&setup.session, &setup.plan.token, &Rules::default(), cancel).await {
        Ok(created) => created,
        Err(TokensError::Osmo(e))
            if e.server_message()
                .is_some_and(|m| m.contains("already exists")) =>
        {
            let t = &setup.plan.token;
            return Err(SetupError::TokenExists {
                name: t.name.clone(),
                delete: match (setup.session.dialect(), &t.owner) {
                    (osmo_admin_osmo_client::Dialect::V6_2, Some(owner)) => {
                        format!("osmo token delete {} --user {owner}", t.name)
                    }
                    _ => format!("osmo token delete {} --service", t.name),
                },
            });
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

//! Step 2: the operator and workflow namespaces and the token Secret (`kubectl create namespace`,
//! `kubectl create secret generic ... --from-literal=token=...`). Missing ones are created; a
//! Secret holding a different value is replaced only with a [`Confirmation`] naming that change.
//! The Secret carries the token's name and owner as annotations (as a rotation writes them).

use k8s_openapi::api::core::v1::Namespace;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::api::PostParams;
use kube::Api;
use osmo_admin_kube::operator::{
    self, Change, KubeAction, SecretContents, SecretWrite, TokenSecret,
};
use osmo_admin_osmo_client::CancellationToken;
use osmo_admin_secrets::Secret;
use osmo_admin_tokens::TokenRef;

use super::{kube_call, limits, Confirmation, Setup, StepId, StepOutcome, StepState};
use crate::error::SetupError;
use crate::log::StepLog;

/// What is in the cluster.
pub(crate) struct Facts {
    missing_namespaces: Vec<String>,
    secret: SecretFact,
    pending: Option<(TokenRef, Secret)>,
}

enum SecretFact {
    Missing,
    /// Present; whether it holds the pending token, and its resource version.
    Present {
        same: bool,
        empty: bool,
        contents: Box<SecretContents>,
    },
}

/// Where the plan keeps the operator's token.
pub(crate) fn token_secret(setup: &Setup) -> TokenSecret {
    let p = &setup.plan;
    TokenSecret {
        namespace: p.operator_namespace.clone(),
        name: p.secret_name.clone(),
        key: p.secret_key.clone(),
    }
}

/// The Secret's token as the operator reads it (osmo-admin-kube's one reading), `None` when the
/// namespace, Secret or key is missing or empty.
pub(crate) async fn secret_value(
    setup: &Setup,
    cancel: &CancellationToken,
) -> Result<Option<Secret>, SetupError> {
    let limits = limits(setup, cancel);
    Ok(operator::read_token(&setup.client, &token_secret(setup), &limits).await?)
}

pub(crate) async fn facts(setup: &Setup, cancel: &CancellationToken) -> Result<Facts, SetupError> {
    let p = &setup.plan;
    let api: Api<Namespace> = Api::all(setup.client.clone());
    let mut missing_namespaces = Vec::new();
    for ns in [&p.operator_namespace, &p.workflow_namespace] {
        let action = KubeAction::new("get", "namespaces", None);
        if kube_call(setup, cancel, action, api.get_opt(ns))
            .await?
            .is_none()
        {
            missing_namespaces.push(ns.clone());
        }
    }
    let pending = setup.new_token.lock().ok().and_then(|t| t.clone());
    let (target, limits) = (token_secret(setup), limits(setup, cancel));
    let secret = match operator::read_secret(&setup.client, &target, &limits).await? {
        None => SecretFact::Missing,
        Some(contents) => SecretFact::Present {
            same: pending
                .as_ref()
                .is_some_and(|(_, v)| contents.token() == Some(v)),
            empty: contents.token().is_none(),
            contents: Box::new(contents),
        },
    };
    Ok(Facts {
        missing_namespaces,
        secret,
        pending,
    })
}

fn replace_text(setup: &Setup, token: &TokenRef) -> String {
    let p = &setup.plan;
    format!(
        "replace the value of key {} in Secret {}/{} with the new token {token} (the operator uses it from its next start)",
        p.secret_key, p.operator_namespace, p.secret_name
    )
}

/// The state, and the change that needs a confirmation (if any).
pub(crate) async fn check(
    setup: &Setup,
    cancel: &CancellationToken,
) -> Result<(StepState, Option<String>), SetupError> {
    let f = facts(setup, cancel).await?;
    let p = &setup.plan;
    let secret = format!("Secret {}/{}", p.operator_namespace, p.secret_name);
    let mut done = Vec::new();
    let mut todo = Vec::new();
    let present: Vec<&String> = [&p.operator_namespace, &p.workflow_namespace]
        .into_iter()
        .filter(|ns| !f.missing_namespaces.contains(ns))
        .collect();
    if !present.is_empty() {
        done.push(format!("namespace(s) {} exist", join(&present)));
    }
    if !f.missing_namespaces.is_empty() {
        todo.push(format!(
            "create namespace(s) {}",
            join(&f.missing_namespaces.iter().collect::<Vec<_>>())
        ));
    }
    let mut confirm = None;
    match (&f.secret, &f.pending) {
        (SecretFact::Missing, Some((t, _))) => {
            todo.push(format!("create {secret} holding token {t}"))
        }
        (SecretFact::Missing, None) => {
            todo.push(format!("create {secret} with the token from step 1"))
        }
        (SecretFact::Present { same: true, .. }, _)
        | (SecretFact::Present { empty: false, .. }, None) => {
            done.push(format!("{secret} holds the token"))
        }
        (SecretFact::Present { .. }, Some((t, _))) => {
            let change = replace_text(setup, t);
            todo.push(format!("{change} (after confirmation)"));
            confirm = Some(change);
        }
        (SecretFact::Present { .. }, None) => todo.push(format!(
            "write the token from step 1 into {secret}, which is empty"
        )),
    }
    let state = match (done.is_empty(), todo.is_empty()) {
        (_, true) => StepState::Done {
            what: sentence(&done),
        },
        (true, false) => StepState::NotDone {
            what_it_will_do: sentence(&todo),
        },
        (false, false) => StepState::Partial {
            done: sentence(&done),
            what_it_will_do: sentence(&todo),
        },
    };
    Ok((state, confirm))
}

fn join(items: &[&String]) -> String {
    items
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" and ")
}

fn sentence(parts: &[String]) -> String {
    let mut s = parts.join("; ");
    if let Some(first) = s.get(..1) {
        s = first.to_uppercase() + &s[1..];
    }
    s + "."
}

/// Creates what is missing; replaces a different Secret value only when `confirmation` names it.
pub(crate) async fn run(
    setup: &Setup,
    confirmation: Option<&Confirmation>,
    log: &StepLog<'_>,
    cancel: &CancellationToken,
) -> Result<StepOutcome, SetupError> {
    let (state, needs) = check(setup, cancel).await?;
    if let StepState::Done { what } = state {
        return Ok(StepOutcome::AlreadyDone { what });
    }
    if let Some(change) = &needs {
        if confirmation.map(|c| &c.what_will_change) != Some(change) {
            log.info(format!("needs confirmation: {change}"));
            return Ok(StepOutcome::NeedsConfirmation {
                what_will_change: change.clone(),
            });
        }
    }
    let f = facts(setup, cancel).await?;
    let p = &setup.plan;
    let Some((token, value)) = f.pending.clone() else {
        return Err(SetupError::Order(format!(
            "Step 2 needs a token for Secret {}/{}: run step 1 first (it creates one, or reuses the Secret's).",
            p.operator_namespace, p.secret_name
        )));
    };
    let namespaces: Api<Namespace> = Api::all(setup.client.clone());
    let commands = setup.commands(StepId::Cluster);
    for ns in &f.missing_namespaces {
        log.command(format!("kubectl create namespace {ns}"));
        let body = Namespace {
            metadata: ObjectMeta {
                name: Some(ns.clone()),
                ..Default::default()
            },
            ..Default::default()
        };
        let action = KubeAction::new("create", "namespaces", None);
        let created = kube_call(
            setup,
            cancel,
            action,
            namespaces.create(&PostParams::default(), &body),
        )
        .await;
        if let Err(e) = created {
            // Someone else may have created it meanwhile (409): that is fine.
            if !already_there(&namespaces, ns).await {
                return Err(e);
            }
        }
    }
    let found = match &f.secret {
        SecretFact::Missing => {
            log.command(commands.last().cloned().unwrap_or_default());
            None
        }
        SecretFact::Present { contents, .. } => {
            log.command(format!(
                "kubectl create secret generic {} -n {} --from-literal={}=<redacted> --dry-run=client -o yaml | kubectl replace -f -",
                p.secret_name, p.operator_namespace, p.secret_key
            ));
            Some(contents.as_ref())
        }
    };
    let write = SecretWrite {
        value: Change::Set(&value),
        holder: Change::Set(&token),
        ..SecretWrite::default()
    };
    let limits = limits(setup, cancel);
    operator::write_secret(&setup.client, &token_secret(setup), &limits, found, &write).await?;
    if let Ok(mut slot) = setup.new_token.lock() {
        *slot = None;
    }
    // The Secret holds step 1's token now: it can no longer become an orphan. (Should this not
    // be saved, the Secret holding it still keeps step 1 from taking it for one.)
    if let Err(e) = setup.change_progress(log, |p| p.token_sent = None) {
        log.info(format!(
            "Secret {}/{} holds the token, but the progress could not be saved: {e}",
            p.operator_namespace, p.secret_name
        ));
    }
    Ok(StepOutcome::Done {
        what: format!(
            "Namespaces {} and {} are there; Secret {}/{} holds token {token}.",
            p.operator_namespace, p.workflow_namespace, p.operator_namespace, p.secret_name
        ),
    })
}

async fn already_there(api: &Api<Namespace>, ns: &str) -> bool {
    matches!(api.get_opt(ns).await, Ok(Some(_)))
}

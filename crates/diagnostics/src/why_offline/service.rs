//! The OSMO-side checks: service reachable, backend known, last heartbeat, token accepted.

use std::future::Future;
use std::time::Duration;

use chrono::Utc;
use osmo_admin_core::ErrorCode;
use osmo_admin_osmo_client::{
    check_access_token, Backend, ClientConfig, Dialect, HttpClient, OsmoError, Session, TokenCheck,
};
use osmo_admin_secrets::Secret;
use tokio_util::sync::CancellationToken;

use super::report::{Check, CheckKind};
use crate::target::ClusterTarget;

/// Runs an OSMO call that watches `call_token` (a child of the run's token) and cancels that
/// token when `timeout` passes first, so nothing keeps running behind the answer.
async fn limited<T>(
    timeout: Duration,
    call_token: &CancellationToken,
    call: impl Future<Output = T>,
    on_timeout: impl FnOnce() -> T,
) -> T {
    let answer = tokio::time::timeout(timeout, call).await;
    call_token.cancel();
    answer.unwrap_or_else(|_| on_timeout())
}

/// Checks 1–3. Returns the backend when the service answered with it.
pub(super) async fn service_checks(
    session: &Session,
    backend: &str,
    timeout: Duration,
    cancel: &CancellationToken,
) -> (Vec<Check>, Option<Backend>) {
    let service = session.spec().name.clone();
    let call_token = cancel.child_token();
    let answer = limited(
        timeout,
        &call_token,
        session.get_backend(backend, &call_token),
        || {
            Err(OsmoError::Timeout {
                target: format!("reading backend {backend}"),
                seconds: timeout.as_secs().max(1),
            })
        },
    )
    .await;
    let reachable = CheckKind::ServiceReachable;
    let known = CheckKind::BackendKnown;
    let heartbeat = CheckKind::Heartbeat;
    match answer {
        Ok(b) => {
            let hb = heartbeat_check(&b);
            let checks = vec![
                Check::pass(reachable, format!("{service} answered")),
                Check::pass(known, format!("{service} knows backend {backend}")),
                hb,
            ];
            (checks, Some(b))
        }
        Err(e) if e.code() == ErrorCode::NotFound => (
            vec![
                Check::pass(reachable, format!("{service} answered")),
                Check::fail(
                    known,
                    format!("{service} has no backend named {backend}"),
                    "A backend appears only after its operator's first connection: install the operator chart with global.backendName set to this name, or check the name for typos.",
                ),
                Check::skipped(heartbeat, "the service does not know the backend"),
            ],
            None,
        ),
        Err(e) => (
            vec![
                Check::fail(
                    reachable,
                    format!("{service} could not be asked about {backend} ({:?})", e.code()),
                    e.to_string(),
                ),
                Check::skipped(known, "the service could not be asked"),
                Check::skipped(heartbeat, "the service could not be asked"),
            ],
            None,
        ),
    }
}

fn heartbeat_check(b: &Backend) -> Check {
    let kind = CheckKind::Heartbeat;
    let age = b
        .last_heartbeat
        .map(|t| Utc::now().naive_utc() - t)
        .map(|d| format_age(d.num_seconds()));
    match (b.online, age) {
        (true, age) => Check::pass(
            kind,
            format!("online; last heartbeat {}", age.unwrap_or_else(|| "time unknown".into())),
        ),
        (false, age) => Check::fail(
            kind,
            match age {
                Some(age) => format!("offline: last heartbeat {age} (online means within 2 minutes)"),
                None => "offline: the operator never sent a heartbeat".into(),
            },
            "Nothing else checked here explains it: read the listener's logs (kubectl logs deploy/osmo-operator-osmo-backend-listener -n <operator namespace>) for errors connecting to the service URL.",
        ),
    }
}

/// "12 s ago", "5 min ago", "3 h ago", "2 days ago".
pub(crate) fn format_age(seconds: i64) -> String {
    let s = seconds.max(0);
    match s {
        0..=119 => format!("{s} s ago"),
        120..=7199 => format!("{} min ago", s / 60),
        7200..=172_799 => format!("{} h ago", s / 3600),
        _ => format!("{} days ago", s / 86_400),
    }
}

/// Check 7 with a token read from the cluster.
pub(super) async fn token_check(
    session: &Session,
    target: &ClusterTarget,
    token: &Secret,
    timeout: Duration,
    cancel: &CancellationToken,
) -> Check {
    let kind = CheckKind::TokenAccepted;
    let config = ClientConfig {
        connect_timeout: timeout,
        request_timeout: timeout,
        get_retries: 0,
        ..ClientConfig::default()
    };
    let http = match HttpClient::new(session.spec(), config) {
        Ok(http) => http,
        Err(e) => return Check::warn(kind, "the token could not be checked", e.to_string()),
    };
    let dialect = session.dialect();
    let call_token = cancel.child_token();
    let result = limited(
        timeout + Duration::from_secs(1),
        &call_token,
        check_access_token(&http, dialect, token, &call_token),
        || {
            TokenCheck::Failed(OsmoError::Timeout {
                target: "checking the operator's token".into(),
                seconds: timeout.as_secs().max(1),
            })
        },
    )
    .await;
    let where_ = format!(
        "secret {}/{} key {}",
        target.operator_namespace, target.secret.name, target.secret.key
    );
    match result {
        TokenCheck::Accepted { expires_at: _, user, roles } => {
            let user = user.unwrap_or_else(|| "an unnamed user".into());
            if !roles.is_empty() && !roles.iter().any(|r| r == "osmo-backend") {
                return Check::warn(
                    kind,
                    format!("the service accepts the token in {where_} (user {user}) but its roles ({}) lack osmo-backend", roles.join(", ")),
                    "The operator needs role osmo-backend: create the token for a service account holding that role.",
                );
            }
            Check::pass(kind, format!("the service accepts the token in {where_} (user {user})"))
        }
        TokenCheck::Rejected { reason } => Check::fail(
            kind,
            format!("{reason} (token in {where_})"),
            format!(
                "{} then write it into {where_} and restart the operator: kubectl rollout restart deployment -n {}.",
                new_token_hint(dialect),
                target.operator_namespace
            ),
        ),
        TokenCheck::Failed(e) => Check::warn(kind, "the token could not be checked", e.to_string()),
    }
}

fn new_token_hint(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::V6_0 => "Create a new service token (osmo token set NAME --service --roles osmo-backend),",
        Dialect::V6_2 => "Create a new token for the backend's service account (osmo token set NAME --user ACCOUNT),",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_naturally() {
        assert_eq!(format_age(12), "12 s ago");
        assert_eq!(format_age(600), "10 min ago");
        assert_eq!(format_age(3 * 3600), "3 h ago");
        assert_eq!(format_age(3 * 86_400), "3 days ago");
        assert_eq!(format_age(-5), "0 s ago");
    }
}

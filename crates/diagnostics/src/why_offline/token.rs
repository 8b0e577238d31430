//! The "token not expired" check: the token the backend uses, as the caller found it (from the
//! operator's Secret, or from the service's token list by the names the admin app gives a
//! backend's token), and its expiry. The caller decides which token and its badge; this module
//! only turns that into a check.

use chrono::NaiveDate;
use serde::Serialize;

use super::report::{Check, CheckKind};

/// How close a token is to its expiry (the caller's badge).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TokenState {
    Expired,
    ExpiresSoon,
    Fine,
}

/// The token a backend uses, when known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UsedToken {
    /// "dgx-lab-token", or "dgx-lab-token of dgx-lab-svc" when the owner is another user.
    pub token: String,
    /// How the caller knows, as a phrase: "the operator's Secret osmo-operator/osmo-operator-token
    /// names it", "it is named for the backend".
    pub known_from: String,
    pub state: TokenState,
    /// "expired 3 days ago", "expires in 5 days".
    pub words: String,
    pub expires_on: NaiveDate,
}

/// What the caller found out about the backend's token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum TokenInUse {
    Known(UsedToken),
    /// No token could be told to be this backend's (the text says where it looked).
    Unknown(String),
    /// The service's token list could not be read (the text says why).
    Unreadable(String),
}

/// The next step of an expired or expiring token: the Rotate action's words.
pub const ROTATE_NOW: &str = "Rotate now";

/// The check for `token` (`None`: the caller did not look).
pub(super) fn expiry_check(backend: &str, token: Option<&TokenInUse>) -> Check {
    let kind = CheckKind::TokenExpiry;
    let known = match token {
        None => return Check::skipped(kind, "the token was not looked up"),
        Some(TokenInUse::Unknown(why)) => {
            return Check::skipped(
                kind,
                format!("which token {backend} uses is unknown: {why}"),
            )
        }
        Some(TokenInUse::Unreadable(why)) => {
            return Check::warn(
                kind,
                "the service's tokens could not be listed",
                why.clone(),
            )
        }
        Some(TokenInUse::Known(t)) => t,
    };
    let what = format!(
        "{backend} uses token {} ({})",
        known.token, known.known_from
    );
    let rotate = format!(
        "{ROTATE_NOW}: create a new token for {backend}, write it into the operator's Secret and restart the operator (the Rotate action does all three and deletes the old token once {backend} heartbeats again)."
    );
    match known.state {
        TokenState::Expired => Check::fail(
            kind,
            format!(
                "{what}; it {} (on {}), so the service refuses it",
                known.words, known.expires_on
            ),
            rotate,
        ),
        TokenState::ExpiresSoon => Check::warn(
            kind,
            format!("{what}; it {} (on {})", known.words, known.expires_on),
            rotate,
        ),
        TokenState::Fine => Check::pass(
            kind,
            format!("{what}; it {} (on {})", known.words, known.expires_on),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Verdict;

    fn used(state: TokenState, words: &str) -> TokenInUse {
        TokenInUse::Known(UsedToken {
            token: "dgx-lab-token".into(),
            known_from: "it is named for the backend".into(),
            state,
            words: words.into(),
            expires_on: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap_or_default(),
        })
    }

    #[test]
    fn an_expired_token_fails_with_rotate_now() {
        let c = expiry_check(
            "dgx-lab",
            Some(&used(TokenState::Expired, "expired 3 days ago")),
        );
        assert_eq!(c.verdict, Verdict::Fail);
        assert_eq!(
            c.finding,
            "dgx-lab uses token dgx-lab-token (it is named for the backend); it expired 3 days ago (on 2026-12-03), so the service refuses it"
        );
        assert!(c
            .next_step
            .as_deref()
            .unwrap_or_default()
            .starts_with("Rotate now: "));
    }

    #[test]
    fn an_expiring_token_warns_and_a_fine_one_passes() {
        let c = expiry_check(
            "gpu",
            Some(&used(TokenState::ExpiresSoon, "expires in 5 days")),
        );
        assert_eq!(c.verdict, Verdict::Warn);
        assert!(c
            .next_step
            .as_deref()
            .unwrap_or_default()
            .starts_with(ROTATE_NOW));
        let c = expiry_check("gpu", Some(&used(TokenState::Fine, "expires in 90 days")));
        assert_eq!((c.verdict, c.next_step), (Verdict::Pass, None));
        assert!(
            c.finding.ends_with("expires in 90 days (on 2026-12-03)"),
            "{}",
            c.finding
        );
    }

    #[test]
    fn an_unknown_token_is_skipped_with_where_it_was_looked_for() {
        let c = expiry_check(
            "gpu",
            Some(&TokenInUse::Unknown("no token is named gpu-token".into())),
        );
        assert_eq!(c.verdict, Verdict::Skipped);
        assert_eq!(
            c.finding,
            "which token gpu uses is unknown: no token is named gpu-token"
        );
        let c = expiry_check("gpu", Some(&TokenInUse::Unreadable("403".into())));
        assert_eq!(c.verdict, Verdict::Warn);
        assert_eq!(expiry_check("gpu", None).verdict, Verdict::Skipped);
    }
}

//! Tokens in use that are expired or expire soon, announced on the desktop once per token and
//! run, and sent to the UI (the Tokens nav count and the dashboard banner) as they are found.
//!
//! Checked a few seconds after start, whenever the signed-in sessions, the backend links or the
//! warning threshold change, and every 30 minutes otherwise. A backend whose notifications are muted on the
//! dashboard is not announced for its token either.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::commands::tokens::{needing_rotation_view, TokenNeedingRotationDto};
use crate::state::AppState;

/// The event with the fresh [`crate::commands::tokens::TokensNeedingRotationView`].
pub const TOKENS_NEEDING_ROTATION: &str = "tokens-needing-rotation";

/// How often it looks whether something changed that calls for a check.
const TICK: Duration = Duration::from_secs(5);
/// A check without any change, for tokens that crossed the threshold as days passed.
const RECHECK: Duration = Duration::from_secs(30 * 60);

/// What a check depends on: the signed-in sessions, which backends are linked where (a link
/// tells which token a backend uses), and the threshold.
#[derive(PartialEq, Eq)]
struct Inputs {
    sessions: Vec<String>,
    links: Vec<(String, String, String, String)>,
    warning_days: u32,
}

fn inputs(state: &AppState) -> Inputs {
    let mut sessions: Vec<String> = state
        .sessions
        .signed_in()
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    sessions.sort();
    let mut links: Vec<_> = state
        .backend_links()
        .into_iter()
        .map(|l| (l.session, l.backend, l.context, l.operator_namespace))
        .collect();
    links.sort();
    Inputs {
        sessions,
        links,
        warning_days: state.settings.get().token_warning_days,
    }
}

/// Starts the watch for the app's lifetime (called from `setup`).
pub fn start<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let mut announced: HashSet<(String, String, String)> = HashSet::new();
        let mut last: Option<(Inputs, Instant)> = None;
        loop {
            tokio::time::sleep(TICK).await;
            let state = app.state::<AppState>();
            let now = inputs(&state);
            let due = match &last {
                None => true,
                Some((before, at)) => *before != now || at.elapsed() >= RECHECK,
            };
            if !due {
                continue;
            }
            // With no session signed in this is an empty list at once (clearing the UI's count).
            let view = needing_rotation_view(&state).await;
            let muted = state.settings.get().muted_notifications;
            for token in &view.tokens {
                let key = (
                    token.session.clone(),
                    token.owner.clone(),
                    token.name.clone(),
                );
                let all_muted = token.used_by.iter().all(|backend| {
                    muted
                        .iter()
                        .any(|m| m.session == token.session && &m.backend == backend)
                });
                if !all_muted && announced.insert(key) {
                    crate::desktop_notification::show(&app, &message(token));
                }
            }
            if let Err(err) = app.emit(TOKENS_NEEDING_ROTATION, &view) {
                tracing::warn!(%err, "could not send the tokens needing rotation");
            }
            last = Some((now, Instant::now()));
        }
    });
}

/// "Token gpu-east-token (sandbox-6.0) expires in 5 days (2026-12-08); used by gpu-east. ..."
fn message(token: &TokenNeedingRotationDto) -> String {
    format!(
        "Token {} ({}) {} ({}); used by {}. Rotate it from the Tokens screen.",
        token.name,
        token.session,
        token.words,
        token.expires_on,
        token.used_by.join(", "),
    )
}

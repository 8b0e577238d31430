//! Tokens in use that are expired or expire soon, announced on the desktop once per token and
//! run, and sent to the UI (the Tokens nav count and the dashboard banner) as they are found.
//!
//! Checked a few seconds after start, whenever the signed-in sessions, the backend links or the
//! warning threshold change, and every 30 minutes otherwise. A backend whose notifications are
//! muted on the dashboard is not announced for its token either.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use osmo_admin_core::settings::Settings;
use osmo_admin_core::{BackendLink, BackendRef, ServiceId};

use super::{needing_rotation_view, TokenNeedingRotationDto};
use crate::events::AppEvent;
use crate::AppCore;

/// How often it looks whether something changed that calls for a check.
const TICK: Duration = Duration::from_secs(5);
/// A check without any change, for tokens that crossed the threshold as days passed.
const RECHECK: Duration = Duration::from_secs(30 * 60);

/// What a check depends on: the signed-in sessions, which backends are linked where (a link
/// tells which token a backend uses), and the threshold.
#[derive(PartialEq, Eq)]
struct Inputs {
    sessions: Vec<ServiceId>,
    links: Vec<BackendLink>,
    warning_days: u32,
}

fn inputs(core: &AppCore) -> Inputs {
    let mut sessions: Vec<ServiceId> = core
        .sessions
        .signed_in()
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    sessions.sort();
    let mut links = core.links.all();
    links.sort_by(|a, b| (a.backend(), a.context()).cmp(&(b.backend(), b.context())));
    Inputs {
        sessions,
        links,
        warning_days: core.settings.get().token_warning_days,
    }
}

/// Starts the watch for the app's lifetime.
pub(crate) fn start(core: &AppCore) {
    let weak = core.downgrade();
    core.spawn(async move {
        let mut announced: HashSet<(ServiceId, String, String)> = HashSet::new();
        let mut last: Option<(Inputs, Instant)> = None;
        loop {
            tokio::time::sleep(TICK).await;
            let Some(core) = weak.upgrade() else {
                return;
            };
            let now = inputs(&core);
            let due = match &last {
                None => true,
                Some((before, at)) => *before != now || at.elapsed() >= RECHECK,
            };
            if !due {
                continue;
            }
            check(&core, &mut announced).await;
            last = Some((now, Instant::now()));
        }
    });
}

/// One check: new tokens needing rotation go to the desktop (once each), the list to the UI.
async fn check(core: &AppCore, announced: &mut HashSet<(ServiceId, String, String)>) {
    // With no session signed in this is an empty list at once (clearing the UI's count).
    let view = needing_rotation_view(core).await;
    let settings = core.settings.get();
    for token in &view.tokens {
        let key = (
            token.session.clone(),
            token.owner.clone(),
            token.name.clone(),
        );
        if announce(token, &settings) && announced.insert(key) {
            core.events.notify_desktop(&message(token));
        }
    }
    core.events.emit(AppEvent::TokensNeedingRotation(view));
}

/// Unless every backend using the token has its notifications muted.
fn announce(token: &TokenNeedingRotationDto, settings: &Settings) -> bool {
    token.used_by.iter().any(|backend| {
        settings.notifications_on(&BackendRef::new(token.session.clone(), backend.clone()))
    })
}

/// "Token gpu-east-token (sandbox-6.0) expires in 5 days (2026-12-08); used by gpu-east. ..."
fn message(token: &TokenNeedingRotationDto) -> String {
    let used_by: Vec<&str> = token.used_by.iter().map(|b| b.as_str()).collect();
    format!(
        "Token {} ({}) {} ({}); used by {}. Rotate it from the Tokens screen.",
        token.name,
        token.session,
        token.words,
        token.expires_on,
        used_by.join(", "),
    )
}

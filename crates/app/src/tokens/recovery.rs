//! After a crash: what the cluster and the service show now for each interrupted rotation and
//! each set-aside journal (read with the session and context it ran with), so their words follow
//! the truth; and marking a set-aside journal resolved. At start the check runs in the
//! background, again a few times while a service's sign-in is still being restored.

use std::time::Duration;

use osmo_admin_core::ServiceId;
use osmo_admin_osmo_client::CancellationToken;
use osmo_admin_tokens::rotation::observe;
use osmo_admin_tokens::Limits;

use super::rotations::{RotationView, ToCheck};
use super::USE_LOOKUP_TIMEOUT;
use crate::error::IpcError;
use crate::{clusters, AppCore};

/// When the background check runs after start (a service's sign-in may still be restoring).
const CHECK_AFTER: [Duration; 3] = [
    Duration::from_secs(1),
    Duration::from_secs(10),
    Duration::from_secs(30),
];

/// Reads the cluster and the service for one rotation and records what was seen.
async fn check_one(state: &AppCore, target: ToCheck) {
    let (session, client) = match &target.link {
        Some(link) => {
            let session = state
                .sessions
                .session(&ServiceId::new(link.session.as_str()))
                .map_err(|e| IpcError::from(e).message);
            let client = clusters::client(state, &link.context)
                .await
                .map_err(|e| e.message);
            (session, client)
        }
        None => {
            let why = "the session and context it ran with are not recorded".to_owned();
            (Err(why.clone()), Err(why))
        }
    };
    let limits = Limits::new(USE_LOOKUP_TIMEOUT, CancellationToken::new());
    let seen = observe(
        session.as_deref().map_err(Clone::clone),
        client.as_ref().map_err(Clone::clone),
        &target.watched,
        &limits,
    )
    .await;
    state.rotations.seen(&target.id, target.watched, seen);
}

/// Reads what the cluster and the service show now for every interrupted rotation and every
/// set-aside journal, and returns the list with words that follow it.
pub async fn check_rotations(state: &AppCore) -> Vec<RotationView> {
    for target in state.rotations.to_check() {
        check_one(state, target).await;
    }
    state.rotations.list()
}

/// "I have checked: forget it": the set-aside journal `id` stops blocking its backend and leaves
/// the list; the file is kept where it is. Returns the list.
pub fn resolve_rotation(state: &AppCore, id: &str) -> Result<Vec<RotationView>, IpcError> {
    state.rotations.resolve(id)?;
    Ok(state.rotations.list())
}

/// At start: checks the rotations found on disk, then again for those not fully seen yet.
pub(crate) fn check_in_background(core: &AppCore) {
    let weak = core.downgrade();
    core.spawn(async move {
        for pause in CHECK_AFTER {
            tokio::time::sleep(pause).await;
            let Some(core) = weak.upgrade() else { return };
            let pending: Vec<ToCheck> = core
                .rotations
                .to_check()
                .into_iter()
                .filter(|t| !t.seen_whole)
                .collect();
            if pending.is_empty() {
                return;
            }
            for target in pending {
                check_one(&core, target).await;
            }
        }
    });
}

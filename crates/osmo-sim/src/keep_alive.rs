//! Keep-alive heartbeats: backends marked keep-alive get their `last_heartbeat` refreshed
//! periodically (every 20 s by default, like the real listener), so a sandbox stays online
//! without anyone holding a WebSocket open.

use std::sync::Arc;
use std::time::Duration;

use crate::state::Shared;
use crate::timestamps;

/// Refreshes keep-alive backends every `period` until the simulator closes.
pub(crate) async fn run(shared: Arc<Shared>, period: Duration) {
    let mut closing = shared.closing.subscribe();
    let mut tick = tokio::time::interval(period.max(Duration::from_millis(10)));
    loop {
        tokio::select! {
            _ = tick.tick() => {
                let now = timestamps::now();
                let mut db = shared.db();
                let names: Vec<String> = db.keep_alive.iter().cloned().collect();
                for name in names {
                    if let Some(b) = db.backends.get_mut(&name) {
                        b.last_heartbeat = now;
                    }
                }
            }
            _ = closing.changed() => return,
        }
    }
}

//! Long-running work the UI can cancel, by a typed [`OperationId`]: a request the UI named when
//! it started it (`add-service-3`), or the background rotation or setup step of one backend of
//! one service (two services' `gpu-east` are two operations).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use osmo_admin_core::BackendRef;
use osmo_admin_osmo_client::CancellationToken;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::lock;

/// The name of a request, chosen by the UI when it starts one (`add-service-3`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(transparent)]
pub struct RequestId(pub String);

/// What `cancel_operation` stops.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OperationId {
    /// A command the UI named with `operation`.
    Request { id: RequestId },
    /// The running rotation of a backend's token.
    Rotation { backend: BackendRef },
    /// The running setup step of a backend.
    Setup { backend: BackendRef },
}

impl From<RequestId> for OperationId {
    fn from(id: RequestId) -> Self {
        OperationId::Request { id }
    }
}

/// Each running operation's token, with the number of the run that registered it.
type Running = Arc<Mutex<HashMap<OperationId, (u64, CancellationToken)>>>;

#[derive(Default)]
pub struct Operations {
    running: Running,
    runs: AtomicU64,
}

/// A running operation; dropping it (the work ended) forgets the name.
pub struct Operation {
    id: Option<OperationId>,
    run: u64,
    token: CancellationToken,
    running: Running,
}

impl Operation {
    pub fn token(&self) -> &CancellationToken {
        &self.token
    }
}

impl Drop for Operation {
    fn drop(&mut self) {
        if let Some(id) = &self.id {
            let mut running = lock(&self.running);
            // Only this run's token: a newer run under the same id keeps its own.
            if running.get(id).is_some_and(|(run, _)| *run == self.run) {
                running.remove(id);
            }
        }
    }
}

impl Operations {
    /// Starts an operation, cancellable by `id` when one is given (a request of the same id
    /// still running is cancelled: the UI started it again).
    pub fn begin(&self, id: Option<OperationId>) -> Operation {
        let token = CancellationToken::new();
        let run = self.runs.fetch_add(1, Ordering::Relaxed);
        if let Some(id) = &id {
            if let Some((_, previous)) =
                lock(&self.running).insert(id.clone(), (run, token.clone()))
            {
                previous.cancel();
            }
        }
        Operation {
            id,
            run,
            token,
            running: Arc::clone(&self.running),
        }
    }

    /// A request the UI may have named.
    pub fn begin_request(&self, id: Option<RequestId>) -> Operation {
        self.begin(id.map(OperationId::from))
    }

    /// Cancels the operation; `false` when it is not running (it finished already).
    pub fn cancel(&self, id: &OperationId) -> bool {
        match lock(&self.running).remove(id) {
            Some((_, token)) => {
                token.cancel();
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(name: &str) -> OperationId {
        RequestId(name.into()).into()
    }

    #[test]
    fn a_named_operation_is_cancelled_and_forgotten_when_done() {
        let operations = Operations::default();
        let running = operations.begin(Some(request("add")));
        assert!(operations.cancel(&request("add")));
        assert!(running.token().is_cancelled());
        assert!(!operations.cancel(&request("add")));
        let again = operations.begin(Some(request("add")));
        drop(again);
        assert!(
            !operations.cancel(&request("add")),
            "forgotten once finished"
        );
        let first = operations.begin(Some(request("add")));
        let second = operations.begin(Some(request("add")));
        assert!(
            first.token().is_cancelled(),
            "started again: the first run stops"
        );
        drop(first);
        assert!(
            operations.cancel(&request("add")),
            "the second run can still be stopped"
        );
        assert!(second.token().is_cancelled());
    }

    #[test]
    fn the_same_backend_name_in_two_services_is_two_operations() {
        let operations = Operations::default();
        let east = |service: &str| OperationId::Rotation {
            backend: BackendRef::new(service, "gpu-east"),
        };
        let a = operations.begin(Some(east("prod")));
        let b = operations.begin(Some(east("staging")));
        assert!(
            !a.token().is_cancelled(),
            "starting the other did not stop it"
        );
        assert!(operations.cancel(&east("staging")));
        assert!(b.token().is_cancelled());
        assert!(!a.token().is_cancelled());
        assert!(operations.cancel(&east("prod")));
        assert!(a.token().is_cancelled());
    }
}

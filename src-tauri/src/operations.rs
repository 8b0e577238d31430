//! Long-running commands the UI can cancel: the UI names an operation when it starts one
//! (`operation: "add-service-3"`) and may call `cancel_operation` with that name while it runs.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use osmo_admin_osmo_client::CancellationToken;

use crate::state::lock;

#[derive(Default)]
pub struct Operations {
    running: Arc<Mutex<HashMap<String, CancellationToken>>>,
}

/// A running operation; dropping it (the command returned) forgets the name.
pub struct Running {
    name: Option<String>,
    token: CancellationToken,
    running: Arc<Mutex<HashMap<String, CancellationToken>>>,
}

impl Running {
    pub fn token(&self) -> &CancellationToken {
        &self.token
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(name) = &self.name {
            lock(&self.running).remove(name);
        }
    }
}

impl Operations {
    /// Starts an operation, cancellable by `name` when one is given.
    pub fn begin(&self, name: Option<String>) -> Running {
        let token = CancellationToken::new();
        if let Some(name) = &name {
            if let Some(previous) = lock(&self.running).insert(name.clone(), token.clone()) {
                previous.cancel();
            }
        }
        Running {
            name,
            token,
            running: Arc::clone(&self.running),
        }
    }

    /// Cancels the named operation; `false` when it is not running (it finished already).
    pub fn cancel(&self, name: &str) -> bool {
        match lock(&self.running).remove(name) {
            Some(token) => {
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

    #[test]
    fn a_named_operation_is_cancelled_and_forgotten_when_done() {
        let operations = Operations::default();
        let running = operations.begin(Some("add".into()));
        assert!(operations.cancel("add"));
        assert!(running.token().is_cancelled());
        assert!(!operations.cancel("add"));
        let again = operations.begin(Some("add".into()));
        drop(again);
        assert!(!operations.cancel("add"), "forgotten once finished");
    }
}

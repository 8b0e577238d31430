//! The app's one sandbox: off, starting, running or failed, started at most once at a time.

use std::path::Path;
use std::sync::{Arc, Mutex};

use osmo_admin_setup::ChartInstaller;

use crate::{Sandbox, SandboxOptions, SandboxSnapshot};

/// What the sandbox is doing, as the UI shows it.
#[derive(Debug, Clone)]
pub enum SlotView {
    Off,
    Starting,
    Running(SandboxSnapshot),
    Failed(String),
}

enum State {
    Off,
    Starting,
    Running(Arc<Sandbox>),
    Failed(String),
}

/// Holds the sandbox for the app's lifetime; dropping it stops the sandbox.
pub struct SandboxSlot {
    state: Mutex<State>,
}

impl Default for SandboxSlot {
    fn default() -> Self {
        Self {
            state: Mutex::new(State::Off),
        }
    }
}

impl SandboxSlot {
    /// Starts the sandbox unless it runs or is starting; returns the state it reached.
    pub async fn start(&self, options: SandboxOptions) -> SlotView {
        {
            let mut state = self.lock();
            if matches!(*state, State::Starting | State::Running(_)) {
                drop(state);
                return self.view();
            }
            *state = State::Starting;
        }
        let started = Sandbox::start(options).await;
        *self.lock() = match started {
            Ok(sandbox) => State::Running(Arc::new(sandbox)),
            Err(err) => State::Failed(err.to_string()),
        };
        self.view()
    }

    pub fn view(&self) -> SlotView {
        let running = match &*self.lock() {
            State::Off => return SlotView::Off,
            State::Starting => return SlotView::Starting,
            State::Failed(reason) => return SlotView::Failed(reason.clone()),
            State::Running(sandbox) => sandbox.clone(),
        };
        // Snapshot outside the lock: it reads every simulator's state.
        SlotView::Running(running.snapshot())
    }

    /// The running sandbox's chart installer for `context` of `kubeconfig` (see
    /// [`Sandbox::chart_installer`]); `None` when the sandbox does not run or lends no such context.
    pub fn chart_installer(
        &self,
        context: &str,
        kubeconfig: &Path,
    ) -> Option<Arc<dyn ChartInstaller>> {
        match &*self.lock() {
            State::Running(sandbox) => sandbox.chart_installer(context, kubeconfig),
            _ => None,
        }
    }

    pub fn is_running(&self) -> bool {
        matches!(*self.lock(), State::Running(_))
    }

    /// Stops a running sandbox (a starting one finishes starting first).
    pub fn stop(&self) -> SlotView {
        let mut state = self.lock();
        if matches!(*state, State::Running(_) | State::Failed(_)) {
            *state = State::Off;
        }
        drop(state);
        self.view()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn quick() -> SandboxOptions {
        SandboxOptions {
            with_cluster: false,
            heartbeat_interval: Duration::from_millis(300),
        }
    }

    #[tokio::test]
    async fn starts_once_and_stops() {
        let slot = SandboxSlot::default();
        assert!(matches!(slot.view(), SlotView::Off));
        let SlotView::Running(first) = slot.start(quick()).await else {
            panic!("expected running");
        };
        let SlotView::Running(second) = slot.start(quick()).await else {
            panic!("expected running");
        };
        assert_eq!(
            first.services[0].url, second.services[0].url,
            "not started twice"
        );
        assert!(slot.is_running());
        assert!(matches!(slot.stop(), SlotView::Off));
        let url = first.services[0]
            .url
            .trim_start_matches("http://")
            .to_owned();
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(
            tokio::net::TcpStream::connect(url).await.is_err(),
            "stopped"
        );
    }
}

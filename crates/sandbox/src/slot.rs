//! The app's one sandbox: off, starting, running or failed, started at most once at a time.

use std::future::Future;
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
    /// Starts the sandbox unless it runs or is starting; returns the state it reached (running
    /// as soon as its services answer, its cluster perhaps still starting).
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

    /// Resolves once the running sandbox's cluster has started or could not, or that sandbox
    /// stopped (at once when none runs): see [`Sandbox::cluster_settled`].
    pub fn cluster_settled(&self) -> impl Future<Output = ()> + Send + 'static {
        let settled = match &*self.lock() {
            State::Running(sandbox) => Some(sandbox.cluster_settled()),
            _ => None,
        };
        async move {
            if let Some(settled) = settled {
                settled.await;
            }
        }
    }

    /// Stops a running sandbox, its cluster even while it starts (a sandbox whose services are
    /// starting finishes starting first); nothing of its cluster runs once this returns.
    pub async fn stop(&self) -> SlotView {
        let stopping = {
            let mut state = self.lock();
            match std::mem::replace(&mut *state, State::Off) {
                State::Running(sandbox) => Some(sandbox),
                State::Failed(_) | State::Off => None,
                State::Starting => {
                    *state = State::Starting;
                    None
                }
            }
        };
        if let Some(sandbox) = stopping {
            sandbox.stop().await;
        }
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
        assert!(matches!(slot.stop().await, SlotView::Off));
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

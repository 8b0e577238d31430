//! What the core tells the UI without being asked: one typed [`AppEvent`] per event, each with
//! its name and payload type declared once (the TypeScript `Events` map is generated from the same
//! declaration), and the [`EventSink`] the shell implements with Tauri's emitter.

use std::sync::{Arc, OnceLock};

use serde::Serialize;
use ts_rs::TS;

use crate::dashboard::health_watch::{BackendStatusChanged, HealthUpdated};
use crate::setup::{SetupLogDto, SetupStepFinishedDto};
use crate::tokens::rotations::{RotationProgress, RotationsChanged};
use crate::tokens::TokensNeedingRotationView;

/// Where events go: the shell emits them to the webview and shows desktop notifications.
pub trait EventSink: Send + Sync {
    fn emit(&self, event: &AppEvent);
    /// A desktop notification under the app's name (the same news is also an in-app event).
    fn notify_desktop(&self, message: &str);
}

macro_rules! app_events {
    ($( $(#[$doc:meta])* $variant:ident($payload:ty) = $name:literal, )*) => {
        /// Every event the core sends, with its payload.
        #[derive(Debug, Clone)]
        pub enum AppEvent {
            $( $(#[$doc])* $variant($payload), )*
        }

        impl AppEvent {
            /// The name the UI listens for.
            pub fn name(&self) -> &'static str {
                match self {
                    $( AppEvent::$variant(_) => $name, )*
                }
            }

            /// The payload as JSON, as the UI receives it.
            pub fn payload(&self) -> serde_json::Value {
                let value = match self {
                    $( AppEvent::$variant(payload) => serde_json::to_value(payload), )*
                };
                value.unwrap_or_default()
            }
        }

        /// Every event's name and payload type, for the generated TypeScript `Events` map.
        pub fn event_types(cfg: &ts_rs::Config) -> Vec<(&'static str, String)> {
            vec![ $( ($name, <$payload as TS>::name(cfg)), )* ]
        }

        /// Visits every payload type, for the generated bindings' declarations.
        pub fn visit_event_payloads(visitor: &mut impl ts_rs::TypeVisitor) {
            $( visitor.visit::<$payload>(); )*
        }
    };
}

app_events! {
    /// The kubeconfig files or the contexts lent for the run changed: re-read `list_contexts`.
    KubeconfigChanged(Changed) = "kubeconfig-changed",
    /// A service was added, removed, signed in or out: re-read `list_sessions`.
    SessionsChanged(Changed) = "sessions-changed",
    /// Services were polled (those ending together, in one event): re-read `dashboard_snapshot`.
    HealthUpdated(HealthUpdated) = "health-updated",
    /// A backend whose notifications are on went offline or came back.
    BackendStatusChanged(BackendStatusChanged) = "backend-status-changed",
    /// A step of a rotation started, finished, was skipped or failed.
    RotationProgress(RotationProgress) = "rotation-progress",
    /// A rotation stopped running (finished, failed or stopped).
    RotationsChanged(RotationsChanged) = "rotations-changed",
    /// The tokens in use that are expired or expire soon, found by the token watch.
    TokensNeedingRotation(TokensNeedingRotationView) = "tokens-needing-rotation",
    /// A line of a running setup step's log.
    SetupLog(SetupLogDto) = "setup-log",
    /// A setup step stopped running.
    SetupStepFinished(SetupStepFinishedDto) = "setup-step-finished",
}

/// The sink once the shell has given one; events before that (and in tests without one) are
/// dropped.
#[derive(Default)]
pub struct Events {
    sink: OnceLock<Arc<dyn EventSink>>,
}

impl Events {
    /// Where events go from now on (once; later calls are ignored).
    pub fn connect(&self, sink: Arc<dyn EventSink>) {
        let _ = self.sink.set(sink);
    }

    pub fn is_connected(&self) -> bool {
        self.sink.get().is_some()
    }

    pub fn emit(&self, event: AppEvent) {
        if let Some(sink) = self.sink.get() {
            sink.emit(&event);
        }
    }

    pub fn notify_desktop(&self, message: &str) {
        if let Some(sink) = self.sink.get() {
            sink.notify_desktop(message);
        }
    }
}

/// A payload that says only that something changed.
#[derive(Debug, Clone, Default, Serialize, TS)]
pub struct Changed {}

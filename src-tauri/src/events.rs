//! The core's events, delivered with Tauri's emitter, and its desktop notifications, shown with
//! tauri-plugin-notification (called from Rust only: the webview has no notification permission).
//! A desktop without a notification service only loses those; the app shows the same news itself.

use std::sync::Arc;

use osmo_admin_app::{AppCore, AppEvent, EventSink};
use tauri::{AppHandle, Emitter, Runtime};
use tauri_plugin_notification::NotificationExt;

pub struct TauriEvents<R: Runtime>(pub AppHandle<R>);

impl<R: Runtime> EventSink for TauriEvents<R> {
    fn emit(&self, event: &AppEvent) {
        if let Err(err) = self.0.emit(event.name(), event.payload()) {
            tracing::warn!(%err, event = event.name(), "could not send an event to the window");
        }
    }

    fn notify_desktop(&self, message: &str) {
        let shown = self
            .0
            .notification()
            .builder()
            .title("OSMO Backend Admin")
            .body(message)
            .show();
        if let Err(err) = shown {
            tracing::warn!(%err, "desktop notification not shown");
        }
    }
}

/// Connects the core's events to this app (once; the app's `setup` does it at start, and every
/// command makes sure of it, for the runtimes whose event loop never starts, like the tests').
pub fn connect<R: Runtime>(app: &AppHandle<R>, core: &AppCore) {
    if !core.events.is_connected() {
        core.connect(Arc::new(TauriEvents(app.clone())));
    }
}

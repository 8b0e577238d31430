//! Desktop notifications (tauri-plugin-notification, called from Rust only: the webview has no
//! notification permission). A desktop without a notification service only loses these; the
//! app shows the same news in its own window.

use tauri::{AppHandle, Runtime};
use tauri_plugin_notification::NotificationExt;

/// Shows `body` under the app's name.
pub fn show<R: Runtime>(app: &AppHandle<R>, body: &str) {
    let shown = app
        .notification()
        .builder()
        .title("OSMO Backend Admin")
        .body(body)
        .show();
    if let Err(err) = shown {
        tracing::warn!(%err, "desktop notification not shown");
    }
}

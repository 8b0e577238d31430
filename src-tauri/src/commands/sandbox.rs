//! The sandbox; the window's title says when it runs.

use osmo_admin_app::sandbox::{self, SandboxState, SandboxView};
use tauri::{AppHandle, Manager, Runtime};

/// Labels the main window while the sandbox runs.
pub fn label_window<R: Runtime>(app: &AppHandle<R>, view: &SandboxView) {
    let title = match view.state {
        SandboxState::Running => "OSMO Backend Admin — Sandbox",
        _ => "OSMO Backend Admin",
    };
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.set_title(title);
    }
}

command! {
    fn sandbox_status(core) -> SandboxView {
        Ok(sandbox::status(core))
    }
}

command! {
    fn start_sandbox(core, app: App) -> SandboxView {
        let view = sandbox::start(core).await;
        label_window(&app, &view);
        Ok(view)
    }
}

command! {
    fn stop_sandbox(core, app: App) -> SandboxView {
        let view = sandbox::stop(core).await;
        label_window(&app, &view);
        Ok(view)
    }
}

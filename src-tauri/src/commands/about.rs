//! The About panel.

use osmo_admin_app::about::AboutInfo;

command! {
    /// What this build is and where it keeps its files.
    fn about(core) -> AboutInfo {
        Ok(osmo_admin_app::about::about(core, tauri::VERSION))
    }
}

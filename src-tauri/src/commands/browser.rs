//! Web pages open in the user's browser, never in the webview.

use osmo_admin_app::browser::{checked_web_address, not_opened};
use tauri_plugin_opener::OpenerExt;

command! {
    /// Opens an `https`/`http` page in the user's browser.
    fn open_in_browser(core, app: App, url: String) -> () {
        let url = checked_web_address(&url)?;
        app.opener()
            .open_url(url.as_str(), None::<&str>)
            .map_err(|e| not_opened(&url, &e))
    }
}

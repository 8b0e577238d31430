//! The navigation guard of the webview: only the app's own page loads in it; a web page a
//! script navigates to opens in the user's browser, anything else nowhere. The decision is the
//! core's `browser::navigation`.

use osmo_admin_app::browser::{navigation, Navigation};
use tauri::plugin::TauriPlugin;
use tauri::{Manager, Runtime};
use tauri_plugin_opener::OpenerExt;

/// A small plugin whose only job is to judge every navigation of every webview.
pub fn guard<R: Runtime>() -> TauriPlugin<R> {
    tauri::plugin::Builder::new("navigation-guard")
        .on_navigation(|webview, url| {
            let config = webview.app_handle().config();
            let dev_url = config.build.dev_url.as_ref().filter(|_| tauri::is_dev());
            match navigation(url, dev_url) {
                Navigation::Load => true,
                Navigation::OpenInBrowser(page) => {
                    tracing::warn!(%page, "a navigation away from the app opens in the browser");
                    if let Err(e) = webview.opener().open_url(page.as_str(), None::<&str>) {
                        tracing::warn!(%page, "could not open the page in the browser: {e}");
                    }
                    false
                }
                Navigation::Refuse => {
                    tracing::warn!(
                        scheme = url.scheme(),
                        "a navigation away from the app was refused"
                    );
                    false
                }
            }
        })
        .build()
}

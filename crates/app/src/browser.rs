//! Opening a web page (an identity provider's sign-in page, a backend's dashboard) in the user's
//! own browser. Only `https` and `http` addresses are opened; the webview itself never navigates.
//! The shell opens the checked address; what failed to open says so in [`not_opened`].
//! [`navigation`] decides where a navigation of the main webview goes: only the app's own origin
//! loads in it, web pages go to the user's browser, anything else nowhere.

use osmo_admin_core::ErrorCode;

use crate::error::IpcError;

/// The address, checked: an absolute `https://` or `http://` URL with a host.
pub fn checked_web_address(address: &str) -> Result<url::Url, IpcError> {
    let refuse = || {
        IpcError::new(
            ErrorCode::InvalidInput,
            format!("\"{address}\" is not a web address the app opens (only https:// and http:// pages)."),
        )
    };
    let parsed = url::Url::parse(address.trim()).map_err(|_| refuse())?;
    if !matches!(parsed.scheme(), "https" | "http") || parsed.host().is_none() {
        return Err(refuse());
    }
    Ok(parsed)
}

/// Why `url` could not be opened, and what to do.
pub fn not_opened(url: &url::Url, reason: &dyn std::fmt::Display) -> IpcError {
    IpcError::new(
        ErrorCode::Io,
        format!("Could not open {url} in your browser ({reason}). Copy the address and open it yourself."),
    )
}

/// Where a navigation of the main webview to some address goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Navigation {
    /// The app's own page: it loads in the window.
    Load,
    /// A web page: it opens in the user's browser, the window stays where it is.
    OpenInBrowser(url::Url),
    /// Anything else (`file:`, `data:`, `javascript:` …): it goes nowhere.
    Refuse,
}

/// The origins the app's own page is served from, on every platform (`tauri://localhost` on
/// macOS and Linux, `http(s)://tauri.localhost` on Windows).
const APP_ORIGINS: [(&str, &str); 3] = [
    ("tauri", "localhost"),
    ("http", "tauri.localhost"),
    ("https", "tauri.localhost"),
];

/// Whether `url` is the app's own page: one of the app's origins, or the origin of `dev_url`
/// (the development server, given only in development builds).
pub fn may_load_in_window(url: &url::Url, dev_url: Option<&url::Url>) -> bool {
    let own = APP_ORIGINS.iter().any(|(scheme, host)| {
        url.scheme() == *scheme && url.host_str() == Some(*host) && url.port().is_none()
    });
    let dev = dev_url.is_some_and(|dev| {
        url.scheme() == dev.scheme()
            && url.host_str() == dev.host_str()
            && url.port_or_known_default() == dev.port_or_known_default()
    });
    own || dev
}

/// Where a navigation to `url` goes (see [`Navigation`]).
pub fn navigation(url: &url::Url, dev_url: Option<&url::Url>) -> Navigation {
    if may_load_in_window(url, dev_url) {
        Navigation::Load
    } else if let Ok(page) = checked_web_address(url.as_str()) {
        Navigation::OpenInBrowser(page)
    } else {
        Navigation::Refuse
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_pages_are_opened() {
        assert!(checked_web_address("https://idp.example.com/device?code=1").is_ok());
        assert!(checked_web_address(" http://grafana.local:3000/ ").is_ok());
        for bad in [
            "file:///etc/passwd",
            "javascript:alert(1)",
            "ssh://host",
            "idp.example.com",
            "",
        ] {
            assert!(checked_web_address(bad).is_err(), "{bad}");
        }
    }

    fn url(text: &str) -> url::Url {
        url::Url::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn only_the_apps_own_origin_loads_in_the_window() {
        let dev = url("http://localhost:1420");
        for own in [
            "tauri://localhost",
            "tauri://localhost/index.html#/tokens",
            "http://tauri.localhost/",
            "https://tauri.localhost/settings",
        ] {
            assert!(may_load_in_window(&url(own), None), "{own}");
            assert_eq!(navigation(&url(own), None), Navigation::Load, "{own}");
        }
        assert!(may_load_in_window(
            &url("http://localhost:1420/src/main.tsx"),
            Some(&dev)
        ));
        // Without a development server (a release build), its address is foreign too.
        assert!(!may_load_in_window(&url("http://localhost:1420/"), None));
        for foreign in [
            "http://127.0.0.1:1234/",
            "https://evil.example",
            "http://localhost:1421/",
            "https://localhost:1420/",
            "tauri://evil.example",
            "http://tauri.localhost.evil.example/",
            "http://tauri.localhost:8080/",
            "file:///etc/passwd",
            "data:text/html,<script>alert(1)</script>",
            "javascript:alert(1)",
            "about:blank",
        ] {
            assert!(!may_load_in_window(&url(foreign), Some(&dev)), "{foreign}");
        }
    }

    #[test]
    fn web_pages_go_to_the_browser_and_the_rest_nowhere() {
        for page in ["https://evil.example/", "http://127.0.0.1:1234/"] {
            assert_eq!(
                navigation(&url(page), None),
                Navigation::OpenInBrowser(url(page)),
                "{page}"
            );
        }
        for nowhere in [
            "file:///etc/passwd",
            "data:text/html,hi",
            "javascript:alert(1)",
            "about:blank",
        ] {
            assert_eq!(
                navigation(&url(nowhere), None),
                Navigation::Refuse,
                "{nowhere}"
            );
        }
    }
}

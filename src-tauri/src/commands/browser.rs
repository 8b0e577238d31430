//! Opening a web page (an identity provider's sign-in page, a backend's dashboard) in the user's
//! own browser. Only `https` and `http` addresses are opened; the webview itself never navigates.

use osmo_admin_core::ErrorCode;
use tauri::{AppHandle, Runtime};
use tauri_plugin_opener::OpenerExt;

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

#[tauri::command]
pub fn open_in_browser<R: Runtime>(app: AppHandle<R>, url: String) -> Result<(), IpcError> {
    let url = checked_web_address(&url)?;
    app.opener()
        .open_url(url.as_str(), None::<&str>)
        .map_err(|e| {
            IpcError::new(
                ErrorCode::Io,
                format!("Could not open {url} in your browser ({e}). Copy the address and open it yourself."),
            )
        })
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
}

//! Opening a web page (an identity provider's sign-in page, a backend's dashboard) in the user's
//! own browser. Only `https` and `http` addresses are opened; the webview itself never navigates.
//! The shell opens the checked address; what failed to open says so in [`not_opened`].

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

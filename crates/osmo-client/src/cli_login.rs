//! Importing the OSMO CLI's sign-in (`login.yaml`, osmo-api.md §1.8).
//!
//! The folder is `$OSMO_CONFIG_FILE_DIR`, else `$XDG_CONFIG_HOME/osmo`, else `~/.config/osmo`;
//! [`CliLoginEnv`] takes those as values so tests are hermetic. The file holds `url`,
//! `osmo_token`, and one of `token_login` (`id_token`, `refresh_token`, `refresh_url`, ...) or
//! `dev_login` (`username`). An OSMO-token login keeps the access token in `refresh_token` (6.2+)
//! or as the `access_token` query parameter of `refresh_url` (6.0).

use std::path::{Path, PathBuf};

use osmo_admin_core::ErrorCode;
use serde::Deserialize;
use url::Url;

use crate::device_code::IdpTokens;
use crate::error::OsmoError;
use crate::session::{Connection, Session};
use crate::Result;
use osmo_admin_secrets::Secret;
use tokio_util::sync::CancellationToken;

/// Where to look for the CLI's login (the relevant environment, as values).
#[derive(Debug, Clone, Default)]
pub struct CliLoginEnv {
    pub osmo_config_file_dir: Option<PathBuf>,
    pub xdg_config_home: Option<PathBuf>,
    pub home: Option<PathBuf>,
}

impl CliLoginEnv {
    /// From the process environment.
    pub fn from_process() -> Self {
        let var = |k: &str| {
            std::env::var_os(k)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        Self {
            osmo_config_file_dir: var("OSMO_CONFIG_FILE_DIR"),
            xdg_config_home: var("XDG_CONFIG_HOME"),
            home: var("HOME").or_else(|| var("USERPROFILE")),
        }
    }

    /// The `login.yaml` path the CLI would use.
    pub fn login_file(&self) -> Option<PathBuf> {
        let dir = if let Some(d) = &self.osmo_config_file_dir {
            d.clone()
        } else if let Some(x) = &self.xdg_config_home {
            x.join("osmo")
        } else {
            self.home.as_ref()?.join(".config").join("osmo")
        };
        Some(dir.join("login.yaml"))
    }
}

/// How the CLI signed in, with its secrets.
#[derive(Debug, Clone)]
pub enum CliLoginMethod {
    /// `--method token`: the OSMO access token (exchange it for a JWT).
    AccessToken { access_token: Secret },
    /// `code`/`pkce`/`password`: IdP tokens.
    IdToken {
        id_token: Secret,
        refresh_token: Option<Secret>,
        /// The IdP token endpoint (query removed).
        refresh_url: Option<String>,
        client_id: Option<String>,
        username: Option<String>,
    },
    /// `--method dev`.
    Development { username: String },
}

/// The CLI's stored login.
#[derive(Debug, Clone)]
pub struct CliLogin {
    pub path: PathBuf,
    /// The service URL, trailing `/` removed.
    pub url: String,
    /// The `name` key (user name), if present.
    pub name: Option<String>,
    pub method: CliLoginMethod,
}

#[derive(Deserialize)]
struct RawFile {
    url: Option<String>,
    #[serde(default)]
    osmo_token: bool,
    token_login: Option<RawTokenLogin>,
    dev_login: Option<RawDevLogin>,
    name: Option<String>,
}

#[derive(Deserialize)]
struct RawTokenLogin {
    id_token: Option<String>,
    refresh_token: Option<String>,
    refresh_url: Option<String>,
    username: Option<String>,
    client_id: Option<String>,
}

#[derive(Deserialize)]
struct RawDevLogin {
    username: Option<String>,
}

fn invalid(path: &Path, why: &str) -> OsmoError {
    OsmoError::CliLogin {
        code: ErrorCode::InvalidInput,
        message: format!(
            "The OSMO CLI login file {} cannot be imported: {why}. Run `osmo login` again, or sign in here directly.",
            path.display()
        ),
    }
}

/// Reads the CLI's `login.yaml` from where `env` points.
pub fn import_cli_login(env: &CliLoginEnv) -> Result<CliLogin> {
    let path = env.login_file().ok_or_else(|| OsmoError::CliLogin {
        code: ErrorCode::NotFound,
        message: "Cannot find the OSMO CLI login: neither OSMO_CONFIG_FILE_DIR, XDG_CONFIG_HOME nor a home folder is set.".into(),
    })?;
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(OsmoError::CliLogin {
                code: ErrorCode::NotFound,
                message: format!("The OSMO CLI has no login at {}: run `osmo login <url>` first, or sign in here directly.", path.display()),
            })
        }
        Err(e) => {
            return Err(OsmoError::CliLogin {
                code: ErrorCode::Io,
                message: format!("Cannot read the OSMO CLI login file {}: {e}.", path.display()),
            })
        }
    };
    parse(&path, &text)
}

fn parse(path: &Path, text: &str) -> Result<CliLogin> {
    // serde_norway's errors may quote the offending line, which can hold a token: drop the text.
    let raw: RawFile = serde_norway::from_str(text).map_err(|e| {
        let at = e
            .location()
            .map(|l| format!(" (line {})", l.line()))
            .unwrap_or_default();
        invalid(path, &format!("it is not the YAML the CLI writes{at}"))
    })?;
    let url = raw
        .url
        .map(|u| u.trim().trim_end_matches('/').to_owned())
        .filter(|u| !u.is_empty())
        .ok_or_else(|| invalid(path, "it has no url"))?;
    let method = match (raw.token_login, raw.dev_login) {
        (Some(t), None) if raw.osmo_token => {
            let from_refresh_url = t.refresh_url.as_deref().and_then(|r| {
                Url::parse(r)
                    .ok()?
                    .query_pairs()
                    .find(|(k, _)| k == "access_token")
                    .map(|(_, v)| v.into_owned())
            });
            let access_token = t
                .refresh_token
                .filter(|s| !s.is_empty())
                .or(from_refresh_url)
                .ok_or_else(|| invalid(path, "it is a token login but holds no access token"))?;
            CliLoginMethod::AccessToken {
                access_token: Secret::new(access_token),
            }
        }
        (Some(t), None) => CliLoginMethod::IdToken {
            id_token: Secret::new(
                t.id_token
                    .filter(|s| !s.is_empty())
                    .ok_or_else(|| invalid(path, "it has no id_token"))?,
            ),
            refresh_token: t.refresh_token.filter(|s| !s.is_empty()).map(Secret::new),
            refresh_url: t.refresh_url.map(|r| strip_query(&r)),
            client_id: t.client_id,
            username: t.username,
        },
        (None, Some(d)) => CliLoginMethod::Development {
            username: d
                .username
                .filter(|s| !s.is_empty())
                .ok_or_else(|| invalid(path, "the dev login has no username"))?,
        },
        _ => {
            return Err(invalid(
                path,
                "it must hold exactly one of token_login and dev_login",
            ))
        }
    };
    Ok(CliLogin {
        path: path.to_owned(),
        url,
        name: raw.name,
        method,
    })
}

impl Connection {
    /// Signs in with what the CLI stored: its access token is exchanged anew, its IdP tokens are
    /// reused (and renewed through `refresh_url` with `client_id`, else the service's device
    /// client id), its dev user is used as is. The caller checks that `login.url` is this service.
    pub async fn sign_in_with_cli_login(
        &self,
        login: &CliLogin,
        cancel: &CancellationToken,
    ) -> Result<Session> {
        match &login.method {
            CliLoginMethod::AccessToken { access_token } => {
                self.sign_in_with_access_token(access_token.clone(), cancel)
                    .await
            }
            CliLoginMethod::Development { username } => self.sign_in_development(username),
            CliLoginMethod::IdToken {
                id_token,
                refresh_token,
                refresh_url,
                client_id,
                ..
            } => {
                let login_info = &self.discovery().login;
                let token_endpoint = refresh_url
                    .as_deref()
                    .or(login_info.token_endpoint.as_deref())
                    .and_then(|u| Url::parse(u).ok())
                    .ok_or_else(|| {
                        invalid(
                            &login.path,
                            "it names no token endpoint to renew the sign-in",
                        )
                    })?;
                let client_id = client_id
                    .clone()
                    .or_else(|| login_info.device_client_id.clone())
                    .unwrap_or_default();
                self.sign_in_with_idp_tokens(IdpTokens {
                    id_token: id_token.clone(),
                    refresh_token: refresh_token.clone(),
                    token_endpoint,
                    client_id,
                })
            }
        }
    }
}

fn strip_query(raw: &str) -> String {
    match Url::parse(raw) {
        Ok(mut u) => {
            u.set_query(None);
            u.to_string()
        }
        Err(_) => raw.split('?').next().unwrap_or_default().to_owned(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn folder_precedence() {
        let env = CliLoginEnv {
            osmo_config_file_dir: Some("/o".into()),
            xdg_config_home: Some("/x".into()),
            home: Some("/h".into()),
        };
        assert_eq!(env.login_file().unwrap(), PathBuf::from("/o/login.yaml"));
        let env = CliLoginEnv {
            osmo_config_file_dir: None,
            ..env
        };
        assert_eq!(
            env.login_file().unwrap(),
            PathBuf::from("/x/osmo/login.yaml")
        );
        let env = CliLoginEnv {
            xdg_config_home: None,
            ..env
        };
        assert_eq!(
            env.login_file().unwrap(),
            PathBuf::from("/h/.config/osmo/login.yaml")
        );
        assert!(CliLoginEnv::default().login_file().is_none());
    }

    #[test]
    fn broken_yaml_does_not_echo_secrets() {
        let err = parse(
            Path::new("/t/login.yaml"),
            "url: x\ntoken_login: [sekrit-value\n",
        )
        .unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput);
        assert!(!err.to_string().contains("sekrit"), "{err}");
        let err = parse(
            Path::new("/t/login.yaml"),
            "url: https://x\nosmo_token: false\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("exactly one"), "{err}");
    }
}

//! Connections and sessions.
//!
//! [`Connection::open`] runs discovery for a [`ServiceSpec`]; a sign-in method turns it into a
//! [`Session`], which owns one [`HttpClient`] and one credential:
//! * access token: exchanged for a JWT, renewed `refresh_margin` before it expires, and
//!   re-exchanged once when a call gets 401;
//! * IdP tokens (device code): the `id_token`, renewed with the refresh token;
//! * development: `x-osmo-user: <name>`, no credential.
//!
//! When the credential is refused (exchange refused, refresh refused, no refresh token, or 401
//! after one renewal) the session enters [`SessionState::SignInAgain`] and every call answers
//! [`OsmoError::SignInAgain`] without touching the network, instead of looping.

use chrono::{DateTime, Utc};
use osmo_admin_core::ErrorCode;
use osmo_admin_secrets::{Secret, SecretKind};
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::sync::Mutex;
use tokio_util::sync::CancellationToken;

use crate::device_code::{self, DeviceCodeStart, IdpTokens};
use crate::dialect::Dialect;
use crate::discovery::Discovery;
use crate::error::{OsmoError, CLI_NO_REFRESH_TOKEN};
use crate::http::{Body, ClientConfig, HttpClient, Reply, Request, ServiceSpec};
use crate::identity::Identity;
use crate::token_exchange::{exchange, explain_refusal, Exchange, Jwt};
use crate::Result;

/// How a session signed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SignInMethod {
    AccessToken,
    DeviceCode,
    Development,
}

/// Who is signed in, since when, until when, how. No secrets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionInfo {
    pub service: String,
    pub user: String,
    pub roles: Vec<String>,
    pub method: SignInMethod,
    pub signed_in_at: DateTime<Utc>,
    /// When the current credential (JWT) expires; `None` in development mode.
    pub credential_expires_at: Option<DateTime<Utc>>,
}

/// A session's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum SessionState {
    SignedIn(SessionInfo),
    /// The credentials expired or were revoked; `reason` says why in plain words.
    SignInAgain {
        reason: String,
    },
}

/// A service after discovery, before sign-in.
#[derive(Debug, Clone)]
pub struct Connection {
    spec: ServiceSpec,
    http: HttpClient,
    discovery: Discovery,
}

impl Connection {
    /// Discovers the service: version (dialect) and sign-in methods.
    pub async fn open(
        spec: ServiceSpec,
        config: ClientConfig,
        cancel: &CancellationToken,
    ) -> Result<Self> {
        let http = HttpClient::new(&spec, config)?;
        let discovery = Discovery::run(&http, cancel).await?;
        Ok(Self {
            spec,
            http,
            discovery,
        })
    }

    pub fn spec(&self) -> &ServiceSpec {
        &self.spec
    }

    pub fn discovery(&self) -> &Discovery {
        &self.discovery
    }

    /// Signs in with an OSMO access token (service or personal).
    pub async fn sign_in_with_access_token(
        &self,
        access_token: Secret,
        cancel: &CancellationToken,
    ) -> Result<Session> {
        if access_token.expose().trim().is_empty() {
            return Err(OsmoError::InvalidInput("Enter the access token.".into()));
        }
        let jwt = match exchange(&self.http, self.discovery.dialect, &access_token, cancel).await {
            Ok(jwt) => jwt,
            Err(Exchange::Refused(m)) => {
                return Err(OsmoError::SignIn {
                    code: ErrorCode::Unauthorized,
                    message: format!(
                        "Could not sign in to {}: {}",
                        self.spec.name,
                        explain_refusal(&m)
                    ),
                })
            }
            Err(Exchange::Failed(e)) => return Err(e),
        };
        let identity = Identity::from_jwt(&jwt.token)?;
        Ok(self.session(
            SignInMethod::AccessToken,
            identity,
            Some(jwt.expires_at),
            Credential::AccessToken { access_token, jwt },
        ))
    }

    /// Signs in with tokens from the device-code flow.
    pub fn sign_in_with_idp_tokens(&self, tokens: IdpTokens) -> Result<Session> {
        let identity = Identity::from_jwt(&tokens.id_token)?;
        let expires_at = identity.expires_at.unwrap_or_else(Utc::now);
        let jwt = Jwt {
            token: tokens.id_token.clone(),
            expires_at,
        };
        Ok(self.session(
            SignInMethod::DeviceCode,
            identity,
            Some(expires_at),
            Credential::Idp { tokens, jwt },
        ))
    }

    /// Starts the device-code flow with the IdP endpoints from discovery.
    pub async fn start_device_code(&self, cancel: &CancellationToken) -> Result<DeviceCodeStart> {
        DeviceCodeStart::start(&self.http, &self.discovery.login, cancel).await
    }

    /// Development mode: every call names the user in `x-osmo-user`. Only services without
    /// authentication (no gateway) honour it.
    pub fn sign_in_development(&self, user: &str) -> Result<Session> {
        let user = user.trim();
        if user.is_empty() || HeaderValue::from_str(user).is_err() {
            return Err(OsmoError::InvalidInput(
                "Enter a user name (plain text) for development mode.".into(),
            ));
        }
        let identity = Identity {
            user: user.to_owned(),
            roles: Vec::new(),
            token_name: None,
            issued_at: None,
            expires_at: None,
        };
        Ok(self.session(
            SignInMethod::Development,
            identity,
            None,
            Credential::Development {
                user: user.to_owned(),
            },
        ))
    }

    fn session(
        &self,
        method: SignInMethod,
        identity: Identity,
        until: Option<DateTime<Utc>>,
        credential: Credential,
    ) -> Session {
        let info = SessionInfo {
            service: self.spec.name.clone(),
            user: identity.user,
            roles: identity.roles,
            method,
            signed_in_at: Utc::now(),
            credential_expires_at: until,
        };
        Session {
            spec: self.spec.clone(),
            http: self.http.clone(),
            discovery: self.discovery.clone(),
            inner: Mutex::new(Inner {
                credential,
                state: SessionState::SignedIn(info),
                generation: 0,
            }),
        }
    }
}

#[derive(Debug)]
enum Credential {
    AccessToken { access_token: Secret, jwt: Jwt },
    Idp { tokens: IdpTokens, jwt: Jwt },
    Development { user: String },
}

#[derive(Debug)]
struct Inner {
    credential: Credential,
    state: SessionState,
    /// Bumped on every renewal, so a 401 renews only once even with calls in flight.
    generation: u64,
}

/// A signed-in session with one service.
#[derive(Debug)]
pub struct Session {
    spec: ServiceSpec,
    http: HttpClient,
    discovery: Discovery,
    inner: Mutex<Inner>,
}

impl Session {
    pub fn spec(&self) -> &ServiceSpec {
        &self.spec
    }

    pub fn dialect(&self) -> Dialect {
        self.discovery.dialect
    }

    pub fn discovery(&self) -> &Discovery {
        &self.discovery
    }

    pub async fn state(&self) -> SessionState {
        self.inner.lock().await.state.clone()
    }

    /// The long-lived secrets to keep in the keyring to resume this session.
    pub async fn secrets_to_store(&self) -> Vec<(SecretKind, Secret)> {
        match &self.inner.lock().await.credential {
            Credential::AccessToken { access_token, .. } => {
                vec![(SecretKind::AccessToken, access_token.clone())]
            }
            Credential::Idp { tokens, .. } => {
                let mut v = vec![(SecretKind::IdToken, tokens.id_token.clone())];
                if let Some(r) = &tokens.refresh_token {
                    v.push((SecretKind::RefreshToken, r.clone()));
                }
                v
            }
            Credential::Development { .. } => Vec::new(),
        }
    }

    /// Renews the credential now (e.g. a "Test connection" button).
    pub async fn renew(&self, cancel: &CancellationToken) -> Result<()> {
        let mut inner = self.inner.lock().await;
        let generation = inner.generation;
        self.renew_locked(&mut inner, generation, cancel).await
    }

    /// `GET path` as JSON.
    pub async fn get_json<T: DeserializeOwned>(
        &self,
        path: &str,
        cancel: &CancellationToken,
    ) -> Result<T> {
        self.call(Method::GET, path, &[], None, cancel)
            .await?
            .json()
    }

    /// A write whose answer carries nothing the caller needs (`null`): `Ok` on 2xx, the
    /// service's error otherwise. Never retried.
    pub(crate) async fn write(
        &self,
        method: Method,
        path: &str,
        body: Option<serde_json::Value>,
        cancel: &CancellationToken,
    ) -> Result<()> {
        let reply = self.call(method, path, &[], body, cancel).await?;
        if reply.is_success() {
            Ok(())
        } else {
            Err(reply.error())
        }
    }

    /// An authenticated call. `query` pairs are appended; `body` is sent as JSON.
    pub(crate) async fn call(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<serde_json::Value>,
        cancel: &CancellationToken,
    ) -> Result<Reply> {
        let mut renewed = false;
        loop {
            let (header, generation) = self.current_header(cancel).await?;
            let mut url = self.http.url(path)?;
            if !query.is_empty() {
                url.query_pairs_mut().extend_pairs(query);
            }
            let mut req = Request::new(method.clone(), url);
            req.headers.push(header);
            if let Some(b) = &body {
                req.body = Body::Json(b.clone());
            }
            let reply = self.http.send(req, cancel).await?;
            if reply.status != 401 && reply.status != 403 {
                return Ok(reply);
            }
            let mut inner = self.inner.lock().await;
            // A service without authentication never refuses `x-osmo-user`: a 401 or 403 comes
            // from a gateway or authorization check, so sign-in is required (no role would help).
            if matches!(inner.credential, Credential::Development { .. }) {
                return Err(OsmoError::SignIn {
                    code: ErrorCode::Unauthorized,
                    message: format!(
                        "{} requires sign-in: it refused the development-mode user with HTTP {}{}. Development mode works only for services running without authentication; sign in with an access token or your identity provider instead.",
                        self.spec.name,
                        reply.status,
                        reply
                            .error()
                            .server_message()
                            .map(|m| format!(" (\"{m}\")"))
                            .unwrap_or_default()
                    ),
                });
            }
            if reply.status == 403 {
                return Ok(reply);
            }
            if renewed {
                let reason = format!(
                    "the service refused the session's credentials even after renewing them ({}). They may have been revoked.",
                    reply.error().server_message().unwrap_or("HTTP 401")
                );
                return Err(self.sign_in_again(&mut inner, reason));
            }
            self.renew_locked(&mut inner, generation, cancel).await?;
            renewed = true;
        }
    }

    /// The credential header, renewing first when the JWT expires within the margin.
    async fn current_header(
        &self,
        cancel: &CancellationToken,
    ) -> Result<((HeaderName, HeaderValue), u64)> {
        let mut inner = self.inner.lock().await;
        if let SessionState::SignInAgain { reason } = &inner.state {
            return Err(OsmoError::SignInAgain {
                service: self.spec.name.clone(),
                reason: reason.clone(),
            });
        }
        let margin =
            chrono::Duration::from_std(self.http.config().refresh_margin).unwrap_or_default();
        let due = match &inner.credential {
            Credential::AccessToken { jwt, .. } | Credential::Idp { jwt, .. } => {
                jwt.expires_at - margin <= Utc::now()
            }
            Credential::Development { .. } => false,
        };
        if due {
            let generation = inner.generation;
            self.renew_locked(&mut inner, generation, cancel).await?;
        }
        let header = match &inner.credential {
            Credential::AccessToken { jwt, .. } | Credential::Idp { jwt, .. } => {
                self.discovery.dialect.auth_header(&jwt.token)?
            }
            Credential::Development { user } => (
                HeaderName::from_static("x-osmo-user"),
                HeaderValue::from_str(user)
                    .map_err(|_| OsmoError::Internal("bad development user name".into()))?,
            ),
        };
        Ok((header, inner.generation))
    }

    /// Renews the credential unless another call already did since `seen_generation`.
    async fn renew_locked(
        &self,
        inner: &mut Inner,
        seen_generation: u64,
        cancel: &CancellationToken,
    ) -> Result<()> {
        if inner.generation != seen_generation {
            return Ok(());
        }
        if let SessionState::SignInAgain { reason } = &inner.state {
            return Err(OsmoError::SignInAgain {
                service: self.spec.name.clone(),
                reason: reason.clone(),
            });
        }
        let renewed: std::result::Result<Jwt, String> = match &inner.credential {
            Credential::Development { .. } => return Ok(()),
            Credential::AccessToken { access_token, .. } => {
                match exchange(&self.http, self.discovery.dialect, access_token, cancel).await {
                    Ok(jwt) => Ok(jwt),
                    Err(Exchange::Refused(m)) => Err(explain_refusal(&m)),
                    Err(Exchange::Failed(e)) => return Err(e),
                }
            }
            Credential::Idp { tokens, .. } => match &tokens.refresh_token {
                None => Err(format!(
                    "the sign-in expired and there is no refresh token to renew it (the OSMO CLI says \"{CLI_NO_REFRESH_TOKEN}\"). Sign in again."
                )),
                Some(refresh) => {
                    match device_code::refresh(&self.http, &tokens.token_endpoint, &tokens.client_id, refresh, cancel).await? {
                        Ok(new_tokens) => {
                            let expires_at = Identity::from_jwt(&new_tokens.id_token)?.expires_at.unwrap_or_else(Utc::now);
                            let jwt = Jwt { token: new_tokens.id_token.clone(), expires_at };
                            inner.credential = Credential::Idp { tokens: new_tokens, jwt: jwt.clone() };
                            Ok(jwt)
                        }
                        Err(reason) => Err(reason),
                    }
                }
            },
        };
        match renewed {
            Ok(new_jwt) => {
                tracing::debug!(service = %self.spec.name, "session credential renewed");
                if let Credential::AccessToken { jwt, .. } = &mut inner.credential {
                    *jwt = new_jwt.clone();
                }
                if let SessionState::SignedIn(info) = &mut inner.state {
                    info.credential_expires_at = Some(new_jwt.expires_at);
                }
                inner.generation += 1;
                Ok(())
            }
            Err(reason) => Err(self.sign_in_again(inner, reason)),
        }
    }

    fn sign_in_again(&self, inner: &mut Inner, reason: String) -> OsmoError {
        tracing::info!(service = %self.spec.name, "session needs a new sign-in");
        inner.state = SessionState::SignInAgain {
            reason: reason.clone(),
        };
        OsmoError::SignInAgain {
            service: self.spec.name.clone(),
            reason,
        }
    }

    /// Test hook: pretend the current JWT is valid for another hour, so the next call goes out
    /// with it even if the server considers it expired.
    #[cfg(test)]
    pub(crate) async fn pretend_jwt_fresh(&self) {
        let mut inner = self.inner.lock().await;
        if let Credential::AccessToken { jwt, .. } | Credential::Idp { jwt, .. } =
            &mut inner.credential
        {
            jwt.expires_at = Utc::now() + chrono::Duration::hours(1);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::time::Duration;

    use osmo_sim::{Dialect as SimDialect, SeedBackend, SeedToken, SimConfig, Simulator};

    use super::*;

    /// The server rejects an expired JWT with 401 while the client still thinks it is fresh
    /// (clock skew): one re-exchange, then the call succeeds.
    #[tokio::test]
    async fn a_401_after_jwt_expiry_re_exchanges_once_then_succeeds() {
        for dialect in [SimDialect::V6_0, SimDialect::V6_4] {
            let mut config = SimConfig::new(dialect)
                .require_auth(true)
                .jwt_lifetime(Duration::from_secs(2))
                .backend(SeedBackend::new("default"));
            config = match dialect {
                SimDialect::V6_0 => config.token(SeedToken::service("admin", &["osmo-admin"])),
                SimDialect::V6_2 | SimDialect::V6_4 => config
                    .user("svc", &["osmo-admin"])
                    .token(SeedToken::for_user("svc", "admin", &["osmo-admin"])),
            };
            let sim = Simulator::start(config).await.unwrap();
            let spec = ServiceSpec {
                name: "sim".into(),
                url: sim.base_url(),
                custom_ca_pem: None,
            };
            let client_config = ClientConfig {
                refresh_margin: Duration::ZERO,
                ..ClientConfig::default()
            };
            let cancel = CancellationToken::new();
            let conn = Connection::open(spec, client_config, &cancel)
                .await
                .unwrap();
            let token = Secret::new(sim.seeded_token("admin").unwrap());
            let session = conn
                .sign_in_with_access_token(token, &cancel)
                .await
                .unwrap();
            // Lifetime 2 s: after 3.1 s the first JWT is expired on the server, while a new one
            // stays valid for at least a second (expiry is in whole seconds).
            tokio::time::sleep(Duration::from_millis(3100)).await;
            session.pretend_jwt_fresh().await;
            let generation = session.inner.lock().await.generation;
            let backends = session.list_backends(&cancel).await.unwrap();
            assert_eq!(backends.len(), 1);
            assert_eq!(
                session.inner.lock().await.generation,
                generation + 1,
                "{dialect:?}: exactly one re-exchange"
            );
            assert!(matches!(session.state().await, SessionState::SignedIn(_)));
        }
    }
}

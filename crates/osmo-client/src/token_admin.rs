//! Creating and deleting access tokens, and the 6.2+ service-account users behind them
//! (osmo-api.md §2.1, §2.2, §10.3).
//!
//! 6.0/6.1: [`Session::create_service_token`] (`POST /api/auth/access_token/service/{name}` with
//! query `expires_at`, `roles` (repeated), `description`; no body) and
//! [`Session::delete_service_token`]. 6.2+: [`Session::create_user`] (`POST /api/auth/user`
//! `{"id","roles"}`), [`Session::get_user`], [`Session::list_users_with_role`],
//! [`Session::create_user_token`] (`POST /api/auth/user/{user}/access_token/{name}?…`),
//! [`Session::delete_user_token`], [`Session::add_user_role`], [`Session::delete_user`] and the
//! caller's own tokens ([`Session::list_own_tokens`], [`Session::delete_own_token`], both
//! dialects).
//!
//! A created token's value comes back once, as a JSON string; it is returned as a [`Secret`] and
//! never logged. A `POST` or `DELETE` is never retried (the session retries only `GET`s).

use chrono::NaiveDate;
use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::json;
use tokio_util::sync::CancellationToken;

use crate::backends::path_segment;
use crate::dialect::Dialect;
use crate::error::OsmoError;
use crate::session::Session;
use crate::tokens::{AccessTokenInfo, User};
use crate::Result;
use osmo_admin_secrets::Secret;

/// A role held by a 6.2+ user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleGrant {
    pub role_name: String,
    #[serde(default)]
    pub assigned_by: Option<String>,
    #[serde(default)]
    pub assigned_at: Option<String>,
}

/// `GET /api/auth/user/{id}`: a user with its roles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDetail {
    pub id: String,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub created_by: Option<String>,
    #[serde(default)]
    pub roles: Vec<RoleGrant>,
}

impl UserDetail {
    pub fn role_names(&self) -> Vec<String> {
        self.roles.iter().map(|r| r.role_name.clone()).collect()
    }
}

/// The most pages of 1000 users [`Session::list_users_with_role`] reads.
pub const MAX_USER_PAGES: usize = 100;

/// A user list that does not end the way a list should.
fn endless_list(target: &str, why: &str) -> OsmoError {
    OsmoError::NotOsmo {
        target: target.to_owned(),
        what: format!("the user list was stopped: {why}"),
    }
}

#[derive(Deserialize)]
struct UserPageRaw {
    total_results: u64,
    users: Vec<User>,
}

/// The query of a token creation (both dialects use the same parameters).
fn creation_query<'a>(
    expires_on: &'a str,
    roles: &'a [String],
    description: &'a str,
) -> Vec<(&'a str, &'a str)> {
    let mut query = vec![("expires_at", expires_on), ("description", description)];
    query.extend(roles.iter().map(|r| ("roles", r.as_str())));
    query
}

impl Session {
    fn require_dialect(&self, dialect: Dialect, what: &str) -> Result<()> {
        if self.dialect() == dialect {
            Ok(())
        } else {
            Err(OsmoError::NotInThisVersion {
                what: what.to_owned(),
                version: self.discovery().version.to_string(),
            })
        }
    }

    async fn post_for_token(
        &self,
        path: &str,
        expires_on: NaiveDate,
        roles: &[String],
        description: &str,
        cancel: &CancellationToken,
    ) -> Result<Secret> {
        let date = expires_on.format("%Y-%m-%d").to_string();
        let query = creation_query(&date, roles, description);
        let value: String = self
            .call(Method::POST, path, &query, None, cancel)
            .await?
            .json()?;
        if value.trim().is_empty() {
            return Err(OsmoError::Internal(format!(
                "the service answered {path} with an empty token"
            )));
        }
        Ok(Secret::new(value))
    }

    async fn delete_path(&self, path: &str, cancel: &CancellationToken) -> Result<()> {
        self.write(Method::DELETE, path, None, cancel).await
    }

    /// 6.0/6.1: creates service token `name` (its owner is the token name) and returns its value.
    pub async fn create_service_token(
        &self,
        name: &str,
        expires_on: NaiveDate,
        roles: &[String],
        description: &str,
        cancel: &CancellationToken,
    ) -> Result<Secret> {
        self.require_dialect(Dialect::V6_0, "Creating a service token")?;
        let path = format!("/api/auth/access_token/service/{}", path_segment(name));
        self.post_for_token(&path, expires_on, roles, description, cancel)
            .await
    }

    /// 6.0/6.1: deletes service token `name` (and its service account's profile).
    pub async fn delete_service_token(&self, name: &str, cancel: &CancellationToken) -> Result<()> {
        self.require_dialect(Dialect::V6_0, "Deleting a service token")?;
        self.delete_path(
            &format!("/api/auth/access_token/service/{}", path_segment(name)),
            cancel,
        )
        .await
    }

    /// 6.2+: creates user `id` with `roles` (a service account when the roles say so).
    pub async fn create_user(
        &self,
        id: &str,
        roles: &[String],
        cancel: &CancellationToken,
    ) -> Result<User> {
        self.require_dialect(Dialect::V6_2, "Creating a user")?;
        let body = json!({ "id": id, "roles": roles });
        self.call(Method::POST, "/api/auth/user", &[], Some(body), cancel)
            .await?
            .json()
    }

    /// 6.2+: gives user `id` the role `role` (`POST /api/auth/user/{id}/roles`); giving a role
    /// the user already holds succeeds.
    pub async fn add_user_role(
        &self,
        id: &str,
        role: &str,
        cancel: &CancellationToken,
    ) -> Result<()> {
        self.require_dialect(Dialect::V6_2, "Adding a role to a user")?;
        let path = format!("/api/auth/user/{}/roles", path_segment(id));
        self.write(
            Method::POST,
            &path,
            Some(json!({ "role_name": role })),
            cancel,
        )
        .await
    }

    /// 6.2+: deletes user `id` (`DELETE /api/auth/user/{id}`); its tokens stop working for good.
    pub async fn delete_user(&self, id: &str, cancel: &CancellationToken) -> Result<()> {
        self.require_dialect(Dialect::V6_2, "Deleting a user")?;
        self.delete_path(&format!("/api/auth/user/{}", path_segment(id)), cancel)
            .await
    }

    /// 6.2+: user `id` with its roles, or `None` when the service says it does not exist.
    pub async fn get_user(
        &self,
        id: &str,
        cancel: &CancellationToken,
    ) -> Result<Option<UserDetail>> {
        self.require_dialect(Dialect::V6_2, "Reading a user")?;
        let path = format!("/api/auth/user/{}", path_segment(id));
        match self.get_json(&path, cancel).await {
            Ok(user) => Ok(Some(user)),
            Err(e) if e.server_message() == Some(&format!("User {id} not found")) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// 6.2+: every user holding `role` (all pages, 1000 users each). Stops at an empty page or
    /// the announced total; a page repeating users already read, or more than
    /// [`MAX_USER_PAGES`] pages, is an error (a service paginating forever must not keep the
    /// caller looping).
    pub async fn list_users_with_role(
        &self,
        role: &str,
        cancel: &CancellationToken,
    ) -> Result<Vec<User>> {
        self.require_dialect(Dialect::V6_2, "Listing users")?;
        let mut users: Vec<User> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut target = String::from("GET /api/auth/user");
        for _ in 0..MAX_USER_PAGES {
            let start = (users.len() + 1).to_string();
            let reply = self
                .call(
                    Method::GET,
                    "/api/auth/user",
                    &[("start_index", &start), ("count", "1000"), ("roles", role)],
                    None,
                    cancel,
                )
                .await?;
            let page: UserPageRaw = reply.json()?;
            target.clone_from(&reply.target);
            if page.users.is_empty() {
                return Ok(users);
            }
            if page.users.iter().any(|u| !seen.insert(u.id.clone())) {
                return Err(endless_list(
                    &reply.target,
                    &format!("a page from user {start} on repeats users already listed"),
                ));
            }
            users.extend(page.users);
            if users.len() as u64 >= page.total_results {
                return Ok(users);
            }
        }
        Err(endless_list(
            &target,
            &format!("it did not end after {MAX_USER_PAGES} pages of 1000 users"),
        ))
    }

    /// The signed-in user's own (personal) tokens: `GET /api/auth/access_token/user` at 6.0/6.1,
    /// `GET /api/auth/access_token` at 6.2+.
    pub async fn list_own_tokens(
        &self,
        cancel: &CancellationToken,
    ) -> Result<Vec<AccessTokenInfo>> {
        let path = match self.dialect() {
            Dialect::V6_0 => "/api/auth/access_token/user",
            Dialect::V6_2 => "/api/auth/access_token",
        };
        self.get_json(path, cancel).await
    }

    /// Deletes the signed-in user's own token `name`: `DELETE /api/auth/access_token/user/{name}`
    /// at 6.0/6.1, `DELETE /api/auth/access_token/{name}` at 6.2+.
    pub async fn delete_own_token(&self, name: &str, cancel: &CancellationToken) -> Result<()> {
        let prefix = match self.dialect() {
            Dialect::V6_0 => "/api/auth/access_token/user",
            Dialect::V6_2 => "/api/auth/access_token",
        };
        self.delete_path(&format!("{prefix}/{}", path_segment(name)), cancel)
            .await
    }

    /// 6.2+: creates token `name` for user `user` and returns its value. `roles` must be held by
    /// the user (the service refuses otherwise).
    pub async fn create_user_token(
        &self,
        user: &str,
        name: &str,
        expires_on: NaiveDate,
        roles: &[String],
        description: &str,
        cancel: &CancellationToken,
    ) -> Result<Secret> {
        self.require_dialect(Dialect::V6_2, "Creating a user's token")?;
        let path = format!(
            "/api/auth/user/{}/access_token/{}",
            path_segment(user),
            path_segment(name)
        );
        self.post_for_token(&path, expires_on, roles, description, cancel)
            .await
    }

    /// 6.2+: deletes user `user`'s token `name`.
    pub async fn delete_user_token(
        &self,
        user: &str,
        name: &str,
        cancel: &CancellationToken,
    ) -> Result<()> {
        self.require_dialect(Dialect::V6_2, "Deleting a user's token")?;
        self.delete_path(
            &format!(
                "/api/auth/user/{}/access_token/{}",
                path_segment(user),
                path_segment(name)
            ),
            cancel,
        )
        .await
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn creation_query_repeats_roles() {
        let roles = vec!["osmo-backend".to_owned(), "osmo-user".to_owned()];
        let q = creation_query("2027-01-15", &roles, "rotated");
        assert_eq!(
            q,
            vec![
                ("expires_at", "2027-01-15"),
                ("description", "rotated"),
                ("roles", "osmo-backend"),
                ("roles", "osmo-user")
            ]
        );
    }

    #[test]
    fn user_detail_reads_6_4_json() {
        let body = r#"{"id":"backend-operator","created_at":"2026-11-28T17:00:00Z","created_by":"admin","roles":[{"role_name":"osmo-backend","assigned_by":"admin","assigned_at":"2026-11-28T17:00:00Z"}]}"#;
        let user: UserDetail = serde_json::from_str(body).unwrap();
        assert_eq!(user.role_names(), vec!["osmo-backend".to_owned()]);
    }
}

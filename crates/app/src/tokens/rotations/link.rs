//! The sidecar `<id>.link` beside a rotation's journal: the session and context it runs with
//! (the journal does not say), and the backend, Secret and tokens it is about, so that even when
//! the journal cannot be read, the app knows whose rotation it was and what to look at. JSON, not
//! `.json`, so the library's scan of journals skips it. Never a token's value.

use std::path::{Path, PathBuf};

use osmo_admin_tokens::rotation::{RotationPlan, SecretTarget};
use osmo_admin_tokens::TokenRef;
use serde::{Deserialize, Serialize};

/// The session and context a rotation uses, and what it is about (absent in links written by
/// earlier versions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RotationLink {
    pub session: String,
    pub context: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backend: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<SecretTarget>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_token: Option<TokenRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_token: Option<TokenRef>,
}

impl RotationLink {
    /// A link to `session` and `context` only.
    pub fn new(session: impl Into<String>, context: impl Into<String>) -> Self {
        Self {
            session: session.into(),
            context: context.into(),
            backend: None,
            secret: None,
            new_token: None,
            old_token: None,
        }
    }

    /// With what `plan` is about; `new` is the new token as validated.
    pub(crate) fn about(mut self, plan: &RotationPlan, new: TokenRef) -> Self {
        self.backend = Some(plan.backend.clone());
        self.secret = Some(plan.secret.clone());
        self.new_token = Some(new);
        self.old_token = plan.old_token.clone();
        self
    }
}

/// The sidecar of the journal (or set-aside journal's original path) `journal`.
fn link_path(journal: &Path) -> PathBuf {
    journal.with_extension("link")
}

pub(crate) fn read_link(journal: &Path) -> Option<RotationLink> {
    let text = std::fs::read_to_string(link_path(journal)).ok()?;
    serde_json::from_str(&text).ok()
}

pub(crate) fn write_link(journal: &Path, link: &RotationLink) {
    let written = serde_json::to_string(link)
        .map_err(|e| e.to_string())
        .and_then(|text| std::fs::write(link_path(journal), text).map_err(|e| e.to_string()));
    if let Err(e) = written {
        tracing::warn!(%e, "could not record the rotation's session and context");
    }
}

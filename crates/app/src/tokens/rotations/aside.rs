//! Rotation journals that could not be read and were set aside (`osmo-admin-tokens`'
//! `set_aside`): each is listed as a rotation that needs the user, with what its sidecar link and
//! the journal's readable part tell (the backend, service, context, Secret and tokens) and what
//! the cluster and the service showed when last checked. One whose backend is known blocks a new
//! rotation of that backend (of its service, when the link names it) until marked resolved.

use osmo_admin_core::{BackendName, ServiceId};
use osmo_admin_tokens::rotation::{set_aside_in_words, JournalFacts, Observed, SetAside, Watched};

use super::dto::{now_dto, rfc3339, RotationStatusDto, RotationView, SetAsideDto};
use super::link::{read_link, RotationLink};

pub(super) struct AsideEntry {
    pub aside: SetAside,
    pub link: Option<RotationLink>,
    /// What was asked and seen at the last check.
    pub seen: Option<(Watched, Observed)>,
}

impl AsideEntry {
    pub fn new(aside: SetAside) -> Self {
        Self {
            link: read_link(&aside.original),
            aside,
            seen: None,
        }
    }

    /// The id the list uses: the set-aside file's name.
    pub fn id(&self) -> String {
        self.aside
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// What the link and the journal's readable part tell (the link wins: it is written whole).
    fn facts(&self) -> JournalFacts {
        let mut facts = self.aside.facts.clone();
        if let Some(l) = &self.link {
            facts.backend = l.backend.clone().or(facts.backend);
            facts.secret = l.secret.clone().or(facts.secret);
            facts.new_token = l.new_token.clone().or(facts.new_token);
            facts.old_token = l.old_token.clone().or(facts.old_token);
        }
        facts
    }

    pub fn backend(&self) -> Option<String> {
        self.facts().backend
    }

    /// What to read in the cluster and the service, when the backend and Secret are known.
    pub fn watched(&self) -> Option<Watched> {
        let facts = self.facts();
        Some(Watched {
            backend: facts.backend?,
            secret: facts.secret?,
            tokens: facts.old_token.into_iter().chain(facts.new_token).collect(),
        })
    }

    /// Whether it blocks a new rotation of `backend` of `service`.
    pub fn blocks(&self, service: &ServiceId, backend: &str) -> bool {
        let same_service = self
            .link
            .as_ref()
            .is_none_or(|l| l.session == service.as_str());
        !self.aside.resolved && same_service && self.backend().as_deref() == Some(backend)
    }

    pub fn view(&self) -> RotationView {
        let aside = &self.aside;
        let file = aside.path.display().to_string();
        let backend = self.backend();
        let whose = match (&backend, &self.link) {
            (Some(b), Some(l)) => format!("backend {b} of {}", l.session),
            (Some(b), None) => format!("backend {b}"),
            (None, _) => "a backend that neither the file nor its link names".to_owned(),
        };
        let facts = self.facts();
        let seen = self.seen.as_ref().map(|(_, s)| s);
        let now = match (&facts.backend, &facts.secret) {
            (None, _) => {
                "Look at the file to see whose rotation it was; it blocks nothing.".to_owned()
            }
            (Some(_), None) => {
                "Which secret it used is not known, so the cluster was not checked.".to_owned()
            }
            (Some(_), Some(_)) => set_aside_in_words(&facts, seen),
        };
        let resolve = if backend.is_some() {
            " Put things right on the Tokens screen (delete the token that is not in use, rotate again if needed), then mark this resolved: until then no new rotation of this backend can start."
        } else {
            " Mark it resolved once you have looked."
        };
        let words = format!(
            "The journal of a rotation of {whose} could not be read ({}), so nothing can resume it; it was set aside as {file} and kept. {now}{resolve}",
            aside.reason
        );
        let at = aside.at.map(rfc3339).unwrap_or_default();
        let link = self.link.as_ref();
        RotationView {
            id: self.id(),
            backend: backend.as_deref().map(BackendName::new),
            session: link.map(|l| ServiceId::new(l.session.as_str())),
            context: link.map(|l| l.context.clone()),
            secret: facts.secret.map(|s| s.to_string()).unwrap_or_default(),
            new_token: facts.new_token.map(|t| t.name).unwrap_or_default(),
            old_token: facts.old_token.map(|t| t.to_string()),
            status: RotationStatusDto::NeedsYou,
            rolling_back: false,
            running: false,
            steps: Vec::new(),
            words,
            failure: None,
            can_retry: false,
            can_roll_back: false,
            started_at: at.clone(),
            updated_at: at,
            set_aside: Some(SetAsideDto {
                file,
                reason: aside.reason.clone(),
                blocks: backend.is_some(),
            }),
            now: self.seen.as_ref().map(|(w, s)| now_dto(w, s)),
        }
    }
}

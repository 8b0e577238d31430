//! Which backend runs on which Kubernetes context: the links saved in the settings, then those
//! lent for the run (the sandbox's backends whose operator runs in its cluster), never saved.

use std::sync::{Arc, Mutex};

use osmo_admin_core::settings::SettingsStore;
use osmo_admin_core::{BackendLink, BackendRef, ServiceId};

use crate::lock;

pub struct Links {
    settings: Arc<SettingsStore>,
    lent: Mutex<Vec<BackendLink>>,
}

impl Links {
    pub fn new(settings: Arc<SettingsStore>) -> Self {
        Self {
            settings,
            lent: Mutex::new(Vec::new()),
        }
    }

    /// Every link: the saved ones, then the lent ones of backends the user did not link.
    pub fn all(&self) -> Vec<BackendLink> {
        let mut links = self.settings.get().backend_links;
        for lent in lock(&self.lent).iter() {
            if !links.iter().any(|l| l.is_for(&lent.backend())) {
                links.push(lent.clone());
            }
        }
        links
    }

    /// The link of `backend`, saved or lent.
    pub fn of(&self, backend: &BackendRef) -> Option<BackendLink> {
        self.all().into_iter().find(|l| l.is_for(backend))
    }

    /// The links of one service's backends.
    pub fn of_service(&self, service: &ServiceId) -> Vec<BackendLink> {
        self.all()
            .into_iter()
            .filter(|l| l.service() == service)
            .collect()
    }

    /// Lends `links` for the run (replacing earlier lent ones).
    pub fn lend(&self, links: Vec<BackendLink>) {
        *lock(&self.lent) = links;
    }

    /// Lends one more link for the run (a backend set up on a lent cluster).
    pub fn lend_one(&self, link: BackendLink) {
        let mut lent = lock(&self.lent);
        lent.retain(|l| !l.is_for(&link.backend()));
        lent.push(link);
    }

    /// Forgets a lent link of `backend` (the user unlinked it).
    pub fn forget_lent(&self, backend: &BackendRef) {
        lock(&self.lent).retain(|l| !l.is_for(backend));
    }
}

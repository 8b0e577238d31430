//! The token rotations of this run: each one an `osmo-admin-tokens` [`Rotation`] run in the
//! background (its [`StepEvent`]s sent as [`AppEvent::RotationProgress`], its end as
//! [`AppEvent::RotationsChanged`]), and what `data_dir/rotations` holds when the app starts: the
//! unfinished journals (listed as interrupted: the user resumes or rolls back; nothing runs by
//! itself) and the journals that could not be read, set aside and listed as needing the user
//! ([`aside`]). The scan happens on first use as well as at start.
//!
//! The journal does not say which session and context a rotation used, so a sidecar `<id>.link`
//! ([`link`]) records them, with the backend, Secret and tokens it is about. An interrupted or
//! set-aside rotation is described from what the cluster and the service show when checked
//! ([`Rotations::seen`], filled by `tokens::recovery`), not from the journal's last entry.

mod aside;
pub mod dto;
mod link;
mod view;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};

use osmo_admin_core::ServiceId;
use osmo_admin_osmo_client::{CancellationToken, Session};
use osmo_admin_tokens::rotation::{
    mark_resolved, scan, Direction, Journal, Observed, Rotation, RotationPlan, RotationState,
    StepEvent, Watched,
};
use osmo_admin_tokens::{Rules, TokenRef, TokensError};

pub use dto::{
    RotationNowDto, RotationProgress, RotationStatusDto, RotationView, RotationsChanged,
    SetAsideDto, StepDto, StepStateDto, StepView,
};
pub use link::RotationLink;

use crate::events::AppEvent;
use crate::operations::Operation;
use crate::{lock, WeakCore};
use aside::AsideEntry;
use link::{read_link, write_link};

struct Entry {
    path: PathBuf,
    link: Option<RotationLink>,
    journal: Journal,
    /// `None` for an interrupted rotation not resumed yet.
    rotation: Option<Arc<tokio::sync::Mutex<Rotation>>>,
    /// The library's state as of the end of the last run.
    state: Option<RotationState>,
    running: bool,
    events: Vec<StepEvent>,
    /// What was asked and seen in the cluster and the service at the last check.
    seen: Option<(Watched, Observed)>,
}

#[derive(Default)]
struct Inner {
    scanned: bool,
    entries: BTreeMap<String, Entry>,
    /// Set-aside journals not resolved yet, by file name.
    aside: BTreeMap<String, AsideEntry>,
}

/// What to do with a rotation in the background.
#[derive(Debug, Clone, Copy)]
pub enum Action {
    Run,
    Retry,
    RollBack,
}

/// A rotation whose state is to be read from the cluster and the service: its id, the session and
/// context it ran with (when recorded), and what to read.
#[derive(Debug, Clone)]
pub struct ToCheck {
    pub id: String,
    pub link: Option<RotationLink>,
    pub watched: Watched,
    /// It was checked before and nothing failed then.
    pub seen_whole: bool,
}

pub struct Rotations {
    dir: PathBuf,
    inner: Mutex<Inner>,
    core: Mutex<Option<WeakCore>>,
    me: Weak<Rotations>,
}

impl Rotations {
    pub fn new(dir: PathBuf) -> Arc<Self> {
        Arc::new_cyclic(|me| Self {
            dir,
            inner: Mutex::new(Inner::default()),
            core: Mutex::new(None),
            me: me.clone(),
        })
    }

    /// Where the journals live (`data_dir/rotations`).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where events go.
    pub(crate) fn connect(&self, core: WeakCore) {
        *lock(&self.core) = Some(core);
    }

    fn send(&self, event: AppEvent) {
        let core = lock(&self.core).as_ref().and_then(WeakCore::upgrade);
        if let Some(core) = core {
            core.events.emit(event);
        }
    }

    /// Reads the journal folder once (at start, or on first use): the unfinished journals, and
    /// the unreadable ones, which the library sets aside.
    pub fn scan(&self) {
        let mut inner = lock(&self.inner);
        if inner.scanned {
            return;
        }
        inner.scanned = true;
        let found = scan(&self.dir);
        for (path, journal) in found.unfinished {
            tracing::info!(rotation = %journal.id, backend = %journal.plan.backend, "unfinished rotation found");
            let link = read_link(&path);
            inner.entries.entry(journal.id.clone()).or_insert(Entry {
                path,
                link,
                journal,
                rotation: None,
                state: None,
                running: false,
                events: Vec::new(),
                seen: None,
            });
        }
        for aside in found.set_aside.into_iter().filter(|a| !a.resolved) {
            tracing::warn!(file = %aside.path.display(), reason = %aside.reason, "set-aside rotation journal needs the user");
            let entry = AsideEntry::new(aside);
            inner.aside.insert(entry.id(), entry);
        }
    }

    /// Every rotation of this run, every interrupted one and every set-aside journal not resolved
    /// yet, newest first.
    pub fn list(&self) -> Vec<RotationView> {
        self.scan();
        let inner = lock(&self.inner);
        let mut views: Vec<RotationView> = inner.entries.values().map(view::view_of).collect();
        views.extend(inner.aside.values().map(AsideEntry::view));
        views.sort_by(|a, b| b.started_at.cmp(&a.started_at));
        views
    }

    pub fn get(&self, id: &str) -> Result<RotationView, TokensError> {
        self.scan();
        let inner = lock(&self.inner);
        if let Some(aside) = inner.aside.get(id) {
            return Ok(aside.view());
        }
        inner
            .entries
            .get(id)
            .map(view::view_of)
            .ok_or_else(|| unknown(id))
    }

    /// The session and context recorded for `id`, if any.
    pub fn link(&self, id: &str) -> Result<Option<RotationLink>, TokensError> {
        self.scan();
        let inner = lock(&self.inner);
        if inner.aside.contains_key(id) {
            return Err(needs_you(id));
        }
        let entry = inner.entries.get(id).ok_or_else(|| unknown(id))?;
        Ok(entry.link.clone())
    }

    /// Whether `id` needs connecting first (an interrupted rotation not resumed in this run).
    pub fn needs_resume(&self, id: &str) -> Result<bool, TokensError> {
        self.scan();
        let inner = lock(&self.inner);
        let entry = inner.entries.get(id).ok_or_else(|| unknown(id))?;
        Ok(entry.rotation.is_none())
    }

    /// The interrupted rotations (not resumed in this run) and the set-aside journals whose
    /// backend and Secret are known: what to read now to describe them.
    pub fn to_check(&self) -> Vec<ToCheck> {
        self.scan();
        let inner = lock(&self.inner);
        let interrupted = inner
            .entries
            .values()
            .filter(|e| e.rotation.is_none() && !e.running && e.journal.is_unfinished());
        let whole = |seen: &Option<(Watched, Observed)>| {
            seen.as_ref().is_some_and(|(_, s)| s.notes.is_empty())
        };
        let mut out: Vec<ToCheck> = interrupted
            .map(|e| ToCheck {
                id: e.journal.id.clone(),
                link: e.link.clone(),
                watched: Watched::of(&e.journal),
                seen_whole: whole(&e.seen),
            })
            .collect();
        out.extend(inner.aside.iter().filter_map(|(id, a)| {
            Some(ToCheck {
                id: id.clone(),
                link: a.link.clone(),
                watched: a.watched()?,
                seen_whole: whole(&a.seen),
            })
        }));
        out
    }

    /// Records what the cluster and the service show for `id` now; its words follow.
    pub fn seen(&self, id: &str, watched: Watched, seen: Observed) {
        let mut guard = lock(&self.inner);
        let inner = &mut *guard;
        let slot = match inner.entries.get_mut(id) {
            Some(entry) => &mut entry.seen,
            None => match inner.aside.get_mut(id) {
                Some(aside) => &mut aside.seen,
                None => return,
            },
        };
        // A slower, older look (the background check) never replaces a newer one.
        if slot.as_ref().is_some_and(|(_, old)| old.at > seen.at) {
            return;
        }
        *slot = Some((watched, seen));
        drop(guard);
        self.send(AppEvent::RotationsChanged(RotationsChanged {
            id: id.to_owned(),
        }));
    }

    /// "I have checked: forget it": set-aside journal `id` stops blocking its backend and leaves
    /// the list. The file stays where it is.
    pub fn resolve(&self, id: &str) -> Result<(), TokensError> {
        self.scan();
        let path = {
            let inner = lock(&self.inner);
            match inner.aside.get(id) {
                Some(a) => a.aside.path.clone(),
                None if inner.entries.contains_key(id) => {
                    return Err(TokensError::State(format!(
                        "Rotation {id} can be resumed or rolled back; only a journal that could not be read is marked resolved."
                    )))
                }
                None => return Err(unknown(id)),
            }
        };
        mark_resolved(&path)?;
        tracing::info!(file = %path.display(), "set-aside rotation journal marked resolved");
        lock(&self.inner).aside.remove(id);
        self.send(AppEvent::RotationsChanged(RotationsChanged {
            id: id.to_owned(),
        }));
        Ok(())
    }

    /// Refuses a new rotation of `backend` of `service` while a set-aside journal of it is not
    /// resolved.
    fn check_not_blocked(&self, service: &ServiceId, backend: &str) -> Result<(), TokensError> {
        let inner = lock(&self.inner);
        match inner.aside.values().find(|a| a.blocks(service, backend)) {
            Some(a) => Err(TokensError::State(format!(
                "An earlier rotation of backend {backend} of {service} left a journal that could not be read; it was set aside as {}. Look at it in the rotation list (what the secret and OSMO show now), put things right, then mark it resolved before starting a new rotation.",
                a.aside.path.display()
            ))),
            None => Ok(()),
        }
    }

    /// Starts a new rotation (journal written, nothing sent) and runs it in the background.
    pub fn start(
        &self,
        link: RotationLink,
        session: Arc<Session>,
        client: kube::Client,
        plan: RotationPlan,
        rules: &Rules,
        begin: impl FnOnce() -> Operation,
    ) -> Result<RotationView, TokensError> {
        self.scan();
        self.check_not_blocked(&ServiceId::new(link.session.as_str()), &plan.backend)?;
        let rotation = Rotation::start(session, client, plan, &self.dir, rules)?;
        let path = rotation.journal_path().to_owned();
        let journal = rotation.journal().clone();
        let link = link.about(&journal.plan, new_token(&journal));
        write_link(&path, &link);
        let id = journal.id.clone();
        let entry = Entry {
            path,
            link: Some(link),
            journal,
            rotation: None,
            state: Some(rotation.state()),
            running: false,
            events: Vec::new(),
            seen: None,
        };
        lock(&self.inner).entries.insert(id.clone(), entry);
        self.attach(&id, rotation);
        self.launch(&id, Action::Run, begin)
    }

    /// Connects an interrupted rotation (`Rotation::resume`), so it can run or roll back.
    pub fn resume(
        &self,
        id: &str,
        link: RotationLink,
        session: Arc<Session>,
        client: kube::Client,
    ) -> Result<(), TokensError> {
        let path = {
            let inner = lock(&self.inner);
            inner
                .entries
                .get(id)
                .ok_or_else(|| unknown(id))?
                .path
                .clone()
        };
        let rotation = Rotation::resume(session, client, &path)?;
        let journal = rotation.journal();
        let link = link.about(&journal.plan, new_token(journal));
        write_link(&path, &link);
        if let Some(entry) = lock(&self.inner).entries.get_mut(id) {
            entry.link = Some(link);
        }
        self.attach(id, rotation);
        Ok(())
    }

    fn attach(&self, id: &str, mut rotation: Rotation) {
        let me = self.me.clone();
        rotation.on_event(Arc::new(move |event: StepEvent| {
            if let Some(me) = me.upgrade() {
                me.on_event(event);
            }
        }));
        if let Some(entry) = lock(&self.inner).entries.get_mut(id) {
            entry.rotation = Some(Arc::new(tokio::sync::Mutex::new(rotation)));
        }
    }

    fn on_event(&self, event: StepEvent) {
        let payload = dto::progress(&event);
        if let Some(entry) = lock(&self.inner).entries.get_mut(&event.rotation_id) {
            entry.events.push(event);
        }
        self.send(AppEvent::RotationProgress(payload));
    }

    /// Runs `action` on rotation `id` in the background; refused while it already runs.
    /// `begin` registers the cancellable operation, only once the run is accepted (a refused
    /// request must not cancel the run under the same name).
    pub fn launch(
        &self,
        id: &str,
        action: Action,
        begin: impl FnOnce() -> Operation,
    ) -> Result<RotationView, TokensError> {
        let rotation = {
            let mut inner = lock(&self.inner);
            if inner.aside.contains_key(id) {
                return Err(needs_you(id));
            }
            let entry = inner.entries.get_mut(id).ok_or_else(|| unknown(id))?;
            if entry.running {
                return Err(TokensError::State(format!(
                    "Rotation {id} is running already; wait for it to stop."
                )));
            }
            let rotation = entry.rotation.clone().ok_or_else(|| {
                TokensError::State(format!(
                    "Rotation {id} was interrupted; resume it with its session and context first."
                ))
            })?;
            entry.running = true;
            if matches!(action, Action::RollBack) {
                entry.journal.direction = Direction::RollingBack;
            }
            rotation
        };
        let running = begin();
        let me = self.me.clone();
        let id_owned = id.to_owned();
        tokio::spawn(async move {
            let cancel: CancellationToken = running.token().clone();
            let mut r = rotation.lock().await;
            let result = match action {
                Action::Run => r.run(&cancel).await,
                Action::Retry => r.retry_step(&cancel).await,
                Action::RollBack => r.roll_back(&cancel).await,
            };
            let state = r.state();
            let journal = r.journal().clone();
            drop(r);
            drop(running);
            if let Err(e) = &result {
                tracing::warn!(rotation = %id_owned, code = ?e.code(), "rotation stopped: {e}");
            }
            if let Some(me) = me.upgrade() {
                if let Some(entry) = lock(&me.inner).entries.get_mut(&id_owned) {
                    entry.running = false;
                    entry.state = Some(state);
                    entry.journal = journal;
                }
                me.send(AppEvent::RotationsChanged(RotationsChanged {
                    id: id_owned,
                }));
            }
        });
        self.get(id)
    }
}

fn unknown(id: &str) -> TokensError {
    TokensError::State(format!(
        "There is no rotation {id}: it finished in an earlier run or never existed."
    ))
}

fn needs_you(id: &str) -> TokensError {
    TokensError::State(format!(
        "The journal {id} could not be read, so this rotation cannot be resumed or rolled back; look at what the secret and OSMO show, put things right on the Tokens screen, then mark it resolved."
    ))
}

fn new_token(j: &Journal) -> TokenRef {
    TokenRef {
        owner: j.new_token.owner.clone(),
        name: j.new_token.name.clone(),
    }
}

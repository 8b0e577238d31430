//! Which desktop notifications to raise: from the previous and the new observation of a
//! session's backends, "went offline" / "came back" for each backend whose server flag flipped,
//! unless muted. Pure; showing the notification is the app's job.
//!
//! A backend seen for the first time, or no longer listed, raises nothing (no flag flipped).
//! Pass the last *successful* observation as `previous`: a failed poll is no observation.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::rows::BackendRow;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NotificationKind {
    WentOffline,
    CameBack,
}

/// One notification to raise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub session: String,
    pub backend: String,
    pub kind: NotificationKind,
}

impl Notification {
    /// The notification's text.
    pub fn message(&self) -> String {
        match self.kind {
            NotificationKind::WentOffline => {
                format!("Backend {} ({}) went offline", self.backend, self.session)
            }
            NotificationKind::CameBack => {
                format!("Backend {} ({}) is back online", self.backend, self.session)
            }
        }
    }
}

/// Backends whose notifications are muted, by (session, backend).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MuteSet(BTreeSet<(String, String)>);

impl MuteSet {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn mute(&mut self, session: &str, backend: &str) {
        self.0.insert((session.to_owned(), backend.to_owned()));
    }

    pub fn unmute(&mut self, session: &str, backend: &str) {
        self.0.remove(&(session.to_owned(), backend.to_owned()));
    }

    pub fn is_muted(&self, session: &str, backend: &str) -> bool {
        self.0.contains(&(session.to_owned(), backend.to_owned()))
    }
}

/// The notifications for the change from `previous` to `current` (rows of any sessions).
pub fn decide(
    previous: &[BackendRow],
    current: &[BackendRow],
    muted: &MuteSet,
) -> Vec<Notification> {
    let before: HashMap<(&str, &str), bool> = previous
        .iter()
        .map(|r| ((r.session.as_str(), r.name.as_str()), r.online))
        .collect();
    current
        .iter()
        .filter_map(|r| {
            let was = *before.get(&(r.session.as_str(), r.name.as_str()))?;
            if was == r.online || muted.is_muted(&r.session, &r.name) {
                return None;
            }
            Some(Notification {
                session: r.session.clone(),
                backend: r.name.clone(),
                kind: if r.online {
                    NotificationKind::CameBack
                } else {
                    NotificationKind::WentOffline
                },
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(session: &str, name: &str, online: bool) -> BackendRow {
        BackendRow {
            session: session.into(),
            name: name.into(),
            online,
            last_heartbeat: None,
            offline_since: None,
            version: String::new(),
            k8s_namespace: String::new(),
            scheduler_type: String::new(),
            scheduler_name: String::new(),
            pools: Vec::new(),
            dashboard_url: String::new(),
            grafana_url: String::new(),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn flips_notify_unless_muted() {
        let prev = vec![
            row("s1", "a", true),
            row("s1", "b", false),
            row("s1", "c", true),
            row("s2", "a", true),
            row("s1", "gone", true),
        ];
        let cur = vec![
            row("s1", "a", false),
            row("s1", "b", true),
            row("s1", "c", true),
            row("s2", "a", false),
            row("s1", "new", false),
        ];
        let none = MuteSet::new();
        let n = decide(&prev, &cur, &none);
        assert_eq!(
            n,
            vec![
                Notification {
                    session: "s1".into(),
                    backend: "a".into(),
                    kind: NotificationKind::WentOffline
                },
                Notification {
                    session: "s1".into(),
                    backend: "b".into(),
                    kind: NotificationKind::CameBack
                },
                Notification {
                    session: "s2".into(),
                    backend: "a".into(),
                    kind: NotificationKind::WentOffline
                },
            ]
        );
        assert_eq!(n[0].message(), "Backend a (s1) went offline");
        assert_eq!(n[1].message(), "Backend b (s1) is back online");

        // Muting s1/a silences only that backend of that session.
        let mut muted = MuteSet::new();
        muted.mute("s1", "a");
        let n = decide(&prev, &cur, &muted);
        assert_eq!(n.len(), 2);
        assert!(n.iter().all(|x| !(x.session == "s1" && x.backend == "a")));
        assert!(n.iter().any(|x| x.session == "s2" && x.backend == "a"));
        muted.unmute("s1", "a");
        assert_eq!(decide(&prev, &cur, &muted).len(), 3);

        // Nothing changed, nothing raised; first observation raises nothing.
        assert!(decide(&cur, &cur, &none).is_empty());
        assert!(decide(&[], &cur, &none).is_empty());
    }
}

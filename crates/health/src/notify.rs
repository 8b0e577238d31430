//! Which "went offline" / "came back" notifications to raise: one for each status change the
//! poller observed (its hysteresis already applied), unless the backend is muted. Pure; showing
//! the notification is the app's job. This is the one place that decision is made.

use serde::{Deserialize, Serialize};

use crate::uptime::StatusChange;

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

    pub fn online(&self) -> bool {
        self.kind == NotificationKind::CameBack
    }
}

/// The notifications for `changes`, leaving out backends for which `muted(session, backend)`.
pub fn decide(changes: &[StatusChange], muted: impl Fn(&str, &str) -> bool) -> Vec<Notification> {
    changes
        .iter()
        .filter(|c| !muted(&c.session, &c.backend))
        .map(|c| Notification {
            session: c.session.clone(),
            backend: c.backend.clone(),
            kind: if c.online {
                NotificationKind::CameBack
            } else {
                NotificationKind::WentOffline
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(session: &str, backend: &str, online: bool) -> StatusChange {
        StatusChange {
            session: session.into(),
            backend: backend.into(),
            online,
            observed_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn changes_notify_unless_muted() {
        let changes = vec![
            change("s1", "a", false),
            change("s1", "b", true),
            change("s2", "a", false),
        ];
        let n = decide(&changes, |_, _| false);
        assert_eq!(n.len(), 3);
        assert_eq!(n[0].message(), "Backend a (s1) went offline");
        assert_eq!(n[1].message(), "Backend b (s1) is back online");
        assert!(n[1].online());

        // Muting s1/a silences only that backend of that service.
        let n = decide(&changes, |s, b| s == "s1" && b == "a");
        assert_eq!(n.len(), 2);
        assert!(n.iter().all(|x| !(x.session == "s1" && x.backend == "a")));
        assert!(n.iter().any(|x| x.session == "s2" && x.backend == "a"));

        assert!(decide(&[], |_, _| false).is_empty());
    }
}

//! Recent events in the operator namespace, newest first.

use chrono::{DateTime, Utc};
use k8s_openapi::api::core::v1::Event;
use kube::api::ListParams;
use kube::Api;
use serde::Serialize;

use super::to_utc;
use crate::error::Part;
use crate::target::ClusterTarget;
use osmo_admin_kube::operator::{run, KubeAction, Limits};

/// At most this many events are kept.
pub const MAX_EVENTS: usize = 50;

/// One event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventSummary {
    /// `Normal` or `Warning`.
    pub type_: String,
    pub reason: String,
    pub message: String,
    /// `Kind/name` of the object it is about.
    pub object: String,
    pub count: i32,
    /// Last seen (last timestamp, else event time, first timestamp, creation time).
    pub last_time: Option<DateTime<Utc>>,
}

impl EventSummary {
    pub fn is_warning(&self) -> bool {
        self.type_ == "Warning"
    }

    fn from_event(e: &Event) -> Self {
        let last_time = e
            .last_timestamp
            .as_ref()
            .and_then(to_utc)
            .or_else(|| {
                e.event_time
                    .as_ref()
                    .and_then(|t| DateTime::<Utc>::from_timestamp(t.0.as_second(), 0))
            })
            .or_else(|| e.first_timestamp.as_ref().and_then(to_utc))
            .or_else(|| e.metadata.creation_timestamp.as_ref().and_then(to_utc));
        let object = &e.involved_object;
        Self {
            type_: e.type_.clone().unwrap_or_else(|| "Normal".into()),
            reason: e.reason.clone().unwrap_or_default(),
            message: e.message.clone().unwrap_or_default(),
            object: format!(
                "{}/{}",
                object.kind.as_deref().unwrap_or("?"),
                object.name.as_deref().unwrap_or("?")
            ),
            count: e.count.unwrap_or(1),
            last_time,
        }
    }
}

pub(crate) async fn recent_events(
    target: &ClusterTarget,
    limits: &Limits,
) -> Part<Vec<EventSummary>> {
    let ns = target.operator_namespace.as_str();
    let api: Api<Event> = Api::namespaced(target.client.clone(), ns);
    let lookup = KubeAction::new("list", "events", Some(ns));
    let list = run(limits, lookup, api.list(&ListParams::default())).await?;
    let mut events: Vec<EventSummary> = list.items.iter().map(EventSummary::from_event).collect();
    events.sort_by_key(|e| std::cmp::Reverse(e.last_time));
    events.truncate(MAX_EVENTS);
    Ok(events)
}

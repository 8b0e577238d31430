//! Shared helpers: an injectable clock, a fake source, row builders.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use osmo_admin_core::ErrorCode;
use osmo_admin_health::{
    BackendRow, BackendSource, Clock, FetchTag, Fetched, HealthError, HealthUpdate,
};
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::time::Instant;

#[derive(Clone)]
pub struct FakeClock(Arc<Mutex<DateTime<Utc>>>);

impl FakeClock {
    pub fn at(t: DateTime<Utc>) -> Self {
        FakeClock(Arc::new(Mutex::new(t)))
    }
    pub fn clock(&self) -> Clock {
        let c = self.0.clone();
        Arc::new(move || *c.lock().unwrap())
    }
    pub fn set(&self, t: DateTime<Utc>) {
        *self.0.lock().unwrap() = t;
    }
}

pub fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-28T12:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

pub fn row(session: &str, name: &str, online: bool) -> BackendRow {
    BackendRow {
        session: session.into(),
        name: name.into(),
        online,
        last_heartbeat: None,
        offline_since: None,
        version: "6.4.0".into(),
        k8s_namespace: "osmo-workflows".into(),
        scheduler_type: "kai".into(),
        scheduler_name: "kai-scheduler".into(),
        pools: Vec::new(),
        dashboard_url: String::new(),
        grafana_url: String::new(),
        warnings: Vec::new(),
    }
}

/// What the fake answers.
#[derive(Clone)]
pub enum Behaviour {
    /// These rows, tagged by the fetch's number (never unchanged).
    Rows(Vec<BackendRow>),
    /// What the caller's rows were made from, read again.
    Unchanged,
    Fail,
    Hang,
}

/// A source whose answer the test changes; records when each fetch started.
pub struct FakeSource {
    pub name: String,
    pub behaviour: Mutex<Behaviour>,
    pub calls: Mutex<Vec<Instant>>,
    /// The tag each fetch was given (what the poller's rows were made from).
    pub lasts: Mutex<Vec<Option<FetchTag>>>,
}

impl FakeSource {
    pub fn new(name: &str, behaviour: Behaviour) -> Arc<Self> {
        Arc::new(FakeSource {
            name: name.into(),
            behaviour: Mutex::new(behaviour),
            calls: Mutex::new(Vec::new()),
            lasts: Mutex::new(Vec::new()),
        })
    }
    pub fn set(&self, b: Behaviour) {
        *self.behaviour.lock().unwrap() = b;
    }
    pub fn calls(&self) -> Vec<Instant> {
        self.calls.lock().unwrap().clone()
    }
}

#[async_trait]
impl BackendSource for FakeSource {
    fn session(&self) -> &str {
        &self.name
    }
    async fn fetch(&self, last: Option<FetchTag>) -> Result<Fetched, HealthError> {
        self.lasts.lock().unwrap().push(last);
        let call = {
            let mut calls = self.calls.lock().unwrap();
            calls.push(Instant::now());
            calls.len() as u64
        };
        let b = self.behaviour.lock().unwrap().clone();
        match b {
            Behaviour::Rows(rows) => Ok(Fetched::Rows {
                rows,
                tag: FetchTag([call, 0]),
            }),
            Behaviour::Unchanged => Ok(Fetched::Unchanged),
            Behaviour::Fail => Err(HealthError::Source {
                code: ErrorCode::Unreachable,
                message: "fake failure".into(),
            }),
            Behaviour::Hang => std::future::pending().await,
        }
    }
}

/// The next update of `session`, skipping others; panics after `within`.
pub async fn next_of(
    rx: &mut UnboundedReceiver<HealthUpdate>,
    session: &str,
    within: Duration,
) -> HealthUpdate {
    tokio::time::timeout(within, async {
        loop {
            let u = rx.recv().await.unwrap();
            if u.snapshot.session == session {
                return u;
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("no update of {session} within {within:?}"))
}

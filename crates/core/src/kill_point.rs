//! Test support: kill points, where a test stops the app at an exact instant (the start of a
//! step, or just after its effect and before the app records it) to kill the process there
//! (`crates/app/tests/kills`).
//!
//! Compiled in only with the `kill-points` feature, which only those tests turn on (as a
//! dev-dependency feature); without it [`reached`] is empty and nothing reads the variables. With
//! it, when `OSMO_ADMIN_TEST_PAUSE_AT` names the point reached (`flow:Step:when`, for example
//! `rotation:WriteSecret:after_effect`), the calling thread writes the point's name into the file
//! named by `OSMO_ADMIN_TEST_PAUSE_MARKER` and blocks for good, waiting to be killed.

use std::fmt::Debug;

/// Names the point to stop at: `flow:Step:when`.
pub const PAUSE_AT: &str = "OSMO_ADMIN_TEST_PAUSE_AT";
/// The file written when the point is reached.
pub const PAUSE_MARKER: &str = "OSMO_ADMIN_TEST_PAUSE_MARKER";

/// Where in a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Recorded as started, nothing done yet.
    Start,
    /// The step's effect happened (in the service or the cluster); not recorded yet.
    AfterEffect,
}

impl When {
    pub fn key(self) -> &'static str {
        match self {
            When::Start => "start",
            When::AfterEffect => "after_effect",
        }
    }
}

/// The name of a point, as `OSMO_ADMIN_TEST_PAUSE_AT` gives it.
pub fn name(flow: &str, step: &dyn Debug, when: When) -> String {
    format!("{flow}:{step:?}:{}", when.key())
}

/// Step `step` of `flow` is at `when`: stops here for good if the test asked for this point.
#[cfg(feature = "kill-points")]
pub fn reached(flow: &str, step: &dyn Debug, when: When) {
    let Ok(wanted) = std::env::var(PAUSE_AT) else {
        return;
    };
    let here = name(flow, step, when);
    if wanted != here {
        return;
    }
    if let Ok(marker) = std::env::var(PAUSE_MARKER) {
        let partial = format!("{marker}.partial");
        if std::fs::write(&partial, &here).is_ok() {
            let _ = std::fs::rename(&partial, &marker);
        }
    }
    tracing::warn!(point = %here, "stopped at a kill point, waiting to be killed");
    loop {
        std::thread::park();
    }
}

/// Without the `kill-points` feature: nothing.
#[cfg(not(feature = "kill-points"))]
#[inline(always)]
pub fn reached(_flow: &str, _step: &dyn Debug, _when: When) {}

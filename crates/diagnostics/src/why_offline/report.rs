//! The shape of an answer: [`Check`]s with a [`Verdict`], and the [`Diagnosis`] that picks the
//! first failure and writes the summary.
//!
//! The heartbeat check is the symptom ("the backend is offline"), not a cause: when a later check
//! fails too, that later check is the first failure and carries the next step. Later failures
//! often follow from the first one, so only the first failure keeps its next step; warnings keep
//! theirs as hints.

use serde::Serialize;

use crate::cluster_side::ClusterSide;

/// How one check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Verdict {
    Pass,
    Fail,
    Warn,
    /// Not run: nothing to check, or an earlier check made it impossible.
    Skipped,
}

/// The checks, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CheckKind {
    ServiceReachable,
    BackendKnown,
    Heartbeat,
    /// A Kubernetes context is linked to the backend (and usable).
    ContextLinked,
    ClusterReachable,
    /// The token the backend uses has not expired.
    TokenExpiry,
    Namespaces,
    TokenSecret,
    TokenAccepted,
    Deployments,
    Pods,
    WarningEvents,
}

impl CheckKind {
    /// All checks in order.
    pub const ALL: [CheckKind; 12] = [
        CheckKind::ServiceReachable,
        CheckKind::BackendKnown,
        CheckKind::Heartbeat,
        CheckKind::ContextLinked,
        CheckKind::ClusterReachable,
        CheckKind::TokenExpiry,
        CheckKind::Namespaces,
        CheckKind::TokenSecret,
        CheckKind::TokenAccepted,
        CheckKind::Deployments,
        CheckKind::Pods,
        CheckKind::WarningEvents,
    ];

    pub fn title(self) -> &'static str {
        match self {
            CheckKind::ServiceReachable => "OSMO service reachable",
            CheckKind::BackendKnown => "Backend known to the service",
            CheckKind::Heartbeat => "Last heartbeat",
            CheckKind::ContextLinked => "Kubernetes context linked",
            CheckKind::ClusterReachable => "Cluster reachable",
            CheckKind::TokenExpiry => "Token not expired",
            CheckKind::Namespaces => "Namespaces present",
            CheckKind::TokenSecret => "Token secret present",
            CheckKind::TokenAccepted => "Token accepted by the service",
            CheckKind::Deployments => "Operator Deployments present",
            CheckKind::Pods => "Operator pods running",
            CheckKind::WarningEvents => "Warning events",
        }
    }
}

/// One check's outcome: a one-line finding and, where useful, what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub kind: CheckKind,
    pub title: String,
    pub verdict: Verdict,
    pub finding: String,
    pub next_step: Option<String>,
}

impl Check {
    pub fn new(kind: CheckKind, verdict: Verdict, finding: impl Into<String>) -> Self {
        Self {
            kind,
            title: kind.title().into(),
            verdict,
            finding: finding.into(),
            next_step: None,
        }
    }

    pub fn pass(kind: CheckKind, finding: impl Into<String>) -> Self {
        Self::new(kind, Verdict::Pass, finding)
    }

    pub fn skipped(kind: CheckKind, why: impl Into<String>) -> Self {
        Self::new(kind, Verdict::Skipped, why)
    }

    pub fn fail(kind: CheckKind, finding: impl Into<String>, next: impl Into<String>) -> Self {
        Self::new(kind, Verdict::Fail, finding).next(next)
    }

    pub fn warn(kind: CheckKind, finding: impl Into<String>, next: impl Into<String>) -> Self {
        Self::new(kind, Verdict::Warn, finding).next(next)
    }

    pub fn next(mut self, step: impl Into<String>) -> Self {
        self.next_step = Some(step.into());
        self
    }
}

/// The whole answer to "why is it offline?".
#[derive(Debug, Clone, Serialize)]
pub struct Diagnosis {
    pub backend: String,
    pub checks: Vec<Check>,
    /// Index into `checks` of the failure to fix first.
    pub first_failure: Option<usize>,
    pub summary: String,
    /// What the cluster showed, when a cluster is linked and reachable.
    pub cluster: Option<ClusterSide>,
}

impl Diagnosis {
    /// Picks the first failure, trims later failures' next steps and writes the summary.
    pub fn from_checks(
        backend: &str,
        mut checks: Vec<Check>,
        cluster: Option<ClusterSide>,
    ) -> Self {
        let failing = |c: &Check| c.verdict == Verdict::Fail;
        let first_failure = checks
            .iter()
            .position(|c| failing(c) && c.kind != CheckKind::Heartbeat)
            .or_else(|| checks.iter().position(failing));
        for (i, check) in checks.iter_mut().enumerate() {
            if failing(check) && Some(i) != first_failure {
                check.next_step = None;
            }
        }
        let summary = summarize(backend, &checks, first_failure);
        Self {
            backend: backend.to_owned(),
            checks,
            first_failure,
            summary,
            cluster,
        }
    }

    /// The check of `kind`.
    pub fn check(&self, kind: CheckKind) -> Option<&Check> {
        self.checks.iter().find(|c| c.kind == kind)
    }
}

fn summarize(backend: &str, checks: &[Check], first_failure: Option<usize>) -> String {
    if let Some(check) = first_failure.and_then(|i| checks.get(i)) {
        let next = check
            .next_step
            .as_deref()
            .map(|s| format!(" Next: {s}"))
            .unwrap_or_default();
        return format!(
            "{backend}: {} failed: {}.{next}",
            check.title, check.finding
        );
    }
    let warnings: Vec<&str> = checks
        .iter()
        .filter(|c| c.verdict == Verdict::Warn)
        .map(|c| c.title.as_str())
        .collect();
    let skipped = checks
        .iter()
        .filter(|c| c.verdict == Verdict::Skipped)
        .count();
    if warnings.is_empty() && skipped == 0 {
        format!("{backend} is healthy: every check passed.")
    } else if warnings.is_empty() {
        let mut why: Vec<&str> = Vec::new();
        for c in checks.iter().filter(|c| c.verdict == Verdict::Skipped) {
            // "no context is linked" is said once, even when another says it at more length.
            if !why.iter().any(|w| w.starts_with(c.finding.as_str())) {
                why.push(&c.finding);
            }
        }
        format!(
            "{backend} is healthy as far as checked: every check that ran passed ({skipped} not run: {}).",
            why.join("; ")
        )
    } else {
        format!(
            "{backend}: no check failed; look at: {}.",
            warnings.join(", ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CheckKind::*;

    fn with(verdicts: &[(CheckKind, Verdict)]) -> Vec<Check> {
        verdicts
            .iter()
            .map(|(k, v)| Check::new(*k, *v, format!("{k:?}")).next(format!("fix {k:?}")))
            .collect()
    }

    #[test]
    fn the_first_cause_wins_over_the_offline_symptom() {
        let checks = with(&[
            (ServiceReachable, Verdict::Pass),
            (Heartbeat, Verdict::Fail),
            (Namespaces, Verdict::Pass),
            (TokenSecret, Verdict::Fail),
            (TokenAccepted, Verdict::Fail),
        ]);
        let d = Diagnosis::from_checks("gpu", checks, None);
        assert_eq!(d.first_failure, Some(3));
        assert_eq!(d.checks[3].next_step.as_deref(), Some("fix TokenSecret"));
        assert_eq!(d.checks[1].next_step, None, "the symptom gives no advice");
        assert_eq!(d.checks[4].next_step, None, "a consequence gives no advice");
        assert!(
            d.summary.contains("Token secret present failed"),
            "{}",
            d.summary
        );
        assert!(d.summary.contains("Next: fix TokenSecret"), "{}", d.summary);
    }

    #[test]
    fn the_heartbeat_is_the_first_failure_when_nothing_explains_it() {
        let checks = with(&[
            (ServiceReachable, Verdict::Pass),
            (Heartbeat, Verdict::Fail),
        ]);
        let d = Diagnosis::from_checks("gpu", checks, None);
        assert_eq!(d.first_failure, Some(1));
        assert_eq!(d.checks[1].next_step.as_deref(), Some("fix Heartbeat"));
    }

    #[test]
    fn an_early_failure_comes_first_and_warnings_keep_their_hints() {
        let checks = with(&[
            (ServiceReachable, Verdict::Fail),
            (BackendKnown, Verdict::Skipped),
            (Pods, Verdict::Warn),
            (Deployments, Verdict::Fail),
        ]);
        let d = Diagnosis::from_checks("gpu", checks, None);
        assert_eq!(d.first_failure, Some(0));
        assert_eq!(d.checks[2].next_step.as_deref(), Some("fix Pods"));
        assert_eq!(d.checks[3].next_step, None);
    }

    #[test]
    fn no_failure_summarises_passes_and_warnings() {
        let all = with(&[(ServiceReachable, Verdict::Pass), (Pods, Verdict::Pass)]);
        let d = Diagnosis::from_checks("gpu", all, None);
        assert_eq!(
            (d.first_failure, d.summary.as_str()),
            (None, "gpu is healthy: every check passed.")
        );
        let mut part = with(&[(ServiceReachable, Verdict::Pass)]);
        part.push(Check::skipped(ClusterReachable, "no context is linked"));
        part.push(Check::skipped(Pods, "no context is linked"));
        part.push(Check::skipped(TokenExpiry, "which token is unknown"));
        let d = Diagnosis::from_checks("gpu", part, None);
        assert_eq!(
            d.summary,
            "gpu is healthy as far as checked: every check that ran passed (3 not run: no context is linked; which token is unknown)."
        );
        let warned = with(&[(ServiceReachable, Verdict::Pass), (Pods, Verdict::Warn)]);
        let d = Diagnosis::from_checks("gpu", warned, None);
        assert_eq!(d.first_failure, None);
        assert!(d.summary.contains("Operator pods running"), "{}", d.summary);
    }
}

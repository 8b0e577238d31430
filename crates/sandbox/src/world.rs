//! What each sandbox service holds: its backends and their tokens.

/// How a sandbox backend is kept alive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperatorKind {
    /// A simulated operator reading its token from the cluster Secret (or from memory when
    /// there is no cluster): token rotation affects it.
    Simulated,
    /// The simulator refreshes its heartbeat itself.
    KeptAlive,
    /// Nothing: its last heartbeat is hours old, so it shows offline.
    None,
}

/// One backend of each sandbox service, with the token its operator uses.
#[derive(Debug, Clone, Copy)]
pub struct BackendPlan {
    pub name: &'static str,
    pub operator: OperatorKind,
    pub token: &'static str,
    /// Days from today until the token expires; negative: already expired.
    pub token_expires_in_days: i64,
}

pub const BACKENDS: [BackendPlan; 4] = [
    BackendPlan {
        name: "gpu-east",
        operator: OperatorKind::Simulated,
        token: "gpu-east-token",
        // Within the 7-day warning and in use: the sandbox shows "rotate now", and rotating
        // it really works (its operator reads the cluster Secret).
        token_expires_in_days: 5,
    },
    BackendPlan {
        name: "gpu-west",
        operator: OperatorKind::KeptAlive,
        token: "gpu-west-token",
        token_expires_in_days: 120,
    },
    BackendPlan {
        name: "cpu-batch",
        operator: OperatorKind::KeptAlive,
        token: "cpu-batch-token",
        token_expires_in_days: 200,
    },
    BackendPlan {
        name: "dgx-lab",
        operator: OperatorKind::None,
        token: "dgx-lab-token",
        token_expires_in_days: -3,
    },
];

/// The pools of each sandbox service: (pool, the backend it runs on). cpu-batch serves two;
/// dgx-lab's pool stays while dgx-lab is offline.
pub const POOLS: [(&str, &str); 4] = [
    ("training", "gpu-east"),
    ("inference", "gpu-west"),
    ("batch", "cpu-batch"),
    ("research", "dgx-lab"),
];

/// The 6.2+ service-account user that owns a backend's token.
pub fn service_account(backend: &str) -> String {
    format!("{backend}-svc")
}

//! What each sandbox service holds: its backends and their tokens.

/// How a sandbox backend is kept alive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperatorKind {
    /// A simulated operator reading its token from the cluster Secret (or from memory when
    /// there is no cluster): token rotation affects it. With an expired token it never connects,
    /// until the token is rotated (in the cluster only).
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
    /// Where its operator and its workflows live in the sandbox cluster (the 6.4 service's carry
    /// [`V64_SUFFIX`], so the two services' backends never share a namespace).
    pub operator_namespace: &'static str,
    pub workflow_namespace: &'static str,
}

impl BackendPlan {
    /// Its token has expired: its operator cannot connect, so it shows offline (its last
    /// heartbeat hours old) until the token is rotated.
    pub fn token_expired(&self) -> bool {
        self.token_expires_in_days < 0
    }
}

/// Appended to the namespaces of the 6.4 service's backends.
pub const V64_SUFFIX: &str = "-v64";

pub const BACKENDS: [BackendPlan; 4] = [
    BackendPlan {
        name: "gpu-east",
        operator: OperatorKind::Simulated,
        token: "gpu-east-token",
        // Within the 7-day warning and in use: the sandbox shows "rotate now", and rotating
        // it really works (its operator reads the cluster Secret).
        token_expires_in_days: 5,
        operator_namespace: "osmo-operator",
        workflow_namespace: "osmo-workflows",
    },
    BackendPlan {
        name: "gpu-west",
        operator: OperatorKind::KeptAlive,
        token: "gpu-west-token",
        token_expires_in_days: 120,
        operator_namespace: "gpu-west-operator",
        workflow_namespace: "gpu-west-workflows",
    },
    BackendPlan {
        name: "cpu-batch",
        operator: OperatorKind::KeptAlive,
        token: "cpu-batch-token",
        token_expires_in_days: 200,
        operator_namespace: "cpu-batch-operator",
        workflow_namespace: "cpu-batch-workflows",
    },
    BackendPlan {
        name: "dgx-lab",
        // In the cluster, with its expired token: offline until the token is rotated ("why is it
        // offline?" ends in "Rotate now"). Without a cluster, no operator at all.
        operator: OperatorKind::Simulated,
        token: "dgx-lab-token",
        token_expires_in_days: -3,
        operator_namespace: "dgx-lab-operator",
        workflow_namespace: "dgx-lab-workflows",
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

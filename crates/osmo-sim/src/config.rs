//! [`SimConfig`]: how a simulator starts (dialect, listen address, dev mode or required JWTs,
//! JWT lifetime) and its builder methods for the initial [`Seed`].

use std::net::SocketAddr;
use std::time::Duration;

use crate::dialect::Dialect;
use crate::seed::{Seed, SeedBackend, SeedPool, SeedRevision, SeedToken, SeedUser};

/// How to start a simulator.
#[derive(Clone, Debug)]
pub struct SimConfig {
    /// API generation to speak.
    pub dialect: Dialect,
    /// Listen address (default `127.0.0.1:0`, an ephemeral loopback port).
    pub bind: SocketAddr,
    /// `false` (default): dev mode like the captures, `x-osmo-user` names the caller.
    /// `true`: every non-public path needs a simulator-issued JWT (`x-osmo-auth`, or at 6.2+
    /// `Authorization: Bearer`), answered 401/403 like the gateway otherwise.
    pub require_auth: bool,
    /// Lifetime of exchanged JWTs (default 300 s).
    pub jwt_lifetime: Duration,
    /// Heartbeat period of keep-alive backends (default 20 s, the listener's).
    pub keep_alive_period: Duration,
    /// Initial contents.
    pub seed: Seed,
}

impl SimConfig {
    /// Dev-mode simulator on an ephemeral loopback port with the default pool.
    pub fn new(dialect: Dialect) -> Self {
        Self {
            dialect,
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            require_auth: false,
            jwt_lifetime: Duration::from_secs(300),
            keep_alive_period: Duration::from_secs(20),
            seed: Seed::default(),
        }
    }

    /// Requires JWTs on API calls.
    pub fn require_auth(mut self, on: bool) -> Self {
        self.require_auth = on;
        self
    }

    /// Sets the JWT lifetime.
    pub fn jwt_lifetime(mut self, lifetime: Duration) -> Self {
        self.jwt_lifetime = lifetime;
        self
    }

    /// Sets the heartbeat period of keep-alive backends.
    pub fn keep_alive_period(mut self, period: Duration) -> Self {
        self.keep_alive_period = period;
        self
    }

    /// Sets the listen address.
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.bind = addr;
        self
    }

    /// Adds a connected backend.
    pub fn backend(mut self, b: SeedBackend) -> Self {
        self.seed.backends.push(b);
        self
    }

    /// Adds a pool.
    pub fn pool(mut self, p: SeedPool) -> Self {
        self.seed.pools.push(p);
        self
    }

    /// Adds a 6.2+ user.
    pub fn user(mut self, id: impl Into<String>, roles: &[&str]) -> Self {
        self.seed.users.push(SeedUser {
            id: id.into(),
            roles: roles.iter().map(|r| r.to_string()).collect(),
        });
        self
    }

    /// Adds a token (its value is in [`SimHandle::seeded_tokens`]).
    pub fn token(mut self, t: SeedToken) -> Self {
        self.seed.tokens.push(t);
        self
    }

    /// 6.2+: creates the default admin user and its `default-admin-token`.
    pub fn default_admin(mut self, user: impl Into<String>) -> Self {
        self.seed.default_admin = Some(user.into());
        self
    }

    /// Adds a config-history revision the service already had (see [`SeedRevision`]).
    pub fn revision(mut self, r: SeedRevision) -> Self {
        self.seed.history.push(r);
        self
    }

    /// Declares revisions up to `last` of `config_type` as already used: the next write of that
    /// type gets `last + 1` or more.
    pub fn revisions_used(mut self, config_type: impl Into<String>, last: u64) -> Self {
        self.seed.revisions_used.insert(config_type.into(), last);
        self
    }

    /// Replaces the whole seed.
    pub fn seed(mut self, seed: Seed) -> Self {
        self.seed = seed;
        self
    }
}

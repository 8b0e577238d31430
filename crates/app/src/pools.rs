//! Pools: which pools run on which backend, and the writes that change it (create a pool for a
//! backend, switch a pool to it, delete a pool). A pool names exactly one backend; a backend can
//! serve many pools, and a backend in no pool runs no workflow.
//!
//! The service answers some writes with 500 and still changes the pool (and `PUT` naming an
//! unknown backend with 200), so every write is followed by a re-read, and the answer says what
//! is stored now, whatever the write answered.

use osmo_admin_core::{check_backend_name, BackendRef, ErrorCode, ServiceId};
use osmo_admin_osmo_client::{CancellationToken, OsmoError, Pool, Session};
use serde::Serialize;
use ts_rs::TS;

use crate::error::IpcError;
use crate::operations::RequestId;
use crate::AppCore;

/// One pool and the backend it runs on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PoolDto {
    pub name: String,
    pub description: String,
    /// `ONLINE`, `OFFLINE` or `MAINTENANCE` (the service's word, from its backend's heartbeat).
    pub status: String,
    /// The backend it runs on ("" when the service stores none).
    pub backend: String,
    /// The backend it names is not one of the service's backends.
    pub backend_missing: bool,
}

/// The pools of one service.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PoolsView {
    pub service: ServiceId,
    pub pools: Vec<PoolDto>,
}

/// What a pool write did, told from a re-read after it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PoolWriteDto {
    /// The write's own answer was a success.
    pub accepted: bool,
    /// What is stored now, in words ("Pool a now runs on gpu-east.").
    pub outcome: String,
    /// The service's refusal, when it refused (the pool may still have changed: see `outcome`).
    pub error: Option<IpcError>,
    /// The pools as re-read after the write.
    pub pools: Vec<PoolDto>,
}

fn check_pool_name(name: &str) -> Result<(), IpcError> {
    check_backend_name(name).map_err(|_| {
        IpcError::new(
            ErrorCode::InvalidInput,
            format!("Pool name {name:?} is not one the service accepts: start with a letter, end with a letter or digit, and use only letters, digits, '_', '.' and '-'."),
        )
    })
}

async fn read_pools(osmo: &Session, cancel: &CancellationToken) -> Result<Vec<PoolDto>, OsmoError> {
    let (pools, backends) = tokio::try_join!(osmo.list_pools(cancel), osmo.list_backends(cancel))?;
    Ok(pools
        .into_iter()
        .map(|p: Pool| PoolDto {
            backend_missing: !backends.iter().any(|b| b.name == p.backend),
            name: p.name,
            description: p.description,
            status: p.status,
            backend: p.backend,
        })
        .collect())
}

/// Every pool of `service`, with the backend each runs on.
pub async fn list(
    state: &AppCore,
    service: ServiceId,
    operation: Option<RequestId>,
) -> Result<PoolsView, IpcError> {
    let running = state.operations.begin_request(operation);
    let osmo = state.sessions.session(&service)?;
    let pools = read_pools(&osmo, running.token()).await?;
    Ok(PoolsView { service, pools })
}

/// Re-reads after a write and says what is stored; `describe` words the pool's state now.
async fn after_write(
    osmo: &Session,
    answer: Result<(), OsmoError>,
    cancel: &CancellationToken,
    describe: impl FnOnce(&[PoolDto]) -> String,
) -> Result<PoolWriteDto, IpcError> {
    let accepted = answer.is_ok();
    let error = answer.err().map(IpcError::from);
    let pools = match read_pools(osmo, cancel).await {
        Ok(pools) => pools,
        Err(reread) => {
            let message = match &error {
                Some(e) => format!("{} Reading the pools again failed too, so what is stored now is unknown: {reread}", e.message),
                None => format!("The service accepted the change, but reading the pools again failed: {reread}"),
            };
            return Err(IpcError::new(reread.code(), message));
        }
    };
    Ok(PoolWriteDto {
        accepted,
        outcome: describe(&pools),
        error,
        pools,
    })
}

fn pool_now(pools: &[PoolDto], name: &str) -> String {
    match pools.iter().find(|p| p.name == name) {
        None => format!("Pool {name} does not exist now."),
        Some(p) if p.backend.is_empty() => format!("Pool {name} now names no backend."),
        Some(p) if p.backend_missing => format!(
            "Pool {name} now names backend {}, which does not exist.",
            p.backend
        ),
        Some(p) => format!("Pool {name} now runs on {}.", p.backend),
    }
}

/// Creates pool `pool` running on `backend`. A pool of that name must not exist yet (switching
/// an existing pool is [`switch`]).
pub async fn create(
    state: &AppCore,
    backend: BackendRef,
    pool: String,
    description: String,
    operation: Option<RequestId>,
) -> Result<PoolWriteDto, IpcError> {
    check_pool_name(&pool)?;
    let running = state.operations.begin_request(operation);
    let cancel = running.token();
    let osmo = state.sessions.session(&backend.service)?;
    let existing = read_pools(&osmo, cancel).await?;
    if let Some(p) = existing.iter().find(|p| p.name == pool) {
        return Err(IpcError::new(
            ErrorCode::InvalidInput,
            format!(
                "Pool {pool} already exists (it runs on {}). Switch it to {} instead, or choose another name.",
                if p.backend.is_empty() { "no backend" } else { &p.backend },
                backend.backend
            ),
        ));
    }
    let answer = osmo
        .create_pool(
            &pool,
            &backend.backend,
            &description,
            &format!("Create pool {pool} on backend {}", backend.backend),
            cancel,
        )
        .await;
    tracing::info!(%backend, %pool, ok = answer.is_ok(), "pool create sent");
    after_write(&osmo, answer, cancel, |pools| pool_now(pools, &pool)).await
}

/// Points existing pool `pool` at `backend` (the pool leaves the backend it ran on).
pub async fn switch(
    state: &AppCore,
    backend: BackendRef,
    pool: String,
    operation: Option<RequestId>,
) -> Result<PoolWriteDto, IpcError> {
    let running = state.operations.begin_request(operation);
    let cancel = running.token();
    let osmo = state.sessions.session(&backend.service)?;
    let existing = read_pools(&osmo, cancel).await?;
    let Some(before) = existing.iter().find(|p| p.name == pool) else {
        return Err(IpcError::new(
            ErrorCode::NotFound,
            format!(
                "Pool {pool} does not exist on {} (any more). Create it instead.",
                backend.service
            ),
        ));
    };
    let left = before.backend.clone();
    let answer = osmo
        .set_pool_backend(
            &pool,
            &backend.backend,
            &format!("Move pool {pool} from {left} to {}", backend.backend),
            cancel,
        )
        .await;
    tracing::info!(%backend, %pool, from = %left, ok = answer.is_ok(), "pool switch sent");
    after_write(&osmo, answer, cancel, |pools| {
        let now = pool_now(pools, &pool);
        if left.is_empty() || left == backend.backend.as_str() {
            now
        } else {
            format!("{now} It no longer runs on {left}.")
        }
    })
    .await
}

/// Deletes pool `pool` of `service`.
pub async fn delete(
    state: &AppCore,
    service: ServiceId,
    pool: String,
    operation: Option<RequestId>,
) -> Result<PoolWriteDto, IpcError> {
    let running = state.operations.begin_request(operation);
    let cancel = running.token();
    let osmo = state.sessions.session(&service)?;
    let answer = osmo
        .delete_pool(&pool, &format!("Delete pool {pool}"), cancel)
        .await;
    tracing::info!(%service, %pool, ok = answer.is_ok(), "pool delete sent");
    after_write(&osmo, answer, cancel, |pools| {
        if pools.iter().any(|p| p.name == pool) {
            format!("Pool {pool} still exists.")
        } else {
            format!("Pool {pool} is deleted.")
        }
    })
    .await
}

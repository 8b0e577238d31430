//! Pools: which pools run on which backend, and the writes that change it.

use osmo_admin_app::pools::{self, PoolWriteDto, PoolsView};
use osmo_admin_app::RequestId;
use osmo_admin_core::{BackendRef, ServiceId};

command! {
    fn list_pools(core, service: ServiceId, operation: Option<RequestId>) -> PoolsView {
        pools::list(core, service, operation).await
    }
}

command! {
    /// Creates a pool running on `backend`; the answer is re-read after the write.
    fn create_pool(
        core,
        backend: BackendRef,
        pool: String,
        description: String,
        operation: Option<RequestId>,
    ) -> PoolWriteDto {
        pools::create(core, backend, pool, description, operation).await
    }
}

command! {
    /// Points an existing pool at `backend`; the answer is re-read after the write.
    fn switch_pool(core, backend: BackendRef, pool: String, operation: Option<RequestId>) -> PoolWriteDto {
        pools::switch(core, backend, pool, operation).await
    }
}

command! {
    fn delete_pool(core, service: ServiceId, pool: String, operation: Option<RequestId>) -> PoolWriteDto {
        pools::delete(core, service, pool, operation).await
    }
}

//! The Dashboard, a backend's detail, "why is it offline?" and deleting a backend.

use osmo_admin_app::backend_deletion::{self, DeletionChoicesDto, DeletionDto, DeletionPlanDto};
use osmo_admin_app::dashboard::detail::{backend_detail as detail, BackendDetailDto};
use osmo_admin_app::dashboard::diagnosis::{diagnose_backend as diagnose, DiagnosisDto};
use osmo_admin_app::dashboard::{self, DashboardView, KnownRows};
use osmo_admin_app::RequestId;
use osmo_admin_core::BackendRef;

command! {
    /// Every backend of every polled service; `known` names the rows the page already has.
    fn dashboard_snapshot(core, known: Option<Vec<KnownRows>>) -> DashboardView {
        dashboard::snapshot(core, known.as_deref().unwrap_or_default()).await
    }
}

command! {
    /// Polls every service now; `health-updated` follows as each poll ends.
    fn refresh_dashboard(core) -> () {
        dashboard::refresh(core);
        Ok(())
    }
}

command! {
    fn backend_detail(core, backend: BackendRef) -> BackendDetailDto {
        detail(core, backend).await
    }
}

command! {
    fn diagnose_backend(core, backend: BackendRef) -> DiagnosisDto {
        diagnose(core, backend).await
    }
}

command! {
    fn set_backend_notifications(core, backend: BackendRef, on: bool) -> bool {
        dashboard::set_notifications(core, &backend, on)
    }
}

command! {
    /// What deleting the backend touches: its pools, its link and operator, whether it is online.
    fn backend_deletion_plan(core, backend: BackendRef, operation: Option<RequestId>) -> DeletionPlanDto {
        backend_deletion::plan(core, backend, operation).await
    }
}

command! {
    fn delete_backend(
        core,
        backend: BackendRef,
        choices: DeletionChoicesDto,
        operation: Option<RequestId>,
    ) -> DeletionDto {
        backend_deletion::delete(core, backend, choices, operation).await
    }
}

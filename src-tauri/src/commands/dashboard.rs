//! The Dashboard, a backend's detail and "why is it offline?".

use osmo_admin_app::dashboard::detail::{backend_detail as detail, BackendDetailDto};
use osmo_admin_app::dashboard::diagnosis::{diagnose_backend as diagnose, DiagnosisDto};
use osmo_admin_app::dashboard::{self, DashboardView};
use osmo_admin_core::BackendRef;

command! {
    fn dashboard_snapshot(core) -> DashboardView {
        dashboard::snapshot(core).await
    }
}

command! {
    /// Polls every service now; the answer is the snapshot before the new polls end.
    fn refresh_dashboard(core) -> DashboardView {
        dashboard::refresh(core).await
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

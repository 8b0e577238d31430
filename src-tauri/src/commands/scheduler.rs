//! A backend's scheduler settings.

use osmo_admin_app::scheduler::{
    self, LoadedSettings, SchedulerEditorView, SchedulerFormDto, SchedulerPreviewDto,
    SchedulerSaveDto,
};
use osmo_admin_app::RequestId;
use osmo_admin_core::BackendRef;

command! {
    fn load_scheduler(core, backend: BackendRef, operation: Option<RequestId>) -> SchedulerEditorView {
        scheduler::load(core, backend, operation).await
    }
}

command! {
    fn preview_scheduler(
        core,
        backend: BackendRef,
        loaded: LoadedSettings,
        form: SchedulerFormDto,
    ) -> SchedulerPreviewDto {
        scheduler::preview_change(core, &backend, loaded, form)
    }
}

command! {
    fn save_scheduler(
        core,
        backend: BackendRef,
        loaded: LoadedSettings,
        form: SchedulerFormDto,
        description: String,
        operation: Option<RequestId>,
    ) -> SchedulerSaveDto {
        scheduler::save(core, backend, loaded, form, description, operation).await
    }
}

//! The Setup screen.

use osmo_admin_app::setup::{
    self, CheckSetupDto, RunSetupStepDto, SaveValuesFileDto, SetupDefaultsDto, SetupPlanDto,
    SetupProgressDto, SetupStepDto,
};
use osmo_admin_app::RequestId;
use osmo_admin_core::{BackendRef, ServiceId};

command! {
    /// `context`: the cluster it goes to, so the defaults avoid namespaces other backends use there.
    fn setup_defaults(core, service: ServiceId, backend: String, context: Option<String>) -> SetupDefaultsDto {
        setup::defaults(core, &service, backend, context)
    }
}

command! {
    fn check_setup(
        core,
        plan: SetupPlanDto,
        service: ServiceId,
        context: String,
        operation: Option<RequestId>,
    ) -> CheckSetupDto {
        setup::check(core, plan, service, context, operation).await
    }
}

command! {
    /// Runs in the background: `setup-log` lines, then `setup-step-finished`.
    fn run_setup_step(
        core,
        plan: SetupPlanDto,
        service: ServiceId,
        context: String,
        step: SetupStepDto,
        confirmation: Option<String>,
    ) -> RunSetupStepDto {
        setup::run_step(core, plan, service, context, step, confirmation).await
    }
}

command! {
    fn save_values_file(
        core,
        service: ServiceId,
        plan: SetupPlanDto,
        path: Option<String>,
        replace: bool,
    ) -> SaveValuesFileDto {
        setup::save_values_file(core, &service, plan, path, replace)
    }
}

command! {
    fn setup_progress(core, backend: BackendRef) -> Option<SetupProgressDto> {
        setup::progress(core, &backend)
    }
}

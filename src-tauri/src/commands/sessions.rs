//! OSMO services and their sign-ins, and cancelling a running operation.

use osmo_admin_app::sessions::{self, SessionsView};
use osmo_admin_app::{OperationId, RequestId};
use osmo_admin_core::ServiceId;
use osmo_admin_secrets::Secret;
use osmo_admin_sessions::DeviceCodePrompt;

command! {
    fn list_sessions(core) -> SessionsView {
        sessions::list(core).await
    }
}

command! {
    fn add_service(
        core,
        name: String,
        url: String,
        custom_ca_pem: Option<String>,
        operation: Option<RequestId>,
    ) -> ServiceId {
        sessions::add_service(core, name, url, custom_ca_pem, operation).await
    }
}

command! {
    /// The token becomes a `Secret` at once: it is never logged or kept in plain form.
    fn sign_in_with_token(core, service: ServiceId, token: String, operation: Option<RequestId>) -> () {
        sessions::sign_in_with_token(core, service, Secret::new(token), operation).await
    }
}

command! {
    fn sign_in_development(core, service: ServiceId, user: String, operation: Option<RequestId>) -> () {
        sessions::sign_in_development(core, service, user, operation).await
    }
}

command! {
    fn start_device_code(core, service: ServiceId, operation: Option<RequestId>) -> DeviceCodePrompt {
        sessions::start_device_code(core, service, operation).await
    }
}

command! {
    fn cancel_device_code(core, service: ServiceId) -> () {
        sessions::cancel_device_code(core, &service)
    }
}

command! {
    fn sign_out(core, service: ServiceId, keep_listed: bool) -> () {
        sessions::sign_out(core, service, keep_listed).await
    }
}

command! {
    fn retry_service(core, service: ServiceId, operation: Option<RequestId>) -> () {
        sessions::retry_service(core, service, operation).await
    }
}

command! {
    fn import_cli_login(core, name: String, operation: Option<RequestId>) -> ServiceId {
        sessions::import_cli_login(core, name, operation).await
    }
}

command! {
    /// Cancels a running operation; `false` when it had already finished.
    fn cancel_operation(core, operation: OperationId) -> bool {
        Ok(core.operations.cancel(&operation))
    }
}

//! The Tokens screen and rotations.

use osmo_admin_app::tokens::accounts::{self, ServiceAccountsView};
use osmo_admin_app::tokens::rotations::RotationView;
use osmo_admin_app::tokens::{
    self, CreateTokenDto, NewTokenDto, RotationRequestDto, TokenKindDto, TokensNeedingRotationView,
    TokensView,
};
use osmo_admin_app::RequestId;
use osmo_admin_core::ServiceId;

command! {
    fn list_tokens(core, service: ServiceId, operation: Option<RequestId>) -> TokensView {
        tokens::list(core, service, operation).await
    }
}

command! {
    /// The only command whose answer carries a token's value (once, for the user to copy).
    fn create_token(core, service: ServiceId, form: NewTokenDto, operation: Option<RequestId>) -> CreateTokenDto {
        tokens::create(core, service, form, operation).await
    }
}

command! {
    fn delete_token(
        core,
        service: ServiceId,
        owner: String,
        name: String,
        kind: TokenKindDto,
        operation: Option<RequestId>,
    ) -> bool {
        tokens::delete(core, service, owner, name, kind, operation).await
    }
}

command! {
    fn tokens_needing_rotation(core) -> TokensNeedingRotationView {
        Ok(tokens::needing_rotation_view(core).await)
    }
}

command! {
    /// Runs in the background: `rotation-progress` events, then `rotations-changed`.
    fn start_rotation(core, request: RotationRequestDto) -> RotationView {
        tokens::start_rotation(core, request).await
    }
}

command! {
    fn list_rotations(core) -> Vec<RotationView> {
        Ok(tokens::list_rotations(core))
    }
}

command! {
    /// Reads what the cluster and the service show now for every interrupted rotation.
    fn check_rotations(core) -> Vec<RotationView> {
        Ok(tokens::check_rotations(core).await)
    }
}

command! {
    /// "I have checked: forget it": a set-aside journal stops blocking its backend (kept on disk).
    fn resolve_rotation(core, id: String) -> Vec<RotationView> {
        tokens::resolve_rotation(core, &id)
    }
}

command! {
    fn rotation_status(core, id: String) -> RotationView {
        tokens::rotation_status(core, &id)
    }
}

command! {
    fn retry_rotation(core, id: String, service: Option<ServiceId>, context: Option<String>) -> RotationView {
        tokens::retry_rotation(core, id, service, context).await
    }
}

command! {
    fn roll_back_rotation(core, id: String, service: Option<ServiceId>, context: Option<String>) -> RotationView {
        tokens::roll_back_rotation(core, id, service, context).await
    }
}

command! {
    /// 6.2+: the users holding `osmo-backend` (empty at 6.0/6.1, which have no users).
    fn list_service_accounts(core, service: ServiceId, operation: Option<RequestId>) -> ServiceAccountsView {
        accounts::list(core, service, operation).await
    }
}

command! {
    /// 6.2+: gives `user` the roles a token needs; the answer is the roles held now.
    fn add_user_roles(
        core,
        service: ServiceId,
        user: String,
        roles: Vec<String>,
        operation: Option<RequestId>,
    ) -> Vec<String> {
        accounts::add_roles(core, service, user, roles, operation).await
    }
}

command! {
    /// 6.2+: deletes a service-account user (asked, after its last token went).
    fn delete_service_account(core, service: ServiceId, user: String, operation: Option<RequestId>) -> bool {
        accounts::delete(core, service, user, operation).await
    }
}

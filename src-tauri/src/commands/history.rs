//! The config history of backends and pools: revisions, diffs, tags, the whole-type rollback.

use osmo_admin_app::config_history::{
    self as revisions, ConfigDiffDto, ConfigHistoryView, ConfigKindDto, RollbackPreviewDto,
};
use osmo_admin_app::RequestId;
use osmo_admin_core::ServiceId;

command! {
    fn config_history(core, service: ServiceId, kind: ConfigKindDto, operation: Option<RequestId>) -> ConfigHistoryView {
        revisions::history(core, service, kind, operation).await
    }
}

command! {
    fn config_diff(
        core,
        service: ServiceId,
        kind: ConfigKindDto,
        first: u32,
        second: u32,
        operation: Option<RequestId>,
    ) -> ConfigDiffDto {
        revisions::diff(core, service, kind, first, second, operation).await
    }
}

command! {
    fn tag_revision(
        core,
        service: ServiceId,
        kind: ConfigKindDto,
        revision: u32,
        set: Vec<String>,
        remove: Vec<String>,
        operation: Option<RequestId>,
    ) -> ConfigHistoryView {
        revisions::tag(core, service, kind, revision, set, remove, operation).await
    }
}

command! {
    fn rollback_preview(
        core,
        service: ServiceId,
        kind: ConfigKindDto,
        revision: u32,
        operation: Option<RequestId>,
    ) -> RollbackPreviewDto {
        revisions::rollback_preview(core, service, kind, revision, operation).await
    }
}

command! {
    /// Sent only when it would still change exactly what `confirmed` (the preview) showed.
    fn roll_back_config(
        core,
        service: ServiceId,
        confirmed: RollbackPreviewDto,
        description: String,
        operation: Option<RequestId>,
    ) -> ConfigHistoryView {
        revisions::roll_back(core, service, confirmed, description, operation).await
    }
}

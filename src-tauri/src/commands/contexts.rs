//! Kubernetes contexts, kubeconfig files and backend links.

use osmo_admin_app::contexts::{self, ContextTestDto, ContextsView, CurrentContextSet};
use osmo_admin_core::BackendRef;

command! {
    fn list_contexts(core) -> ContextsView {
        Ok(contexts::list(core))
    }
}

command! {
    fn test_context(core, name: String, operator_namespace: Option<String>) -> ContextTestDto {
        contexts::test(core, name, operator_namespace).await
    }
}

command! {
    fn add_kubeconfig_file(core, path: String) -> ContextsView {
        contexts::add_file(core, path)
    }
}

command! {
    fn remove_kubeconfig_file(core, path: String) -> ContextsView {
        contexts::remove_file(core, path)
    }
}

command! {
    fn link_backend(
        core,
        backend: BackendRef,
        context: String,
        operator_namespace: Option<String>,
    ) -> ContextsView {
        contexts::link_backend(core, backend, context, operator_namespace)
    }
}

command! {
    fn unlink_backend(core, backend: BackendRef) -> ContextsView {
        contexts::unlink_backend(core, backend)
    }
}

command! {
    /// kubectl's `config use-context`, with a backup of the file.
    fn set_current_context(core, name: String) -> CurrentContextSet {
        contexts::set_current_context(core, name)
    }
}

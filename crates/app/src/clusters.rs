//! The cluster of a linked backend, connected the way `test_context` connects (the kubeconfig set
//! as last read, the login shell's PATH for exec plugins): the one door from the use cases to a
//! backend's Kubernetes API.

use osmo_admin_core::BackendLink;
use osmo_admin_diagnostics::ClusterTarget;
use osmo_admin_kube::ConnectOptions;

use crate::error::IpcError;
use crate::AppCore;

/// A client for the cluster of kubeconfig context `context`: built once per context and reused
/// while the context's configuration in the files stays the same.
pub async fn client(core: &AppCore, context: &str) -> Result<kube::Client, IpcError> {
    let resolved = core.kube.reload().resolve(context)?;
    let options = ConnectOptions {
        exec_path: Some(core.kube.exec_path().await),
        ..ConnectOptions::default()
    };
    Ok(core.kube.clients.client_for(&resolved, &options).await?)
}

/// What diagnostics and the detail read for a linked backend (its operator namespace from the
/// link, its workflow namespace from OSMO when known).
pub async fn target(
    core: &AppCore,
    link: &BackendLink,
    workflow_namespace: &str,
) -> Result<ClusterTarget, IpcError> {
    let mut target = ClusterTarget::new(client(core, link.context()).await?);
    target.operator_namespace = link.operator_namespace().to_owned();
    if !workflow_namespace.trim().is_empty() {
        target.workflow_namespace = workflow_namespace.to_owned();
    }
    Ok(target)
}

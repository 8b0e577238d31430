//! `helm uninstall RELEASE [-n NS]`: deletes the objects the latest revision recorded in its manifest list,
//! then all of the release's record Secrets.

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Secret, ServiceAccount};
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding, Role, RoleBinding};
use kube::api::DeleteParams;
use kube::{Api, ResourceExt};

use super::release::{api_error, is_not_found, read_record, revisions, Connection};
use super::Output;

/// `helm uninstall R [-n NS]`: deletes what the latest revision recorded, then the release records.
pub async fn uninstall(
    release: &str,
    namespace: Option<&str>,
    connection: &Connection<'_>,
    out: &mut impl Output,
) -> Result<(), String> {
    let (client, namespace) = connection.connect(namespace).await?;
    let secrets: Api<Secret> = Api::namespaced(client.clone(), &namespace);
    let existing = revisions(&secrets, release).await?;
    let Some((_, latest)) = existing.last() else {
        return Err(format!(
            "uninstall: Release not loaded: {release}: release: not found"
        ));
    };
    let record = read_record(latest);
    let dp = DeleteParams::default();
    for entry in record["manifest"].as_array().cloned().unwrap_or_default() {
        let name = entry["name"].as_str().unwrap_or_default();
        let ns = entry["namespace"].as_str().unwrap_or("default");
        let c = client.clone();
        let result = match entry["kind"].as_str().unwrap_or_default() {
            "ServiceAccount" => Api::<ServiceAccount>::namespaced(c, ns)
                .delete(name, &dp)
                .await
                .map(|_| ()),
            "Deployment" => Api::<Deployment>::namespaced(c, ns)
                .delete(name, &dp)
                .await
                .map(|_| ()),
            "Role" => Api::<Role>::namespaced(c, ns)
                .delete(name, &dp)
                .await
                .map(|_| ()),
            "RoleBinding" => Api::<RoleBinding>::namespaced(c, ns)
                .delete(name, &dp)
                .await
                .map(|_| ()),
            "ClusterRole" => Api::<ClusterRole>::all(c)
                .delete(name, &dp)
                .await
                .map(|_| ()),
            "ClusterRoleBinding" => Api::<ClusterRoleBinding>::all(c)
                .delete(name, &dp)
                .await
                .map(|_| ()),
            _ => Ok(()),
        };
        match result {
            Ok(()) => {}
            Err(e) if is_not_found(&e) => {}
            Err(e) => {
                return Err(format!(
                    "uninstallation completed with 1 error(s): {}",
                    api_error(e)
                ))
            }
        }
    }
    for (_, secret) in &existing {
        secrets
            .delete(&secret.name_any(), &dp)
            .await
            .map_err(|e| format!("uninstall: {}", api_error(e)))?;
    }
    out.stdout(&format!("release \"{release}\" uninstalled"));
    Ok(())
}

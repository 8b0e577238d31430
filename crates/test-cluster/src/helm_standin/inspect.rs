//! `helm list` and `helm status`, read from the release Secrets that `release.rs` writes.

use k8s_openapi::api::core::v1::Secret;
use kube::api::ListParams;
use kube::{Api, ResourceExt};
use serde_json::{json, Value};

use super::release::{read_record, revisions, Connection};
use super::Output;

/// `helm list [-n NS | -A] [-o table|json|yaml]`: the deployed releases.
pub async fn list(
    namespace: Option<&str>,
    all: bool,
    output: &str,
    connection: &Connection<'_>,
    out: &mut impl Output,
) -> Result<(), String> {
    let (client, namespace) = connection.connect(namespace).await?;
    let secrets: Api<Secret> = if all {
        Api::all(client)
    } else {
        Api::namespaced(client, &namespace)
    };
    let list = secrets
        .list(&ListParams::default().labels("owner=helm,status=deployed"))
        .await
        .map_err(|e| format!("Kubernetes cluster unreachable: {e}"))?;
    let mut rows: Vec<Value> = list.items.iter().map(|s| row(&read_record(s))).collect();
    rows.sort_by_key(|r| (r["namespace"].to_string(), r["name"].to_string()));
    match output {
        "json" => out.stdout(&Value::Array(rows).to_string()),
        "yaml" => print_yaml(out, &rows)?,
        "table" => {
            out.stdout("NAME\tNAMESPACE\tREVISION\tUPDATED\tSTATUS\tCHART\tAPP VERSION");
            for r in &rows {
                let field = |k: &str| r[k].as_str().unwrap_or_default().to_string();
                out.stdout(&format!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    field("name"),
                    field("namespace"),
                    field("revision"),
                    field("updated"),
                    field("status"),
                    field("chart"),
                    field("app_version")
                ));
            }
        }
        other => {
            return Err(format!(
                "invalid argument \"{other}\" for \"-o, --output\" flag: invalid format type"
            ))
        }
    }
    Ok(())
}

fn row(record: &Value) -> Value {
    let chart = &record["chart"]["metadata"];
    json!({
        "name": record["name"],
        "namespace": record["namespace"],
        "revision": record["version"].to_string(),
        "updated": record["info"]["last_deployed"],
        "status": record["info"]["status"],
        "chart": format!("{}-{}", chart["name"].as_str().unwrap_or_default(), chart["version"].as_str().unwrap_or_default()),
        "app_version": chart["appVersion"],
    })
}

/// `helm status RELEASE [-n NS] [-o table|json|yaml]`: the latest revision.
pub async fn status(
    release: &str,
    namespace: Option<&str>,
    output: &str,
    connection: &Connection<'_>,
    out: &mut impl Output,
) -> Result<(), String> {
    let (client, namespace) = connection.connect(namespace).await?;
    let secrets: Api<Secret> = Api::namespaced(client, &namespace);
    let existing = revisions(&secrets, release).await?;
    let Some((_, latest)) = existing.last() else {
        return Err("release: not found".into());
    };
    let record = read_record(latest);
    match output {
        "json" => out.stdout(&record.to_string()),
        "yaml" => print_yaml(out, &record)?,
        "table" => {
            out.stdout(&format!("NAME: {release}"));
            out.stdout(&format!(
                "LAST DEPLOYED: {}",
                record["info"]["last_deployed"].as_str().unwrap_or_default()
            ));
            out.stdout(&format!("NAMESPACE: {namespace}"));
            out.stdout(&format!(
                "STATUS: {}",
                latest
                    .labels()
                    .get("status")
                    .map_or("unknown", String::as_str)
            ));
            out.stdout(&format!("REVISION: {}", record["version"]));
            out.stdout("TEST SUITE: None");
        }
        other => {
            return Err(format!(
                "invalid argument \"{other}\" for \"-o, --output\" flag: invalid format type"
            ))
        }
    }
    Ok(())
}

/// YAML as `print!` would print it (it ends with its own newline).
fn print_yaml(out: &mut impl Output, value: &impl serde::Serialize) -> Result<(), String> {
    let text = serde_yaml_ng::to_string(value).map_err(|e| e.to_string())?;
    out.stdout(text.strip_suffix('\n').unwrap_or(&text));
    Ok(())
}

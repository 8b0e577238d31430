//! Kubernetes contexts: the kubeconfig files the app reads, their merged contexts, testing one, and
//! linking an OSMO backend to the context of its cluster. The logic is `osmo-admin-kube`'s.

use std::path::{Path, PathBuf};

use osmo_admin_core::settings::Settings;
use osmo_admin_core::{BackendLink, BackendRef, ErrorCode};
use osmo_admin_kube::{
    probe_resolved, set_current_context as write_current_context, AuthKind, ContextInfo,
    ContextList, FileOrigin, FileState, FileStatus, PermissionCheck, ProbeOptions, ProbeReport,
    DEFAULT_OPERATOR_NAMESPACE,
};
use serde::Serialize;
use ts_rs::TS;

use crate::error::IpcError;
use crate::events::{AppEvent, Changed};
use crate::{lock, AppCore};

/// (Re)starts watching the current kubeconfig files: a change tells the UI
/// ([`AppEvent::KubeconfigChanged`]), whose next `list_contexts` re-reads them (keeping the last
/// good contents of a half-written one).
pub(crate) fn watch_kubeconfigs(core: &AppCore) {
    // Another list of files: the clients built from the old one go.
    core.kube.clients.clear();
    let files = core.kube.paths();
    let notify = core.clone();
    let started = osmo_admin_kube::KubeconfigWatcher::start(
        &files,
        osmo_admin_kube::DEFAULT_DEBOUNCE,
        move || notify.events.emit(AppEvent::KubeconfigChanged(Changed {})),
    );
    match started {
        Ok(watcher) => *lock(&core.kube.watcher) = Some(watcher),
        Err(err) => tracing::warn!(%err, "kubeconfig files are not watched; Reload re-reads them"),
    }
}

/// The files to read changed (a file added, removed or lent): watch the new list and tell the UI.
pub(crate) fn files_changed(core: &AppCore) {
    watch_kubeconfigs(core);
    core.events.emit(AppEvent::KubeconfigChanged(Changed {}));
}

/// The Connections screen's Kubernetes half: contexts, files, and backend links.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ContextsView {
    /// Every context, merged as kubectl merges them (the first file to define a name wins).
    pub contexts: Vec<ContextDto>,
    pub current_context: Option<String>,
    /// The file that sets the current context.
    pub current_context_source: Option<String>,
    /// Each file read, in merge order, with its state.
    pub files: Vec<KubeconfigFileDto>,
    /// The files added in the app's settings (also among `files`).
    pub extra_files: Vec<String>,
    /// Backends linked to contexts.
    pub links: Vec<BackendLink>,
    /// Where kubectl would read these files differently or refuse them, each a sentence.
    pub kubectl_differences: Vec<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ContextDto {
    pub name: String,
    /// The file whose definition is used.
    pub source: String,
    /// Later files that define the same name; their definitions are ignored (`source` wins).
    pub shadowed_in: Vec<String>,
    pub cluster: String,
    pub server: Option<String>,
    pub user: Option<String>,
    pub namespace: Option<String>,
    pub auth: AuthKindDto,
    pub is_current: bool,
    /// Why the context cannot be used as written, each a sentence.
    pub problems: Vec<String>,
}

/// One variable an exec plugin gets; `value` is `null` when the name looks like a secret.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ExecEnvDto {
    pub name: String,
    pub value: Option<String>,
}

/// How a context's user authenticates.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum AuthKindDto {
    Token,
    TokenFile {
        path: String,
    },
    ClientCertificate,
    /// `env`: the plugin's environment as the kubeconfig sets it (secret-looking values left out).
    Exec {
        command: String,
        args: Vec<String>,
        env: Vec<ExecEnvDto>,
    },
    AuthProvider {
        name: String,
    },
    Basic {
        username: String,
    },
    None,
}

#[derive(Debug, Clone, Copy, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum KubeconfigOrigin {
    /// Listed in `KUBECONFIG`.
    KubeconfigEnv,
    /// `~/.kube/config` (no `KUBECONFIG`).
    HomeDefault,
    /// Added in the app's settings.
    Extra,
}

#[derive(Debug, Clone, Copy, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum KubeconfigFileState {
    Loaded,
    Missing,
    Broken,
    /// Cannot be parsed now; its last good contents are still used.
    LastGood,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KubeconfigFileDto {
    pub path: String,
    pub origin: KubeconfigOrigin,
    pub state: KubeconfigFileState,
    /// What is wrong (file and line in the message), when something is.
    pub error: Option<KubeconfigFileError>,
    /// How many contexts its contents (current or last good) define.
    pub contexts: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KubeconfigFileError {
    pub code: ErrorCode,
    pub message: String,
    pub line: Option<u32>,
}

/// What "set as current context" wrote.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CurrentContextSet {
    /// The kubeconfig file whose `current-context` changed (the one kubectl would write).
    pub file: String,
    /// The copy of the file as it was, next to it.
    pub backup: String,
    pub contexts: ContextsView,
}

/// The answer of a context that is reachable and whose credentials work.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ContextTestDto {
    pub context: String,
    pub server: String,
    /// The server's `gitVersion`, e.g. `v1.30.2`.
    pub server_version: String,
    /// A `/version` request on an open connection.
    pub round_trip_ms: u32,
    /// The first request, including connecting and any credential plugin.
    pub first_response_ms: u32,
    pub authenticated: bool,
    pub operator_namespace: String,
    pub all_granted: bool,
    /// What setup and rotation need, in order.
    pub permissions: Vec<PermissionDto>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PermissionDto {
    pub verb: String,
    /// As kubectl writes it: `secrets`, `deployments.apps`.
    pub resource: String,
    /// `null` for cluster-scoped checks.
    pub namespace: Option<String>,
    /// `setup`, `rotation` or `health`.
    pub needed_for: String,
    pub allowed: bool,
    /// As kubectl would say it: `cannot patch deployments.apps in namespace "osmo-operator"`.
    pub missing: Option<String>,
    /// The authorizer's reason, when it gives one.
    pub reason: Option<String>,
}

fn path_text(path: &Path) -> String {
    path.display().to_string()
}

fn small(n: impl TryInto<u32>) -> u32 {
    n.try_into().unwrap_or(u32::MAX)
}

fn auth(kind: AuthKind) -> AuthKindDto {
    match kind {
        AuthKind::Token => AuthKindDto::Token,
        AuthKind::TokenFile { path } => AuthKindDto::TokenFile { path },
        AuthKind::ClientCertificate => AuthKindDto::ClientCertificate,
        AuthKind::Exec { command, args, env } => AuthKindDto::Exec {
            command,
            args,
            env: env
                .into_iter()
                .map(|e| ExecEnvDto {
                    name: e.name,
                    value: e.value,
                })
                .collect(),
        },
        AuthKind::AuthProvider { name } => AuthKindDto::AuthProvider { name },
        AuthKind::Basic { username } => AuthKindDto::Basic { username },
        AuthKind::None => AuthKindDto::None,
    }
}

fn context(c: ContextInfo) -> ContextDto {
    ContextDto {
        name: c.name,
        source: path_text(&c.source),
        shadowed_in: c.ignored_duplicates.iter().map(|p| path_text(p)).collect(),
        cluster: c.cluster,
        server: c.server,
        user: c.user,
        namespace: c.namespace,
        auth: auth(c.auth),
        is_current: c.is_current,
        problems: c.problems,
    }
}

fn file(f: FileStatus) -> KubeconfigFileDto {
    KubeconfigFileDto {
        path: path_text(&f.path),
        origin: match f.origin {
            FileOrigin::KubeconfigEnv => KubeconfigOrigin::KubeconfigEnv,
            FileOrigin::HomeDefault => KubeconfigOrigin::HomeDefault,
            FileOrigin::Extra => KubeconfigOrigin::Extra,
        },
        state: match f.state {
            FileState::Loaded => KubeconfigFileState::Loaded,
            FileState::Missing => KubeconfigFileState::Missing,
            FileState::Broken => KubeconfigFileState::Broken,
            FileState::LastGood => KubeconfigFileState::LastGood,
        },
        error: f.error.map(|e| KubeconfigFileError {
            code: e.code,
            message: e.message,
            line: e.line.map(small),
        }),
        contexts: small(f.contexts),
    }
}

pub(crate) fn permission(p: PermissionCheck) -> PermissionDto {
    PermissionDto {
        resource: p.permission.resource_ref(),
        verb: p.permission.verb,
        namespace: p.permission.namespace,
        needed_for: p.permission.needed_for,
        allowed: p.allowed,
        missing: p.missing,
        reason: p.reason,
    }
}

fn test_result(report: ProbeReport, operator_namespace: String) -> ContextTestDto {
    ContextTestDto {
        all_granted: report.all_granted(),
        context: report.context,
        server: report.server,
        server_version: report.server_version,
        round_trip_ms: small(report.round_trip_ms),
        first_response_ms: small(report.first_response_ms),
        authenticated: report.authenticated,
        operator_namespace,
        permissions: report.permissions.into_iter().map(permission).collect(),
    }
}

fn view(list: ContextList, settings: Settings, links: Vec<BackendLink>) -> ContextsView {
    ContextsView {
        contexts: list.contexts.into_iter().map(context).collect(),
        current_context: list.current_context,
        current_context_source: list.current_context_source.as_deref().map(path_text),
        kubectl_differences: list.kubectl_differences,
        files: list.files.into_iter().map(file).collect(),
        extra_files: settings
            .extra_kubeconfigs
            .iter()
            .map(|p| path_text(p))
            .collect(),
        links,
    }
}

/// Re-reads every kubeconfig file and lists the result.
fn reloaded(state: &AppCore) -> ContextsView {
    let list = state.kube.reload().contexts();
    view(list, state.settings.get(), state.links.all())
}

/// A path as typed: trimmed, `~/` expanded, and absolute.
fn typed_path(state: &AppCore, typed: &str) -> Result<PathBuf, IpcError> {
    let typed = typed.trim();
    let path = match (typed.strip_prefix("~/"), &state.kube.env.home) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(typed),
    };
    if !path.is_absolute() {
        return Err(IpcError::new(
            ErrorCode::InvalidInput,
            format!(
                "path: \"{typed}\" is not an absolute path: type the whole path, for example ~/.kube/prod.yaml or /home/me/.kube/prod.yaml"
            ),
        ));
    }
    Ok(path)
}

/// Every context and file, re-read from disk.
pub fn list(state: &AppCore) -> ContextsView {
    reloaded(state)
}

/// Version, round trip and the permission checklist of context `name`.
pub async fn test(
    state: &AppCore,
    name: String,
    operator_namespace: Option<String>,
) -> Result<ContextTestDto, IpcError> {
    let operator_namespace = operator_namespace
        .filter(|ns| !ns.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_OPERATOR_NAMESPACE.into());
    osmo_admin_core::link::namespace_name("operatorNamespace", &operator_namespace)?;
    let resolved = state.kube.current().resolve(&name)?;
    let exec_path = state.kube.exec_path().await;
    let mut options = ProbeOptions {
        operator_namespace: operator_namespace.clone(),
        ..ProbeOptions::default()
    };
    options.connect.exec_path = Some(exec_path);
    let report = probe_resolved(&resolved, &options).await?;
    tracing::info!(context = %name, all_granted = report.all_granted(), "context tested");
    Ok(test_result(report, operator_namespace))
}

/// Reads `path` after the other files from now on (kept in the settings).
pub fn add_file(state: &AppCore, path: String) -> Result<ContextsView, IpcError> {
    let path = typed_path(state, &path)?;
    if !path.is_file() {
        return Err(IpcError::new(
            ErrorCode::NotFound,
            format!(
                "there is no file at {}: check the path (it was not added)",
                path.display()
            ),
        ));
    }
    state.settings.change(|s| {
        s.add_extra_kubeconfig(path.clone());
        Ok::<_, IpcError>(())
    })?;
    tracing::info!(path = %path.display(), "kubeconfig file added");
    watch_kubeconfigs(state);
    Ok(reloaded(state))
}

pub fn remove_file(state: &AppCore, path: String) -> Result<ContextsView, IpcError> {
    let path = typed_path(state, &path)?;
    state.settings.change(|s| {
        s.remove_extra_kubeconfig(&path);
        Ok::<_, IpcError>(())
    })?;
    tracing::info!(path = %path.display(), "kubeconfig file removed");
    watch_kubeconfigs(state);
    Ok(reloaded(state))
}

/// Links `backend` to the context of its cluster (the context must exist), kept in the settings.
pub fn link_backend(
    state: &AppCore,
    backend: BackendRef,
    context: String,
    operator_namespace: Option<String>,
) -> Result<ContextsView, IpcError> {
    let link = BackendLink::new(backend, context, operator_namespace.as_deref())?;
    let list = state.kube.reload().contexts();
    if !list.contexts.iter().any(|c| c.name == link.context()) {
        return Err(osmo_admin_kube::Error::ContextNotFound {
            name: link.context().to_owned(),
        }
        .into());
    }
    state.settings.change(|s| {
        s.link_backend(link.clone());
        Ok::<_, IpcError>(())
    })?;
    tracing::info!(backend = %link.backend(), context = %link.context(), "backend linked");
    Ok(view(list, state.settings.get(), state.links.all()))
}

pub fn unlink_backend(state: &AppCore, backend: BackendRef) -> Result<ContextsView, IpcError> {
    state.settings.change(|s| {
        s.unlink_backend(&backend);
        Ok::<_, IpcError>(())
    })?;
    state.links.forget_lent(&backend);
    tracing::info!(%backend, "backend unlinked");
    Ok(reloaded(state))
}

/// kubectl's `config use-context`: the only write to the user's kubeconfig, with a backup.
pub fn set_current_context(state: &AppCore, name: String) -> Result<CurrentContextSet, IpcError> {
    let file = {
        let set = state.kube.reload();
        if !set.contexts().contexts.iter().any(|c| c.name == name) {
            return Err(osmo_admin_kube::Error::ContextNotFound { name }.into());
        }
        set.current_context_file().ok_or_else(|| {
            IpcError::new(
                ErrorCode::NotFound,
                "there is no kubeconfig file from KUBECONFIG or ~/.kube/config to set the current context in: create ~/.kube/config first",
            )
        })?
    };
    let backup = write_current_context(&file, &name)?;
    tracing::info!(context = %name, file = %file.display(), backup = %backup.display(), "current context set");
    Ok(CurrentContextSet {
        file: path_text(&file),
        backup: path_text(&backup),
        contexts: reloaded(state),
    })
}

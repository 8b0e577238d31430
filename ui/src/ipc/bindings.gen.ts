// Generated from the Rust types by src-tauri/src/bindings.rs. Do not edit.
// Regenerate: UPDATE_BINDINGS=1 cargo test --test ipc bindings

export type ErrorCode = "invalid_input" | "io" | "kubeconfig_invalid" | "not_found" | "unreachable" | "tls_failed" | "timeout" | "cancelled" | "unauthorized" | "forbidden" | "session_expired" | "credential_plugin_failed" | "conflict" | "rejected" | "server_error" | "keyring_unavailable" | "internal";

export type IpcError = { code: ErrorCode, message: string, };

export type AboutInfo = { name: string, version: string, tauriVersion: string, 
/**
 * `debug` or `release`.
 */
build: string, os: string, arch: string, configDir: string, settingsFile: string, dataDir: string, logDir: string, };

export type ThemePreference = "system" | "light" | "dark";

export type SettingsDto = { theme: ThemePreference, dashboardRefreshSecs: number, };

export type SettingsView = { settings: SettingsDto, notice: string | null, };

export type SandboxState = "off" | "starting" | "running" | "failed";

export type SandboxOperatorKind = "simulated" | "kept_alive" | "none";

export type SandboxBackendDto = { name: string, online: boolean, 
/**
 * UTC, RFC 3339; `null` until its operator first connected.
 */
lastHeartbeat: string | null, operator: SandboxOperatorKind, operatorStatus: string | null, };

export type SandboxTokenDto = { owner: string, name: string, 
/**
 * `YYYY-MM-DD`, a UTC date.
 */
expiresAt: string, roles: Array<string>, };

export type SandboxServiceDto = { name: string, version: string, url: string, operatorWhere: string, backends: Array<SandboxBackendDto>, tokens: Array<SandboxTokenDto>, };

export type SandboxView = { state: SandboxState, 
/**
 * Why starting failed, when it did.
 */
error: string | null, services: Array<SandboxServiceDto>, 
/**
 * The local Kubernetes API server's address, when it runs.
 */
clusterServer: string | null, 
/**
 * Its kubeconfig (a cluster-admin token for a throwaway local cluster).
 */
clusterKubeconfig: string | null, 
/**
 * Why there is no local cluster, when there is none.
 */
clusterNote: string | null, };

export type AuthKindDto = { "kind": "token" } | { "kind": "tokenFile", path: string, } | { "kind": "clientCertificate" } | { "kind": "exec", command: string, args: Array<string>, } | { "kind": "authProvider", name: string, } | { "kind": "basic", username: string, } | { "kind": "none" };

export type ContextDto = { name: string, 
/**
 * The file whose definition is used.
 */
source: string, 
/**
 * Later files that define the same name; their definitions are ignored (`source` wins).
 */
shadowedIn: Array<string>, cluster: string, server: string | null, user: string | null, namespace: string | null, auth: AuthKindDto, isCurrent: boolean, 
/**
 * Why the context cannot be used as written, each a sentence.
 */
problems: Array<string>, };

export type KubeconfigOrigin = "kubeconfigEnv" | "homeDefault" | "extra";

export type KubeconfigFileState = "loaded" | "missing" | "broken" | "lastGood";

export type KubeconfigFileError = { code: ErrorCode, message: string, line: number | null, };

export type KubeconfigFileDto = { path: string, origin: KubeconfigOrigin, state: KubeconfigFileState, 
/**
 * What is wrong (file and line in the message), when something is.
 */
error: KubeconfigFileError | null, 
/**
 * How many contexts its contents (current or last good) define.
 */
contexts: number, };

export type BackendLinkDto = { session: string, backend: string, context: string, operatorNamespace: string, };

export type ContextsView = { 
/**
 * Every context, merged as kubectl merges them (the first file to define a name wins).
 */
contexts: Array<ContextDto>, currentContext: string | null, 
/**
 * The file that sets the current context.
 */
currentContextSource: string | null, 
/**
 * Each file read, in merge order, with its state.
 */
files: Array<KubeconfigFileDto>, 
/**
 * The files added in the app's settings (also among `files`).
 */
extraFiles: Array<string>, 
/**
 * Backends linked to contexts.
 */
links: Array<BackendLinkDto>, };

export type PermissionDto = { verb: string, 
/**
 * As kubectl writes it: `secrets`, `deployments.apps`.
 */
resource: string, 
/**
 * `null` for cluster-scoped checks.
 */
namespace: string | null, 
/**
 * `setup`, `rotation` or `health`.
 */
neededFor: string, allowed: boolean, 
/**
 * As kubectl would say it: `cannot patch deployments.apps in namespace "osmo-operator"`.
 */
missing: string | null, 
/**
 * The authorizer's reason, when it gives one.
 */
reason: string | null, };

export type ContextTestDto = { context: string, server: string, 
/**
 * The server's `gitVersion`, e.g. `v1.30.2`.
 */
serverVersion: string, 
/**
 * A `/version` request on an open connection.
 */
roundTripMs: number, 
/**
 * The first request, including connecting and any credential plugin.
 */
firstResponseMs: number, authenticated: boolean, operatorNamespace: string, allGranted: boolean, 
/**
 * What setup and rotation need, in order.
 */
permissions: Array<PermissionDto>, };

export type CurrentContextSet = { 
/**
 * The kubeconfig file whose `current-context` changed (the one kubectl would write).
 */
file: string, 
/**
 * The copy of the file as it was, next to it.
 */
backup: string, contexts: ContextsView, };

/** Every command, with its arguments and its result. Failures reject with an `IpcError`. */
export type Commands = {
  about: { args: Record<string, never>; result: AboutInfo };
  get_settings: { args: Record<string, never>; result: SettingsView };
  update_settings: { args: { settings: SettingsDto }; result: SettingsView };
  dismiss_settings_notice: { args: Record<string, never>; result: SettingsView };
  sandbox_status: { args: Record<string, never>; result: SandboxView };
  start_sandbox: { args: Record<string, never>; result: SandboxView };
  stop_sandbox: { args: Record<string, never>; result: SandboxView };
  list_contexts: { args: Record<string, never>; result: ContextsView };
  test_context: { args: { name: string; operatorNamespace?: string }; result: ContextTestDto };
  add_kubeconfig_file: { args: { path: string }; result: ContextsView };
  remove_kubeconfig_file: { args: { path: string }; result: ContextsView };
  link_backend: { args: { session: string; backend: string; context: string; operatorNamespace?: string }; result: ContextsView };
  unlink_backend: { args: { session: string; backend: string }; result: ContextsView };
  set_current_context: { args: { name: string }; result: CurrentContextSet };
};

export const ERROR_CODES: readonly ErrorCode[] = ["invalid_input", "io", "kubeconfig_invalid", "not_found", "unreachable", "tls_failed", "timeout", "cancelled", "unauthorized", "forbidden", "session_expired", "credential_plugin_failed", "conflict", "rejected", "server_error", "keyring_unavailable", "internal"];

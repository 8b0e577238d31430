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

/** Every command, with its arguments and its result. Failures reject with an `IpcError`. */
export type Commands = {
  about: { args: Record<string, never>; result: AboutInfo };
  get_settings: { args: Record<string, never>; result: SettingsView };
  update_settings: { args: { settings: SettingsDto }; result: SettingsView };
  dismiss_settings_notice: { args: Record<string, never>; result: SettingsView };
  sandbox_status: { args: Record<string, never>; result: SandboxView };
  start_sandbox: { args: Record<string, never>; result: SandboxView };
  stop_sandbox: { args: Record<string, never>; result: SandboxView };
};

export const ERROR_CODES: readonly ErrorCode[] = ["invalid_input", "io", "kubeconfig_invalid", "not_found", "unreachable", "tls_failed", "timeout", "cancelled", "unauthorized", "forbidden", "session_expired", "credential_plugin_failed", "conflict", "rejected", "server_error", "keyring_unavailable", "internal"];

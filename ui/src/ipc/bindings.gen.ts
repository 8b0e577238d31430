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

/** Every command, with its arguments and its result. Failures reject with an `IpcError`. */
export type Commands = {
  about: { args: Record<string, never>; result: AboutInfo };
  get_settings: { args: Record<string, never>; result: SettingsView };
  update_settings: { args: { settings: SettingsDto }; result: SettingsView };
  dismiss_settings_notice: { args: Record<string, never>; result: SettingsView };
};

export const ERROR_CODES: readonly ErrorCode[] = ["invalid_input", "io", "kubeconfig_invalid", "not_found", "unreachable", "tls_failed", "timeout", "cancelled", "unauthorized", "forbidden", "session_expired", "credential_plugin_failed", "conflict", "rejected", "server_error", "keyring_unavailable", "internal"];

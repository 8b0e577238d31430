//! The TypeScript view of the IPC: every type the UI sends or receives, and a map of the commands
//! with their argument and result types, rendered into `ui/src/ipc/bindings.gen.ts`.
//!
//! The file is committed; `tests/ipc` fails when it differs from [`render`]'s output.
//! Regenerate with `UPDATE_BINDINGS=1 cargo test --test ipc bindings`.

use osmo_admin_core::settings::ThemePreference;
use osmo_admin_core::ErrorCode;
use ts_rs::{Config, TS};

use crate::commands::about::AboutInfo;
use crate::commands::contexts::{
    AuthKindDto, BackendLinkDto, ContextDto, ContextTestDto, ContextsView, CurrentContextSet,
    KubeconfigFileDto, KubeconfigFileError, KubeconfigFileState, KubeconfigOrigin, PermissionDto,
};
use crate::commands::dashboard::{
    BackendDetailDto, BackendRowDto, CheckDto, ClusterSideDto, ConfigChangeDto, DashboardView,
    DeploymentDto, DiagnosisDto, EventDto, FieldChangeDto, FieldDto, NamespaceDto, NotPolledDto,
    PodsDto, SecretDto, SessionHealthDto, StatusPointDto, UptimeDto, VerdictDto,
};
use crate::commands::sandbox::{
    SandboxBackendDto, SandboxOperatorKind, SandboxServiceDto, SandboxState, SandboxTokenDto,
    SandboxView,
};
use crate::commands::scheduler::{
    FieldViolationDto, SchedulerChangeDto, SchedulerEditorView, SchedulerFieldDto,
    SchedulerFieldKind, SchedulerFormDto, SchedulerPresenceDto, SchedulerPreviewDto,
    SchedulerRevisionDto, SchedulerSaveDto,
};
use crate::commands::sessions::SessionsView;
use crate::commands::settings::{SettingsDto, SettingsView};
use crate::commands::setup::{
    CheckSetupDto, FinishedStepDto, PreflightDto, ResourcesDto, RunSetupStepDto, SetupDefaultsDto,
    SetupFieldErrorDto, SetupLogDto, SetupLogStreamDto, SetupOutcomeDto, SetupPlanDto,
    SetupProgressDto, SetupStepDto, SetupStepFinishedDto, SetupStepStatusDto, SetupStepView,
};
use crate::commands::tokens::{
    BadgeDto, CreateTokenDto, CreatedTokenDto, NewTokenDto, RotationRequestDto, TokenFieldDto,
    TokenFieldErrorDto, TokenKindDto, TokenNeedingRotationDto, TokenRowDto,
    TokensNeedingRotationView, TokensView,
};
use crate::error::IpcError;
use crate::health_watch::{BackendStatusChanged, HealthUpdated};
use crate::rotations::{
    RotationProgress, RotationStatusDto, RotationView, StepDto, StepStateDto, StepView,
};
use osmo_admin_sessions::{
    CliLoginOffer, DeviceCodePrompt, KeyringNote, SessionStatus, SessionView, SignInMethodName,
    SignInMethods,
};

/// Where the generated file lives, relative to the repository root.
pub const BINDINGS_PATH: &str = "ui/src/ipc/bindings.gen.ts";

/// A command's name, its arguments as TypeScript (`{ name: Type }`), and its result type's name.
type CommandSignature = (&'static str, &'static str, fn() -> String);

const COMMANDS: &[CommandSignature] = &[
    ("about", "Record<string, never>", name::<AboutInfo>),
    (
        "get_settings",
        "Record<string, never>",
        name::<SettingsView>,
    ),
    (
        "update_settings",
        "{ settings: SettingsDto }",
        name::<SettingsView>,
    ),
    (
        "dismiss_settings_notice",
        "Record<string, never>",
        name::<SettingsView>,
    ),
    (
        "sandbox_status",
        "Record<string, never>",
        name::<SandboxView>,
    ),
    (
        "start_sandbox",
        "Record<string, never>",
        name::<SandboxView>,
    ),
    ("stop_sandbox", "Record<string, never>", name::<SandboxView>),
    (
        "list_contexts",
        "Record<string, never>",
        name::<ContextsView>,
    ),
    (
        "test_context",
        "{ name: string; operatorNamespace?: string }",
        name::<ContextTestDto>,
    ),
    (
        "add_kubeconfig_file",
        "{ path: string }",
        name::<ContextsView>,
    ),
    (
        "remove_kubeconfig_file",
        "{ path: string }",
        name::<ContextsView>,
    ),
    (
        "link_backend",
        "{ session: string; backend: string; context: string; operatorNamespace?: string }",
        name::<ContextsView>,
    ),
    (
        "unlink_backend",
        "{ session: string; backend: string }",
        name::<ContextsView>,
    ),
    (
        "set_current_context",
        "{ name: string }",
        name::<CurrentContextSet>,
    ),
    (
        "list_sessions",
        "Record<string, never>",
        name::<SessionsView>,
    ),
    (
        "add_service",
        "{ name: string; url: string; customCaPem?: string | null; operation?: string }",
        name::<String>,
    ),
    (
        "sign_in_with_token",
        "{ id: string; token: string; operation?: string }",
        name::<()>,
    ),
    (
        "sign_in_development",
        "{ id: string; user: string; operation?: string }",
        name::<()>,
    ),
    (
        "start_device_code",
        "{ id: string; operation?: string }",
        name::<DeviceCodePrompt>,
    ),
    ("cancel_device_code", "{ id: string }", name::<()>),
    (
        "sign_out",
        "{ id: string; keepListed: boolean }",
        name::<()>,
    ),
    (
        "retry_service",
        "{ id: string; operation?: string }",
        name::<()>,
    ),
    (
        "import_cli_login",
        "{ name: string; operation?: string }",
        name::<String>,
    ),
    ("cancel_operation", "{ operation: string }", name::<bool>),
    ("open_in_browser", "{ url: string }", name::<()>),
    (
        "dashboard_snapshot",
        "Record<string, never>",
        name::<DashboardView>,
    ),
    (
        "refresh_dashboard",
        "Record<string, never>",
        name::<DashboardView>,
    ),
    (
        "backend_detail",
        "{ session: string; backend: string }",
        name::<BackendDetailDto>,
    ),
    (
        "diagnose_backend",
        "{ session: string; backend: string }",
        name::<DiagnosisDto>,
    ),
    (
        "set_backend_notifications",
        "{ session: string; backend: string; on: boolean }",
        name::<bool>,
    ),
    (
        "load_scheduler",
        "{ session: string; backend: string; operation?: string }",
        name::<SchedulerEditorView>,
    ),
    (
        "preview_scheduler",
        "{ session: string; backend: string; loaded: Record<string, unknown>; form: SchedulerFormDto }",
        name::<SchedulerPreviewDto>,
    ),
    (
        "save_scheduler",
        "{ session: string; backend: string; loaded: Record<string, unknown>; form: SchedulerFormDto; description: string; operation?: string }",
        name::<SchedulerSaveDto>,
    ),
    (
        "list_tokens",
        "{ session: string; operation?: string }",
        name::<TokensView>,
    ),
    (
        // The answer is the only place a token's value crosses IPC (`CreatedTokenDto.value`):
        // shown once by the UI, never stored by the app.
        "create_token",
        "{ session: string; form: NewTokenDto; operation?: string }",
        name::<CreateTokenDto>,
    ),
    (
        "delete_token",
        "{ session: string; owner: string; name: string; operation?: string }",
        name::<bool>,
    ),
    (
        "tokens_needing_rotation",
        "Record<string, never>",
        name::<TokensNeedingRotationView>,
    ),
    (
        "start_rotation",
        "{ request: RotationRequestDto }",
        name::<RotationView>,
    ),
    (
        "list_rotations",
        "Record<string, never>",
        name::<Vec<RotationView>>,
    ),
    ("rotation_status", "{ id: string }", name::<RotationView>),
    (
        "retry_rotation",
        "{ id: string; session?: string; context?: string }",
        name::<RotationView>,
    ),
    (
        "roll_back_rotation",
        "{ id: string; session?: string; context?: string }",
        name::<RotationView>,
    ),
    (
        "setup_defaults",
        "{ session: string; backend: string }",
        name::<SetupDefaultsDto>,
    ),
    (
        "check_setup",
        "{ plan: SetupPlanDto; session: string; context: string; operation?: string }",
        name::<CheckSetupDto>,
    ),
    (
        // Runs in the background: `setup-log` (SetupLogDto) lines, then `setup-step-finished`
        // (SetupStepFinishedDto); cancel with cancel_operation("setup:<backend>").
        "run_setup_step",
        "{ plan: SetupPlanDto; session: string; context: string; step: SetupStepDto; confirmation?: string | null }",
        name::<RunSetupStepDto>,
    ),
    (
        "save_values_file",
        "{ plan: SetupPlanDto; path?: string | null }",
        name::<String>,
    ),
    (
        "setup_progress",
        "{ backend: string }",
        name::<Option<SetupProgressDto>>,
    ),
];

fn name<T: TS>() -> String {
    T::name(&Config::default())
}

/// The whole generated file.
pub fn render() -> String {
    let cfg = Config::default();
    let decls = [
        ErrorCode::decl(&cfg),
        IpcError::decl(&cfg),
        AboutInfo::decl(&cfg),
        ThemePreference::decl(&cfg),
        SettingsDto::decl(&cfg),
        SettingsView::decl(&cfg),
        SandboxState::decl(&cfg),
        SandboxOperatorKind::decl(&cfg),
        SandboxBackendDto::decl(&cfg),
        SandboxTokenDto::decl(&cfg),
        SandboxServiceDto::decl(&cfg),
        SandboxView::decl(&cfg),
        AuthKindDto::decl(&cfg),
        ContextDto::decl(&cfg),
        KubeconfigOrigin::decl(&cfg),
        KubeconfigFileState::decl(&cfg),
        KubeconfigFileError::decl(&cfg),
        KubeconfigFileDto::decl(&cfg),
        BackendLinkDto::decl(&cfg),
        ContextsView::decl(&cfg),
        PermissionDto::decl(&cfg),
        ContextTestDto::decl(&cfg),
        CurrentContextSet::decl(&cfg),
        SignInMethods::decl(&cfg),
        SignInMethodName::decl(&cfg),
        SessionStatus::decl(&cfg),
        KeyringNote::decl(&cfg),
        DeviceCodePrompt::decl(&cfg),
        SessionView::decl(&cfg),
        CliLoginOffer::decl(&cfg),
        SessionsView::decl(&cfg),
        BackendRowDto::decl(&cfg),
        SessionHealthDto::decl(&cfg),
        NotPolledDto::decl(&cfg),
        DashboardView::decl(&cfg),
        FieldDto::decl(&cfg),
        FieldChangeDto::decl(&cfg),
        ConfigChangeDto::decl(&cfg),
        StatusPointDto::decl(&cfg),
        UptimeDto::decl(&cfg),
        NamespaceDto::decl(&cfg),
        SecretDto::decl(&cfg),
        PodsDto::decl(&cfg),
        DeploymentDto::decl(&cfg),
        EventDto::decl(&cfg),
        ClusterSideDto::decl(&cfg),
        BackendDetailDto::decl(&cfg),
        VerdictDto::decl(&cfg),
        CheckDto::decl(&cfg),
        DiagnosisDto::decl(&cfg),
        HealthUpdated::decl(&cfg),
        BackendStatusChanged::decl(&cfg),
        SchedulerFormDto::decl(&cfg),
        SchedulerFieldKind::decl(&cfg),
        SchedulerFieldDto::decl(&cfg),
        SchedulerRevisionDto::decl(&cfg),
        SchedulerPresenceDto::decl(&cfg),
        SchedulerEditorView::decl(&cfg),
        SchedulerChangeDto::decl(&cfg),
        FieldViolationDto::decl(&cfg),
        SchedulerPreviewDto::decl(&cfg),
        SchedulerSaveDto::decl(&cfg),
        BadgeDto::decl(&cfg),
        TokenKindDto::decl(&cfg),
        TokenRowDto::decl(&cfg),
        TokensView::decl(&cfg),
        NewTokenDto::decl(&cfg),
        TokenFieldDto::decl(&cfg),
        TokenFieldErrorDto::decl(&cfg),
        CreatedTokenDto::decl(&cfg),
        CreateTokenDto::decl(&cfg),
        TokenNeedingRotationDto::decl(&cfg),
        TokensNeedingRotationView::decl(&cfg),
        RotationRequestDto::decl(&cfg),
        StepDto::decl(&cfg),
        StepStateDto::decl(&cfg),
        RotationProgress::decl(&cfg),
        StepView::decl(&cfg),
        RotationStatusDto::decl(&cfg),
        RotationView::decl(&cfg),
        ResourcesDto::decl(&cfg),
        SetupPlanDto::decl(&cfg),
        SetupDefaultsDto::decl(&cfg),
        SetupFieldErrorDto::decl(&cfg),
        SetupStepDto::decl(&cfg),
        SetupStepStatusDto::decl(&cfg),
        SetupStepView::decl(&cfg),
        PreflightDto::decl(&cfg),
        CheckSetupDto::decl(&cfg),
        SetupLogStreamDto::decl(&cfg),
        SetupLogDto::decl(&cfg),
        SetupOutcomeDto::decl(&cfg),
        SetupStepFinishedDto::decl(&cfg),
        RunSetupStepDto::decl(&cfg),
        FinishedStepDto::decl(&cfg),
        SetupProgressDto::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust types by src-tauri/src/bindings.rs. Do not edit.\n\
         // Regenerate: UPDATE_BINDINGS=1 cargo test --test ipc bindings\n\n",
    );
    for decl in decls {
        out.push_str("export ");
        out.push_str(&decl);
        out.push_str("\n\n");
    }
    out.push_str("/** Every command, with its arguments and its result. Failures reject with an `IpcError`. */\n");
    out.push_str("export type Commands = {\n");
    for (command, args, result) in COMMANDS {
        out.push_str(&format!(
            "  {command}: {{ args: {args}; result: {} }};\n",
            result()
        ));
    }
    out.push_str("};\n\n");
    out.push_str("export const ERROR_CODES: readonly ErrorCode[] = [");
    let codes: Vec<String> = ErrorCode::ALL
        .iter()
        .map(|code| serde_json::to_string(code).unwrap_or_default())
        .collect();
    out.push_str(&codes.join(", "));
    out.push_str("];\n");
    out
}

/// The command names in the generated map, for the test that checks they match the handler.
pub fn command_names() -> impl Iterator<Item = &'static str> {
    COMMANDS.iter().map(|(name, _, _)| *name)
}

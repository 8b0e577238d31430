// Generated from the Rust types by src-tauri/src/bindings.rs. Do not edit.
// Regenerate: UPDATE_BINDINGS=1 cargo test --test ipc bindings

export type AboutInfo = { name: string, version: string, tauriVersion: string, 
/**
 * `debug` or `release`.
 */
build: string, os: string, arch: string, configDir: string, settingsFile: string, dataDir: string, logDir: string, };

export type AuthKindDto = { "kind": "token" } | { "kind": "tokenFile", path: string, } | { "kind": "clientCertificate" } | { "kind": "exec", command: string, args: Array<string>, env: Array<ExecEnvDto>, } | { "kind": "authProvider", name: string, } | { "kind": "basic", username: string, } | { "kind": "none" };

export type BackendDetailDto = { session: ServiceId, backend: BackendName, online: boolean, fields: Array<FieldDto>, pools: Array<string>, poolsError: string | null, configHistory: Array<ConfigChangeDto>, configHistoryError: string | null, uptime: UptimeDto, link: BackendLink | null, cluster: ClusterSideDto | null, 
/**
 * Why the linked cluster could not be looked at (e.g. the context is gone).
 */
clusterError: string | null, dashboardUrl: string | null, grafanaUrl: string | null, notify: boolean, };

export type BackendLink = { service: ServiceId, backend: BackendName, context: string, operatorNamespace: string, };

export type BackendName = string;

export type BackendRef = { service: ServiceId, backend: BackendName, };

export type BackendRowDto = { session: ServiceId, name: BackendName, 
/**
 * The server's own flag (a heartbeat within 2 minutes).
 */
online: boolean, lastHeartbeat: string | null, offlineSince: string | null, version: string, k8sNamespace: string, schedulerType: string, schedulerName: string, pools: Array<string>, dashboardUrl: string | null, grafanaUrl: string | null, 
/**
 * Offline/back notifications are on for this backend.
 */
notify: boolean, 
/**
 * A kubeconfig context is linked to this backend.
 */
linked: boolean, 
/**
 * What the service stored for this backend that the app did not expect (shown as stored).
 */
warnings: Array<string>, };

export type BackendStatusChanged = { session: ServiceId, backend: BackendName, online: boolean, message: string, };

export type BadgeDto = "expired" | "expires_soon" | "fine";

export type Changed = Record<symbol, never>;

export type CheckDto = { kind: CheckKindDto, title: string, verdict: VerdictDto, finding: string, nextStep: string | null, };

export type CheckKindDto = "ServiceReachable" | "BackendKnown" | "Heartbeat" | "ContextLinked" | "ClusterReachable" | "TokenExpiry" | "Namespaces" | "TokenSecret" | "TokenAccepted" | "Deployments" | "Pods" | "WarningEvents";

export type CheckSetupDto = { "outcome": "invalid", errors: Array<SetupFieldErrorDto>, } | { "outcome": "checked", preflight: PreflightDto, steps: Array<SetupStepView>, 
/**
 * Where step 3 saves the values file.
 */
valuesFile: string, 
/**
 * The step running now in the background, if any.
 */
running: SetupStepDto | null, };

export type CliLoginOffer = { 
/**
 * The `login.yaml` file read.
 */
path: string, url: string, user: string | null, method: SignInMethodName, 
/**
 * The listed service with the same URL, which the import signs in instead of adding one.
 */
existingService: ServiceId | null, };

export type ClusterSideDto = { operatorNamespace: NamespaceDto, workflowNamespace: NamespaceDto, tokenSecret: SecretDto | null, tokenSecretError: string | null, deployments: Array<DeploymentDto>, missingDeployments: Array<string>, deploymentsError: string | null, events: Array<EventDto>, eventsError: string | null, };

export type ConfigChangeDto = { revision: number, username: string, createdAt: string | null, description: string, 
/**
 * The backend the revision was about (may be another one that changed this one too).
 */
about: string, changes: Array<FieldChangeDto>, };

export type ConfigDiffDto = { first: number, second: number, changes: Array<EntityChangeDto>, };

export type ConfigHistoryView = { service: ServiceId, kind: ConfigKindDto, revisions: Array<RevisionDto>, };

export type ConfigKindDto = "backend" | "pool";

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
links: Array<BackendLink>, 
/**
 * Where kubectl would read these files differently or refuse them, each a sentence.
 */
kubectlDifferences: Array<string>, };

export type CreateTokenDto = { "outcome": "created", token: CreatedTokenDto, } | { "outcome": "invalid", errors: Array<TokenFieldErrorDto>, } | { "outcome": "missing_roles", user: string, roles: Array<string>, message: string, };

export type CreatedTokenDto = { owner: string, name: string, expiresOn: string, 
/**
 * The token's value: show it once, never store it.
 */
value: string, 
/**
 * 6.2+: the service-account user did not exist and was created.
 */
userCreated: boolean, };

export type CurrentContextSet = { 
/**
 * The kubeconfig file whose `current-context` changed (the one kubectl would write).
 */
file: string, 
/**
 * The copy of the file as it was, next to it.
 */
backup: string, contexts: ContextsView, };

export type DashboardView = { sessions: Array<SessionHealthDto>, 
/**
 * Services added but not signed in (so not polled), with the reason.
 */
notPolled: Array<NotPolledDto>, 
/**
 * The rows of every session of `sessions`, in the same order.
 */
sessionRows: Array<SessionRowsDto>, refreshSecs: number, 
/**
 * Why the uptime history is unavailable, if it is.
 */
historyError: string | null, 
/**
 * Why the uptime history shown is not the one in its file (a corrupt file moved aside, a
 * file of a newer version left unread), if so.
 */
historyNotice: string | null, now: string, };

export type DeletionChoicesDto = { 
/**
 * Delete the operator's Deployments in the linked namespace first.
 */
stopOperator: boolean, 
/**
 * Forget the link to its context afterwards.
 */
unlink: boolean, };

export type DeletionDto = { 
/**
 * The backend is no longer in the service's list.
 */
gone: boolean, 
/**
 * Each thing done, in order, in words.
 */
done: Array<string>, 
/**
 * What is left for the user to see to (pools naming it, a running operator).
 */
left: Array<string>, };

export type DeletionPlanDto = { backend: BackendRef, 
/**
 * Its heartbeat is fresh: its operator is running and connected.
 */
online: boolean, 
/**
 * Pools that run on it: they stay, naming a backend that no longer exists, until switched.
 */
pools: Array<string>, link: LinkedOperatorDto | null, };

export type DeploymentDto = { name: string, role: string | null, desiredReplicas: number, readyReplicas: number, restartedAt: string | null, pods: PodsDto | null, podsError: string | null, };

export type DeviceCodePrompt = { userCode: string, verificationUri: string, verificationUriComplete: string | null, message: string | null, expiresAt: string, };

export type DiagnosisDto = { session: ServiceId, backend: BackendName, checks: Array<CheckDto>, 
/**
 * Index into `checks` of the failure to fix first.
 */
firstFailure: number | null, summary: string, 
/**
 * No check failed or warned.
 */
healthy: boolean, 
/**
 * A context is linked (otherwise the cluster checks are skipped).
 */
linked: boolean, 
/**
 * Why the linked cluster could not be used for the checks.
 */
clusterError: string | null, };

export type EntityChangeDto = { name: string, 
/**
 * `added` (only in the second), `removed` (only in the first) or `changed`.
 */
change: string, fields: Array<FieldChangeDto>, };

export type ErrorCode = "invalid_input" | "io" | "kubeconfig_invalid" | "not_found" | "unreachable" | "tls_failed" | "timeout" | "cancelled" | "unauthorized" | "forbidden" | "session_expired" | "credential_plugin_failed" | "credential_plugin_not_started" | "conflict" | "not_ready" | "rejected" | "server_error" | "keyring_unavailable" | "internal";

export type EventDto = { type: string, reason: string, message: string, object: string, count: number, lastTime: string | null, };

export type ExecEnvDto = { name: string, value: string | null, };

export type FieldChangeDto = { field: string, before: string | null, after: string | null, };

export type FieldDto = { name: string, value: string, };

export type FieldViolationDto = { field: string, message: string, };

export type FinishedStepDto = { step: SetupStepDto, 
/**
 * UTC, RFC 3339.
 */
at: string, what: string, };

export type HealthUpdated = { sessions: Array<PolledSession>, };

export type IpcError = { code: ErrorCode, message: string, };

export type KeyringNote = { "state": "nothing_to_keep" } | { "state": "saved" } | { "state": "not_saved", message: string, };

export type KnownRows = { session: ServiceId, tag: string, 
/**
 * The heartbeats' tag.
 */
beats: string, };

export type KubeconfigFileDto = { path: string, origin: KubeconfigOrigin, state: KubeconfigFileState, 
/**
 * What is wrong (file and line in the message), when something is.
 */
error: KubeconfigFileError | null, 
/**
 * How many contexts its contents (current or last good) define.
 */
contexts: number, };

export type KubeconfigFileError = { code: ErrorCode, message: string, line: number | null, };

export type KubeconfigFileState = "loaded" | "missing" | "broken" | "lastGood";

export type KubeconfigOrigin = "kubeconfigEnv" | "homeDefault" | "extra";

export type LeftOutSecrets = { 
/**
 * The id its keyring entries are named after.
 */
id: string, name: string, };

export type LeftOutSecretsOutcome = { 
/**
 * The names of the services whose secrets were removed from the keyring.
 */
removed: Array<string>, view: SettingsView, };

export type LinkedOperatorDto = { context: string, operatorNamespace: string, 
/**
 * `helm uninstall …` for the rest of the operator's release (Secret, roles).
 */
uninstallCommand: string, };

export type LoadedSettings = Record<string, unknown>;

export type NamespaceDto = { name: string, present: boolean | null, error: string | null, };

export type NewTokenDto = { 
/**
 * 6.2+: the service-account user (created when missing). Ignored at 6.0/6.1.
 */
owner: string | null, name: string, 
/**
 * `YYYY-MM-DD`, a UTC date strictly after today.
 */
expiresAt: string, roles: Array<string>, description: string, 
/**
 * For a backend operator: `osmo-backend` is then required.
 */
forOperator: boolean, };

export type NotPolledDto = { session: ServiceId, reason: string, };

export type OperationId = { "kind": "request", id: RequestId, } | { "kind": "rotation", backend: BackendRef, } | { "kind": "setup", backend: BackendRef, };

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

export type PodsDto = { total: number, running: number, ready: number, unscheduled: number, restarts: number, lastTerminationReason: string | null, waitingReasons: Array<string>, };

export type PolledSession = { session: ServiceId, stale: boolean, };

export type PoolDto = { name: string, description: string, 
/**
 * `ONLINE`, `OFFLINE` or `MAINTENANCE` (the service's word, from its backend's heartbeat).
 */
status: string, 
/**
 * The backend it runs on ("" when the service stores none).
 */
backend: string, 
/**
 * The backend it names is not one of the service's backends.
 */
backendMissing: boolean, };

export type PoolWriteDto = { 
/**
 * The write's own answer was a success.
 */
accepted: boolean, 
/**
 * What is stored now, in words ("Pool a now runs on gpu-east.").
 */
outcome: string, 
/**
 * The service's refusal, when it refused (the pool may still have changed: see `outcome`).
 */
error: IpcError | null, 
/**
 * The pools as re-read after the write.
 */
pools: Array<PoolDto>, };

export type PoolsView = { service: ServiceId, pools: Array<PoolDto>, };

export type PreflightDto = { 
/**
 * Nothing blocking is missing.
 */
ready: boolean, checks: Array<PermissionDto>, 
/**
 * What setup needs and may not do (blocking), as kubectl would say it.
 */
missing: Array<string>, 
/**
 * Missing but not blocking (e.g. step 5's offline checks will be partial).
 */
warnings: Array<string>, };

export type ProgressSetAsideDto = { 
/**
 * Where the file is now (kept, never deleted).
 */
file: string, 
/**
 * Why it could not be read.
 */
reason: string, 
/**
 * When it was set aside (UTC, RFC 3339; empty when not known).
 */
at: string, 
/**
 * The notice in one sentence.
 */
message: string, };

export type RequestId = string;

export type ResourcesDto = { cpuRequest: string, memoryRequest: string, memoryLimit: string, };

export type RevisionDto = { revision: number, 
/**
 * The backend or pool it was about ("" for a rollback or a change of several).
 */
about: string, username: string, 
/**
 * UTC, RFC 3339.
 */
createdAt: string | null, description: string, tags: Array<string>, 
/**
 * The revision in force now.
 */
current: boolean, };

export type RollbackPreviewDto = { kind: ConfigKindDto, revision: number, 
/**
 * The revision in force now.
 */
current: number, 
/**
 * From now to the target: `removed` ones will be deleted, `added` ones re-created, `changed`
 * ones rewritten.
 */
changes: Array<EntityChangeDto>, };

export type RotationNowDto = { 
/**
 * UTC, RFC 3339.
 */
checkedAt: string, 
/**
 * Whether the token Secret exists (`null`: it could not be read; `notes` says why).
 */
secretExists: boolean | null, 
/**
 * The token the Secret's annotations name (`null`: none named, or not read).
 */
secretHolder: string | null, 
/**
 * Whether `<key>.previous` (the kept old value) is in the Secret (`null`: not read).
 */
previousKept: boolean | null, 
/**
 * Of the rotation's tokens (old, new, the Secret's holder), those that exist in OSMO now
 * (`null`: they could not be listed).
 */
tokensExisting: Array<string> | null, 
/**
 * Those of them that do not exist (`null`: not listed).
 */
tokensMissing: Array<string> | null, 
/**
 * The latest restart stamped on the operator's Deployments (UTC, RFC 3339; `null`: none, or
 * not read).
 */
restartedAt: string | null, 
/**
 * The backend's last heartbeat (UTC, RFC 3339; `null`: none, or not read).
 */
lastHeartbeat: string | null, 
/**
 * What could not be read, in words.
 */
notes: Array<string>, };

export type RotationProgress = { rotationId: string, step: StepDto, title: string, 
/**
 * `running` (started), `done`, `skipped` or `failed`.
 */
state: StepStateDto, 
/**
 * What was done, or what failed and the state things are in.
 */
message: string, 
/**
 * UTC, RFC 3339.
 */
at: string, };

export type RotationRequestDto = { backend: BackendRef, 
/**
 * The kubeconfig context of the backend's cluster; `null`: the backend's linked context.
 */
context: string | null, secretNamespace: string, secretName: string, secretKey: string, 
/**
 * The token the operator uses now; `null`: read from the secret's annotations when this app
 * wrote it (else nothing is deleted at the end).
 */
oldOwner: string | null, oldName: string | null, 
/**
 * 6.2+: the new token's user (default: the old token's owner).
 */
newOwner: string | null, 
/**
 * Default: derived from the old name and the expiry (`backend-token-20270115`).
 */
newName: string | null, 
/**
 * `YYYY-MM-DD`.
 */
expiresAt: string, heartbeatTimeoutSecs: number, deleteOld: boolean, 
/**
 * How often the backend is read while waiting for its heartbeat (default 5).
 */
pollIntervalSecs: number | null, };

export type RotationStatusDto = "running" | "failed" | "completed" | "rolled_back" | "interrupted" | "needs_you";

export type RotationView = { 
/**
 * The rotation's id; for a set-aside journal, the set-aside file's name.
 */
id: string, 
/**
 * `null` only for a set-aside journal whose backend cannot be told.
 */
backend: BackendName | null, 
/**
 * The session and context it runs with (`null` when an interrupted one did not record them).
 */
session: ServiceId | null, context: string | null, 
/**
 * `namespace/name key k` (empty when a set-aside journal does not tell).
 */
secret: string, 
/**
 * Empty when a set-aside journal does not tell.
 */
newToken: string, oldToken: string | null, status: RotationStatusDto, rollingBack: boolean, 
/**
 * A background run is in progress now.
 */
running: boolean, steps: Array<StepView>, 
/**
 * The exact state in words: for an interrupted or set-aside one, from what the cluster and
 * the service showed when last checked (`now`), else only what its journal makes certain.
 */
words: string, failure: string | null, canRetry: boolean, canRollBack: boolean, 
/**
 * UTC, RFC 3339 (for a set-aside journal: when it was set aside).
 */
startedAt: string, updatedAt: string, 
/**
 * The journal could not be read and was set aside (status `needs_you`).
 */
setAside: SetAsideDto | null, 
/**
 * What the cluster and the service showed when last checked (interrupted and set-aside
 * ones; `null` until checked).
 */
now: RotationNowDto | null, };

export type RotationsChanged = { id: string, };

export type RunSetupStepDto = { "outcome": "started", backend: BackendRef, step: SetupStepDto, 
/**
 * Cancel with `cancel_operation` of this operation.
 */
operation: OperationId, } | { "outcome": "invalid", errors: Array<SetupFieldErrorDto>, };

export type SandboxBackendDto = { name: string, online: boolean, 
/**
 * UTC, RFC 3339; `null` until its operator first connected.
 */
lastHeartbeat: string | null, operator: SandboxOperatorKind, operatorStatus: string | null, };

export type SandboxClusterState = "starting" | "running" | "absent";

export type SandboxOperatorKind = "simulated" | "kept_alive" | "none";

export type SandboxServiceDto = { name: string, version: string, url: string, operatorWhere: string, backends: Array<SandboxBackendDto>, tokens: Array<SandboxTokenDto>, };

export type SandboxState = "off" | "starting" | "running" | "failed";

export type SandboxTokenDto = { owner: string, name: string, 
/**
 * `YYYY-MM-DD`, a UTC date.
 */
expiresAt: string, roles: Array<string>, };

export type SandboxView = { state: SandboxState, 
/**
 * Why starting failed, when it did.
 */
error: string | null, services: Array<SandboxServiceDto>, clusterState: SandboxClusterState, 
/**
 * The local Kubernetes API server's address, when it runs.
 */
clusterServer: string | null, 
/**
 * Its kubeconfig (a cluster-admin token for a throwaway local cluster).
 */
clusterKubeconfig: string | null, 
/**
 * While it starts, that it does; why there is no local cluster, when there is none.
 */
clusterNote: string | null, };

export type SaveValuesFileDto = { "outcome": "saved", path: string, } | { "outcome": "exists", path: string, };

export type SchedulerChangeDto = { field: string, before: unknown, after: unknown, };

export type SchedulerEditorView = { session: ServiceId, backend: BackendName, 
/**
 * `6.0/6.1` or `6.2+`.
 */
dialect: string, fields: Array<SchedulerFieldDto>, 
/**
 * The form showing what the service has now.
 */
form: SchedulerFormDto, 
/**
 * Exactly what was loaded; send it back with `preview_scheduler` and `save_scheduler`.
 */
loaded: LoadedSettings, 
/**
 * The deployment guide's recommended KAI settings for this dialect.
 */
kaiPreset: SchedulerFormDto, revisions: Array<SchedulerRevisionDto>, 
/**
 * Why the history could not be read (the form still works).
 */
revisionsError: string | null, 
/**
 * The kubeconfig context the backend is linked to, if any.
 */
linkedContext: string | null, 
/**
 * For each scheduler type, whether the linked cluster has it (empty without a link).
 */
presence: Array<SchedulerPresenceDto>, 
/**
 * Why the cluster could not be asked, when it could not.
 */
presenceError: string | null, };

export type SchedulerFieldDto = { 
/**
 * The service's field name (also the key of a violation).
 */
name: string, label: string, kind: SchedulerFieldKind, help: string, default: string, };

export type SchedulerFieldKind = { "kind": "choice", values: Array<string>, } | { "kind": "text" } | { "kind": "bool" } | { "kind": "seconds", min: number, };

export type SchedulerFormDto = { schedulerType: string, schedulerName: string, 
/**
 * `null` at 6.2+, where the field does not exist.
 */
coscheduling: boolean | null, 
/**
 * Whole seconds, as typed.
 */
schedulerTimeout: string, };

export type SchedulerPresenceDto = { schedulerType: string, 
/**
 * `present`, `absent` or `unknown`.
 */
state: string, 
/**
 * What was found, looked for, or why it could not be told.
 */
detail: string, };

export type SchedulerPreviewDto = { changes: Array<SchedulerChangeDto>, violations: Array<FieldViolationDto>, 
/**
 * What the service accepts but is unwise (never blocks a save).
 */
warnings: Array<FieldViolationDto>, };

export type SchedulerRevisionDto = { revision: number, username: string, 
/**
 * UTC, RFC 3339.
 */
createdAt: string | null, description: string, form: SchedulerFormDto, latest: boolean, };

export type SchedulerSaveDto = { "outcome": "saved", changes: Array<SchedulerChangeDto>, stored: SchedulerFormDto, } | { "outcome": "nothing_changed" } | { "outcome": "conflict", theirChanges: Array<SchedulerChangeDto>, yourChanges: Array<SchedulerChangeDto>, theirs: SchedulerFormDto, };

export type SecretDto = { namespace: string, name: string, key: string, present: boolean, keyPresent: boolean, nonEmpty: boolean, lastChanged: string | null, };

export type ServiceAccountDto = { id: string, createdBy: string | null, createdAt: string | null, };

export type ServiceAccountsView = { service: ServiceId, 
/**
 * `false` at 6.0/6.1, which have no users (the list is then empty).
 */
hasUsers: boolean, accounts: Array<ServiceAccountDto>, };

export type ServiceId = string;

export type SessionHealthDto = { session: ServiceId, online: number, offline: number, total: number, 
/**
 * When the rows were last fetched; `None` before the first success.
 */
updatedAt: string | null, 
/**
 * The last poll failed: the rows are from `updatedAt`.
 */
stale: boolean, error: string | null, errorCode: ErrorCode | null, consecutiveFailures: number, 
/**
 * Polls finished so far.
 */
polls: number, };

export type SessionRowsDto = { session: ServiceId, 
/**
 * Changes whenever a row does, its last heartbeat left aside.
 */
tag: string, 
/**
 * Changes whenever a row's last heartbeat does.
 */
beats: string, 
/**
 * `None` when the reader already has the rows of this tag (it named it in `known`): most
 * polls change nothing but heartbeats, and 1,000 rows need not cross to the page for that.
 */
rows: Array<BackendRowDto> | null, 
/**
 * Every row's last heartbeat, in the rows' order, when the rows are left out and the reader
 * named other heartbeats than these; `None` otherwise.
 */
heartbeats: Array<string | null> | null, };

export type SessionStatus = { "state": "connecting" } | { "state": "unreachable", code: ErrorCode, message: string, } | { "state": "signed_out" } | { "state": "signed_in", user: string, roles: Array<string>, method: SignInMethodName, since: string, until: string | null, } | { "state": "sign_in_again", reason: string, } | { "state": "keyring_unavailable", message: string, };

export type SessionView = { 
/**
 * What every action and every other screen names the service by (its name).
 */
id: ServiceId, 
/**
 * The name the user gave it, as shown (the same text as `id`).
 */
name: string, url: string, hasCustomCa: boolean, 
/**
 * Registered for this run only: not saved, gone on the next start.
 */
forThisRunOnly: boolean, 
/**
 * The service's version (`6.4.0`), once discovered.
 */
version: string | null, 
/**
 * `6.0/6.1` or `6.2+`: which API generation the app speaks to it.
 */
dialect: string | null, 
/**
 * What decided `dialect`, as a sentence (e.g. "Version 6.0.0 reported, but POST
 * /api/auth/jwt/access_token answered 400 …: 6.2+ dialect."), once discovered.
 */
dialectEvidence: string | null, 
/**
 * The sign-in methods the service offers, once discovered.
 */
methods: SignInMethods | null, status: SessionStatus, 
/**
 * Whether the session's secrets are kept in the system keyring.
 */
keyring: KeyringNote, 
/**
 * A device-code sign-in waiting for the user to confirm in the browser.
 */
deviceCode: DeviceCodePrompt | null, 
/**
 * Why the last device-code sign-in ended without signing in.
 */
deviceCodeError: string | null, };

export type SessionsView = { sessions: Array<SessionView>, cliLogin: CliLoginOffer | null, 
/**
 * Why the CLI's login file could not be read, when it exists but is unusable.
 */
cliLoginError: string | null, };

export type SetAsideDto = { 
/**
 * Where the file is now (kept, never deleted).
 */
file: string, 
/**
 * Why it could not be read.
 */
reason: string, 
/**
 * It blocks a new rotation of its backend until resolved (false when its backend cannot be
 * told: it is listed by file only).
 */
blocks: boolean, };

export type SettingsDto = { theme: ThemePreference, dashboardRefreshSecs: number, 
/**
 * Days left at or below which a token is "expires soon" (1..=90). A form that does not
 * send it keeps the default.
 */
tokenWarningDays: number, };

export type SettingsView = { settings: SettingsDto, notice: string | null, 
/**
 * Services left out of the settings file whose saved sign-ins may still be in the OS
 * keyring: offered for removal until removed or kept.
 */
leftOutSecrets: Array<LeftOutSecrets>, };

export type SetupDefaultsDto = { plan: SetupPlanDto, 
/**
 * `6.0/6.1` or `6.2+`.
 */
dialect: string, schedulerFields: Array<SchedulerFieldDto>, 
/**
 * The deployment guide's KAI settings (what `scheduler: null` applies).
 */
kaiPreset: SchedulerFormDto, };

export type SetupFieldErrorDto = { field: string, message: string, };

export type SetupLogDto = { backend: BackendRef, step: SetupStepDto, stream: SetupLogStreamDto, text: string, };

export type SetupLogStreamDto = "info" | "command" | "stdout" | "stderr";

export type SetupOutcomeDto = { "outcome": "done", what: string, warning: string | null, } | { "outcome": "already_done", what: string, warning: string | null, } | { "outcome": "needs_confirmation", whatWillChange: string, } | { "outcome": "helm_missing", helmPath: string, reason: string, valuesFile: string, commands: Array<string>, } | { "outcome": "not_online", waitedSeconds: number, diagnosis: DiagnosisDto, } | { "outcome": "failed", error: IpcError, };

export type SetupPlanDto = { 
/**
 * The chart's `backendName`.
 */
backendName: string, operatorNamespace: string, workflowNamespace: string, secretName: string, secretKey: string, 
/**
 * Step 1's new token: name, 6.2+ owner (service account), expiry `YYYY-MM-DD`.
 */
tokenName: string, tokenOwner: string | null, tokenExpiresAt: string, imageTag: string, 
/**
 * Empty: none.
 */
imagePullSecret: string, serviceUrl: string, listener: ResourcesDto, worker: ResourcesDto, 
/**
 * A path, or `helm` for the one on PATH.
 */
helmPath: string, chartVersion: string, chartRepoUrl: string, 
/**
 * The helm release name.
 */
release: string, 
/**
 * How long step 5 waits for the backend to report online.
 */
onlineTimeoutSecs: number, 
/**
 * Step 4's scheduler settings; `null`: the guide's KAI preset of the service's dialect.
 */
scheduler: SchedulerFormDto | null, 
/**
 * Recorded with step 4's change in the backend's config history.
 */
schedulerDescription: string, };

export type SetupProgressDto = { plan: SetupPlanDto, 
/**
 * The session and context of the last run (`null` in files of earlier versions).
 */
session: string | null, context: string | null, finished: Array<FinishedStepDto>, 
/**
 * The first step not finished (`null`: all five are).
 */
nextStep: SetupStepDto | null, updatedAt: string, 
/**
 * The saved progress could not be read, so it was set aside (kept): show this notice. It is
 * set only when nothing was saved since. Nothing of that earlier run is known then:
 * `finished` is empty, `nextStep` is the first step, `plan` is the form's defaults,
 * `session`/`context` are `null` and `updatedAt` is when it was set aside; each step's check
 * still shows what is there.
 */
setAside: ProgressSetAsideDto | null, };

export type SetupStepDto = "token" | "cluster" | "operator" | "scheduler" | "online";

export type SetupStepFinishedDto = { backend: BackendRef, step: SetupStepDto, result: SetupOutcomeDto, };

export type SetupStepStatusDto = "done" | "not_done" | "partial" | "unknown";

export type SetupStepView = { step: SetupStepDto, number: number, title: string, status: SetupStepStatusDto, 
/**
 * What is already there.
 */
done: string | null, 
/**
 * What running it will do.
 */
whatItWillDo: string | null, error: string | null, 
/**
 * The commands an admin would type to do the same (secrets as `<redacted>`).
 */
commands: Array<string>, 
/**
 * When an earlier run finished it (UTC, RFC 3339), from the saved progress.
 */
finishedAt: string | null, };

export type SignInMethodName = "access_token" | "device_code" | "development";

export type SignInMethods = { 
/**
 * OSMO access tokens: every service with authentication accepts them (always offered).
 */
accessToken: boolean, deviceCode: boolean, 
/**
 * No identity provider configured: probably a development service, where `x-osmo-user`
 * names the user (a gateway in front may still require a token; signing in checks).
 */
development: boolean, };

export type StepDto = "create_token" | "write_secret" | "restart_operator" | "wait_for_heartbeat" | "delete_old_token" | "restore_secret" | "restart_again" | "delete_new_token";

export type StepStateDto = "pending" | "running" | "done" | "skipped" | "failed" | "interrupted";

export type StepView = { step: StepDto, title: string, state: StepStateDto, message: string | null, };

export type ThemePreference = "system" | "light" | "dark";

export type TokenFieldDto = "owner" | "name" | "expiresAt" | "roles";

export type TokenFieldErrorDto = { field: TokenFieldDto, message: string, };

export type TokenKindDto = "service" | "service_account" | "own";

export type TokenNeedingRotationDto = { session: ServiceId, owner: string, name: string, usedBy: Array<BackendName>, badge: BadgeDto, words: string, expiresOn: string, };

export type TokenRowDto = { owner: string, name: string, kind: TokenKindDto, roles: Array<string>, description: string, 
/**
 * `YYYY-MM-DD`, UTC: the service refuses the token from this date on.
 */
expiresOn: string, daysLeft: number, badge: BadgeDto, 
/**
 * "expires in 5 days", "expired 3 days ago".
 */
words: string, 
/**
 * Backends known to use it (a linked context's secret names it, or it carries a name this app
 * gives a backend's token: `<backend>`, `<backend>-token`, `<backend>-operator-token`).
 */
usedBy: Array<string>, };

export type TokensNeedingRotationView = { count: number, tokens: Array<TokenNeedingRotationDto>, 
/**
 * Sessions whose tokens could not be listed, in words.
 */
errors: Array<string>, };

export type TokensView = { session: ServiceId, 
/**
 * `6.0/6.1` or `6.2+`.
 */
dialect: string, rows: Array<TokenRowDto>, 
/**
 * The "expires soon" threshold in days (settings).
 */
warningDays: number, 
/**
 * Today's UTC date, `YYYY-MM-DD`.
 */
today: string, 
/**
 * Why some "used by" could not be told (a linked cluster unreachable, ...).
 */
useNotes: Array<string>, 
/**
 * The backends of this session (for the Rotate form).
 */
backends: Array<BackendName>, };

export type UptimeDto = { 
/**
 * When the app first watched it within the 7 days kept; `None`: not yet.
 */
observedSince: string | null, 
/**
 * How long it has watched it within the 7 days kept (pauses left out), in seconds.
 */
observedSecs: number, 
/**
 * Fraction 0..1 of the watched part of the last 24 hours online; `None` when none of it was
 * watched.
 */
lastDay: number | null, 
/**
 * The same over the 7 days kept.
 */
lastWeek: number | null, 
/**
 * The timeline's start: 1 hour, 24 hours or 7 days ago, the shortest that shows all the
 * watched time.
 */
since: string, 
/**
 * From `since` to `now`, oldest first.
 */
segments: Array<UptimeSegmentDto>, now: string, error: string | null, };

export type UptimeSegmentDto = { from: string, to: string, 
/**
 * `None`: unknown (the app was not watching: not running, or not polling the service).
 */
online: boolean | null, };

export type VerdictDto = "pass" | "fail" | "warn" | "skipped";

/** Every command, with its arguments and its result. Failures reject with an `IpcError`. */
export type Commands = {
  about: { args: Record<string, never>; result: AboutInfo };
  get_settings: { args: Record<string, never>; result: SettingsView };
  update_settings: { args: { settings: SettingsDto }; result: SettingsView };
  dismiss_settings_notice: { args: Record<string, never>; result: SettingsView };
  settle_left_out_secrets: { args: { ids: Array<string>; remove: boolean }; result: LeftOutSecretsOutcome };
  sandbox_status: { args: Record<string, never>; result: SandboxView };
  start_sandbox: { args: Record<string, never>; result: SandboxView };
  stop_sandbox: { args: Record<string, never>; result: SandboxView };
  list_contexts: { args: Record<string, never>; result: ContextsView };
  test_context: { args: { name: string; operatorNamespace?: string | null }; result: ContextTestDto };
  add_kubeconfig_file: { args: { path: string }; result: ContextsView };
  remove_kubeconfig_file: { args: { path: string }; result: ContextsView };
  link_backend: { args: { backend: BackendRef; context: string; operatorNamespace?: string | null }; result: ContextsView };
  unlink_backend: { args: { backend: BackendRef }; result: ContextsView };
  set_current_context: { args: { name: string }; result: CurrentContextSet };
  list_sessions: { args: Record<string, never>; result: SessionsView };
  add_service: { args: { name: string; url: string; customCaPem?: string | null; operation?: RequestId | null }; result: ServiceId };
  sign_in_with_token: { args: { service: ServiceId; token: string; operation?: RequestId | null }; result: null };
  sign_in_development: { args: { service: ServiceId; user: string; operation?: RequestId | null }; result: null };
  start_device_code: { args: { service: ServiceId; operation?: RequestId | null }; result: DeviceCodePrompt };
  cancel_device_code: { args: { service: ServiceId }; result: null };
  sign_out: { args: { service: ServiceId; keepListed: boolean }; result: null };
  retry_service: { args: { service: ServiceId; operation?: RequestId | null }; result: null };
  import_cli_login: { args: { name: string; operation?: RequestId | null }; result: ServiceId };
  cancel_operation: { args: { operation: OperationId }; result: boolean };
  open_in_browser: { args: { url: string }; result: null };
  load_scheduler: { args: { backend: BackendRef; operation?: RequestId | null }; result: SchedulerEditorView };
  preview_scheduler: { args: { backend: BackendRef; loaded: LoadedSettings; form: SchedulerFormDto }; result: SchedulerPreviewDto };
  save_scheduler: { args: { backend: BackendRef; loaded: LoadedSettings; form: SchedulerFormDto; description: string; operation?: RequestId | null }; result: SchedulerSaveDto };
  dashboard_snapshot: { args: { known?: Array<KnownRows> | null }; result: DashboardView };
  refresh_dashboard: { args: Record<string, never>; result: null };
  backend_detail: { args: { backend: BackendRef }; result: BackendDetailDto };
  diagnose_backend: { args: { backend: BackendRef }; result: DiagnosisDto };
  set_backend_notifications: { args: { backend: BackendRef; on: boolean }; result: boolean };
  backend_deletion_plan: { args: { backend: BackendRef; operation?: RequestId | null }; result: DeletionPlanDto };
  delete_backend: { args: { backend: BackendRef; choices: DeletionChoicesDto; operation?: RequestId | null }; result: DeletionDto };
  list_pools: { args: { service: ServiceId; operation?: RequestId | null }; result: PoolsView };
  create_pool: { args: { backend: BackendRef; pool: string; description: string; operation?: RequestId | null }; result: PoolWriteDto };
  switch_pool: { args: { backend: BackendRef; pool: string; operation?: RequestId | null }; result: PoolWriteDto };
  delete_pool: { args: { service: ServiceId; pool: string; operation?: RequestId | null }; result: PoolWriteDto };
  config_history: { args: { service: ServiceId; kind: ConfigKindDto; operation?: RequestId | null }; result: ConfigHistoryView };
  config_diff: { args: { service: ServiceId; kind: ConfigKindDto; first: number; second: number; operation?: RequestId | null }; result: ConfigDiffDto };
  tag_revision: { args: { service: ServiceId; kind: ConfigKindDto; revision: number; set: Array<string>; remove: Array<string>; operation?: RequestId | null }; result: ConfigHistoryView };
  rollback_preview: { args: { service: ServiceId; kind: ConfigKindDto; revision: number; operation?: RequestId | null }; result: RollbackPreviewDto };
  roll_back_config: { args: { service: ServiceId; confirmed: RollbackPreviewDto; description: string; operation?: RequestId | null }; result: ConfigHistoryView };
  list_tokens: { args: { service: ServiceId; operation?: RequestId | null }; result: TokensView };
  create_token: { args: { service: ServiceId; form: NewTokenDto; operation?: RequestId | null }; result: CreateTokenDto };
  delete_token: { args: { service: ServiceId; owner: string; name: string; kind: TokenKindDto; operation?: RequestId | null }; result: boolean };
  list_service_accounts: { args: { service: ServiceId; operation?: RequestId | null }; result: ServiceAccountsView };
  add_user_roles: { args: { service: ServiceId; user: string; roles: Array<string>; operation?: RequestId | null }; result: Array<string> };
  delete_service_account: { args: { service: ServiceId; user: string; operation?: RequestId | null }; result: boolean };
  tokens_needing_rotation: { args: Record<string, never>; result: TokensNeedingRotationView };
  start_rotation: { args: { request: RotationRequestDto }; result: RotationView };
  list_rotations: { args: Record<string, never>; result: Array<RotationView> };
  rotation_status: { args: { id: string }; result: RotationView };
  check_rotations: { args: Record<string, never>; result: Array<RotationView> };
  resolve_rotation: { args: { id: string }; result: Array<RotationView> };
  retry_rotation: { args: { id: string; service?: ServiceId | null; context?: string | null }; result: RotationView };
  roll_back_rotation: { args: { id: string; service?: ServiceId | null; context?: string | null }; result: RotationView };
  setup_defaults: { args: { service: ServiceId; backend: string; context?: string | null }; result: SetupDefaultsDto };
  check_setup: { args: { plan: SetupPlanDto; service: ServiceId; context: string; operation?: RequestId | null }; result: CheckSetupDto };
  run_setup_step: { args: { plan: SetupPlanDto; service: ServiceId; context: string; step: SetupStepDto; confirmation?: string | null }; result: RunSetupStepDto };
  save_values_file: { args: { service: ServiceId; plan: SetupPlanDto; path?: string | null; replace: boolean }; result: SaveValuesFileDto };
  setup_progress: { args: { backend: BackendRef }; result: SetupProgressDto | null };
};

/** Every event the core sends, with its payload. */
export type Events = {
  "kubeconfig-changed": Changed;
  "sessions-changed": Changed;
  "health-updated": HealthUpdated;
  "backend-status-changed": BackendStatusChanged;
  "rotation-progress": RotationProgress;
  "rotations-changed": RotationsChanged;
  "tokens-needing-rotation": TokensNeedingRotationView;
  "setup-log": SetupLogDto;
  "setup-step-finished": SetupStepFinishedDto;
};

export const ERROR_CODES: readonly ErrorCode[] = ["invalid_input", "io", "kubeconfig_invalid", "not_found", "unreachable", "tls_failed", "timeout", "cancelled", "unauthorized", "forbidden", "session_expired", "credential_plugin_failed", "credential_plugin_not_started", "conflict", "not_ready", "rejected", "server_error", "keyring_unavailable", "internal"];

// The Setup screen: choose the session, context, backend name and namespaces; fill in the values
// form; check (the context's permission checklist and what each of the five steps finds); then
// run the steps one by one with a live log. A step that would overwrite something asks first,
// naming the change; without helm the values file and the exact commands are offered; a backend
// that does not come online shows the "why offline?" checks. An earlier run can be resumed.
import { useState, type ReactNode } from 'react';
import { When } from '../../app/time';
import type {
  BackendRef,
  CheckSetupDto,
  PreflightDto,
  SetupDefaultsDto,
  SetupOutcomeDto,
  SetupPlanDto,
  SetupProgressDto,
  SetupStepDto,
  SetupStepView,
} from '../../ipc/bindings.gen';
import { call, toIpcError, type IpcError } from '../../ipc/client';
import { ErrorMessage } from '../../app/ErrorMessage';
import { CommandList } from '../../app/CommandList';
import { BackendPools } from '../pools/BackendPools';
import { Modal } from '../../app/Modal';
import { useContexts } from '../contexts/useContexts';
import { useSessions } from '../sessions/useSessions';
import { SchedulerFields } from '../scheduler/SchedulerFields';
import { useSetupEvents } from './useSetup';
import './setup.css';

type Checked = Extract<CheckSetupDto, { outcome: 'checked' }>;
type FieldErrors = Record<string, string>;

interface LogLine {
  stream: string;
  text: string;
}

/** What a step that did its part still needs from the user, if anything. */
function warningOf(outcome: SetupOutcomeDto | undefined): string | null {
  return outcome && (outcome.outcome === 'done' || outcome.outcome === 'already_done') ? outcome.warning : null;
}

/** The five steps in the order they run. */
const STEP_ORDER: SetupStepDto[] = ['token', 'cluster', 'operator', 'scheduler', 'online'];

const STATUS_WORDS: Record<SetupStepView['status'], string> = {
  done: 'Done',
  not_done: 'Not done',
  partial: 'Partly done',
  unknown: 'Could not check',
};

export function SetupPanel({ onOpenDashboard }: { onOpenDashboard: () => void }) {
  const sessions = useSessions();
  const contexts = useContexts();
  const signedIn = (sessions.data?.sessions ?? []).filter((s) => s.status.state === 'signed_in').map((s) => s.name);
  const contextNames = (contexts.data?.contexts ?? []).map((c) => c.name);
  const [pickedSession, setSession] = useState<string | null>(null);
  const [pickedContext, setContext] = useState<string | null>(null);
  const session = pickedSession && signedIn.includes(pickedSession) ? pickedSession : (signedIn[0] ?? null);
  const context =
    pickedContext && contextNames.includes(pickedContext)
      ? pickedContext
      : (contexts.data?.currentContext ?? contextNames[0] ?? null);
  const [backend, setBackend] = useState('');
  // The core's refusal of the typed backend name (its rule), shown at the name field.
  const [nameError, setNameError] = useState<string | null>(null);
  const [plan, setPlan] = useState<SetupPlanDto | null>(null);
  const [schema, setSchema] = useState<Omit<SetupDefaultsDto, 'plan'> | null>(null);
  // The saved plan restored by "Fill in the form", and whether its session or context is gone.
  const [restored, setRestored] = useState<{ progress: SetupProgressDto; sessionGone: boolean; contextGone: boolean } | null>(null);
  const [progressNotice, setProgressNotice] = useState<string | null>(null);
  // The plan as last checked: editing it afterwards makes the step cards stale.
  const [checkedPlan, setCheckedPlan] = useState<string | null>(null);
  // "Run all": the steps still to run, in order, until one needs the user.
  const [runAll, setRunAll] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [checked, setChecked] = useState<Checked | null>(null);
  const [failure, setFailure] = useState<IpcError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [running, setRunning] = useState<SetupStepDto | null>(null);
  const [logs, setLogs] = useState<Partial<Record<SetupStepDto, LogLine[]>>>({});
  const [outcomes, setOutcomes] = useState<Partial<Record<SetupStepDto, SetupOutcomeDto>>>({});
  const [confirming, setConfirming] = useState<{ step: SetupStepDto; what: string } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [replacing, setReplacing] = useState<string | null>(null);

  // The backend being set up: its step runs, log lines and Stop are that backend's.
  const target: BackendRef | null = plan && session ? { service: session, backend: plan.backendName } : null;
  const stale = checked !== null && plan !== null && checkedPlan !== JSON.stringify(plan);
  const online = checked?.steps.some((s) => s.step === 'online' && s.status === 'done') ?? false;
  // The first step the check found not done (what "Run all" runs next).
  const nextToRun = checked?.steps.find((s) => s.status !== 'done')?.step ?? null;
  const isTarget = (other: BackendRef) =>
    target !== null && other.service === target.service && other.backend === target.backend;

  async function check(current: SetupPlanDto | null = plan, where = { session, context }) {
    if (!current || !where.session || !where.context) return;
    setBusy('check');
    setFailure(null);
    try {
      const answer = await call('check_setup', { plan: current, service: where.session, context: where.context });
      if (answer.outcome === 'invalid') {
        setErrors(Object.fromEntries(answer.errors.map((e) => [e.field, e.message])));
        setChecked(null);
      } else {
        setErrors({});
        setChecked(answer);
        setCheckedPlan(JSON.stringify(current));
      }
    } catch (e) {
      setFailure(toIpcError(e));
    } finally {
      setBusy(null);
    }
  }


  async function start() {
    if (!session) return;
    setBusy('start');
    setFailure(null);
    setNameError(null);
    try {
      const [defaults, saved] = await Promise.all([
        call('setup_defaults', { service: session, backend: backend.trim(), context: context || null }),
        call('setup_progress', { backend: { service: session, backend: backend.trim() } }),
      ]);
      const { plan: fresh, ...scheduler } = defaults;
      setSchema(scheduler);
      setChecked(null);
      setCheckedPlan(null);
      setErrors({});
      setOutcomes({});
      setLogs({});
      // An unreadable progress file was set aside: said once, above the form.
      setProgressNotice(saved?.setAside?.message ?? null);
      if (saved && saved.finished.length > 0) {
        restore(saved);
      } else {
        setRestored(null);
        setPlan(fresh);
      }
    } catch (e) {
      refused(e);
    } finally {
      setBusy(null);
    }
  }

  /** A refusal of setup_defaults: a backend name breaking the rule is shown at the name field
   * (nothing is filled in); anything else above the form. */
  function refused(e: unknown) {
    const error = toIpcError(e);
    if (error.code === 'invalid_input') {
      setNameError(error.message);
    } else {
      setFailure(error);
    }
  }

  /** Restores the saved plan itself, picks the session and context of the last run when they are
   * still there (and says so when they are not), and checks what each step finds. */
  function restore(saved: SetupProgressDto) {
    const sessionGone = saved.session !== null && !signedIn.includes(saved.session);
    const contextGone = saved.context !== null && !contextNames.includes(saved.context);
    const where = {
      session: saved.session && !sessionGone ? saved.session : session,
      context: saved.context && !contextGone ? saved.context : context,
    };
    setSession(where.session);
    setContext(where.context);
    setPlan(saved.plan);
    setRestored({ progress: saved, sessionGone, contextGone });
    if (!sessionGone && !contextGone) void check(saved.plan, where);
  }

  /** Drops the restored plan for the defaults (the saved progress stays until a step is run). */
  async function startOver() {
    if (!session) return;
    try {
      const defaults = await call('setup_defaults', { service: session, backend: backend.trim(), context: context || null });
      setPlan(defaults.plan);
      setRestored(null);
      setChecked(null);
      setCheckedPlan(null);
    } catch (e) {
      refused(e);
    }
  }

  async function run(step: SetupStepDto, confirmation: string | null = null) {
    if (!plan || !session || !context) return;
    setFailure(null);
    setLogs((all) => ({ ...all, [step]: [] }));
    setOutcomes((all) => ({ ...all, [step]: undefined }));
    // Running from now on, not from the core's answer: a quick step's end can arrive before it.
    setRunning(step);
    try {
      const answer = await call('run_setup_step', { plan, service: session, context, step, confirmation });
      if (answer.outcome === 'invalid') {
        setRunning(null);
        setErrors(Object.fromEntries(answer.errors.map((e) => [e.field, e.message])));
      }
    } catch (e) {
      setRunning(null);
      setFailure(toIpcError(e));
    }
  }

  useSetupEvents(
    (line) => {
      if (!isTarget(line.backend)) return;
      setLogs((all) => ({ ...all, [line.step]: [...(all[line.step] ?? []), { stream: line.stream, text: line.text }] }));
    },
    (end) => {
      if (!isTarget(end.backend)) return;
      setRunning(null);
      setOutcomes((all) => ({ ...all, [end.step]: end.result }));
      if (end.result.outcome === 'needs_confirmation') {
        setConfirming({ step: end.step, what: end.result.whatWillChange });
      }
      const next = STEP_ORDER[STEP_ORDER.indexOf(end.step) + 1];
      const clean = (end.result.outcome === 'done' || end.result.outcome === 'already_done') && !warningOf(end.result);
      const carryOn = runAll && clean && next;
      if (carryOn) {
        void run(next);
      } else {
        setRunAll(false);
      }
      void check();
    },
  );

  /** Saves the values file; a file already there is replaced only after the user confirms. */
  async function saveValues(path: string | null, replace = false) {
    if (!plan || !session) return;
    try {
      const answer = await call('save_values_file', { service: session, plan, path, replace });
      if (answer.outcome === 'exists') {
        setReplacing(answer.path);
      } else {
        setSaved(answer.path);
      }
    } catch (e) {
      setFailure(toIpcError(e));
    }
  }

  const update = (patch: Partial<SetupPlanDto>) => setPlan((p) => (p ? { ...p, ...patch } : p));

  return (
    <section className="panel setup-panel" aria-labelledby="setup-choose-heading">
      <h2 id="setup-choose-heading">New backend</h2>
      <div className="setup-choose">
        <label>
          OSMO session
          <select value={session ?? ''} onChange={(e) => setSession(e.target.value)}>
            {signedIn.length === 0 ? <option value="">No signed-in session</option> : null}
            {signedIn.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Kubernetes context
          <select value={context ?? ''} onChange={(e) => setContext(e.target.value)}>
            {contextNames.length === 0 ? <option value="">No context</option> : null}
            {contextNames.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <label>
          Backend name
          <input
            value={backend}
            aria-invalid={nameError ? true : undefined}
            aria-describedby={nameError ? 'setup-backend-error' : undefined}
            onChange={(e) => {
              setBackend(e.target.value);
              setNameError(null);
            }}
            placeholder="gpu-east"
          />
        </label>
        <button type="button" disabled={!session || !backend.trim() || busy !== null} onClick={() => void start()}>
          Fill in the form
        </button>
        {nameError ? (
          <p id="setup-backend-error" className="field-error setup-name-error" role="alert">
            {nameError}
          </p>
        ) : null}
      </div>
      {failure ? <ErrorMessage error={failure} /> : null}
      {progressNotice ? (
        <p className="warning setup-progress-notice" role="status">
          {progressNotice}
        </p>
      ) : null}
      {restored ? (
        <div className="setup-resume" role="status">
          <p>
            Restored the plan of an earlier setup of {restored.progress.plan.backendName}: {restored.progress.finished.length} of
            5 steps done (last change <When iso={restored.progress.updatedAt} />)
            {restored.progress.nextStep ? `; next: ${restored.progress.nextStep}` : ''}.
          </p>
          {restored.sessionGone ? (
            <p className="warning">
              Its OSMO session {restored.progress.session} is not signed in now: sign in to it on Connections, or choose
              another session above and check.
            </p>
          ) : null}
          {restored.contextGone ? (
            <p className="warning">
              Its Kubernetes context {restored.progress.context} no longer exists in your kubeconfig files: choose the
              cluster's context above, then check.
            </p>
          ) : null}
          <button type="button" onClick={() => void startOver()}>
            Start over with the defaults
          </button>
        </div>
      ) : null}
      {plan ? (
        <PlanForm plan={plan} schema={schema} errors={errors} update={update} />
      ) : null}
      {plan ? (
        <div className="setup-actions">
          <button type="button" disabled={!context || busy !== null} onClick={() => void check()}>
            {busy === 'check' ? 'Checking…' : 'Test and check'}
          </button>
          {checked && !stale ? (
            <button
              type="button"
              disabled={running !== null || runAll || nextToRun === null}
              title="Runs the steps not done yet, in order, and stops at the first that needs you"
              onClick={() => {
                if (!nextToRun) return;
                setRunAll(true);
                void run(nextToRun);
              }}
            >
              {runAll ? 'Running all…' : 'Run all remaining steps'}
            </button>
          ) : null}
          <button type="button" onClick={() => void saveValues(null)}>
            Save values file
          </button>
          {saved ? <span role="status">Saved {saved}</span> : null}
        </div>
      ) : null}
      {Object.keys(errors).length > 0 ? (
        <div role="alert" className="error setup-errors">
          <strong>Check your input</strong>
          <ul>
            {Object.entries(errors).map(([field, message]) => (
              <li key={field} data-field={field}>
                {field}: {message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {checked && stale ? (
        <p className="warning setup-stale" role="status">
          You changed the plan since the check: the steps below describe the old plan. Test and check again before running
          a step.
        </p>
      ) : null}
      {checked ? <Preflight preflight={checked.preflight} /> : null}
      {checked ? (
        <ol className={stale ? 'setup-steps stale' : 'setup-steps'}>
          {checked.steps.map((s) => (
            <StepItem
              key={s.step}
              view={s}
              running={running === s.step || checked.running === s.step}
              anyRunning={running !== null || stale}
              log={logs[s.step] ?? []}
              outcome={outcomes[s.step]}
              onRun={() => void run(s.step)}
              onStop={() => {
                if (target) void call('cancel_operation', { operation: { kind: 'setup', backend: target } });
              }}
              onSaveValues={(path) => void saveValues(path)}
            />
          ))}
        </ol>
      ) : null}
      {/* The summary ends the wizard: not while Run all or a step is still going. */}
      {target && online && !runAll && running === null ? (
        <section className="setup-summary" aria-label="Summary" role="status">
          <h3>
            {target.backend} is online on {target.service}
          </h3>
          <ul>
            {checked?.steps.map((s) => (
              <li key={s.step}>
                {s.number}. {s.title}: {STATUS_WORDS[s.status].toLowerCase()}
                {warningOf(outcomes[s.step]) ? ' (with a warning)' : ''}
              </li>
            ))}
          </ul>
          <button type="button" onClick={onOpenDashboard}>
            Open the dashboard
          </button>
        </section>
      ) : null}
      {target && online ? (
        <section className="setup-pool" aria-label="Pool">
          <h3>Last step (optional): put {target.backend} in a pool</h3>
          <p className="muted">
            Workflows are submitted to pools, and a backend in no pool runs none. Create a pool for {target.backend}, or
            switch an existing pool to it.
          </p>
          <BackendPools backend={target} />
        </section>
      ) : null}
      <Modal open={confirming !== null} onClose={() => setConfirming(null)} label="Confirm the change">
        {confirming ? (
          <div className="setup-confirm">
            <h2>Confirm the change</h2>
            <p>This step will change something that is already there:</p>
            <p className="setup-change">{confirming.what}</p>
            <div className="setup-actions">
              <button
                type="button"
                data-autofocus
                onClick={() => {
                  const { step, what } = confirming;
                  setConfirming(null);
                  void run(step, what);
                }}
              >
                Change it
              </button>
              <button type="button" onClick={() => setConfirming(null)}>
                Cancel
              </button>
            </div>
          </div>
        ) : null}
      </Modal>
      <Modal open={replacing !== null} onClose={() => setReplacing(null)} label="Replace the file">
        {replacing ? (
          <div className="setup-confirm">
            <h2>Replace the file?</h2>
            <p>A file is already there:</p>
            <p className="setup-change">{replacing}</p>
            <div className="setup-actions">
              <button
                type="button"
                onClick={() => {
                  const path = replacing;
                  setReplacing(null);
                  void saveValues(path, true);
                }}
              >
                Replace it
              </button>
              <button type="button" data-autofocus onClick={() => setReplacing(null)}>
                Cancel
              </button>
            </div>
          </div>
        ) : null}
      </Modal>
    </section>
  );
}

function Field({
  id,
  label,
  value,
  errors,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  errors: FieldErrors;
  onChange: (value: string) => void;
}) {
  const error = errors[id];
  const inputId = `setup-${id.replace('.', '-')}`;
  return (
    <label className="setup-field">
      {label}
      <input
        id={inputId}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${inputId}-error` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {error ? (
        <span id={`${inputId}-error`} className="field-error">
          {error}
        </span>
      ) : null}
    </label>
  );
}

/** The form's field names (`scheduler.schedulerTimeout`) as the service's (`scheduler_timeout`). */
function schedulerViolations(errors: FieldErrors) {
  return Object.entries(errors)
    .filter(([field]) => field.startsWith('scheduler.'))
    .map(([field, message]) => ({
      field: field.slice('scheduler.'.length).replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
      message,
    }));
}

/** Step 4's scheduler settings: the scheduler editor's fields, the guide's KAI preset by default. */
function SchedulerStepFields({
  plan,
  schema,
  errors,
  update,
}: {
  plan: SetupPlanDto;
  schema: Omit<SetupDefaultsDto, 'plan'>;
  errors: FieldErrors;
  update: (patch: Partial<SetupPlanDto>) => void;
}) {
  const form = plan.scheduler ?? schema.kaiPreset;
  return (
    <fieldset className="setup-scheduler" aria-label="Scheduler settings (step 4)">
      <legend>Scheduler settings (step 4, OSMO {schema.dialect})</legend>
      <SchedulerFields
        fields={schema.schedulerFields}
        form={form}
        onChange={(scheduler) => update({ scheduler })}
        violations={schedulerViolations(errors)}
        // Setup's check reports refusals only; the scheduler editor shows the warnings.
        warnings={[]}
        presence={[]}
      />
      <button type="button" onClick={() => update({ scheduler: { ...schema.kaiPreset } })}>
        Use the guide’s KAI settings
      </button>
      <Field
        id="schedulerDescription"
        label="Description for the config history"
        value={plan.schedulerDescription}
        errors={errors}
        onChange={(v) => update({ schedulerDescription: v })}
      />
      <p className="setup-note">“Test and check” says whether the cluster has this scheduler.</p>
    </fieldset>
  );
}

function PlanForm({
  plan,
  schema,
  errors,
  update,
}: {
  plan: SetupPlanDto;
  schema: Omit<SetupDefaultsDto, 'plan'> | null;
  errors: FieldErrors;
  update: (patch: Partial<SetupPlanDto>) => void;
}) {
  const text = (id: keyof SetupPlanDto, label: string) => (
    <Field id={id} label={label} value={String(plan[id] ?? '')} errors={errors} onChange={(v) => update({ [id]: v })} />
  );
  const resources = (which: 'listener' | 'worker', label: string) => (
    <fieldset>
      <legend>{label}</legend>
      {(['cpuRequest', 'memoryRequest', 'memoryLimit'] as const).map((key) => (
        <Field
          key={key}
          id={`${which}.${key}`}
          label={`${label} ${key === 'cpuRequest' ? 'CPU request' : key === 'memoryRequest' ? 'memory request' : 'memory limit'}`}
          value={plan[which][key]}
          errors={errors}
          onChange={(v) => update({ [which]: { ...plan[which], [key]: v } })}
        />
      ))}
    </fieldset>
  );
  return (
    <form className="setup-form" onSubmit={(e) => e.preventDefault()}>
      <fieldset>
        <legend>Backend and namespaces</legend>
        {text('backendName', 'Backend name (backendName)')}
        {text('operatorNamespace', 'Operator namespace')}
        {text('workflowNamespace', 'Workflow namespace')}
        {text('secretName', 'Token secret')}
        {text('tokenName', 'New token name')}
        {text('tokenExpiresAt', 'Token expires on (UTC, YYYY-MM-DD)')}
      </fieldset>
      <fieldset>
        <legend>Values</legend>
        {text('imageTag', 'Image tag')}
        {text('imagePullSecret', 'Image pull secret')}
        {text('serviceUrl', 'Service URL')}
        {text('helmPath', 'helm path')}
        {text('chartVersion', 'Chart version')}
        <Field
          id="onlineTimeoutSecs"
          label="Wait for online (seconds, step 5)"
          value={String(plan.onlineTimeoutSecs)}
          errors={errors}
          onChange={(v) => {
            // Digits only: anything else reads as 0, which the check refuses with the rule.
            const seconds = /^\d+$/.test(v.trim()) ? Number(v.trim()) : 0;
            update({ onlineTimeoutSecs: seconds });
          }}
        />
      </fieldset>
      {resources('listener', 'Listener')}
      {resources('worker', 'Worker')}
      {schema ? <SchedulerStepFields plan={plan} schema={schema} errors={errors} update={update} /> : null}
    </form>
  );
}

function Preflight({ preflight }: { preflight: PreflightDto }) {
  return (
    <div className="setup-preflight" aria-label="Permissions">
      <h3>{preflight.ready ? 'The context may do what setup needs' : 'The context lacks permissions setup needs'}</h3>
      {preflight.missing.length > 0 ? (
        <ul className="setup-missing" role="alert">
          {preflight.missing.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      ) : null}
      {preflight.warnings.map((w) => (
        <p key={w} className="setup-warning">
          {w}
        </p>
      ))}
      <details>
        <summary>Permission checklist ({preflight.checks.filter((c) => c.allowed).length} of {preflight.checks.length} allowed)</summary>
        <ul>
          {preflight.checks.map((c) => (
            <li key={`${c.verb} ${c.resource} ${c.namespace ?? ''}`} data-allowed={c.allowed}>
              {c.allowed ? '✓' : '✗'} {c.verb} {c.resource}
              {c.namespace ? ` in ${c.namespace}` : ''} ({c.neededFor})
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}

function StepItem({
  view,
  running,
  anyRunning,
  log,
  outcome,
  onRun,
  onStop,
  onSaveValues,
}: {
  view: SetupStepView;
  running: boolean;
  anyRunning: boolean;
  log: LogLine[];
  outcome: SetupOutcomeDto | undefined;
  onRun: () => void;
  onStop: () => void;
  onSaveValues: (path: string) => void;
}) {
  return (
    <li className="setup-step" data-step={view.step} data-status={view.status}>
      <h3>
        {view.number}. {view.title} <span className={`setup-status setup-status-${view.status}`}>{STATUS_WORDS[view.status]}</span>
      </h3>
      {view.done ? <p className="setup-done">{view.done}</p> : null}
      {view.whatItWillDo ? <p className="setup-will">What it will do: {view.whatItWillDo}</p> : null}
      {view.error ? <p className="setup-check-error">{view.error}</p> : null}
      <details>
        <summary>Equivalent commands</summary>
        <CommandList commands={view.commands} label={`Equivalent commands of step ${view.number}`} />
      </details>
      <div className="setup-actions">
        <button type="button" disabled={anyRunning} onClick={onRun}>
          {running ? 'Running…' : view.status === 'done' ? 'Run again' : 'Run'}
        </button>
        {running ? (
          <button type="button" onClick={onStop}>
            Stop
          </button>
        ) : null}
      </div>
      {log.length > 0 ? (
        <pre className="setup-log" aria-label={`Log of step ${view.number}`} aria-live="polite">
          {log.map((l, i) => (
            <span key={i} data-stream={l.stream}>
              {l.stream === 'command' ? '$ ' : ''}
              {l.text}
              {'\n'}
            </span>
          ))}
        </pre>
      ) : null}
      {outcome ? <Outcome outcome={outcome} onSaveValues={onSaveValues} /> : null}
    </li>
  );
}

function Outcome({ outcome, onSaveValues }: { outcome: SetupOutcomeDto; onSaveValues: (path: string) => void }): ReactNode {
  switch (outcome.outcome) {
    case 'done':
    case 'already_done':
      if (outcome.warning) {
        return (
          <div className="setup-outcome setup-outcome-warning" role="status">
            <p className="warning">
              <strong>Needs you:</strong> {outcome.warning}
            </p>
            <p>
              {outcome.outcome === 'done' ? 'Done' : 'Already done'}: {outcome.what}
            </p>
          </div>
        );
      }
      return (
        <p className="setup-outcome" role="status">
          {outcome.outcome === 'done' ? 'Done' : 'Already done, nothing changed'}: {outcome.what}
        </p>
      );
    case 'needs_confirmation':
      return <p className="setup-outcome">Waiting for your confirmation: {outcome.whatWillChange}</p>;
    case 'helm_missing':
      return (
        <div className="setup-outcome setup-helm-missing">
          <p>
            <strong>Step 3 needs helm.</strong> {outcome.reason}
          </p>
          <p>
            Values file: <code>{outcome.valuesFile}</code>{' '}
            <button type="button" onClick={() => onSaveValues(outcome.valuesFile)}>
              Save values file
            </button>
          </p>
          <p>Run these commands where helm is installed:</p>
          <CommandList commands={outcome.commands} label="Commands to run where helm is installed" />
        </div>
      );
    case 'not_online':
      return (
        <div className="setup-outcome setup-not-online">
          <p>
            The backend did not report online within {outcome.waitedSeconds} s. {outcome.diagnosis.summary}
          </p>
          <ul>
            {outcome.diagnosis.checks.map((c) => (
              <li key={c.kind} data-verdict={c.verdict}>
                {c.title}: {c.verdict} — {c.finding}
                {c.nextStep ? ` Next: ${c.nextStep}` : ''}
              </li>
            ))}
          </ul>
        </div>
      );
    case 'failed':
      return <ErrorMessage error={outcome.error} />;
  }
}

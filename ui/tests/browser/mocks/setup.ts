// The Setup screen's commands in the mocked IPC, over `state.setup`. A started step sends its
// `setup-log` lines and then `setup-step-finished`, like the core does. Invalid plans are answered
// with the field errors the tests play (an image tag with a space, no time to wait for online,
// coscheduling with scheduler type default, a timeout that is not whole seconds, no description),
// and a plan reusing a namespace of another backend on the cluster (`neighbours`) is refused with
// that backend named. setup_defaults refuses the backend names a test lists in `refusedNames`
// (the mock does not carry the core's backend name rule).
import type {
  BackendRef,
  PreflightDto,
  SetupDefaultsDto,
  SetupFieldErrorDto,
  SetupLogStreamDto,
  SetupOutcomeDto,
  SetupPlanDto,
  SetupProgressDto,
  SetupStepDto,
  SetupStepView,
} from '../../../src/ipc/bindings.gen';
import type { Handlers } from '../mock-backend';
import { emitEvent, refuse } from '../mock-backend';

/** How run_setup_step plays a step: its log lines, its result (default: done), and its result once confirmed. */
export type StepRun = {
  lines?: [SetupLogStreamDto, string][];
  result?: SetupOutcomeDto;
  confirmed?: SetupOutcomeDto;
};

export type SetupMock = {
  /** The five rows check_setup answers. */
  steps: SetupStepView[];
  /** check_setup's permission checklist (default: all allowed). */
  preflight?: PreflightDto;
  /** What setup_progress answers for any backend (default: none). */
  progress?: SetupProgressDto;
  runs?: Partial<Record<SetupStepDto, StepRun>>;
  /** A started step never finishes on its own (the test sends `setup-step-finished`). */
  manualFinish?: boolean;
  /** A quick step: its end is sent before run_setup_step answers (as a step the core finishes at once can). */
  finishBeforeReply?: boolean;
  /** Paths where a file is already there: save_values_file answers `exists` unless `replace`. */
  existingFiles?: string[];
  /** Backend names setup_defaults refuses (`invalid_input`), each with the core's message. */
  refusedNames?: Record<string, string>;
  /** Backends already set up on the cluster (whichever context is checked): check_setup and run_setup_step refuse their namespaces. */
  neighbours?: Neighbour[];
};

/** Another backend set up on the same cluster: its operator namespace (token Secret, release) and workflow namespace. */
export type Neighbour = { backend: BackendRef; operatorNamespace: string; workflowNamespace: string };

const STEP_MS = 30;
const KAI = { schedulerType: 'kai', schedulerName: 'kai-scheduler', coscheduling: true, schedulerTimeout: '30' };
const valuesFile = (plan: SetupPlanDto) => `/home/admin/.local/share/osmo-backend-admin/setup/${plan.backendName}-values.yaml`;

/** What setup_defaults answers: the plan and step 4's 6.0/6.1 scheduler form. */
function setupDefaults(backend: string): SetupDefaultsDto {
  const resources = { cpuRequest: '1', memoryRequest: '1Gi', memoryLimit: '1Gi' };
  return {
    plan: {
      backendName: backend, operatorNamespace: 'osmo-operator', workflowNamespace: 'osmo-workflows',
      secretName: 'osmo-operator-token', secretKey: 'token', tokenName: `${backend}-operator-token`, tokenOwner: null,
      tokenExpiresAt: '2026-12-29', imageTag: '6.0.0', imagePullSecret: '', serviceUrl: 'https://osmo.example.com',
      listener: resources, worker: { ...resources }, helmPath: 'helm', chartVersion: '1.4.0',
      chartRepoUrl: 'https://helm.ngc.nvidia.com/nvidia/osmo', release: 'osmo-operator', onlineTimeoutSecs: 300,
      scheduler: { ...KAI }, schedulerDescription: 'Scheduler settings from the backend setup',
    },
    dialect: '6.0/6.1',
    kaiPreset: { ...KAI },
    schedulerFields: [
      { name: 'scheduler_type', label: 'Scheduler type', kind: { kind: 'choice', values: ['default', 'scheduler-plugins', 'volcano', 'kai'] }, help: 'Which scheduler runs this backend’s workflows.', default: 'default' },
      { name: 'scheduler_name', label: 'Scheduler name', kind: { kind: 'text' }, help: 'The Kubernetes scheduler’s name.', default: 'default-scheduler' },
      { name: 'coscheduling', label: 'Coscheduling', kind: { kind: 'bool' }, help: 'Schedule a group’s pods together.', default: 'false' },
      { name: 'scheduler_timeout', label: 'Scheduler timeout (s)', kind: { kind: 'seconds', min: 0 }, help: 'How long to wait for scheduling.', default: '30' },
    ],
  };
}

/** The plan's namespaces that belong to another backend on the cluster, in the core's words. */
function collisions(plan: SetupPlanDto, neighbours: Neighbour[]): SetupFieldErrorDto[] {
  const named = (n: Neighbour) => `${n.backend.backend} (${n.backend.service})`;
  const errors: SetupFieldErrorDto[] = [];
  const operator = neighbours.find((n) => n.operatorNamespace === plan.operatorNamespace);
  if (operator) {
    errors.push({
      field: 'operatorNamespace',
      message: `Namespace ${plan.operatorNamespace} holds the operator of backend ${named(operator)} on this cluster (its token Secret and release): setting up ${plan.backendName} there would take them over. Use another namespace, for example ${plan.backendName}-operator.`,
    });
  }
  const workflows = neighbours.find((n) => n.workflowNamespace === plan.workflowNamespace);
  if (workflows) {
    errors.push({
      field: 'workflowNamespace',
      message: `Namespace ${plan.workflowNamespace} runs the workflows of backend ${named(workflows)} on this cluster. Use another namespace, for example ${plan.backendName}-workflows.`,
    });
  }
  return errors;
}

function fieldErrors(plan: SetupPlanDto, neighbours: Neighbour[] = []): SetupFieldErrorDto[] {
  const errors: SetupFieldErrorDto[] = collisions(plan, neighbours);
  if (plan.imageTag.includes(' ')) {
    errors.push({ field: 'imageTag', message: `The image tag "${plan.imageTag}" must be letters, digits, '.', '_' or '-' (e.g. the service's version, 6.0.0).` });
  }
  if (!(plan.onlineTimeoutSecs > 0)) {
    errors.push({ field: 'onlineTimeoutSecs', message: 'The time to wait for the backend must be more than zero.' });
  }
  const sched = plan.scheduler;
  if (sched?.schedulerType === 'default' && sched.coscheduling) {
    errors.push({ field: 'scheduler.coscheduling', message: 'Coscheduling cannot be on with scheduler type default: turn it off or choose kai.' });
  }
  if (sched && !/^\d+$/.test(sched.schedulerTimeout)) {
    errors.push({ field: 'scheduler.schedulerTimeout', message: `Scheduler timeout "${sched.schedulerTimeout}" must be a whole number of seconds.` });
  }
  if (!plan.schedulerDescription.trim()) {
    errors.push({ field: 'schedulerDescription', message: 'Describe step 4’s change: it is recorded in the backend’s config history.' });
  }
  return errors;
}

const ALLOWED: PreflightDto = {
  ready: true, missing: [], warnings: [], checks: [
    { verb: 'create', resource: 'namespaces', namespace: null, neededFor: 'setup', allowed: true, missing: null, reason: null },
    { verb: 'create', resource: 'secrets', namespace: 'osmo-operator', neededFor: 'setup', allowed: true, missing: null, reason: null },
  ],
};

const pause = () => new Promise((resolve) => setTimeout(resolve, STEP_MS));

export const setupCommands: Handlers = {
  setup_defaults: ({ backend }, state) => {
    const refusal = state.setup?.refusedNames?.[backend];
    return refusal === undefined ? setupDefaults(backend) : refuse('invalid_input', refusal);
  },
  setup_progress: (_, state) => state.setup?.progress ?? null,
  check_setup: ({ plan }, state) => {
    const errors = fieldErrors(plan, state.setup?.neighbours);
    if (errors.length) return { outcome: 'invalid', errors };
    return {
      outcome: 'checked', preflight: state.setup?.preflight ?? ALLOWED, steps: structuredClone(state.setup?.steps ?? []),
      valuesFile: valuesFile(plan), running: null,
    };
  },
  save_values_file: ({ plan, path, replace }, state) => {
    const target = path ?? valuesFile(plan);
    const exists = !replace && (state.setup?.existingFiles ?? []).includes(target);
    return { outcome: exists ? 'exists' : 'saved', path: target };
  },
  run_setup_step: ({ plan, service, step, confirmation }, state) => {
    const errors = fieldErrors(plan, state.setup?.neighbours);
    if (errors.length) return { outcome: 'invalid', errors };
    const backend: BackendRef = { service, backend: plan.backendName };
    const run = state.setup?.runs?.[step] ?? {};
    const done: SetupOutcomeDto = { outcome: 'done', what: 'Done.', warning: null };
    const result = (confirmation && run.confirmed) || run.result || done;
    const started = { outcome: 'started' as const, backend, step, operation: { kind: 'setup' as const, backend } };
    if (state.setup?.finishBeforeReply) {
      return emitEvent('setup-step-finished', { backend, step, result }).then(() => started);
    }
    void (async () => {
      for (const [stream, text] of run.lines ?? []) {
        await pause();
        await emitEvent('setup-log', { backend, step, stream, text });
      }
      if (!state.setup?.manualFinish) {
        await pause();
        await emitEvent('setup-step-finished', { backend, step, result });
      }
    })();
    return started;
  },
};

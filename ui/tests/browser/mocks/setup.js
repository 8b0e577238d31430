// The Setup screen's commands in the mocked IPC, over `state.setup`:
//   steps        the five SetupStepView rows check_setup answers (status, words, commands)
//   preflight    check_setup's permission checklist (default: all allowed)
//   progress     what setup_progress answers for any backend (default: null)
//   runs[step]   how run_setup_step plays a step: { lines: [[stream, text]...], result, confirmed }
//                (`confirmed`: the result once the run carries a confirmation)
// A started step sends its `setup-log` lines and then `setup-step-finished`, like the core does.
// Invalid plans are answered with field errors (image tag with a space, empty backend name,
// coscheduling with scheduler type default, a timeout that is not whole seconds, no description,
// no time to wait for online).
// Returns undefined for commands that are not its own.
import { emit } from '@tauri-apps/api/event';

const STEP_MS = 30;

export function setupPlan(backend = 'gpu-east') {
  const resources = { cpuRequest: '1', memoryRequest: '1Gi', memoryLimit: '1Gi' };
  return {
    backendName: backend, operatorNamespace: 'osmo-operator', workflowNamespace: 'osmo-workflows',
    secretName: 'osmo-operator-token', secretKey: 'token', tokenName: `${backend}-operator-token`, tokenOwner: null,
    tokenExpiresAt: '2026-12-29', imageTag: '6.0.0', imagePullSecret: '', serviceUrl: 'https://osmo.example.com',
    listener: resources, worker: { ...resources }, helmPath: 'helm', chartVersion: '1.4.0',
    chartRepoUrl: 'https://helm.ngc.nvidia.com/nvidia/osmo', release: 'osmo-operator', onlineTimeoutSecs: 300,
    scheduler: { ...KAI }, schedulerDescription: 'Scheduler settings from the backend setup',
  };
}

const KAI = { schedulerType: 'kai', schedulerName: 'kai-scheduler', coscheduling: true, schedulerTimeout: '30' };

/** What setup_defaults answers: the plan and step 4's 6.0/6.1 scheduler form. */
export function setupDefaults(backend) {
  return {
    plan: setupPlan(backend),
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

function fieldErrors(plan) {
  const errors = [];
  if (!plan.backendName.trim()) {
    errors.push({ field: 'backendName', message: 'Name the backend (no spaces): it is the chart’s backendName and the backend’s name in OSMO.' });
  }
  if (!/^[A-Za-z0-9._-]+$/.test(plan.imageTag)) {
    errors.push({ field: 'imageTag', message: `The image tag "${plan.imageTag}" must be letters, digits, '.', '_' or '-' (e.g. the service's version, 6.0.0).` });
  }
  if (!(plan.onlineTimeoutSecs > 0)) {
    errors.push({ field: 'onlineTimeoutSecs', message: 'The time to wait for the backend must be more than zero.' });
  }
  const sched = plan.scheduler;
  if (sched && sched.schedulerType === 'default' && sched.coscheduling) {
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

const allowed = { ready: true, missing: [], warnings: [], checks: [
  { verb: 'create', resource: 'namespaces', namespace: null, neededFor: 'setup', allowed: true, missing: null, reason: null },
  { verb: 'create', resource: 'secrets', namespace: 'osmo-operator', neededFor: 'setup', allowed: true, missing: null, reason: null },
] };

export function handleSetup(cmd, args, state) {
  const s = state.setup ?? {};
  switch (cmd) {
    case 'setup_defaults':
      return setupDefaults(args.backend);
    case 'setup_progress':
      return s.progress ?? null;
    case 'check_setup': {
      const errors = fieldErrors(args.plan);
      if (errors.length) return { outcome: 'invalid', errors };
      return {
        outcome: 'checked', preflight: s.preflight ?? allowed, steps: structuredClone(s.steps ?? []),
        valuesFile: `/home/admin/.local/share/osmo-backend-admin/setup/${args.plan.backendName}-values.yaml`, running: null,
      };
    }
    case 'save_values_file': {
      const path = args.path ?? `/home/admin/.local/share/osmo-backend-admin/setup/${args.plan.backendName}-values.yaml`;
      s.savedValues = [...(s.savedValues ?? []), path];
      return path;
    }
    case 'run_setup_step': {
      const errors = fieldErrors(args.plan);
      if (errors.length) return { outcome: 'invalid', errors };
      const backend = args.plan.backendName;
      const run = s.runs?.[args.step] ?? { lines: [], result: { outcome: 'done', what: 'Done.' } };
      const result = args.confirmation && run.confirmed ? run.confirmed : run.result;
      void (async () => {
        for (const [stream, text] of run.lines ?? []) {
          await new Promise((r) => setTimeout(r, STEP_MS));
          await emit('setup-log', { backend, step: args.step, stream, text });
        }
        if (!s.manualFinish) {
          await new Promise((r) => setTimeout(r, STEP_MS));
          await emit('setup-step-finished', { backend, step: args.step, result });
        }
      })();
      return { outcome: 'started', backend, step: args.step, operation: `setup:${backend}` };
    }
    default:
      return undefined;
  }
}

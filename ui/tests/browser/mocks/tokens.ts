// The Tokens screen's commands in the mocked IPC, over `state.tokens`. A started rotation plays its
// steps with `rotation-progress` events and ends with `rotations-changed`, like the core does.
import type {
  RotationView,
  ServiceAccountDto,
  StepDto,
  StepStateDto,
  StepView,
  TokenFieldErrorDto,
  TokensNeedingRotationView,
  TokensView,
} from '../../../src/ipc/bindings.gen';
import type { Handlers, MockState } from '../mock-backend';
import { emitEvent, refuse } from '../mock-backend';

export type TokensMock = {
  /** The TokensView list_tokens answers per session (create and delete change it). */
  views: Record<string, TokensView>;
  /** What tokens_needing_rotation answers (default: nothing). */
  needing?: TokensNeedingRotationView;
  /** The rotations list_rotations answers (e.g. an interrupted one). */
  rotations?: RotationView[];
  /** The step a started rotation fails at, the first time. */
  failAt?: StepDto | null;
  /** The field errors create_token answers, per token name (the server's rules). */
  serverErrors?: Record<string, TokenFieldErrorDto[]>;
  /** A step that runs until the rotation is stopped (cancel_operation of its backend's rotation). */
  slowStep?: StepDto;
  /** 6.2+ (a view of dialect `6.2+`): the users holding osmo-backend, per session. */
  accounts?: Record<string, ServiceAccountDto[]>;
  /** 6.2+: the roles each existing user holds; create_token answers `missing_roles` when one lacks a role. */
  userRoles?: Record<string, string[]>;
  /** delete_service_account refuses with this message. */
  userDeleteFails?: string;
};

type Steps = [StepDto, string][];
const FORWARD: Steps = [
  ['create_token', 'Create the new token'],
  ['write_secret', 'Write it into the secret'],
  ['restart_operator', 'Restart the operator'],
  ['wait_for_heartbeat', 'Wait for the backend’s heartbeat'],
  ['delete_old_token', 'Delete the old token'],
];
const BACK: Steps = [
  ['restore_secret', 'Restore the previous secret value'],
  ['restart_again', 'Restart the operator again'],
  ['delete_new_token', 'Delete the new token'],
];
const STEP_MS = 40;
// What the tests' failures say: the cause, then the state it leaves.
const FAILURE: Partial<Record<StepDto, string>> = {
  restart_operator: 'Could not restart Deployment osmo-operator/osmo-operator-osmo-backend-listener: it does not exist.',
  wait_for_heartbeat: 'Backend gpu-east sent no heartbeat after the operator restart within 300 s.',
};
const STATE_WORDS: Partial<Record<StepDto, string>> = {
  restart_operator: 'The new token is in the secret, but the operator has not been restarted.',
  wait_for_heartbeat: 'The new token is in the secret and the operator was restarted, but it has not come back online (no heartbeat since the restart).',
};

/** Rotations stopped by cancel_operation, by id (the page's own; each page loads this anew). */
const cancelled = new Set<string>();

const steps = (list: Steps): StepView[] => list.map(([step, title]) => ({ step, title, state: 'pending', message: null }));

function tokens(state: MockState): TokensMock & { rotations: RotationView[] } {
  state.tokens ??= { views: {} };
  state.tokens.rotations ??= [];
  return state.tokens as TokensMock & { rotations: RotationView[] };
}

function progress(r: RotationView, s: StepView, stepState: StepStateDto, message: string) {
  s.state = stepState;
  s.message = stepState === 'running' ? null : message;
  r.updatedAt = new Date().toISOString();
  void emitEvent('rotation-progress', { rotationId: r.id, step: s.step, title: s.title, state: stepState, message, at: r.updatedAt });
}

/** Plays `list` from its first step not done; fails at `failAt` once, or where it was stopped. */
function play(t: TokensMock, r: RotationView, list: Steps, done: () => void) {
  const next = r.steps.find((s) => list.some(([step]) => step === s.step) && s.state !== 'done' && s.state !== 'skipped');
  if (!next) {
    r.running = false;
    done();
    void emitEvent('rotations-changed', { id: r.id });
    return;
  }
  progress(r, next, 'running', next.title);
  const finish = () => {
    const stopped = cancelled.delete(r.id);
    if (t.failAt === next.step || stopped) {
      t.failAt = null;
      const failure = stopped ? 'The operation was cancelled.' : (FAILURE[next.step] ?? 'The step failed.');
      const words = STATE_WORDS[next.step] ?? '';
      progress(r, next, 'failed', `${failure} ${words}`);
      Object.assign(r, {
        running: false, status: 'failed', failure, words, canRetry: true, canRollBack: next.step !== 'delete_old_token',
      });
      void emitEvent('rotations-changed', { id: r.id });
      return;
    }
    progress(r, next, 'done', `${next.title}: done.`);
    setTimeout(() => play(t, r, list, done), STEP_MS);
  };
  const wait = () => (t.slowStep === next.step && !cancelled.has(r.id) ? setTimeout(wait, STEP_MS) : finish());
  setTimeout(wait, STEP_MS);
}

function runForward(t: TokensMock, r: RotationView) {
  Object.assign(r, { running: true, status: 'running', canRetry: false, canRollBack: false, failure: null });
  play(t, r, FORWARD, () => {
    r.status = 'completed';
    r.words = `Done: backend ${r.backend} runs with the new token ${r.newToken}; ${r.oldToken} is deleted.`;
  });
}

function runBack(t: TokensMock, r: RotationView) {
  if (!r.steps.some((s) => s.step === 'restore_secret')) r.steps.push(...steps(BACK));
  Object.assign(r, { running: true, status: 'running', rollingBack: true, canRetry: false, canRollBack: false, failure: null });
  play(t, r, BACK, () => {
    r.status = 'rolled_back';
    r.words = `Rolled back: the secret holds the old token ${r.oldToken} again and the new token ${r.newToken} is deleted.`;
  });
}

function withRotation(state: MockState, id: string, then: (t: TokensMock, r: RotationView) => void) {
  const t = tokens(state);
  const r = t.rotations.find((x) => x.id === id);
  if (!r) return refuse('conflict', `There is no rotation ${id}.`);
  then(t, r);
  return structuredClone(r);
}

export const tokensCommands: Handlers = {
  list_tokens: ({ service }, state) => {
    const view = tokens(state).views[service];
    if (!view) return refuse('invalid_input', `There is no OSMO service named "${service}".`);
    return structuredClone(view);
  },
  tokens_needing_rotation: (_, state) => structuredClone(state.tokens?.needing ?? { count: 0, tokens: [], errors: [] }),
  create_token: ({ service, form }, state) => {
    const t = tokens(state);
    const errors = t.serverErrors?.[form.name];
    if (errors) return { outcome: 'invalid', errors };
    const owner = form.owner ?? form.name;
    const held = form.owner ? t.userRoles?.[form.owner] : undefined;
    const lacking = held ? form.roles.filter((r) => !held.includes(r)) : [];
    if (form.owner && lacking.length > 0) {
      return {
        outcome: 'missing_roles', user: form.owner, roles: lacking,
        message: `User ${form.owner} does not hold the role(s) ${lacking.join(', ')}; a token can only carry roles its user holds. Add the role(s) to ${form.owner}, or choose other roles.`,
      };
    }
    const userCreated = Boolean(form.owner && t.userRoles && !held);
    if (form.owner && userCreated) {
      t.userRoles = { ...t.userRoles, [form.owner]: form.roles };
      if (form.roles.includes('osmo-backend')) (t.accounts ??= {})[service]?.push({ id: form.owner, createdBy: 'ana', createdAt: null });
    }
    t.views[service]?.rows.push({
      owner, name: form.name, kind: form.owner ? 'service_account' : 'service', roles: form.roles, description: form.description,
      expiresOn: form.expiresAt, daysLeft: 90, badge: 'fine', words: 'expires in 90 days', usedBy: [],
    });
    return {
      outcome: 'created',
      token: { owner, name: form.name, expiresOn: form.expiresAt, value: 'osmo-tok-9f8e7d6c5b4a', userCreated },
    };
  },
  delete_token: ({ service, owner, name, kind }, state) => {
    const view = tokens(state).views[service];
    if (view) view.rows = view.rows.filter((r) => !(r.owner === owner && r.name === name && r.kind === kind));
    return true;
  },
  list_service_accounts: ({ service }, state) => {
    const t = tokens(state);
    const view = t.views[service];
    if (!view) return refuse('invalid_input', `There is no OSMO service named "${service}".`);
    const hasUsers = view.dialect === '6.2+';
    return { service, hasUsers, accounts: hasUsers ? structuredClone(t.accounts?.[service] ?? []) : [] };
  },
  add_user_roles: ({ user, roles }, state) => {
    const t = tokens(state);
    const held = [...new Set([...(t.userRoles?.[user] ?? []), ...roles])];
    t.userRoles = { ...t.userRoles, [user]: held };
    return held;
  },
  delete_service_account: ({ service, user }, state) => {
    const t = tokens(state);
    if (t.userDeleteFails) return refuse('forbidden', t.userDeleteFails);
    const list = t.accounts?.[service];
    if (list) t.accounts = { ...t.accounts, [service]: list.filter((a) => a.id !== user) };
    if (t.userRoles) delete t.userRoles[user];
    return true;
  },
  // Stops the running rotation of a backend (service and name); any other operation has nothing running here.
  cancel_operation: ({ operation }, state) => {
    if (operation.kind !== 'rotation') return false;
    const { service, backend } = operation.backend;
    const r = tokens(state).rotations.find((x) => x.session === service && x.backend === backend && x.running);
    if (!r) return false;
    cancelled.add(r.id);
    return true;
  },
  list_rotations: (_, state) => structuredClone(tokens(state).rotations),
  check_rotations: (_, state) => structuredClone(tokens(state).rotations),
  resolve_rotation: ({ id }, state) => {
    const t = tokens(state);
    t.rotations = t.rotations.filter((r) => r.id !== id);
    return structuredClone(t.rotations);
  },
  rotation_status: ({ id }, state) => withRotation(state, id, () => {}),
  start_rotation: ({ request: q }, state) => {
    const t = tokens(state);
    const now = new Date().toISOString();
    const r: RotationView = {
      id: `${q.backend.backend}-20261128T210000`, backend: q.backend.backend, session: q.backend.service, context: q.context,
      secret: `${q.secretNamespace}/${q.secretName} key ${q.secretKey}`, newToken: q.newName ?? '', oldToken: q.oldName,
      status: 'running', rollingBack: false, running: true, steps: steps(FORWARD), words: '', failure: null,
      canRetry: false, canRollBack: false, startedAt: now, updatedAt: now, setAside: null, now: null,
    };
    t.rotations.push(r);
    setTimeout(() => runForward(t, r), STEP_MS);
    return structuredClone(r);
  },
  retry_rotation: ({ id }, state) => withRotation(state, id, (t, r) => (r.rollingBack ? runBack(t, r) : runForward(t, r))),
  roll_back_rotation: ({ id }, state) => withRotation(state, id, runBack),
};

// The Tokens screen's commands in the mocked IPC, over `state.tokens`:
//   views[session]   the TokensView list_tokens answers (create/delete change it)
//   needing          what tokens_needing_rotation answers (default: nothing)
//   rotations        the rotations list_rotations answers (e.g. an interrupted one)
//   failAt           the step a started rotation fails at the first time (`null`: none)
//   serverErrors     field errors create_token answers for a given token name (the server's rules)
//   slowStep         a step that runs until the rotation is stopped (cancel_operation "rotation:<backend>")
// A started rotation plays its steps with `rotation-progress` events, like the core does.
// Returns undefined for commands that are not its own.
import { emit } from '@tauri-apps/api/event';

const FORWARD = [
  ['create_token', 'Create the new token'],
  ['write_secret', 'Write it into the secret'],
  ['restart_operator', 'Restart the operator'],
  ['wait_for_heartbeat', 'Wait for the backend’s heartbeat'],
  ['delete_old_token', 'Delete the old token'],
];
const BACK = [
  ['restore_secret', 'Restore the previous secret value'],
  ['restart_again', 'Restart the operator again'],
  ['delete_new_token', 'Delete the new token'],
];
const STEP_MS = 40;
const FAILURE = {
  create_token: 'The service failed (HTTP 500).',
  write_secret: 'Not allowed to patch secret osmo-operator/osmo-operator-token.',
  restart_operator: 'Could not restart Deployment osmo-operator/osmo-operator-osmo-backend-listener: it does not exist.',
  wait_for_heartbeat: 'Backend gpu-east sent no heartbeat after the operator restart within 300 s.',
  delete_old_token: 'The service refused to delete the old token.',
};
const STATE_WORDS = {
  create_token: 'Nothing has changed: the old token is still in the secret and in use.',
  write_secret: 'The new token exists in OSMO but is not in the secret yet; the old token is still in use.',
  restart_operator: 'The new token is in the secret, but the operator has not been restarted.',
  wait_for_heartbeat: 'The new token is in the secret and the operator was restarted, but it has not come back online (no heartbeat since the restart).',
  delete_old_token: 'The backend is online with the new token; the old token has not been deleted yet.',
};

const steps = (list) => list.map(([step, title]) => ({ step, title, state: 'pending', message: null }));

function tokensState(state) {
  state.tokens ??= {};
  state.tokens.views ??= {};
  state.tokens.rotations ??= [];
  return state.tokens;
}

function progress(r, step, stepState, message) {
  const s = r.steps.find((x) => x.step === step);
  s.state = stepState;
  s.message = stepState === 'running' ? null : message;
  r.updatedAt = new Date().toISOString();
  void emit('rotation-progress', { rotationId: r.id, step, title: s.title, state: stepState, message, at: r.updatedAt });
}

/** Plays `list` from its first step not done; fails at `failAt` once. */
function play(t, r, list, done) {
  const next = r.steps.find((s) => list.some(([step]) => step === s.step) && s.state !== 'done' && s.state !== 'skipped');
  if (!next) {
    r.running = false;
    done();
    void emit('rotations-changed', { id: r.id });
    return;
  }
  progress(r, next.step, 'running', next.title);
  const finish = () => {
    const cancelled = r.cancelled;
    if (t.failAt === next.step || cancelled) {
      t.failAt = null;
      r.cancelled = false;
      const failure = cancelled ? 'The operation was cancelled.' : FAILURE[next.step];
      progress(r, next.step, 'failed', `${failure} ${STATE_WORDS[next.step]}`);
      Object.assign(r, {
        running: false, status: 'failed', failure, words: STATE_WORDS[next.step],
        canRetry: true, canRollBack: next.step !== 'delete_old_token',
      });
      void emit('rotations-changed', { id: r.id });
      return;
    }
    progress(r, next.step, 'done', `${next.title}: done.`);
    setTimeout(() => play(t, r, list, done), STEP_MS);
  };
  const wait = () => (t.slowStep === next.step && !r.cancelled ? setTimeout(wait, STEP_MS) : finish());
  setTimeout(wait, STEP_MS);
}

function runForward(t, r) {
  Object.assign(r, { running: true, status: 'running', canRetry: false, canRollBack: false, failure: null });
  play(t, r, FORWARD, () =>
    Object.assign(r, { status: 'completed', words: `Done: backend ${r.backend} runs with the new token ${r.newToken}; ${r.oldToken} is deleted.` }),
  );
}

function runBack(t, r) {
  if (!r.steps.some((s) => s.step === 'restore_secret')) r.steps.push(...steps(BACK));
  Object.assign(r, { running: true, status: 'running', rollingBack: true, canRetry: false, canRollBack: false, failure: null });
  play(t, r, BACK, () =>
    Object.assign(r, { status: 'rolled_back', words: `Rolled back: the secret holds the old token ${r.oldToken} again and the new token ${r.newToken} is deleted.` }),
  );
}

export function handleTokens(cmd, args, state) {
  switch (cmd) {
    case 'list_tokens': {
      const view = tokensState(state).views[args.session];
      if (!view) return Promise.reject({ code: 'invalid_input', message: `There is no OSMO service named "${args.session}".` });
      return structuredClone(view);
    }
    case 'tokens_needing_rotation':
      return structuredClone(state.tokens?.needing ?? { count: 0, tokens: [], errors: [] });
    case 'create_token': {
      const t = tokensState(state);
      const { form } = args;
      const errors = t.serverErrors?.[form.name];
      if (errors) return { outcome: 'invalid', errors };
      const view = t.views[args.session];
      const owner = form.owner ?? form.name;
      view.rows.push({
        owner, name: form.name, kind: form.owner ? 'service_account' : 'service', roles: form.roles, description: form.description,
        expiresOn: form.expiresAt, daysLeft: 90, badge: 'fine', words: 'expires in 90 days', usedBy: [],
      });
      return {
        outcome: 'created',
        token: { owner, name: form.name, expiresOn: form.expiresAt, value: 'osmo-tok-9f8e7d6c5b4a', userCreated: false },
      };
    }
    case 'delete_token': {
      const view = tokensState(state).views[args.session];
      view.rows = view.rows.filter((r) => !(r.owner === args.owner && r.name === args.name));
      return true;
    }
    case 'cancel_operation': {
      const backend = args.operation.startsWith('rotation:') ? args.operation.slice('rotation:'.length) : null;
      const r = tokensState(state).rotations.find((x) => x.backend === backend && x.running);
      if (!r) return undefined;
      r.cancelled = true;
      return true;
    }
    case 'list_rotations':
      return structuredClone(tokensState(state).rotations);
    case 'rotation_status': {
      const r = tokensState(state).rotations.find((x) => x.id === args.id);
      return r ? structuredClone(r) : Promise.reject({ code: 'conflict', message: `There is no rotation ${args.id}.` });
    }
    case 'start_rotation': {
      const t = tokensState(state);
      const q = args.request;
      const r = {
        id: `${q.backend}-20261128T210000`, backend: q.backend, session: q.session, context: q.context,
        secret: `${q.secretNamespace}/${q.secretName} key ${q.secretKey}`, newToken: q.newName, oldToken: q.oldName,
        status: 'running', rollingBack: false, running: true, steps: steps(FORWARD), words: '', failure: null,
        canRetry: false, canRollBack: false, startedAt: new Date().toISOString(), updatedAt: new Date().toISOString(),
      };
      t.rotations.push(r);
      t.lastRequest = q;
      setTimeout(() => runForward(t, r), STEP_MS);
      return structuredClone(r);
    }
    case 'retry_rotation':
    case 'roll_back_rotation': {
      const t = tokensState(state);
      const r = t.rotations.find((x) => x.id === args.id);
      if (!r) return Promise.reject({ code: 'conflict', message: `There is no rotation ${args.id}.` });
      if (cmd === 'roll_back_rotation') runBack(t, r);
      else if (r.rollingBack) runBack(t, r);
      else runForward(t, r);
      return structuredClone(r);
    }
    default:
      return undefined;
  }
}

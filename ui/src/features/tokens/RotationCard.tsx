import type { RotationView, StepStateDto } from '../../ipc/bindings.gen';
import { ErrorMessage } from '../../app/ErrorMessage';
import { cancelOperation } from '../sessions/useSessions';
import { useCheckRotations, useResolveRotation, useRetryRotation, useRollBackRotation } from './useTokens';

const MARKS: Record<StepStateDto, string> = {
  pending: '○',
  running: '…',
  done: '✓',
  skipped: '–',
  failed: '✗',
  interrupted: '!',
};

const WORDS: Record<StepStateDto, string> = {
  pending: 'not started',
  running: 'running',
  done: 'done',
  skipped: 'skipped',
  failed: 'failed',
  interrupted: 'interrupted',
};

const STATUS: Record<RotationView['status'], string> = {
  running: 'Running',
  failed: 'Stopped: a step failed',
  completed: 'Done',
  rolled_back: 'Rolled back',
  interrupted: 'Interrupted: resume or roll back',
  needs_you: 'Needs you: its journal could not be read',
};

/** One rotation: its steps live, its state in words, and what can be done next. */
export function RotationCard({ rotation }: { rotation: RotationView }) {
  const retry = useRetryRotation();
  const rollBack = useRollBackRotation();
  const check = useCheckRotations();
  const resolve = useResolveRotation();
  const r = rotation;
  const busy = r.running || retry.isPending || rollBack.isPending;
  const interrupted = r.status === 'interrupted';
  const error = retry.error ?? rollBack.error ?? check.error ?? resolve.error;
  // A running rotation is the operation of its backend (service and name), which Stop cancels.
  const stoppable =
    r.running && r.session !== null && r.backend !== null ? { service: r.session, backend: r.backend } : null;
  const who = r.backend ?? 'an unknown backend';
  return (
    <section className={`rotation rotation-${r.status}`} aria-label={`Rotation of ${who}`}>
      <h3>
        {who}: {r.oldToken ?? 'the current token'} → {r.newToken}{' '}
        <span className={`badge rotation-status ${r.status}`}>{STATUS[r.status]}</span>
      </h3>
      <p className="muted">
        Secret {r.secret}
        {r.context ? ` · context ${r.context}` : ''}
        {r.session ? ` · ${r.session}` : ''}
      </p>
      <ol className="steps" aria-label="Steps">
        {r.steps.map((s) => (
          <li key={s.step} className={`step ${s.state}`} data-step={s.step} data-state={s.state}>
            <span className="mark" aria-hidden="true">
              {MARKS[s.state]}
            </span>{' '}
            <strong>{s.title}</strong> <span className="step-state">({WORDS[s.state]})</span>
            {s.message && s.state !== 'running' ? <div className="step-message">{s.message}</div> : null}
          </li>
        ))}
      </ol>
      {!r.running ? (
        <p className="rotation-words" role={r.status === 'failed' || interrupted ? 'alert' : 'status'}>
          {r.words}
        </p>
      ) : null}
      {r.setAside ? (
        <div className="rotation-set-aside warning">
          <p>
            Its journal could not be read ({r.setAside.reason}) and was set aside, kept as <code>{r.setAside.file}</code>.
            {r.setAside.blocks
              ? ` A new rotation of ${who} waits until you have checked the Secret and the tokens below.`
              : ' It names no backend the app can tell, so it blocks nothing.'}
          </p>
        </div>
      ) : null}
      {r.now ? <ObservedNow now={r.now} /> : null}
      {r.status === 'needs_you' || interrupted ? (
        <div className="actions">
          <button type="button" disabled={check.isPending} onClick={() => check.mutate()}>
            {check.isPending ? 'Reading the cluster and the service…' : 'Read what the cluster and service show now'}
          </button>
          {r.setAside ? (
            <button type="button" disabled={resolve.isPending} onClick={() => resolve.mutate(r.id)}>
              I have checked: forget it
            </button>
          ) : null}
        </div>
      ) : null}
      {stoppable ? (
        <div className="actions">
          {/* Stopping fails the current step with "cancelled"; Retry / Roll back are then offered
              as after any failure. */}
          <button type="button" onClick={() => void cancelOperation({ kind: 'rotation', backend: stoppable })}>
            Stop
          </button>
        </div>
      ) : null}
      {r.canRetry || r.canRollBack ? (
        <div className="actions">
          {r.canRetry ? (
            <button type="button" className="primary" disabled={busy} onClick={() => retry.mutate({ id: r.id })}>
              {interrupted ? 'Resume' : 'Retry this step'}
            </button>
          ) : null}
          {r.canRollBack ? (
            <button type="button" disabled={busy} onClick={() => rollBack.mutate({ id: r.id })}>
              Roll back
            </button>
          ) : null}
        </div>
      ) : null}
      {error ? <ErrorMessage error={error} /> : null}
    </section>
  );
}

/** What the cluster and the service showed when last read. */
function ObservedNow({ now }: { now: NonNullable<RotationView['now']> }) {
  const yesNo = (v: boolean | null, yes: string, no: string) => (v === null ? 'unknown' : v ? yes : no);
  return (
    <dl className="rotation-now small" aria-label="What the cluster and the service show now">
      <dt>Secret</dt>
      <dd>
        {yesNo(now.secretExists, 'present', 'missing')}
        {now.secretHolder ? `, holds ${now.secretHolder}` : ''}
        {now.previousKept !== null ? `, previous value ${now.previousKept ? 'kept' : 'not kept'}` : ''}
      </dd>
      <dt>Tokens in OSMO</dt>
      <dd>
        {now.tokensExisting === null
          ? 'unknown'
          : `${now.tokensExisting.length ? now.tokensExisting.join(', ') : 'none'} exist${
              now.tokensMissing?.length ? `; ${now.tokensMissing.join(', ')} do not` : ''
            }`}
      </dd>
      {now.notes.length ? (
        <>
          <dt>Could not read</dt>
          <dd>{now.notes.join(' ')}</dd>
        </>
      ) : null}
    </dl>
  );
}

import type { RotationView, StepStateDto } from '../../ipc/bindings.gen';
import { ErrorMessage } from '../../app/ErrorMessage';
import { cancelOperation } from '../sessions/useSessions';
import { useRetryRotation, useRollBackRotation } from './useTokens';

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
};

/** One rotation: its steps live, its state in words, and what can be done next. */
export function RotationCard({ rotation }: { rotation: RotationView }) {
  const retry = useRetryRotation();
  const rollBack = useRollBackRotation();
  const r = rotation;
  const busy = r.running || retry.isPending || rollBack.isPending;
  const interrupted = r.status === 'interrupted';
  const error = retry.error ?? rollBack.error;
  // A running rotation is the operation of its backend (service and name), which Stop cancels.
  const stoppable = r.running && r.session !== null ? { service: r.session, backend: r.backend } : null;
  return (
    <section className={`rotation rotation-${r.status}`} aria-label={`Rotation of ${r.backend}`}>
      <h3>
        {r.backend}: {r.oldToken ?? 'the current token'} → {r.newToken}{' '}
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

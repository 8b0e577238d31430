// A backend's pools (a backend in no pool runs no workflow): the pools that run on it, creating a
// pool for it, switching another pool to it (saying which backend the pool leaves), deleting one.
// Every write answers with the pools as re-read, and the outcome says what is stored now, even
// when the service refused the write.
import { useState } from 'react';
import type { BackendRef, PoolDto, PoolWriteDto } from '../../ipc/bindings.gen';
import { ErrorMessage } from '../../app/ErrorMessage';
import type { IpcError } from '../../ipc/client';
import { useCreatePool, useDeletePool, usePools, useSwitchPool } from './usePools';

export function BackendPools({ backend }: { backend: BackendRef }) {
  const pools = usePools(backend.service);
  const create = useCreatePool(backend);
  const move = useSwitchPool(backend);
  const del = useDeletePool(backend.service);
  const [name, setName] = useState(`${backend.backend}-pool`);
  const [moving, setMoving] = useState('');
  const [deleting, setDeleting] = useState<string | null>(null);
  const all = pools.data?.pools ?? [];
  const mine = all.filter((p) => p.backend === backend.backend);
  const others = all.filter((p) => p.backend !== backend.backend);
  // The outcome of the latest write, whichever it was.
  const [last, setLast] = useState<{ answer?: PoolWriteDto; error?: IpcError } | null>(null);
  const report = { onSuccess: (answer: PoolWriteDto) => setLast({ answer }), onError: (error: IpcError) => setLast({ error }) };
  const busy = create.isPending || move.isPending || del.isPending;
  return (
    <div className="backend-pools">
      {pools.error ? <ErrorMessage error={pools.error} /> : null}
      {pools.isPending ? <p className="muted">Reading the pools…</p> : null}
      {pools.data && mine.length === 0 ? (
        <p className="warning">No pool runs on {backend.backend}, so no workflow can run on it: create a pool for it, or switch one to it.</p>
      ) : null}
      {mine.length > 0 ? (
        <ul className="pool-list" aria-label={`Pools on ${backend.backend}`}>
          {mine.map((p) => (
            <li key={p.name} data-pool={p.name}>
              <strong>{p.name}</strong> <span className="muted">{p.status.toLowerCase()}</span>
              {p.description ? <span className="muted"> · {p.description}</span> : null}{' '}
              <button type="button" className="link-button" disabled={busy} onClick={() => setDeleting(p.name)}>
                Delete…
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {deleting ? (
        <div className="confirm-inline" role="alertdialog" aria-label={`Delete pool ${deleting}`}>
          <p>
            Delete pool <strong>{deleting}</strong>? Workflows submitted to it will have nowhere to run.
          </p>
          <button
            type="button"
            className="danger"
            disabled={del.isPending}
            onClick={() => del.mutate(deleting, { ...report, onSettled: () => setDeleting(null) })}
          >
            {del.isPending ? 'Deleting…' : `Delete pool ${deleting}`}
          </button>{' '}
          <button type="button" onClick={() => setDeleting(null)}>
            Cancel
          </button>
        </div>
      ) : null}
      {pools.data ? (
        <div className="pool-forms">
          <form
            className="inline-form"
            aria-label="Create a pool"
            onSubmit={(e) => {
              e.preventDefault();
              create.mutate({ pool: name.trim(), description: `Pool on ${backend.backend}` }, report);
            }}
          >
            <label htmlFor="new-pool-name">New pool on {backend.backend}</label>
            <input id="new-pool-name" value={name} onChange={(e) => setName(e.target.value)} spellCheck={false} />
            <button type="submit" disabled={busy || name.trim() === ''}>
              {create.isPending ? 'Creating…' : 'Create pool'}
            </button>
          </form>
          {others.length > 0 ? (
            <form
              className="inline-form"
              aria-label="Switch a pool to this backend"
              onSubmit={(e) => {
                e.preventDefault();
                if (moving) move.mutate(moving, { ...report, onSuccess: (answer) => (setMoving(''), setLast({ answer })) });
              }}
            >
              <label htmlFor="switch-pool">Or switch a pool here</label>
              <select id="switch-pool" value={moving} onChange={(e) => setMoving(e.target.value)}>
                <option value="">Choose a pool…</option>
                {others.map((p) => (
                  <option key={p.name} value={p.name}>
                    {p.name} (now on {describeBackend(p)})
                  </option>
                ))}
              </select>
              <button type="submit" disabled={busy || moving === ''}>
                {move.isPending ? 'Switching…' : 'Switch to this backend'}
              </button>
              {moving ? (
                <p className="small muted">
                  {moving} will leave {describeBackend(others.find((p) => p.name === moving))}: its workflows run here from then on.
                </p>
              ) : null}
            </form>
          ) : null}
        </div>
      ) : null}
      {last ? <WriteOutcome answer={last.answer} error={last.error} /> : null}
    </div>
  );
}

function describeBackend(pool: PoolDto | undefined): string {
  if (!pool || pool.backend === '') return 'no backend';
  return pool.backendMissing ? `${pool.backend}, which no longer exists` : pool.backend;
}

/** What a write left stored: the service's refusal (if any) beside the re-read state. */
function WriteOutcome({ answer, error }: { answer: PoolWriteDto | undefined; error: IpcError | undefined }) {
  if (answer) {
    return (
      <div className="pool-outcome" role="status">
        {answer.error ? <ErrorMessage error={answer.error} /> : null}
        <p className={answer.accepted ? undefined : 'warning'}>
          {answer.accepted ? '' : 'The service refused the change; read again: '}
          {answer.outcome}
        </p>
      </div>
    );
  }
  return error ? <ErrorMessage error={error} /> : null;
}

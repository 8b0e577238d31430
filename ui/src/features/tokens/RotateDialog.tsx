import { useMemo, useState, type FormEvent } from 'react';
import type { TokenRowDto } from '../../ipc/bindings.gen';
import { ErrorMessage } from '../../app/ErrorMessage';
import { Modal } from '../../app/Modal';
import { useContexts } from '../contexts/useContexts';
import { RotationCard } from './RotationCard';
import { addDays, derivedName, hints } from './rules';
import { useRotations, useStartRotation, useTokens } from './useTokens';

interface Props {
  sessions: string[];
  session: string;
  backend: string | null;
  today: string;
  onClose: () => void;
}

/** The Rotate form, then the rotation's live steps. */
export function RotateDialog({ sessions, session: initialSession, backend: initialBackend, today, onClose }: Props) {
  const [session, setSession] = useState(initialSession);
  const tokens = useTokens(session);
  const contexts = useContexts();
  const backends = tokens.data?.backends ?? [];
  const [backend, setBackend] = useState(initialBackend ?? '');
  const chosenBackend = backend || backends[0] || '';
  const link = contexts.data?.links.find((l) => l.service === session && l.backend === chosenBackend);
  const [context, setContext] = useState('');
  const [namespace, setNamespace] = useState('');
  const [secretName, setSecretName] = useState('osmo-operator-token');
  const [secretKey, setSecretKey] = useState('token');
  const [expiresAt, setExpiresAt] = useState(addDays(today, 90));
  const [newName, setNewName] = useState('');
  const [timeout, setTimeoutSecs] = useState('300');
  const [deleteOld, setDeleteOld] = useState(true);
  const [problem, setProblem] = useState<string | null>(null);
  const [rotationId, setRotationId] = useState<string | null>(null);
  const start = useStartRotation();
  const rotations = useRotations();

  const inUse: TokenRowDto | undefined = useMemo(
    () => tokens.data?.rows.find((r) => r.usedBy.includes(chosenBackend)),
    [tokens.data, chosenBackend],
  );
  const chosenContext = context || link?.context || '';
  const chosenNamespace = namespace || link?.operatorNamespace || 'osmo-operator';
  const suggestedName = derivedName(inUse?.name ?? 'backend-token', expiresAt);
  const chosenName = newName || suggestedName;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const h = hints({ owner: 'x', name: chosenName, expiresAt, roles: ['osmo-backend'], forOperator: true }, false, today);
    const secs = Number(timeout);
    const why = !chosenBackend
      ? 'Choose the backend.'
      : !chosenContext
        ? 'Choose the Kubernetes context of the backend’s cluster.'
        : (h.expiresAt ?? h.name ?? (!Number.isInteger(secs) || secs < 10 || secs > 3600 ? 'The heartbeat timeout must be 10 to 3600 seconds.' : null));
    setProblem(why);
    if (why) return;
    start.mutate(
      {
        backend: { service: session, backend: chosenBackend },
        context: chosenContext,
        secretNamespace: chosenNamespace,
        secretName,
        secretKey,
        oldOwner: inUse?.owner ?? null,
        oldName: inUse?.name ?? null,
        newOwner: null,
        newName: chosenName,
        expiresAt,
        heartbeatTimeoutSecs: secs,
        deleteOld,
        pollIntervalSecs: null,
      },
      { onSuccess: (view) => setRotationId(view.id) },
    );
  };

  const running = rotationId ? rotations.data?.find((r) => r.id === rotationId) ?? start.data : null;

  return (
    <Modal open onClose={onClose} label="Rotate a backend’s token" className="form-dialog tokens-dialog rotate-dialog">
      {running ? (
        <div className="rotation-live">
          <h2>Rotating the token of {running.backend}</h2>
          <RotationCard rotation={running} />
          <div className="actions">
            <button type="button" onClick={onClose}>
              {running.running ? 'Close (it keeps running)' : 'Close'}
            </button>
          </div>
        </div>
      ) : (
        <form onSubmit={submit} noValidate>
          <h2>Rotate a backend’s token</h2>
          <label className="field">
            <span>Session</span>
            <select value={session} onChange={(e) => setSession(e.target.value)}>
              {sessions.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
          <div className="field">
            <label htmlFor="rotate-backend">Backend</label>
            <select
              id="rotate-backend"
              value={chosenBackend}
              onChange={(e) => setBackend(e.target.value)}
              aria-describedby="rotate-backend-uses"
              data-autofocus
            >
              {backends.length === 0 ? <option value="">(no backends)</option> : null}
              {backends.map((b) => (
                <option key={b}>{b}</option>
              ))}
            </select>
            <small id="rotate-backend-uses">
              {inUse
                ? `It uses ${inUse.name} (${inUse.owner}), ${inUse.words}.`
                : chosenBackend
                  ? `The app does not know which token ${chosenBackend} uses now; the new token replaces whatever its Secret holds.`
                  : null}
            </small>
          </div>
          <label className="field">
            <span>Kubernetes context</span>
            <select value={chosenContext} onChange={(e) => setContext(e.target.value)}>
              <option value="">(choose)</option>
              {(contexts.data?.contexts ?? []).map((c) => (
                <option key={c.name} value={c.name}>
                  {c.name}
                  {link?.context === c.name ? ' (linked)' : ''}
                </option>
              ))}
            </select>
          </label>
          <div className="row">
            <label className="field">
              <span>Secret namespace</span>
              <input value={chosenNamespace} onChange={(e) => setNamespace(e.target.value)} />
            </label>
            <label className="field">
              <span>Secret name</span>
              <input value={secretName} onChange={(e) => setSecretName(e.target.value)} />
            </label>
            <label className="field">
              <span>Key</span>
              <input value={secretKey} onChange={(e) => setSecretKey(e.target.value)} />
            </label>
          </div>
          <div className="row">
            <label className="field">
              <span>New expiry (UTC, YYYY-MM-DD)</span>
              <input value={expiresAt} onChange={(e) => setExpiresAt(e.target.value)} />
            </label>
            <label className="field">
              <span>New token name</span>
              <input value={chosenName} onChange={(e) => setNewName(e.target.value)} />
            </label>
          </div>
          <label className="field">
            <span>Heartbeat timeout (seconds)</span>
            <input value={timeout} inputMode="numeric" onChange={(e) => setTimeoutSecs(e.target.value)} />
            <small>How long to wait for the backend to come back online after the restart.</small>
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={deleteOld} onChange={(e) => setDeleteOld(e.target.checked)} />
            Delete the old token at the end
          </label>
          <p className="muted">
            Steps: create the new token → write it into the secret (the old value is kept beside it) → restart the
            operator → wait for a heartbeat → delete the old token. A failure stops with the state in words and offers
            Retry or Roll back.
          </p>
          {/* Kept in view at the bottom of a dialog taller than the window, with what went wrong. */}
          <div className="rotate-footer">
            {problem ? <ErrorMessage error={{ code: 'invalid_input', message: problem }} /> : null}
            {start.error ? <ErrorMessage error={start.error} /> : null}
            {tokens.error ? <ErrorMessage error={tokens.error} /> : null}
            <div className="actions">
              <button type="submit" className="primary" disabled={start.isPending}>
                {start.isPending ? 'Starting…' : 'Rotate'}
              </button>
              <button type="button" onClick={onClose}>
                Cancel
              </button>
            </div>
          </div>
        </form>
      )}
    </Modal>
  );
}

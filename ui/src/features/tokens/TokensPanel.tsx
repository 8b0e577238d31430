import { useState } from 'react';
import type { TokenRowDto, TokensNeedingRotationView } from '../../ipc/bindings.gen';
import { ErrorMessage } from '../../app/ErrorMessage';
import { Modal } from '../../app/Modal';
import { useSessions } from '../sessions/useSessions';
import { CreateTokenDialog } from './CreateTokenDialog';
import { RotateDialog } from './RotateDialog';
import { RotationCard } from './RotationCard';
import { todayUtc } from './rules';
import { useDeleteToken, useRotations, useTokens } from './useTokens';
import './tokens.css';

const BADGES: Record<TokenRowDto['badge'], { label: string; className: string }> = {
  expired: { label: 'expired', className: 'expired' },
  expires_soon: { label: 'expires soon', className: 'soon' },
  fine: { label: 'fine', className: 'fine' },
};

/** What the dashboard's "rotate now" asks for. */
export interface RotateRequest {
  session: string;
  backend: string;
}

interface Props {
  /** Open the Rotate form for this backend on arrival. */
  rotate?: RotateRequest | null;
  /** The Rotate form opened for `rotate` was closed. */
  onRotateClosed?: () => void;
}

export function TokensPanel({ rotate, onRotateClosed }: Props) {
  const sessions = useSessions();
  const signedIn = (sessions.data?.sessions ?? []).filter((s) => s.status.state === 'signed_in').map((s) => s.name);
  // The dashboard's "rotate now" arrives with the screen: the form opens for that backend.
  const [picked, setPicked] = useState<string | null>(rotate?.session ?? null);
  const session = picked && signedIn.includes(picked) ? picked : (signedIn[0] ?? null);
  const tokens = useTokens(session);
  const rotations = useRotations();
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<TokenRowDto | null>(null);
  const [rotating, setRotating] = useState<{ backend: string | null; session: string } | null>(
    rotate ? { session: rotate.session, backend: rotate.backend } : null,
  );
  const today = tokens.data?.today ?? todayUtc();

  const open = (rotations.data ?? []).filter((r) => r.status !== 'completed' && r.status !== 'rolled_back');
  const done = (rotations.data ?? []).filter((r) => r.status === 'completed' || r.status === 'rolled_back');

  return (
    <div className="tokens-panel">
      {open.length > 0 ? (
        <section aria-label="Rotations needing attention" className="rotations">
          <h2>Rotations</h2>
          {open.map((r) => (
            <RotationCard key={r.id} rotation={r} />
          ))}
        </section>
      ) : null}
      {sessions.isSuccess && signedIn.length === 0 ? (
        <p className="muted" role="note">
          No signed-in OSMO service: add one and sign in on the Connections screen to see its tokens.
        </p>
      ) : null}
      {session ? (
        <>
          <div className="tokens-toolbar">
            <label className="field inline">
              <span>Session</span>
              <select value={session} onChange={(e) => setPicked(e.target.value)}>
                {signedIn.map((s) => (
                  <option key={s}>{s}</option>
                ))}
              </select>
            </label>
            {tokens.data ? (
              <span className="muted">
                OSMO {tokens.data.dialect} · “expires soon” within {tokens.data.warningDays} days · today {today} (UTC)
              </span>
            ) : null}
            <span className="spacer" />
            <button type="button" className="primary" onClick={() => setCreating(true)}>
              Create token
            </button>
            <button type="button" onClick={() => setRotating({ session, backend: null })}>
              Rotate a backend’s token…
            </button>
          </div>
          {tokens.error ? <ErrorMessage error={tokens.error} /> : null}
          {tokens.isPending ? <p className="muted">Loading tokens…</p> : null}
          {tokens.data ? (
            <TokenTable
              rows={tokens.data.rows}
              onDelete={setDeleting}
              onRotate={(backend) => setRotating({ session, backend })}
            />
          ) : null}
          {tokens.data?.useNotes.map((note) => (
            <p key={note} className="muted use-note">
              {note}
            </p>
          ))}
        </>
      ) : null}
      {done.length > 0 ? (
        <details className="rotations-done">
          <summary>Finished rotations of this run ({done.length})</summary>
          {done.map((r) => (
            <RotationCard key={r.id} rotation={r} />
          ))}
        </details>
      ) : null}
      {creating && session ? (
        <CreateTokenDialog
          session={session}
          needsOwner={tokens.data?.dialect === '6.2+'}
          today={today}
          onClose={() => setCreating(false)}
        />
      ) : null}
      {deleting && session ? (
        <DeleteTokenDialog session={session} token={deleting} onClose={() => setDeleting(null)} />
      ) : null}
      {rotating ? (
        <RotateDialog
          sessions={signedIn}
          session={rotating.session}
          backend={rotating.backend}
          today={today}
          onClose={() => {
            setRotating(null);
            onRotateClosed?.();
          }}
        />
      ) : null}
    </div>
  );
}

function TokenTable({
  rows,
  onDelete,
  onRotate,
}: {
  rows: TokenRowDto[];
  onDelete: (row: TokenRowDto) => void;
  onRotate: (backend: string) => void;
}) {
  if (rows.length === 0) return <p className="muted">No tokens on this service.</p>;
  return (
    <table className="tokens-table">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Expires</th>
          <th scope="col">Owner</th>
          <th scope="col">Roles</th>
          <th scope="col">Description</th>
          <th scope="col">Used by</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.owner}/${r.name}`} data-token={r.name}>
            <th scope="row">{r.name}</th>
            <td>
              <span className={`badge ${BADGES[r.badge].className}`}>{BADGES[r.badge].label}</span>{' '}
              <span title={`${r.expiresOn} (UTC)`}>
                {r.expiresOn} · {r.words}
              </span>
            </td>
            <td>
              {r.owner}
              {r.kind === 'own' ? <span className="muted"> · personal</span> : null}
            </td>
            <td>{r.roles.join(', ')}</td>
            <td>{r.description}</td>
            <td>{r.usedBy.length > 0 ? r.usedBy.join(', ') : <span className="muted">unknown</span>}</td>
            <td>
              <div className="row-actions">
                {r.usedBy.map((b) => (
                  <button key={b} type="button" onClick={() => onRotate(b)}>
                    Rotate {b}…
                  </button>
                ))}
                <button type="button" className="danger" onClick={() => onDelete(r)}>
                  Delete
                </button>
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function DeleteTokenDialog({ session, token, onClose }: { session: string; token: TokenRowDto; onClose: () => void }) {
  const del = useDeleteToken(session);
  const who = token.owner === token.name ? token.name : `${token.name} of ${token.owner}`;
  return (
    <Modal open onClose={onClose} label="Delete token" className="form-dialog tokens-dialog">
      <div className="confirm">
        <h2>Delete token {who}?</h2>
        {token.usedBy.length > 0 ? (
          <p role="alert" className="warning">
            <strong>
              {token.usedBy.length === 1 ? 'Backend' : 'Backends'} {token.usedBy.join(', ')}{' '}
              {token.usedBy.length === 1 ? 'uses' : 'use'} this token and will stop working
            </strong>{' '}
            (offline, “Token is expired” or refused) until {token.usedBy.length === 1 ? 'its' : 'their'} operator gets
            another token. Rotate instead to replace it safely.
          </p>
        ) : (
          <p>No backend is known to use it; a backend or script using it without this app knowing stops working.</p>
        )}
        <p>The service deletes it at once; this cannot be undone.</p>
        {del.error ? <ErrorMessage error={del.error} /> : null}
        <div className="actions">
          <button
            type="button"
            className="danger"
            disabled={del.isPending}
            onClick={() => del.mutate({ owner: token.owner, name: token.name, kind: token.kind }, { onSuccess: onClose })}
          >
            {del.isPending ? 'Deleting…' : 'Delete token'}
          </button>
          <button type="button" onClick={onClose} data-autofocus>
            Cancel
          </button>
        </div>
      </div>
    </Modal>
  );
}

/** The dashboard's banner: tokens in use that expire soon or expired, with "rotate now". */
export function TokensNeedingRotationBanner({
  view,
  onRotate,
}: {
  view: TokensNeedingRotationView | undefined;
  onRotate: (request: RotateRequest) => void;
}) {
  if (!view || view.count === 0) return null;
  return (
    <section className="needing-rotation" role="status" aria-label="Tokens needing rotation">
      <strong>
        {view.count} token{view.count === 1 ? '' : 's'} in use {view.count === 1 ? 'needs' : 'need'} rotating
      </strong>
      <ul>
        {view.tokens.map((t) => (
          <li key={`${t.session}/${t.owner}/${t.name}`}>
            {t.name} ({t.session}) used by {t.usedBy.join(', ')}: {t.words}{' '}
            <button type="button" onClick={() => onRotate({ session: t.session, backend: t.usedBy[0] ?? '' })}>
              Rotate now
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

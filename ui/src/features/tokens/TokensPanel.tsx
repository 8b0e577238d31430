import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { TokenNeedingRotationDto, TokenRowDto, TokensNeedingRotationView } from '../../ipc/bindings.gen';
import { ErrorMessage } from '../../app/ErrorMessage';
import { Day } from '../../app/time';
import { useSessions } from '../sessions/useSessions';
import { CreateTokenDialog } from './CreateTokenDialog';
import { DeleteTokenDialog } from './DeleteTokenDialog';
import { RotateDialog } from './RotateDialog';
import { RotationCard } from './RotationCard';
import { todayUtc } from './rules';
import { ServiceAccounts } from './ServiceAccounts';
import { TokenTable } from './TokenTable';
import { useRotations, useTokens } from './useTokens';
import './tokens.css';

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
  /** Open the Create form for this session on arrival (the command palette's "Create a token on …"). */
  createOn?: string | null;
}

export function TokensPanel({ rotate, onRotateClosed, createOn }: Props) {
  const sessions = useSessions();
  const signedIn = (sessions.data?.sessions ?? []).filter((s) => s.status.state === 'signed_in').map((s) => s.name);
  // The dashboard's "rotate now" arrives with the screen: the form opens for that backend.
  const [picked, setPicked] = useState<string | null>(rotate?.session ?? createOn ?? null);
  const session = picked && signedIn.includes(picked) ? picked : (signedIn[0] ?? null);
  const tokens = useTokens(session);
  const rotations = useRotations();
  const [creating, setCreating] = useState(Boolean(createOn));
  const [deleting, setDeleting] = useState<TokenRowDto | null>(null);
  const [rotating, setRotating] = useState<{ backend: string | null; session: string } | null>(
    rotate ? { session: rotate.session, backend: rotate.backend } : null,
  );
  // What the last delete did ("Token X deleted."), kept until the next action starts.
  const [deleted, setDeleted] = useState<string | null>(null);
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
            <button
              type="button"
              className="primary"
              onClick={() => {
                setDeleted(null);
                setCreating(true);
              }}
            >
              Create token
            </button>
            <button
              type="button"
              onClick={() => {
                setDeleted(null);
                setRotating({ session, backend: null });
              }}
            >
              Rotate a backend’s token…
            </button>
          </div>
          {deleted ? (
            <p role="status" className="ok tokens-deleted">
              {deleted}
            </p>
          ) : null}
          {tokens.error ? <ErrorMessage error={tokens.error} /> : null}
          {tokens.isPending ? <p className="muted">Loading tokens…</p> : null}
          {tokens.data ? (
            <TokenTable
              rows={tokens.data.rows}
              onDelete={(row) => {
                setDeleted(null);
                setDeleting(row);
              }}
              onRotate={(backend) => {
                setDeleted(null);
                setRotating({ session, backend });
              }}
            />
          ) : null}
          {tokens.data?.useNotes.map((note) => (
            <p key={note} className="muted use-note">
              {note}
            </p>
          ))}
          <ServiceAccounts session={session} rows={tokens.data?.rows} />
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
        <DeleteTokenDialog
          session={session}
          token={deleting}
          rows={tokens.data?.rows ?? []}
          onDeleted={(done) => {
            setDeleting(null);
            setDeleted(done);
          }}
          onClose={() => setDeleting(null)}
        />
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

/** "Show all N": the list opens over the page and closes again with Escape or a click elsewhere. */
function AllTokens({ count, children }: { count: number; children: ReactNode }) {
  const details = useRef<HTMLDetailsElement>(null);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (!open) return;
    const close = () => {
      if (details.current) details.current.open = false;
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') close();
    };
    const onClick = (e: MouseEvent) => {
      if (!details.current?.contains(e.target as Node)) close();
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onClick);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onClick);
    };
  }, [open]);
  return (
    <details ref={details} className="needing-rotation-more" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Show all {count}</summary>
      <ul>{children}</ul>
    </details>
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
  // One line, whatever the count: the most urgent token (expired first, then the soonest to
  // expire), cut short if the window is narrow, and every token behind "Show all N", which opens
  // over the page. The dashboard under it does not move when tokens are found later (a service
  // signing in, the sandbox's cluster coming up).
  const tokens = [...view.tokens].sort((a, b) => a.expiresOn.localeCompare(b.expiresOn));
  const first = tokens[0];
  if (!first) return null;
  const item = (t: TokenNeedingRotationDto) => (
    <li key={`${t.session}/${t.owner}/${t.name}`}>
      {/* What matters first, so a narrow window cuts the least of it. */}
      <span className="needing-rotation-token" title={`${t.name} (${t.session}): ${t.words} (${t.expiresOn}); used by ${t.usedBy.join(', ')}`}>
        {t.name} ({t.session}): <Day date={t.expiresOn} words={t.words} />; used by {t.usedBy.join(', ')}
      </span>{' '}
      <button type="button" onClick={() => onRotate({ session: t.session, backend: t.usedBy[0] ?? '' })}>
        Rotate now
      </button>
    </li>
  );
  return (
    <section className="needing-rotation" role="status" aria-label="Tokens needing rotation">
      <div className="needing-rotation-line">
        <strong>
          {view.count} token{view.count === 1 ? '' : 's'} in use {view.count === 1 ? 'needs' : 'need'} rotating:
        </strong>
        <ul className="needing-rotation-first">{item(first)}</ul>
        {tokens.length > 1 ? <AllTokens count={tokens.length}>{tokens.map(item)}</AllTokens> : null}
      </div>
    </section>
  );
}

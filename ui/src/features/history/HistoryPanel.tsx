// The History screen: pick a signed-in service and Backends or Pools, then its revisions newest
// first, comparing any two, tagging, and rolling every backend or pool back to one (KindHistory).
import { useState } from 'react';
import type { ConfigKindDto } from '../../ipc/bindings.gen';
import { useSessions } from '../sessions/useSessions';
import { KindHistory } from './KindHistory';
import { KIND_WORDS } from './words';

const KINDS: ConfigKindDto[] = ['backend', 'pool'];

export function HistoryPanel() {
  const sessions = useSessions();
  const signedIn = (sessions.data?.sessions ?? []).filter((s) => s.status.state === 'signed_in').map((s) => s.name);
  const [picked, setPicked] = useState<string | null>(null);
  const service = picked && signedIn.includes(picked) ? picked : (signedIn[0] ?? null);
  const [kind, setKind] = useState<ConfigKindDto>('backend');

  if (sessions.isSuccess && signedIn.length === 0) {
    return (
      <p className="muted" role="note">
        No signed-in OSMO service: add one and sign in on the Connections screen to see its config history.
      </p>
    );
  }
  if (!service) return sessions.isPending ? <p className="muted">Reading the OSMO services…</p> : null;
  return (
    <div className="history-panel">
      <div className="history-toolbar">
        <label className="field inline">
          <span>Service</span>
          <select value={service} onChange={(e) => setPicked(e.target.value)}>
            {signedIn.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <div className="history-kinds" role="group" aria-label="Config type">
          {KINDS.map((k) => (
            <button key={k} type="button" aria-pressed={kind === k} onClick={() => setKind(k)}>
              {KIND_WORDS[k].title}
            </button>
          ))}
        </div>
      </div>
      {/* A fresh comparison and rollback per service and type. */}
      <KindHistory key={`${service}/${kind}`} service={service} kind={kind} />
    </div>
  );
}

// "Why is it offline?" (or an online backend's health check): the ordered checks, the first failure
// marked, and its next step offered in place: link a Kubernetes context, or rotate the token.
import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { BackendRef, CheckDto, DiagnosisDto } from '../../ipc/bindings.gen';
import { ErrorMessage } from '../../app/ErrorMessage';
import { useContexts, useLinkBackend } from '../contexts/useContexts';
import { RotateDialog } from '../tokens/RotateDialog';
import { todayUtc } from '../tokens/rules';
import { DASHBOARD_KEY, detailKey } from './useDashboard';

const VERDICT_MARK = { pass: '✓', fail: '✗', warn: '!', skipped: '–' } as const;

/** The operator namespace the guide uses (the link's default). */
const DEFAULT_OPERATOR_NAMESPACE = 'osmo-operator';

/** `title`: "Why is it offline" or "Health check"; `onRecheck` runs the checks again. */
export function DiagnosisView({
  diagnosis,
  title,
  onRecheck,
}: {
  diagnosis: DiagnosisDto;
  title: string;
  onRecheck: () => void;
}) {
  const backend: BackendRef = { service: diagnosis.session, backend: diagnosis.backend };
  const [rotating, setRotating] = useState(false);
  return (
    <section className={diagnosis.healthy ? 'diagnosis healthy' : 'diagnosis'} aria-label={title}>
      <p>
        <strong>{diagnosis.summary}</strong>
      </p>
      <ol className="checks" aria-label="Checks">
        {diagnosis.checks.map((c, i) => (
          <li
            key={c.kind}
            className={`check ${c.verdict}${i === diagnosis.firstFailure ? ' first-failure' : ''}`}
            aria-current={i === diagnosis.firstFailure ? 'step' : undefined}
          >
            <span className="mark" aria-hidden="true">
              {VERDICT_MARK[c.verdict]}
            </span>{' '}
            <strong>{c.title}</strong> <span className="verdict">{c.verdict}</span>: {c.finding}
            {c.nextStep ? <div className="next-step">Next step: {c.nextStep}</div> : null}
            <InPlace check={c} first={i === diagnosis.firstFailure} backend={backend} onRecheck={onRecheck} onRotate={() => setRotating(true)} />
          </li>
        ))}
      </ol>
      {rotating ? (
        <RotateDialog
          sessions={[diagnosis.session]}
          session={diagnosis.session}
          backend={diagnosis.backend}
          today={todayUtc()}
          onClose={() => {
            setRotating(false);
            onRecheck();
          }}
        />
      ) : null}
    </section>
  );
}

/** The action a check's next step names, offered beside it. */
function InPlace({
  check,
  first,
  backend,
  onRecheck,
  onRotate,
}: {
  check: CheckDto;
  first: boolean;
  backend: BackendRef;
  onRecheck: () => void;
  onRotate: () => void;
}) {
  const [linking, setLinking] = useState(false);
  // Offered where the checks name it as the next step (not behind a missing link, which comes first).
  if (check.kind === 'TokenExpiry' && check.nextStep && (check.verdict === 'fail' || check.verdict === 'warn')) {
    return (
      <div className="in-place">
        <button type="button" className={first ? 'primary' : undefined} onClick={onRotate}>
          Rotate now
        </button>
      </div>
    );
  }
  if (check.kind !== 'ContextLinked' || check.verdict === 'pass') return null;
  // A failing link check gets the form at once; a hint (online backend) on request.
  if (check.verdict !== 'fail' && !linking) {
    return (
      <div className="in-place">
        <button type="button" onClick={() => setLinking(true)}>
          Link a context…
        </button>
      </div>
    );
  }
  return <LinkInPlace backend={backend} onLinked={onRecheck} />;
}

/** Links the backend to a kubeconfig context (the Connections screen's `link_backend`), then checks again. */
function LinkInPlace({ backend, onLinked }: { backend: BackendRef; onLinked: () => void }) {
  const contexts = useContexts();
  const link = useLinkBackend();
  const client = useQueryClient();
  const [context, setContext] = useState('');
  const [namespace, setNamespace] = useState(DEFAULT_OPERATOR_NAMESPACE);
  const view = contexts.data;
  if (contexts.error) return <ErrorMessage error={contexts.error} />;
  if (!view) return <p className="muted">Loading the Kubernetes contexts…</p>;
  if (view.contexts.length === 0) {
    return (
      <p className="muted in-place">
        No Kubernetes context is known: add the kubeconfig file of {backend.backend}’s cluster on Connections, then link
        it here.
      </p>
    );
  }
  const chosen = context || view.currentContext || view.contexts[0]?.name || '';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    link.mutate(
      { backend, context: chosen, operatorNamespace: namespace.trim() || null },
      {
        onSuccess: () => {
          void client.invalidateQueries({ queryKey: DASHBOARD_KEY });
          void client.invalidateQueries({ queryKey: detailKey(backend) });
          onLinked();
        },
      },
    );
  };
  return (
    <form className="in-place link-in-place" onSubmit={submit} aria-label={`Link ${backend.backend} to a context`}>
      <label className="field">
        <span>Context</span>
        <select value={chosen} onChange={(e) => setContext(e.target.value)}>
          {view.contexts.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Operator namespace</span>
        <input value={namespace} onChange={(e) => setNamespace(e.target.value)} />
      </label>
      <button type="submit" className="primary" disabled={link.isPending}>
        {link.isPending ? 'Linking…' : 'Link and check again'}
      </button>
      {link.error ? <ErrorMessage error={link.error} /> : null}
    </form>
  );
}

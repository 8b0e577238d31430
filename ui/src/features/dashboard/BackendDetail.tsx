// A backend's detail: links, uptime and its timeline, fields, pools, config history, the cluster
// side when a context is linked, and "Why is it offline?".
import type { ClusterSideDto, DiagnosisDto, UptimeDto } from '../../ipc/bindings.gen';
import { call } from '../../ipc/client';
import { ErrorMessage } from '../../app/ErrorMessage';
import { relativeTime, utcTime, When } from '../../app/time';
import { useBackendDetail, useDiagnose, useSetNotifications } from './useDashboard';
import { useState } from 'react';
import { SchedulerDialog } from '../scheduler/SchedulerDialog';
import { STORED_VALUES_INTRO } from './columns';
import { BackendPools } from '../pools/BackendPools';
import { DeleteBackendDialog } from './DeleteBackendDialog';

/** An uptime ratio as a percentage ("99.5 %"). */
function percent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined) return 'unknown';
  return `${(ratio * 100).toFixed(ratio >= 0.9995 || ratio === 0 ? 0 : 1)} %`;
}

const VERDICT_MARK = { pass: '✓', fail: '✗', warn: '!', skipped: '–' } as const;

/** `warnings`: what the service stored for this backend that the app did not expect (from its dashboard row). */
export function BackendDetail({
  session,
  backend,
  warnings,
  onClose,
}: {
  session: string;
  backend: string;
  warnings: string[];
  onClose: () => void;
}) {
  const ref = { service: session, backend };
  const detail = useBackendDetail(ref);
  const diagnose = useDiagnose();
  const notifications = useSetNotifications();
  const [editingScheduler, setEditingScheduler] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const d = detail.data;
  // The switch's new state while the core records it (a controlled checkbox would spring back).
  const [switching, setSwitching] = useState<boolean | null>(null);
  return (
    <div className="backend-detail">
      <header className="card-header">
        <h2>
          {backend} <span className="muted">({session})</span>{' '}
          {d ? <span className={d.online ? 'badge ok' : 'badge offline'}>{d.online ? 'online' : 'offline'}</span> : null}
        </h2>
        <button type="button" onClick={onClose} data-autofocus>
          Close
        </button>
      </header>
      <div className="detail-actions">
        <button
          type="button"
          className="primary"
          disabled={diagnose.isPending}
          onClick={() => diagnose.mutate(ref)}
        >
          {diagnose.isPending ? 'Checking…' : 'Why is it offline?'}
        </button>
        <button type="button" onClick={() => setEditingScheduler(true)}>
          Scheduler settings…
        </button>
        {d?.dashboardUrl ? (
          <button type="button" onClick={() => void call('open_in_browser', { url: d.dashboardUrl ?? '' })}>
            Open dashboard
          </button>
        ) : null}
        {d?.grafanaUrl ? (
          <button type="button" onClick={() => void call('open_in_browser', { url: d.grafanaUrl ?? '' })}>
            Open Grafana
          </button>
        ) : null}
        <button type="button" className="danger-quiet" onClick={() => setDeleting(true)}>
          Delete backend…
        </button>
        {d ? (
          <label className="checkbox">
            <input
              type="checkbox"
              checked={switching ?? d.notify}
              disabled={notifications.isPending}
              onChange={(e) => {
                const on = e.target.checked;
                setSwitching(on);
                notifications.mutate({ backend: ref, on }, { onSettled: () => setSwitching(null) });
              }}
            />
            Notify when it goes offline or comes back
          </label>
        ) : null}
      </div>
      {deleting ? (
        <DeleteBackendDialog
          backend={ref}
          onClose={() => setDeleting(false)}
          onDeleted={() => {
            setDeleting(false);
            onClose();
          }}
        />
      ) : null}
      {editingScheduler ? (
        <SchedulerDialog session={session} backend={backend} onClose={() => setEditingScheduler(false)} />
      ) : null}
      {notifications.error ? <ErrorMessage error={notifications.error} /> : null}
      {diagnose.error ? <ErrorMessage error={diagnose.error} /> : null}
      {diagnose.data ? <DiagnosisView diagnosis={diagnose.data} /> : null}
      {warnings.length > 0 ? (
        <section className="stored-values" aria-label="Unexpected stored values">
          <p className="warning">{STORED_VALUES_INTRO}</p>
          <ul className="small">
            {warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </section>
      ) : null}
      {detail.error ? <ErrorMessage error={detail.error} /> : null}
      {detail.isPending ? <p className="muted">Loading the backend…</p> : null}
      {d ? (
        <>
          <section aria-label="Uptime">
            <h3>Uptime</h3>
            <UptimeView uptime={d.uptime} />
          </section>
          <section aria-label="Pools">
            <h3>Pools</h3>
            <BackendPools backend={ref} />
          </section>
          <section aria-label="Cluster side">
            <h3>Cluster side</h3>
            {d.link ? (
              <p>
                Linked to context <strong>{d.link.context}</strong>, operator namespace{' '}
                <code>{d.link.operatorNamespace}</code>.
              </p>
            ) : (
              <p className="muted">No Kubernetes context is linked to this backend (link one on Connections).</p>
            )}
            {d.clusterError ? <p className="warning">{d.clusterError}</p> : null}
            {d.cluster ? <ClusterView cluster={d.cluster} /> : null}
          </section>
          <section aria-label="Config history">
            <h3>Config history</h3>
            {d.configHistoryError ? <p className="warning">{d.configHistoryError}</p> : null}
            {d.configHistory.length === 0 && !d.configHistoryError ? (
              <p className="muted">No recorded change of this backend.</p>
            ) : null}
            <ol className="config-history">
              {d.configHistory.map((c) => (
                <li key={c.revision}>
                  <div>
                    <strong>r{c.revision}</strong> {c.username || 'unknown'} · <When iso={c.createdAt} none="at an unknown time" />
                    {c.description ? <> — {c.description}</> : null}
                    {c.about !== backend ? <span className="muted"> (about {c.about})</span> : null}
                  </div>
                  <ul className="small">
                    {c.changes.map((f) => (
                      <li key={f.field}>
                        <code>{f.field}</code>: {f.before ?? '(none)'} → {f.after ?? '(none)'}
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ol>
          </section>
          <section aria-label="Fields">
            <h3>Fields</h3>
            <table className="fields">
              <tbody>
                {d.fields.map((f) => (
                  <tr key={f.name}>
                    <th scope="row">{f.name}</th>
                    <td>{f.value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      ) : null}
    </div>
  );
}

function DiagnosisView({ diagnosis }: { diagnosis: DiagnosisDto }) {
  return (
    <section className="diagnosis" aria-label="Why is it offline">
      <p>
        <strong>{diagnosis.summary}</strong>
      </p>
      {diagnosis.clusterError ? <p className="warning">Cluster checks not run: {diagnosis.clusterError}</p> : null}
      {!diagnosis.linked ? (
        <p className="muted small">No context is linked, so the cluster checks were skipped.</p>
      ) : null}
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
          </li>
        ))}
      </ol>
    </section>
  );
}

/** When a timeline segment starts: "3 h ago (2026-06-12 09:59 UTC)". */
function segmentStart(from: number, now: number): string {
  const iso = new Date(from).toISOString();
  return `${relativeTime(iso, now)} (${utcTime(iso)})`;
}

function UptimeView({ uptime }: { uptime: UptimeDto }) {
  const start = Date.parse(uptime.since);
  const end = Date.parse(uptime.now);
  const span = Math.max(1, end - start);
  // Segments between changes; unknown before the first known state.
  const segments: { from: number; to: number; online: boolean | null }[] = [];
  let at = start;
  let state: boolean | null = uptime.stateAtSince;
  for (const c of uptime.changes) {
    const t = Date.parse(c.at);
    if (t > at) segments.push({ from: at, to: t, online: state });
    at = Math.max(at, t);
    state = c.online;
  }
  segments.push({ from: at, to: end, online: state });
  return (
    <div>
      <p>
        Last 24 h: <strong>{percent(uptime.lastDay)}</strong> · last 7 days: <strong>{percent(uptime.lastWeek)}</strong>
      </p>
      {uptime.error ? <p className="warning">{uptime.error}</p> : null}
      <div className="timeline" role="img" aria-label="Status over the last 7 days">
        {segments.map((s) => (
          <span
            key={s.from}
            className={s.online === null ? 'seg unknown' : s.online ? 'seg up' : 'seg down'}
            style={{ width: `${((s.to - s.from) / span) * 100}%` }}
            title={`${s.online === null ? 'unknown' : s.online ? 'online' : 'offline'} from ${segmentStart(s.from, end)}`}
          />
        ))}
      </div>
      <div className="timeline-axis small muted">
        <span>7 days ago</span>
        <span>now</span>
      </div>
    </div>
  );
}

function ClusterView({ cluster }: { cluster: ClusterSideDto }) {
  const ns = (n: ClusterSideDto['operatorNamespace']) =>
    n.error ? `${n.name}: ${n.error}` : `${n.name}: ${n.present ? 'present' : 'missing'}`;
  return (
    <div className="cluster-side">
      <p>
        Namespaces: {ns(cluster.operatorNamespace)}; {ns(cluster.workflowNamespace)}
      </p>
      <p>
        Token secret:{' '}
        {cluster.tokenSecretError
          ? cluster.tokenSecretError
          : cluster.tokenSecret
            ? `${cluster.tokenSecret.namespace}/${cluster.tokenSecret.name} key ${cluster.tokenSecret.key}: ${
                !cluster.tokenSecret.present
                  ? 'missing'
                  : !cluster.tokenSecret.keyPresent
                    ? 'key missing'
                    : cluster.tokenSecret.nonEmpty
                      ? 'present'
                      : 'empty'
              }`
            : 'unknown'}
        {cluster.tokenSecret?.lastChanged && !cluster.tokenSecretError ? (
          <>
            , last changed <When iso={cluster.tokenSecret.lastChanged} />
          </>
        ) : null}
      </p>
      {cluster.deploymentsError ? <p className="warning">Deployments: {cluster.deploymentsError}</p> : null}
      <ul>
        {cluster.deployments.map((dep) => (
          <li key={dep.name}>
            <code>{dep.name}</code>: {dep.readyReplicas}/{dep.desiredReplicas} ready
            {dep.pods
              ? `, ${dep.pods.running}/${dep.pods.total} pods running, ${dep.pods.restarts} restarts${
                  dep.pods.lastTerminationReason ? `, last termination: ${dep.pods.lastTerminationReason}` : ''
                }${dep.pods.waitingReasons.length ? `, waiting: ${dep.pods.waitingReasons.join(', ')}` : ''}`
              : dep.podsError
                ? `, pods: ${dep.podsError}`
                : ''}
          </li>
        ))}
        {cluster.missingDeployments.map((m) => (
          <li key={m} className="warning">
            <code>{m}</code>: missing
          </li>
        ))}
      </ul>
      <h4>Recent events</h4>
      {cluster.eventsError ? <p className="warning">{cluster.eventsError}</p> : null}
      {cluster.events.length === 0 && !cluster.eventsError ? <p className="muted">No recent events.</p> : null}
      <ul className="small">
        {cluster.events.map((e, i) => (
          <li key={`${e.object}-${e.reason}-${i}`} className={e.type === 'Warning' ? 'warning' : undefined}>
            {e.type} {e.reason} on {e.object} (×{e.count}){e.lastTime ? (
              <>
                , <When iso={e.lastTime} />
              </>
            ) : null}
            : {e.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

// A backend's detail: links, uptime and its timeline, fields, pools, config history, the cluster
// side when a context is linked, and its checks: "Why is it offline?", or for an online backend
// "Check its health".
import type { ClusterSideDto } from '../../ipc/bindings.gen';
import { call } from '../../ipc/client';
import { ErrorMessage } from '../../app/ErrorMessage';
import { When } from '../../app/time';
import { useBackendDetail, useDiagnose, useSetNotifications } from './useDashboard';
import { useState } from 'react';
import { SchedulerDialog } from '../scheduler/SchedulerDialog';
import { STORED_VALUES_INTRO } from './columns';
import { BackendPools } from '../pools/BackendPools';
import { DeleteBackendDialog } from './DeleteBackendDialog';
import { DiagnosisView } from './Diagnosis';
import { UptimeView } from './Uptime';

/**
 * `warnings`: what the service stored for this backend that the app did not expect (from its
 * dashboard row); `online`: the row's state, until the detail is read.
 */
export function BackendDetail({
  session,
  backend,
  warnings,
  online,
  onClose,
}: {
  session: string;
  backend: string;
  warnings: string[];
  online: boolean;
  onClose: () => void;
}) {
  const ref = { service: session, backend };
  const detail = useBackendDetail(ref);
  const diagnose = useDiagnose();
  const notifications = useSetNotifications();
  const [editingScheduler, setEditingScheduler] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const d = detail.data;
  const isOnline = d?.online ?? online;
  // The title of the last checks run, as the backend was when they were asked for.
  const [checked, setChecked] = useState('');
  const check = () => {
    setChecked(isOnline ? 'Health check' : 'Why is it offline');
    diagnose.mutate(ref);
  };
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
          onClick={check}
        >
          {diagnose.isPending ? 'Checking…' : isOnline ? 'Check its health' : 'Why is it offline?'}
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
      {diagnose.data ? <DiagnosisView diagnosis={diagnose.data} title={checked} onRecheck={check} /> : null}
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

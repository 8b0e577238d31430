import type { SandboxServiceDto, SandboxView } from '../../ipc/bindings.gen';
import { ErrorMessage } from '../../app/ErrorMessage';
import { useSandbox, useSandboxState, useSandboxSummary, useStartSandbox, useStopSandbox } from './useSandbox';
import { Day, daysUntil, useToday, When } from '../../app/time';

const BADGE_TEXT = { expired: 'expired', soon: 'expires soon', fine: 'fine' } as const;
/** Days left at or below which a sandbox token is "expires soon" (the app's default setting). */
const SOON_DAYS = 7;

/** OSMO treats a token as expired on its expiry day. */
function expiryBadge(date: string, now: number): keyof typeof BADGE_TEXT {
  const days = daysUntil(date, now);
  if (days <= 0) return 'expired';
  return days <= SOON_DAYS ? 'soon' : 'fine';
}

/** Offered when no OSMO service is configured: what the sandbox is, and a button to start it. */
export function SandboxOffer() {
  const sandbox = useSandboxState();
  const start = useStartSandbox();
  const state = sandbox?.state;
  if (state === 'running') return null;
  return (
    <section className="card sandbox-offer" aria-labelledby="sandbox-offer-title">
      <h2 id="sandbox-offer-title">No OSMO service yet? Try the sandbox</h2>
      <p>
        The sandbox starts two simulated OSMO services on this computer (API 6.0 and 6.4) with a
        few backends — one of them offline — and service tokens that are expired, about to expire,
        and fine. When the local Kubernetes API server is built, a simulated backend operator runs
        in it and reads its token from a real Secret. Nothing leaves this computer.
      </p>
      <button
        type="button"
        className="primary"
        disabled={state === 'starting' || start.isPending}
        onClick={() => start.mutate()}
      >
        {state === 'starting' || start.isPending ? 'Starting the sandbox…' : 'Start the sandbox'}
      </button>
      {sandbox?.state === 'failed' && sandbox.error ? (
        <ErrorMessage error={{ code: 'internal', message: sandbox.error }} />
      ) : null}
      {start.error ? <ErrorMessage error={start.error} /> : null}
    </section>
  );
}

/** On the working screens: that the sandbox runs, and where its world is described. */
export function SandboxPointer({ onOpen }: { onOpen: () => void }) {
  const sandbox = useSandboxSummary();
  if (!sandbox) return null;
  return (
    <section className="card" aria-labelledby="sandbox-pointer-title">
      <h2 id="sandbox-pointer-title">
        <span className="sandbox-badge">Sandbox</span> The sandbox is running
      </h2>
      <p>
        {sandbox.services} simulated services with {sandbox.backends} backends ({sandbox.offline} offline).
        {sandbox.hasCluster ? ' Its local cluster is the Kubernetes context osmo-sandbox for this run.' : ''}
        {sandbox.clusterStarting ? ' Its local cluster is starting.' : ''} What it simulates is described on
        Connections.
      </p>
      <button type="button" className="primary" onClick={onOpen}>
        See the sandbox on Connections
      </button>
    </section>
  );
}

/** The running sandbox: its services, backends, tokens and cluster. */
export function SandboxPanel() {
  const sandbox = useSandbox();
  const stop = useStopSandbox();
  const view: SandboxView | undefined = sandbox.data;
  if (!view || view.state !== 'running') return <SandboxOffer />;
  return (
    <section className="card sandbox" aria-labelledby="sandbox-title">
      <header className="card-header">
        <h2 id="sandbox-title">
          <span className="sandbox-badge">Sandbox</span> Simulated OSMO services
        </h2>
        <button type="button" onClick={() => stop.mutate()}>
          Stop the sandbox
        </button>
      </header>
      <ClusterLine view={view} />
      {view.services.map((service) => (
        <ServiceCard key={service.name} service={service} />
      ))}
    </section>
  );
}

/** The local cluster: starting (said politely to screen readers), its address, or why there is none. */
function ClusterLine({ view }: { view: SandboxView }) {
  if (view.clusterState === 'starting') {
    return (
      <p className="muted sandbox-cluster starting" role="status">
        {view.clusterNote}
      </p>
    );
  }
  return (
    <p className="muted sandbox-cluster">
      {view.clusterServer ? (
        <>
          Local Kubernetes API server at <code>{view.clusterServer}</code>, kubeconfig{' '}
          <code>{view.clusterKubeconfig}</code>.
        </>
      ) : (
        <>No local Kubernetes cluster, so the simulated operator holds its token in memory: {view.clusterNote}</>
      )}
    </p>
  );
}

function ServiceCard({ service }: { service: SandboxServiceDto }) {
  const today = useToday();
  return (
    <article className="sandbox-service" aria-label={service.name}>
      <h3>
        {service.name} <span className="muted">OSMO {service.version}</span>
      </h3>
      <p className="muted">
        <code>{service.url}</code> · {service.operatorWhere}
      </p>
      <table>
        <caption>Backends</caption>
        <thead>
          <tr>
            <th scope="col">Backend</th>
            <th scope="col">Status</th>
            <th scope="col">Last heartbeat</th>
            <th scope="col">Operator</th>
          </tr>
        </thead>
        <tbody>
          {service.backends.map((backend) => (
            <tr key={backend.name}>
              <td>{backend.name}</td>
              <td>
                <span className={`status ${backend.online ? 'online' : 'offline'}`}>
                  {backend.online ? 'online' : 'offline'}
                </span>
              </td>
              <td>
                <When iso={backend.lastHeartbeat} none="never" />
              </td>
              <td>
                {backend.operator === 'simulated'
                  ? `simulated: ${backend.operatorStatus ?? 'starting'}`
                  : backend.operator === 'kept_alive'
                    ? 'kept alive by the simulator'
                    : 'none (stopped hours ago)'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <table>
        <caption>Service tokens</caption>
        <thead>
          <tr>
            <th scope="col">Token</th>
            <th scope="col">Owner</th>
            <th scope="col">Expires</th>
            <th scope="col">Badge</th>
          </tr>
        </thead>
        <tbody>
          {service.tokens.map((token) => {
            const badge = expiryBadge(token.expiresAt, today);
            return (
              <tr key={`${token.owner}/${token.name}`}>
                <td>{token.name}</td>
                <td>{token.owner}</td>
                <td>
                  <Day date={token.expiresAt} />
                </td>
                <td>
                  <span className={`badge ${badge}`}>{BADGE_TEXT[badge]}</span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </article>
  );
}

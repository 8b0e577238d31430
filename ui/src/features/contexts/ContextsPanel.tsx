import { useState, type FormEvent } from 'react';
import type {
  AuthKindDto,
  ContextDto,
  ContextTestDto,
  ContextsView,
  KubeconfigFileDto,
  PermissionDto,
} from '../../ipc/bindings.gen';
import { ErrorMessage } from '../../app/ErrorMessage';
import { useDashboard } from '../dashboard/useDashboard';
import {
  useAddKubeconfigFile,
  useContexts,
  useLinkBackend,
  useReloadContexts,
  useRemoveKubeconfigFile,
  useSetCurrentContext,
  useTestContext,
  useUnlinkBackend,
} from './useContexts';

const DEFAULT_OPERATOR_NAMESPACE = 'osmo-operator';

function authText(auth: AuthKindDto): string {
  switch (auth.kind) {
    case 'token':
      return 'token';
    case 'tokenFile':
      return `token file ${auth.path}`;
    case 'clientCertificate':
      return 'client certificate';
    case 'exec': {
      const env = auth.env.map((v) => `${v.name}=${v.value ?? '(hidden)'}`);
      return `exec: ${[auth.command, ...auth.args].join(' ')}${env.length > 0 ? ` (env ${env.join(' ')})` : ''}`;
    }
    case 'authProvider':
      return `auth provider: ${auth.name}`;
    case 'basic':
      return `basic (${auth.username})`;
    case 'none':
      return 'none';
  }
}

const ORIGIN_TEXT = {
  kubeconfigEnv: 'from KUBECONFIG',
  homeDefault: '~/.kube/config',
  extra: 'added here',
} as const;

const STATE_TEXT = {
  loaded: 'loaded',
  missing: 'missing',
  broken: 'broken',
  lastGood: 'broken, last good contents in use',
} as const;

/** The Connections screen's Kubernetes half: every context, the files they come from, and tests. */
export function ContextsPanel() {
  const contexts = useContexts();
  const reload = useReloadContexts();
  const [namespace, setNamespace] = useState(DEFAULT_OPERATOR_NAMESPACE);
  const [confirming, setConfirming] = useState<string | null>(null);
  const setCurrent = useSetCurrentContext();
  const view = contexts.data;
  return (
    <section className="card contexts" aria-labelledby="contexts-title">
      <header className="card-header">
        <h2 id="contexts-title">Kubernetes contexts</h2>
        {/* Never disabled: the list refreshes every 5 s and a disabled button would drop keyboard focus. */}
        <button type="button" onClick={() => void reload()}>
          Reload kubeconfig
        </button>
      </header>
      <p className="muted">
        Read the way kubectl reads them: the files in <code>KUBECONFIG</code> (else{' '}
        <code>~/.kube/config</code>), then the files added below; the first file to define a name
        wins. Your kubeconfig files are changed only when you make a context current (a backup is kept).
      </p>
      {contexts.error ? <ErrorMessage error={contexts.error} /> : null}
      {view ? (
        <>
          <FileProblems files={view.files} />
          <KubectlDifferences differences={view.kubectlDifferences} />
          <label className="field inline">
            <span>Operator namespace checked by Test</span>
            <input
              name="operatorNamespace"
              value={namespace}
              onChange={(event) => setNamespace(event.target.value)}
            />
          </label>
          <CurrentContextSwitch
            confirming={confirming}
            onDone={() => setConfirming(null)}
            setCurrent={setCurrent}
          />
          <ContextTable
            view={view}
            operatorNamespace={namespace.trim()}
            onMakeCurrent={(name) => {
              setCurrent.reset();
              setConfirming(name);
            }}
          />
          <KubeconfigFiles view={view} />
          <BackendLinks view={view} />
        </>
      ) : null}
    </section>
  );
}

/** A home `~/.kube/config` that does not exist is the usual state without one, not a problem. */
function isAbsentHomeDefault(file: KubeconfigFileDto): boolean {
  return file.origin === 'homeDefault' && file.state === 'missing';
}

function FileStateText({ file }: { file: KubeconfigFileDto }) {
  if (isAbsentHomeDefault(file)) {
    return <span className="file-absent muted">not present (nothing to read; that is fine)</span>;
  }
  return <span className={`badge file-${file.state}`}>{STATE_TEXT[file.state]}</span>;
}

function FileProblems({ files }: { files: KubeconfigFileDto[] }) {
  const problems = files.filter((file) => file.error && !isAbsentHomeDefault(file));
  if (problems.length === 0) return null;
  return (
    <div className="file-problems" aria-label="Kubeconfig problems" role="group">
      {problems.map((file) =>
        file.error ? (
          <div key={file.path} data-path={file.path}>
            <ErrorMessage error={{ code: file.error.code, message: file.error.message }} />
            {file.state === 'lastGood' ? (
              <p className="muted">
                Its last good contents ({file.contexts} contexts) are still used until it is fixed.
              </p>
            ) : null}
          </div>
        ) : null,
      )}
    </div>
  );
}

/** Where kubectl reads these files differently or refuses them: said the kubectl way. */
function KubectlDifferences({ differences }: { differences: string[] }) {
  if (differences.length === 0) return null;
  return (
    <div className="notice" role="group" aria-label="What kubectl does differently">
      <p>kubectl reads these files differently:</p>
      <ul>
        {differences.map((difference) => (
          <li key={difference}>{difference}</li>
        ))}
      </ul>
    </div>
  );
}

/** Asks before kubectl's current context is changed, then says what was written and where the backup is. */
function CurrentContextSwitch({
  confirming,
  onDone,
  setCurrent,
}: {
  confirming: string | null;
  onDone: () => void;
  setCurrent: ReturnType<typeof useSetCurrentContext>;
}) {
  if (setCurrent.data) {
    return (
      <p role="status" className="ok current-switched">
        kubectl’s current context is now {setCurrent.data.contexts.currentContext}: written to{' '}
        <code>{setCurrent.data.file}</code>, the previous file kept as <code>{setCurrent.data.backup}</code>.
      </p>
    );
  }
  if (setCurrent.error) return <ErrorMessage error={setCurrent.error} />;
  if (!confirming) return null;
  return (
    <div className="notice" role="group" aria-label="Confirm the current context">
      <p>
        Make <strong>{confirming}</strong> kubectl’s current context? This changes the{' '}
        <code>current-context</code> line of your kubeconfig file (the one kubectl would change), and keeps a
        backup next to it.
      </p>
      <div className="form-actions">
        <button
          type="button"
          className="primary"
          disabled={setCurrent.isPending}
          onClick={() => setCurrent.mutate(confirming, { onSettled: onDone })}
        >
          Set as current context
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </div>
  );
}

function ContextTable({
  view,
  operatorNamespace,
  onMakeCurrent,
}: {
  view: ContextsView;
  operatorNamespace: string;
  onMakeCurrent: (name: string) => void;
}) {
  if (view.contexts.length === 0) {
    return <p>No contexts: none of the kubeconfig files below defines one. Add a file to see its contexts.</p>;
  }
  return (
    <table className="contexts-table">
      <caption>Contexts</caption>
      <thead>
        <tr>
          <th scope="col">Context</th>
          <th scope="col">Server</th>
          <th scope="col">User</th>
          <th scope="col">Namespace</th>
          <th scope="col">Auth</th>
          <th scope="col">Source file</th>
          <th scope="col">
            <span className="visually-hidden">Test</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {view.contexts.map((context) => (
          <ContextRow
            key={context.name}
            context={context}
            linked={view.links.filter((link) => link.context === context.name).map((link) => `${link.backend} (${link.service})`)}
            operatorNamespace={operatorNamespace}
            onMakeCurrent={onMakeCurrent}
          />
        ))}
      </tbody>
    </table>
  );
}

function ContextRow({
  context,
  linked,
  operatorNamespace,
  onMakeCurrent,
}: {
  context: ContextDto;
  linked: string[];
  operatorNamespace: string;
  onMakeCurrent: (name: string) => void;
}) {
  const test = useTestContext();
  const shown = test.data || test.error || test.isPending;
  return (
    <>
      <tr data-context={context.name}>
        <th scope="row">
          {context.name}
          {context.isCurrent ? <span className="badge current">current</span> : null}
          {context.shadowedIn.length > 0 ? (
            <span className="badge duplicate" title={`Also defined in ${context.shadowedIn.join(', ')}`}>
              duplicate
            </span>
          ) : null}
          {linked.length > 0 ? <div className="muted small">linked: {linked.join(', ')}</div> : null}
        </th>
        <td>
          <code>{context.server ?? '—'}</code>
        </td>
        <td>{context.user ?? '—'}</td>
        <td>{context.namespace ?? 'default'}</td>
        <td>{authText(context.auth)}</td>
        <td>
          <code>{context.source}</code>
          {context.shadowedIn.map((path) => (
            <div key={path} className="muted small shadowed">
              also in <code>{path}</code> (ignored; this file wins)
            </div>
          ))}
          {context.problems.map((problem) => (
            <div key={problem} className="context-problem small">
              {problem}
            </div>
          ))}
        </td>
        <td>
          <button
            type="button"
            aria-label={`Test ${context.name}`}
            disabled={test.isPending}
            onClick={() =>
              test.mutate({
                name: context.name,
                operatorNamespace: operatorNamespace || undefined,
              })
            }
          >
            {test.isPending ? 'Testing…' : 'Test'}
          </button>
          {context.isCurrent ? null : (
            <button
              type="button"
              className="make-current"
              aria-label={`Make current: ${context.name}`}
              onClick={() => onMakeCurrent(context.name)}
            >
              Make current
            </button>
          )}
        </td>
      </tr>
      {shown ? (
        <tr className="test-row">
          <td colSpan={7}>
            <section aria-label={`Test of ${context.name}`} aria-live="polite">
              {test.isPending ? <p className="muted">Testing {context.name}…</p> : null}
              {test.error ? <ErrorMessage error={test.error} /> : null}
              {test.data && !test.isPending ? <TestResult result={test.data} /> : null}
            </section>
          </td>
        </tr>
      ) : null}
    </>
  );
}

function TestResult({ result }: { result: ContextTestDto }) {
  const missing = result.permissions.filter((permission) => !permission.allowed);
  return (
    <div className="test-result">
      <p>
        <span className="ok">✓</span> Reached <code>{result.server}</code>: Kubernetes{' '}
        <strong>{result.serverVersion}</strong>, round trip <strong>{result.roundTripMs} ms</strong> (first
        response {result.firstResponseMs} ms), credentials {result.authenticated ? 'accepted' : 'not checked'}.
      </p>
      <ul className="checklist" aria-label="Permissions">
        {result.permissions.map((permission) => (
          <PermissionItem key={`${permission.verb} ${permission.resource}`} permission={permission} />
        ))}
      </ul>
      <p role="status" className={missing.length === 0 ? 'ok' : 'problem'}>
        {missing.length === 0
          ? `Everything setup and rotation need is allowed in namespace "${result.operatorNamespace}".`
          : `${missing.length} of ${result.permissions.length} permissions are missing: ask the cluster's administrator for them.`}
      </p>
    </div>
  );
}

function PermissionItem({ permission }: { permission: PermissionDto }) {
  const where = permission.namespace ? `in namespace "${permission.namespace}"` : 'cluster-wide';
  return (
    <li className={permission.allowed ? 'granted' : 'denied'}>
      <span className="mark" aria-hidden="true">
        {permission.allowed ? '✓' : '✗'}
      </span>
      <span className="visually-hidden">{permission.allowed ? 'allowed:' : 'missing:'}</span>{' '}
      {permission.allowed ? (
        <>
          {permission.verb} {permission.resource} {where}
        </>
      ) : (
        <strong>{permission.missing ?? `cannot ${permission.verb} ${permission.resource} ${where}`}</strong>
      )}{' '}
      <span className="muted small">({permission.neededFor})</span>
    </li>
  );
}

function KubeconfigFiles({ view }: { view: ContextsView }) {
  const add = useAddKubeconfigFile();
  const remove = useRemoveKubeconfigFile();
  const [path, setPath] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (path.trim()) add.mutate(path.trim(), { onSuccess: () => setPath('') });
  };
  return (
    <div className="kubeconfig-files">
      <table>
        <caption>Kubeconfig files</caption>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Why it is read</th>
            <th scope="col">State</th>
            <th scope="col">Contexts</th>
            <th scope="col">
              <span className="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {view.files.map((file) => (
            <tr key={file.path}>
              <td>
                <code>{file.path}</code>
                {file.error?.line != null ? <span className="muted small"> (line {file.error.line})</span> : null}
              </td>
              <td>{ORIGIN_TEXT[file.origin]}</td>
              <td>
                <FileStateText file={file} />
              </td>
              <td>{file.contexts}</td>
              <td>
                {view.extraFiles.includes(file.path) ? (
                  <button
                    type="button"
                    aria-label={`Remove ${file.path}`}
                    disabled={remove.isPending}
                    onClick={() => remove.mutate(file.path)}
                  >
                    Remove
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="add-file" onSubmit={submit} aria-label="Add a kubeconfig file">
        <label className="field">
          <span>Add a kubeconfig file</span>
          <input
            name="kubeconfigPath"
            placeholder="~/.kube/prod.yaml"
            value={path}
            onChange={(event) => setPath(event.target.value)}
          />
        </label>
        <button type="submit" disabled={add.isPending || !path.trim()}>
          {add.isPending ? 'Adding…' : 'Add file'}
        </button>
      </form>
      {add.error ? <ErrorMessage error={add.error} /> : null}
      {remove.error ? <ErrorMessage error={remove.error} /> : null}
    </div>
  );
}

/** Which kubeconfig context serves which OSMO backend (used by rotation, setup and diagnostics). */
function BackendLinks({ view }: { view: ContextsView }) {
  const link = useLinkBackend();
  const unlink = useUnlinkBackend();
  const [session, setSession] = useState('');
  const [backend, setBackend] = useState('');
  const [context, setContext] = useState('');
  const [namespace, setNamespace] = useState(DEFAULT_OPERATOR_NAMESPACE);
  const chosen = context || view.currentContext || view.contexts[0]?.name || '';
  // The services and backends the dashboard knows, offered as lists (typing stays possible).
  const rows = useDashboard().data?.rows ?? [];
  const services = [...new Set(rows.map((r) => r.session))].sort();
  const backends = rows
    .filter((r) => r.session === session.trim())
    .map((r) => r.name)
    .filter((name) => !view.links.some((l) => l.service === session.trim() && l.backend === name))
    .sort();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    link.mutate(
      {
        backend: { service: session.trim(), backend: backend.trim() },
        context: chosen,
        operatorNamespace: namespace.trim(),
      },
      {
        onSuccess: () => {
          setSession('');
          setBackend('');
        },
      },
    );
  };
  return (
    <div className="backend-links">
      {view.links.length > 0 ? (
        <table>
          <caption>Linked backends</caption>
          <thead>
            <tr>
              <th scope="col">OSMO service</th>
              <th scope="col">Backend</th>
              <th scope="col">Context</th>
              <th scope="col">Operator namespace</th>
              <th scope="col">
                <span className="visually-hidden">Unlink</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {view.links.map((l) => (
              <tr key={`${l.service}/${l.backend}`}>
                <td>{l.service}</td>
                <td>{l.backend}</td>
                <td>{l.context}</td>
                <td>{l.operatorNamespace}</td>
                <td>
                  <button
                    type="button"
                    aria-label={`Unlink ${l.backend} of ${l.service}`}
                    disabled={unlink.isPending}
                    onClick={() => unlink.mutate({ service: l.service, backend: l.backend })}
                  >
                    Unlink
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {view.contexts.length > 0 ? (
        <form className="link-form" onSubmit={submit} aria-label="Link a backend to a context">
          <fieldset>
            <legend>Link a backend to a context</legend>
            <label className="field">
              <span>OSMO service</span>
              <input
                name="linkSession"
                list="link-services"
                value={session}
                onChange={(event) => setSession(event.target.value)}
              />
              <datalist id="link-services">
                {services.map((name) => (
                  <option key={name} value={name} />
                ))}
              </datalist>
            </label>
            <label className="field">
              <span>Backend</span>
              <input
                name="linkBackend"
                list="link-backends"
                value={backend}
                onChange={(event) => setBackend(event.target.value)}
              />
              <datalist id="link-backends">
                {backends.map((name) => (
                  <option key={name} value={name} />
                ))}
              </datalist>
            </label>
            <label className="field">
              <span>Context</span>
              <select name="linkContext" value={chosen} onChange={(event) => setContext(event.target.value)}>
                {view.contexts.map((c) => (
                  <option key={c.name} value={c.name}>
                    {c.name}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>Operator namespace</span>
              <input
                name="linkNamespace"
                value={namespace}
                onChange={(event) => setNamespace(event.target.value)}
              />
            </label>
            <button type="submit" disabled={link.isPending || !session.trim() || !backend.trim()}>
              {link.isPending ? 'Linking…' : 'Link'}
            </button>
          </fieldset>
        </form>
      ) : null}
      {link.error ? <ErrorMessage error={link.error} /> : null}
      {unlink.error ? <ErrorMessage error={unlink.error} /> : null}
    </div>
  );
}

import { useState } from 'react';
import type { CliLoginOffer, SessionStatus, SessionView } from '../../ipc/bindings.gen';
import { ErrorMessage } from '../../app/ErrorMessage';
import { When } from '../../app/time';
import { AddServiceDialog, SignInDialog, SignOutDialog } from './SessionDialogs';
import { DeviceCodeBox } from './DeviceCodeBox';
import { operationName, useImportCliLogin, useRetryService, useSessions } from './useSessions';
import { useSandbox } from '../sandbox/useSandbox';

const METHOD_TEXT = {
  access_token: 'an access token',
  device_code: 'single sign-on (device code)',
  development: 'development mode',
} as const;

type Dialog =
  | { kind: 'add' }
  | { kind: 'signIn'; id: string }
  | { kind: 'signOut'; id: string }
  | null;

/**
 * The Connections screen's OSMO half: the services, who is signed in to each, and how. `signIn`:
 * open the sign-in form of this service on arrival (the command palette's "Sign in to …").
 */
export function SessionsPanel({ signIn }: { signIn?: string | null }) {
  const sessions = useSessions();
  // The sandbox's services come and go with it: the sandbox's own view says which they are.
  const sandbox = useSandbox();
  const sandboxServices = new Set(sandbox.data?.services.map((s) => s.name));
  const [dialog, setDialog] = useState<Dialog>(signIn ? { kind: 'signIn', id: signIn } : null);
  const view = sessions.data;
  // A dialog closing (also when another one replaces it) clears only itself.
  const closeKind = (kind: NonNullable<Dialog>['kind']) => () =>
    setDialog((current) => (current?.kind === kind ? null : current));
  const byId = (id: string) => view?.sessions.find((s) => s.id === id);
  return (
    <section className="card sessions" aria-labelledby="sessions-title">
      <header className="card-header">
        <h2 id="sessions-title">OSMO services</h2>
        <button type="button" className="primary" onClick={() => setDialog({ kind: 'add' })}>
          Add service
        </button>
      </header>
      <p className="muted">
        Sign-in secrets are kept only in the system keyring; the settings file lists the services
        and how you signed in, never a token.
      </p>
      {sessions.error ? <ErrorMessage error={sessions.error} /> : null}
      {view?.cliLogin ? <CliImport offer={view.cliLogin} /> : null}
      {view?.cliLoginError ? (
        <ErrorMessage error={{ code: 'invalid_input', message: view.cliLoginError }} />
      ) : null}
      {view && view.sessions.length === 0 ? (
        <p className="empty">No OSMO service yet. Add one with its URL, or start the sandbox below.</p>
      ) : null}
      {view && view.sessions.length > 0 ? (
        <ul className="session-list" aria-label="OSMO services">
          {view.sessions.map((service) => (
            <SessionRow
              key={service.id}
              service={service}
              inSandbox={sandboxServices.has(service.id)}
              onSignIn={() => setDialog({ kind: 'signIn', id: service.id })}
              onSignOut={() => setDialog({ kind: 'signOut', id: service.id })}
            />
          ))}
        </ul>
      ) : null}
      <AddServiceDialog
        open={dialog?.kind === 'add'}
        onClose={closeKind('add')}
        // The new service shows up with the next read of the list; its sign-in opens then.
        onAdded={(id) => setDialog({ kind: 'signIn', id })}
      />
      {dialog?.kind === 'signIn' && byId(dialog.id) ? (
        <SignInDialog service={byId(dialog.id) as SessionView} onClose={closeKind('signIn')} />
      ) : null}
      {dialog?.kind === 'signOut' && byId(dialog.id) ? (
        <SignOutDialog service={byId(dialog.id) as SessionView} onClose={closeKind('signOut')} />
      ) : null}
    </section>
  );
}

function SessionRow({
  service,
  inSandbox,
  onSignIn,
  onSignOut,
}: {
  service: SessionView;
  inSandbox: boolean;
  onSignIn: () => void;
  onSignOut: () => void;
}) {
  const retry = useRetryService();
  const status = service.status;
  const canSignIn = ['signed_out', 'sign_in_again'].includes(status.state) && !inSandbox;
  const canRetry = ['unreachable', 'keyring_unavailable'].includes(status.state) && !inSandbox;
  return (
    <li className="session" data-service={service.name} aria-label={`OSMO service ${service.name}`}>
      <div className="session-head">
        <strong>{service.name}</strong>
        {inSandbox ? <span className="badge sandbox">sandbox</span> : null}
        <span className={`badge session-${status.state}`}>{STATE_BADGE[status.state]}</span>
        <span className="muted">
          {service.url}
          {service.version ? ` · OSMO ${service.version} (API ${service.dialect})` : ''}
          {service.hasCustomCa ? ' · custom CA' : ''}
        </span>
      </div>
      {service.dialect && service.dialectEvidence ? (
        <p className="muted small dialect-evidence">
          API {service.dialect} — {service.dialectEvidence}
        </p>
      ) : null}
      <StatusLine status={status} />
      {service.keyring.state === 'saved' && status.state === 'signed_in' ? (
        <p className="muted keyring-note">Remembered in the system keyring: you stay signed in after a restart.</p>
      ) : null}
      {service.keyring.state === 'not_saved' ? (
        <p className="warning keyring-note" role="status">
          {service.keyring.message}
        </p>
      ) : null}
      {service.deviceCode ? <DeviceCodeBox service={service} prompt={service.deviceCode} /> : null}
      {service.deviceCodeError ? (
        <ErrorMessage error={{ code: 'unauthorized', message: service.deviceCodeError }} />
      ) : null}
      {retry.error ? <ErrorMessage error={retry.error} /> : null}
      <div className="actions">
        {canSignIn ? (
          <button type="button" className="primary" onClick={onSignIn}>
            {status.state === 'sign_in_again' ? 'Sign in again' : 'Sign in'}
          </button>
        ) : null}
        {canRetry ? (
          <button type="button" disabled={retry.isPending} onClick={() => retry.mutate(service.id)}>
            {retry.isPending ? 'Trying…' : 'Try again'}
          </button>
        ) : null}
        {status.state === 'signed_in' && !inSandbox ? (
          <button type="button" onClick={onSignOut}>
            Sign out
          </button>
        ) : null}
        {status.state !== 'signed_in' && !inSandbox ? (
          <button type="button" onClick={onSignOut}>
            Remove
          </button>
        ) : null}
      </div>
    </li>
  );
}

const STATE_BADGE: Record<SessionStatus['state'], string> = {
  connecting: 'connecting',
  unreachable: 'unreachable',
  signed_out: 'not signed in',
  signed_in: 'signed in',
  sign_in_again: 'sign in again',
  keyring_unavailable: 'keyring locked',
};

function StatusLine({ status }: { status: SessionStatus }) {
  switch (status.state) {
    case 'connecting':
      return <p className="muted">Connecting…</p>;
    case 'signed_out':
      return <p className="muted">Not signed in.</p>;
    case 'signed_in':
      return (
        <p className="session-who">
          Signed in as <strong>{status.user}</strong>
          {status.roles.length > 0 ? ` (${status.roles.join(', ')})` : ''} with {METHOD_TEXT[status.method]} since{' '}
          <When iso={status.since} />.
          {status.until ? (
            <>
              {' '}
              The current credential is renewed automatically; it runs out <When iso={status.until} />.
            </>
          ) : null}
        </p>
      );
    case 'sign_in_again':
      return <ErrorMessage error={{ code: 'session_expired', message: status.reason }} />;
    case 'unreachable':
      return <ErrorMessage error={{ code: status.code, message: status.message }} />;
    case 'keyring_unavailable':
      return <ErrorMessage error={{ code: 'keyring_unavailable', message: status.message }} />;
  }
}

function CliImport({ offer }: { offer: CliLoginOffer }) {
  const importLogin = useImportCliLogin();
  const [name, setName] = useState(() => hostName(offer.url));
  return (
    <div className="cli-import" role="group" aria-label="OSMO CLI sign-in">
      <p>
        The OSMO CLI is signed in to <strong>{offer.url}</strong>
        {offer.user ? ` as ${offer.user}` : ''} ({METHOD_TEXT[offer.method]}, from <code>{offer.path}</code>).
        {offer.existingService
          ? ` Importing signs in "${offer.existingService}" with it.`
          : ' Import it as a service; its secrets go to the system keyring and the CLI’s file is left as it is.'}
      </p>
      <form
        className="field inline"
        onSubmit={(event) => {
          event.preventDefault();
          importLogin.mutate({ name, operation: operationName('import') });
        }}
      >
        {offer.existingService ? null : (
          <label>
            Name <input name="cliName" value={name} onChange={(e) => setName(e.target.value)} />
          </label>
        )}
        <button type="submit" disabled={importLogin.isPending}>
          {importLogin.isPending ? 'Importing…' : 'Import the CLI’s sign-in'}
        </button>
      </form>
      {importLogin.error ? <ErrorMessage error={importLogin.error} /> : null}
    </div>
  );
}

function hostName(url: string): string {
  try {
    return new URL(url).hostname.split('.')[0] || 'osmo';
  } catch {
    return 'osmo';
  }
}

import { useState, type FormEvent } from 'react';
import type { SessionView } from '../../ipc/bindings.gen';
import { ErrorMessage } from '../../app/ErrorMessage';
import { Modal } from '../../app/Modal';
import {
  cancelOperation,
  operationName,
  useAddService,
  useSignInDevelopment,
  useSignInWithToken,
  useSignOut,
  useStartDeviceCode,
} from './useSessions';

/** Name, URL and an optional CA; the service is checked (version, sign-in methods) before it is listed. */
export function AddServiceDialog({
  open,
  onClose,
  onAdded,
}: {
  open: boolean;
  onClose: () => void;
  onAdded: (id: string) => void;
}) {
  const add = useAddService();
  const [operation, setOperation] = useState<string | null>(null);
  const close = () => {
    if (operation) void cancelOperation({ kind: 'request', id: operation });
    add.reset();
    onClose();
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = String(form.get('name') ?? '');
    const url = String(form.get('url') ?? '');
    const pem = String(form.get('customCaPem') ?? '').trim();
    const op = operationName('add-service');
    setOperation(op);
    add.mutate(
      { name, url, customCaPem: pem === '' ? null : pem, operation: op },
      {
        onSuccess: (id) => {
          add.reset();
          onAdded(id);
        },
        onSettled: () => setOperation(null),
      },
    );
  };
  return (
    <Modal open={open} onClose={close} label="Add an OSMO service" className="form-dialog">
      <form onSubmit={submit}>
        <h2>Add an OSMO service</h2>
        <label className="field">
          <span>Name</span>
          <input name="name" required placeholder="production" data-autofocus autoComplete="off" />
        </label>
        <label className="field">
          <span>URL</span>
          <input name="url" required placeholder="https://osmo.example.com" autoComplete="off" />
          <small>The address you give the osmo CLI’s login command.</small>
        </label>
        <details>
          <summary>Private certificate authority</summary>
          <label className="field">
            <span>CA certificate (PEM)</span>
            <textarea name="customCaPem" rows={5} placeholder="-----BEGIN CERTIFICATE-----" />
            <small>For on-premises services signed by your own CA. TLS is always verified.</small>
          </label>
        </details>
        {add.error ? <ErrorMessage error={add.error} /> : null}
        <div className="actions">
          <button type="submit" className="primary" disabled={add.isPending}>
            {add.isPending ? 'Checking the service…' : 'Add service'}
          </button>
          <button type="button" onClick={close}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}

type Method = 'token' | 'device' | 'development';

/** Sign in with an access token, single sign-on (device code) or development mode. */
export function SignInDialog({ service, onClose }: { service: SessionView; onClose: () => void }) {
  const methods = service.methods;
  const [method, setMethod] = useState<Method>(methods?.development ? 'development' : 'token');
  const [operation, setOperation] = useState<string | null>(null);
  const withToken = useSignInWithToken();
  const development = useSignInDevelopment();
  const device = useStartDeviceCode();
  const pending = withToken.isPending || development.isPending || device.isPending;
  const error = withToken.error ?? development.error ?? device.error;
  const close = () => {
    if (operation) void cancelOperation({ kind: 'request', id: operation });
    onClose();
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const op = operationName('sign-in');
    setOperation(op);
    const done = { onSuccess: onClose, onSettled: () => setOperation(null) };
    withToken.reset();
    development.reset();
    device.reset();
    if (method === 'token') {
      withToken.mutate({ service: service.id, token: String(form.get('token') ?? ''), operation: op }, done);
    } else if (method === 'development') {
      development.mutate({ service: service.id, user: String(form.get('user') ?? ''), operation: op }, done);
    } else {
      device.mutate({ service: service.id, operation: op }, done);
    }
  };
  return (
    <Modal open onClose={close} label={`Sign in to ${service.name}`} className="form-dialog">
      <form onSubmit={submit}>
        <h2>Sign in to {service.name}</h2>
        {service.status.state === 'sign_in_again' ? (
          <p className="warning">Your previous sign-in ended: {service.status.reason}</p>
        ) : null}
        <fieldset className="method-choice">
          <legend>How</legend>
          <label>
            <input type="radio" name="method" checked={method === 'token'} onChange={() => setMethod('token')} />
            Access token
          </label>
          {methods?.deviceCode ? (
            <label>
              <input type="radio" name="method" checked={method === 'device'} onChange={() => setMethod('device')} />
              Single sign-on (device code)
            </label>
          ) : null}
          {methods?.development ? (
            <label>
              <input
                type="radio"
                name="method"
                checked={method === 'development'}
                onChange={() => setMethod('development')}
              />
              Development mode (no authentication)
            </label>
          ) : null}
        </fieldset>
        {method === 'token' ? (
          <label className="field">
            <span>OSMO access token</span>
            <input name="token" type="password" required autoComplete="off" spellCheck={false} data-autofocus />
            <small>
              Created with <code>osmo token set</code> or by an admin. It is exchanged for short-lived
              credentials and kept in the system keyring.
            </small>
          </label>
        ) : null}
        {method === 'development' ? (
          <label className="field">
            <span>User name</span>
            <input name="user" required autoComplete="off" defaultValue="admin" data-autofocus />
            <small>Only services running without authentication accept this.</small>
          </label>
        ) : null}
        {method === 'device' ? (
          <p className="muted">
            You get a code to enter on your identity provider’s page; the app waits until you confirm there.
          </p>
        ) : null}
        {error ? <ErrorMessage error={error} /> : null}
        <div className="actions">
          <button type="submit" className="primary" disabled={pending}>
            {pending ? 'Signing in…' : method === 'device' ? 'Get a code' : 'Sign in'}
          </button>
          <button type="button" onClick={close}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** Sign out (secrets removed from the keyring), keeping the service listed or not. */
export function SignOutDialog({ service, onClose }: { service: SessionView; onClose: () => void }) {
  const signOut = useSignOut();
  const signedIn = service.status.state === 'signed_in';
  const [keep, setKeep] = useState(signedIn);
  return (
    <Modal open onClose={onClose} label={`Sign out of ${service.name}`} className="form-dialog">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          signOut.mutate({ service: service.id, keepListed: keep }, { onSuccess: onClose });
        }}
      >
        <h2>{signedIn ? `Sign out of ${service.name}` : `Remove ${service.name}`}</h2>
        <p>
          {signedIn
            ? 'Its sign-in secrets are removed from the system keyring. Dashboards and forms stop using this service until you sign in again.'
            : 'Any sign-in secrets it had are removed from the system keyring.'}
        </p>
        {signedIn ? (
          <label className="checkbox">
            <input type="checkbox" checked={keep} onChange={(e) => setKeep(e.target.checked)} />
            Keep {service.name} in the list, signed out
          </label>
        ) : null}
        {signOut.error ? <ErrorMessage error={signOut.error} /> : null}
        <div className="actions">
          <button type="submit" className="danger" disabled={signOut.isPending} data-autofocus>
            {signedIn ? (keep ? 'Sign out' : 'Sign out and remove') : 'Remove'}
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}

import type { IpcError } from '../ipc/client';

/** A short title per code; the message beside it says what failed, where, and what to do. */
const TITLES: Record<IpcError['code'], string> = {
  invalid_input: 'Check your input',
  io: 'A file could not be read or written',
  kubeconfig_invalid: 'The kubeconfig could not be used',
  not_found: 'Not found',
  unreachable: 'The server could not be reached',
  tls_failed: 'The secure connection failed',
  timeout: 'The server did not answer in time',
  cancelled: 'Cancelled',
  unauthorized: 'The credentials were rejected',
  forbidden: 'Not allowed',
  session_expired: 'Sign in again',
  credential_plugin_failed: 'The credential plugin failed',
  credential_plugin_not_started: 'The credential plugin could not be started',
  conflict: 'It changed meanwhile, or already exists',
  not_ready: 'A step before this one is not done',
  rejected: 'The server refused the request',
  server_error: 'The server failed',
  keyring_unavailable: 'The OS keyring is not available',
  internal: 'Something went wrong inside the app',
};

export function ErrorMessage({ error }: { error: IpcError }) {
  return (
    <div role="alert" className="error" data-code={error.code}>
      <strong>{TITLES[error.code]}</strong>
      <p>{error.message}</p>
    </div>
  );
}

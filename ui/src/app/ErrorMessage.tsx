import type { IpcError } from '../ipc/client';

const TITLES: Record<IpcError['code'], string> = {
  invalid_input: 'Check your input',
  io: 'A file could not be read or written',
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

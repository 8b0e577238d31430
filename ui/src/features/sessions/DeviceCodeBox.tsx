import type { DeviceCodePrompt, SessionView } from '../../ipc/bindings.gen';
import { ErrorMessage } from '../../app/ErrorMessage';
import { When } from '../../app/time';
import { openInBrowser, useCancelDeviceCode } from './useSessions';
import { useMutation } from '@tanstack/react-query';
import type { IpcError } from '../../ipc/client';

/** A device-code sign-in waiting for the user: the code to enter and the page to enter it on. */
export function DeviceCodeBox({ service, prompt }: { service: SessionView; prompt: DeviceCodePrompt }) {
  const cancel = useCancelDeviceCode();
  const open = useMutation<null, IpcError, string>({ mutationFn: openInBrowser });
  const page = prompt.verificationUriComplete ?? prompt.verificationUri;
  return (
    <div className="device-code" role="status" aria-label={`Device code sign-in to ${service.name}`}>
      <p>
        Enter the code <strong className="user-code">{prompt.userCode}</strong> at{' '}
        <code>{prompt.verificationUri}</code> to finish signing in. This waits until you confirm there
        (the code runs out <When iso={prompt.expiresAt} />).
      </p>
      {prompt.message ? <p className="muted">{prompt.message}</p> : null}
      <div className="actions">
        <button type="button" className="primary" onClick={() => open.mutate(page)}>
          Open the sign-in page
        </button>
        <button type="button" onClick={() => cancel.mutate(service.id)}>
          Cancel sign-in
        </button>
      </div>
      {open.error ? <ErrorMessage error={open.error} /> : null}
    </div>
  );
}

// Services left out of the settings file (their entries set aside) may still have their saved
// sign-ins in the OS keyring, where no list names them any more: offered for removal, never
// left behind silently.
import type { LeftOutSecrets } from '../../ipc/bindings.gen';
import { ErrorMessage } from '../../app/ErrorMessage';
import { useSettleLeftOutSecrets } from './useSettings';

export function LeftOutSecretsOffer({ services }: { services: LeftOutSecrets[] }) {
  const settle = useSettleLeftOutSecrets();
  const removed = settle.data?.removed ?? [];
  if (services.length === 0 && removed.length === 0) return null;
  const names = services.map((s) => s.name).join(', ');
  const ids = services.map((s) => s.id);
  return (
    <div className="notice left-out-secrets" role="status" aria-label="Saved sign-ins of services left out">
      {services.length > 0 ? (
        <>
          <p>
            The saved sign-in of {names} is still in the OS keyring, but {services.length === 1 ? 'that service is' : 'those services are'}{' '}
            no longer in the settings (set aside above). Remove {services.length === 1 ? 'it' : 'them'} from the keyring, or keep{' '}
            {services.length === 1 ? 'it' : 'them'} if you will restore the set-aside entries by hand.
          </p>
          <div className="actions">
            <button type="button" disabled={settle.isPending} onClick={() => settle.mutate({ ids, remove: true })}>
              Remove from the keyring
            </button>
            <button type="button" disabled={settle.isPending} onClick={() => settle.mutate({ ids, remove: false })}>
              Keep
            </button>
          </div>
        </>
      ) : null}
      {removed.length > 0 ? <p className="ok">Removed from the OS keyring: the saved sign-in of {removed.join(', ')}.</p> : null}
      {settle.error ? <ErrorMessage error={settle.error} /> : null}
    </div>
  );
}

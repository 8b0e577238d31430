// Deleting a token, asked first: which backends stop working, and for a service account's last
// token, whether to delete the user too (unticked; only when asked).
import { useState } from 'react';
import type { TokenRowDto } from '../../ipc/bindings.gen';
import { ErrorMessage } from '../../app/ErrorMessage';
import { Modal } from '../../app/Modal';
import { useDeleteServiceAccount } from './useServiceAccounts';
import { useDeleteToken } from './useTokens';

interface Props {
  session: string;
  token: TokenRowDto;
  /** Every token row of the session, to know whether the owner holds another. */
  rows: TokenRowDto[];
  /** Both deletes asked for are done; `done` says so in words. */
  onDeleted: (done: string) => void;
  onClose: () => void;
}

export function DeleteTokenDialog({ session, token, rows, onDeleted, onClose }: Props) {
  const del = useDeleteToken(session);
  const delUser = useDeleteServiceAccount(session);
  const [alsoUser, setAlsoUser] = useState(false);
  const [tokenGone, setTokenGone] = useState(false);
  const [userFailed, setUserFailed] = useState(false);
  const who = token.owner === token.name ? token.name : `${token.name} of ${token.owner}`;
  const lastOfAccount =
    token.kind === 'service_account' &&
    !rows.some((r) => r.owner === token.owner && !(r.name === token.name && r.kind === token.kind));

  const deleteUser = () =>
    delUser.mutate(token.owner, {
      onSuccess: () => onDeleted(`Token ${who} deleted. User ${token.owner} deleted.`),
      onError: () => setUserFailed(true),
    });
  const deleteToken = () =>
    del.mutate(
      { owner: token.owner, name: token.name, kind: token.kind },
      {
        onSuccess: () => {
          setTokenGone(true);
          if (lastOfAccount && alsoUser) deleteUser();
          else onDeleted(`Token ${who} deleted.`);
        },
      },
    );

  if (userFailed) {
    return (
      <Modal open onClose={() => onDeleted(`Token ${who} deleted.`)} label="Delete token" className="form-dialog tokens-dialog">
        <div className="confirm">
          <h2>Token {who} deleted</h2>
          <p role="alert" className="warning">
            The token was deleted, but the user {token.owner} was not:
          </p>
          {delUser.error ? <ErrorMessage error={delUser.error} /> : null}
          <div className="actions">
            <button type="button" className="danger" disabled={delUser.isPending} onClick={deleteUser}>
              {delUser.isPending ? 'Deleting…' : `Try deleting user ${token.owner} again`}
            </button>
            <button type="button" onClick={() => onDeleted(`Token ${who} deleted.`)} data-autofocus>
              Close
            </button>
          </div>
        </div>
      </Modal>
    );
  }

  const busy = del.isPending || delUser.isPending || tokenGone;
  return (
    <Modal open onClose={onClose} label="Delete token" className="form-dialog tokens-dialog">
      <div className="confirm">
        <h2>Delete token {who}?</h2>
        {token.usedBy.length > 0 ? (
          <p role="alert" className="warning">
            <strong>
              {token.usedBy.length === 1 ? 'Backend' : 'Backends'} {token.usedBy.join(', ')}{' '}
              {token.usedBy.length === 1 ? 'uses' : 'use'} this token and will stop working
            </strong>{' '}
            (offline, “Token is expired” or refused) until {token.usedBy.length === 1 ? 'its' : 'their'} operator gets
            another token. Rotate instead to replace it safely.
          </p>
        ) : (
          <p>No backend is known to use it; a backend or script using it without this app knowing stops working.</p>
        )}
        <p>The service deletes it at once; this cannot be undone.</p>
        {lastOfAccount ? (
          <label className="checkbox">
            <input type="checkbox" checked={alsoUser} onChange={(e) => setAlsoUser(e.target.checked)} disabled={busy} />
            Also delete user {token.owner} (it has no other token)
          </label>
        ) : null}
        {del.error ? <ErrorMessage error={del.error} /> : null}
        <div className="actions">
          <button type="button" className="danger" disabled={busy} onClick={deleteToken}>
            {busy ? 'Deleting…' : alsoUser && lastOfAccount ? 'Delete token and user' : 'Delete token'}
          </button>
          <button type="button" onClick={onClose} data-autofocus disabled={busy}>
            Cancel
          </button>
        </div>
      </div>
    </Modal>
  );
}

// 6.2+: the users holding osmo-backend, with how many of the listed tokens each owns.
// 6.0/6.1 have no users: one line says a service token owns itself there.
import type { TokenRowDto } from '../../ipc/bindings.gen';
import { ErrorMessage } from '../../app/ErrorMessage';
import { When } from '../../app/time';
import { useServiceAccounts } from './useServiceAccounts';

export function ServiceAccounts({ session, rows }: { session: string; rows: TokenRowDto[] | undefined }) {
  const accounts = useServiceAccounts(session);
  const view = accounts.data;
  if (view && !view.hasUsers) {
    return (
      <p className="muted service-accounts-none">
        Service accounts: none at OSMO 6.0/6.1, where each service token owns itself.
      </p>
    );
  }
  return (
    <section className="service-accounts" aria-labelledby="service-accounts-title">
      <h2 id="service-accounts-title">Service accounts</h2>
      {accounts.error ? <ErrorMessage error={accounts.error} /> : null}
      {accounts.isPending ? <p className="muted">Loading service accounts…</p> : null}
      {view?.hasUsers && view.accounts.length === 0 ? (
        <p className="muted">No user holds osmo-backend on this service.</p>
      ) : null}
      {view?.hasUsers && view.accounts.length > 0 ? (
        <div className="tokens-table-scroll">
          <table className="service-accounts-table">
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Created by</th>
                <th scope="col">Created at</th>
                <th scope="col">Tokens</th>
              </tr>
            </thead>
            <tbody>
              {view.accounts.map((a) => (
                <tr key={a.id} data-account={a.id}>
                  <th scope="row" className="token-name">
                    {a.id}
                  </th>
                  <td>{a.createdBy ?? <span className="muted">unknown</span>}</td>
                  <td>
                    {a.createdAt ? <When iso={a.createdAt} /> : <span className="muted">unknown</span>}
                  </td>
                  <td>{rows ? rows.filter((r) => r.owner === a.id).length : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

// The tokens of one service: sortable by name, expiry (the default, soonest first) and owner, as the
// dashboard's backends table sorts; a search box over name, owner, roles, description and used-by.
import { Fragment, useDeferredValue, useMemo, useState } from 'react';
import type { TokenRowDto } from '../../ipc/bindings.gen';
import { SearchField } from '../../app/SearchField';
import { Day } from '../../app/time';

export type TokenSortKey = 'name' | 'expires' | 'owner';
export interface TokenSort {
  key: TokenSortKey;
  dir: 'asc' | 'desc';
}

const SORTABLE: { key: TokenSortKey; label: string }[] = [
  { key: 'name', label: 'Name' },
  { key: 'expires', label: 'Expires' },
  { key: 'owner', label: 'Owner' },
];

const BADGES: Record<TokenRowDto['badge'], { label: string; className: string }> = {
  expired: { label: 'expired', className: 'expired' },
  expires_soon: { label: 'expires soon', className: 'soon' },
  fine: { label: 'fine', className: 'fine' },
};

function sortValue(row: TokenRowDto, key: TokenSortKey): string | number {
  switch (key) {
    case 'name':
      return row.name.toLowerCase();
    case 'expires':
      return row.daysLeft;
    case 'owner':
      return row.owner.toLowerCase();
  }
}

function matches(row: TokenRowDto, needle: string): boolean {
  if (!needle) return true;
  return [row.name, row.owner, row.description, ...row.roles, ...row.usedBy].some((v) => v.toLowerCase().includes(needle));
}

export function visibleTokens(rows: TokenRowDto[], search: string, sort: TokenSort): TokenRowDto[] {
  const needle = search.trim().toLowerCase();
  const dir = sort.dir === 'asc' ? 1 : -1;
  return rows
    .filter((r) => matches(r, needle))
    .map((row) => ({ row, key: sortValue(row, sort.key) }))
    .sort((a, b) => {
      if (a.key < b.key) return -dir;
      if (a.key > b.key) return dir;
      return a.row.name.localeCompare(b.row.name) || a.row.owner.localeCompare(b.row.owner);
    })
    .map((x) => x.row);
}

interface Props {
  rows: TokenRowDto[];
  onDelete: (row: TokenRowDto) => void;
  onRotate: (backend: string) => void;
}

export function TokenTable({ rows, onDelete, onRotate }: Props) {
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<TokenSort>({ key: 'expires', dir: 'asc' });
  const deferredSearch = useDeferredValue(search);
  const shown = useMemo(() => visibleTokens(rows, deferredSearch, sort), [rows, deferredSearch, sort]);
  const toggleSort = (key: TokenSortKey) =>
    setSort((s) => (s.key === key ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: 'asc' }));

  if (rows.length === 0) return <p className="muted">No tokens on this service.</p>;
  return (
    <>
      <div className="tokens-search">
        <SearchField
          label="Search tokens"
          placeholder="Name, owner, role, description, backend"
          value={search}
          onChange={setSearch}
        />
        <span className="muted" role="status" aria-live="polite">
          {shown.length === rows.length ? `${rows.length} tokens` : `${shown.length} of ${rows.length} tokens`}
        </span>
      </div>
      <div className="tokens-table-scroll">
        <table className="tokens-table">
          <thead>
            <tr>
              {SORTABLE.map((c) => (
                <th
                  key={c.key}
                  scope="col"
                  aria-sort={sort.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
                >
                  <button type="button" className="sort" onClick={() => toggleSort(c.key)}>
                    {c.label}
                    <span aria-hidden="true">{sort.key === c.key ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                  </button>
                </th>
              ))}
              <th scope="col">Roles</th>
              <th scope="col">Description</th>
              <th scope="col">Used by</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <TokenRow key={`${r.owner}/${r.name}`} row={r} onDelete={onDelete} onRotate={onRotate} />
            ))}
          </tbody>
        </table>
        {shown.length === 0 ? <p className="muted">No token matches.</p> : null}
      </div>
    </>
  );
}

function TokenRow({ row: r, onDelete, onRotate }: { row: TokenRowDto } & Omit<Props, 'rows'>) {
  return (
    <tr data-token={r.name}>
      <th scope="row" className="token-name">
        {r.name}
      </th>
      <td>
        <span className={`badge ${BADGES[r.badge].className}`}>{BADGES[r.badge].label}</span>{' '}
        <Day date={r.expiresOn} words={r.words} />
      </td>
      <td className="token-owner">
        {r.owner}
        {r.kind === 'own' ? <span className="muted"> · personal</span> : null}
      </td>
      <td>
        <Words list={r.roles} />
      </td>
      <td className="token-description">{r.description}</td>
      <td className="token-used-by">
        {r.usedBy.length > 0 ? (
          r.usedBy.map((b) => (
            <div key={b} className="token-use">
              <span className="token-word">{b}</span>{' '}
              <button type="button" className="primary" aria-label={`Rotate ${b}…`} onClick={() => onRotate(b)}>
                Rotate…
              </button>
            </div>
          ))
        ) : (
          <span className="muted">unknown</span>
        )}
      </td>
      <td className="row-actions">
        <button type="button" className="danger-quiet" onClick={() => onDelete(r)}>
          Delete
        </button>
      </td>
    </tr>
  );
}

/** Names joined by commas, each kept whole (a line breaks only after a comma). */
function Words({ list }: { list: string[] }) {
  return (
    <>
      {list.map((w, i) => (
        <Fragment key={w}>
          {i > 0 ? ', ' : null}
          <span className="token-word">{w}</span>
        </Fragment>
      ))}
    </>
  );
}

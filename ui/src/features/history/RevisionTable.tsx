// The revisions, newest first: two radio columns pick what to compare ("from" and "to"), each row
// says what it was about, who and when, its description and tags, and offers a rollback unless current.
import type { ConfigKindDto, RevisionDto } from '../../ipc/bindings.gen';
import { When } from '../../app/time';
import { RevisionTags } from './RevisionTags';
import type { TagChange } from './useHistory';
import { KIND_WORDS } from './words';

export interface Pick {
  from: number | null;
  to: number | null;
}

interface Props {
  kind: ConfigKindDto;
  revisions: RevisionDto[];
  pick: Pick;
  onPick: (pick: Pick) => void;
  tagging: boolean;
  onTag: (change: TagChange, done: () => void) => void;
  onRollBack: (revision: number) => void;
}

export function RevisionTable({ kind, revisions, pick, onPick, tagging, onTag, onRollBack }: Props) {
  const words = KIND_WORDS[kind];
  return (
    <table className="history-table" aria-label={`${words.title} revisions`}>
      <thead>
        <tr>
          <th scope="col">From</th>
          <th scope="col">To</th>
          <th scope="col">Revision</th>
          <th scope="col">Change</th>
          <th scope="col">Tags</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {revisions.map((r) => (
          <tr key={r.revision} data-revision={r.revision} className={r.current ? 'current' : undefined}>
            <td>
              <input
                type="radio"
                name={`history-from-${kind}`}
                aria-label={`Compare from r${r.revision}`}
                checked={pick.from === r.revision}
                onChange={() => onPick({ ...pick, from: r.revision })}
              />
            </td>
            <td>
              <input
                type="radio"
                name={`history-to-${kind}`}
                aria-label={`Compare to r${r.revision}`}
                checked={pick.to === r.revision}
                onChange={() => onPick({ ...pick, to: r.revision })}
              />
            </td>
            <th scope="row">
              r{r.revision}
              {r.current ? (
                <>
                  {' '}
                  <span className="badge current">current</span>
                </>
              ) : null}
            </th>
            <td className="history-change">
              <div>{r.about || <span className="muted">Several {words.many}, or a rollback</span>}</div>
              {r.description ? <div className="history-description">{r.description}</div> : null}
              <div className="muted small">
                {r.username || 'unknown user'}
                {r.createdAt ? (
                  <>
                    {' · '}
                    <When iso={r.createdAt} />
                  </>
                ) : null}
              </div>
            </td>
            <td>
              <RevisionTags revision={r.revision} tags={r.tags} busy={tagging} onChange={onTag} />
            </td>
            <td>
              {r.current ? null : (
                <button type="button" className="history-rollback" onClick={() => onRollBack(r.revision)}>
                  Roll back all {words.many} to r{r.revision}…
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

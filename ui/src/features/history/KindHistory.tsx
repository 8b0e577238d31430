// One service's history of one config type: the revisions, the comparison of two of them, tags,
// and the rollback dialog.
import { useState } from 'react';
import type { ConfigKindDto, RevisionDto, ServiceId } from '../../ipc/bindings.gen';
import { ErrorMessage } from '../../app/ErrorMessage';
import { ChangeList } from './ChangeList';
import { RevisionTable, type Pick } from './RevisionTable';
import { RollbackDialog } from './RollbackDialog';
import { useConfigDiff, useConfigHistory, useTagRevision } from './useHistory';
import { KIND_WORDS } from './words';

/** The picked revisions while they exist, else the one before the newest and the newest. */
function effectivePick(pick: Pick, revisions: RevisionDto[]): Pick {
  const has = (n: number | null) => n !== null && revisions.some((r) => r.revision === n);
  return {
    from: has(pick.from) ? pick.from : (revisions[1]?.revision ?? null),
    to: has(pick.to) ? pick.to : (revisions[0]?.revision ?? null),
  };
}

export function KindHistory({ service, kind }: { service: ServiceId; kind: ConfigKindDto }) {
  const words = KIND_WORDS[kind];
  const history = useConfigHistory(service, kind);
  const tag = useTagRevision(service, kind);
  const [pick, setPick] = useState<Pick>({ from: null, to: null });
  const [compared, setCompared] = useState<{ first: number; second: number } | null>(null);
  const diff = useConfigDiff(service, kind, compared);
  const [rollingBack, setRollingBack] = useState<number | null>(null);
  const [done, setDone] = useState<string | null>(null);

  if (history.error) return <ErrorMessage error={history.error} />;
  if (!history.data) return <p className="muted">Reading the history of the {words.many} of {service}…</p>;
  const revisions = history.data.revisions;
  if (revisions.length === 0) {
    return (
      <p className="muted" role="note">
        {service} has no recorded changes of its {words.many} yet.
      </p>
    );
  }
  const { from, to } = effectivePick(pick, revisions);
  const canCompare = from !== null && to !== null && from !== to;

  return (
    <>
      {done ? (
        <p role="status" className="history-done">
          {done}
        </p>
      ) : null}
      {tag.error ? <ErrorMessage error={tag.error} /> : null}
      <RevisionTable
        kind={kind}
        revisions={revisions}
        pick={{ from, to }}
        onPick={setPick}
        tagging={tag.isPending}
        onTag={(change, after) => tag.mutate(change, { onSuccess: after })}
        onRollBack={(revision) => {
          setDone(null);
          setRollingBack(revision);
        }}
      />
      <div className="history-compare-bar">
        <button
          type="button"
          className="primary"
          disabled={!canCompare}
          onClick={() => from !== null && to !== null && setCompared({ first: from, second: to })}
        >
          Compare r{from ?? '?'} → r{to ?? '?'}
        </button>
        {revisions.length < 2 ? (
          <span className="muted">Only one revision: nothing to compare yet.</span>
        ) : !canCompare ? (
          <span className="muted">Pick two different revisions to compare.</span>
        ) : null}
      </div>
      {compared ? (
        <section className="history-compare" aria-label="Comparison">
          <h2>
            r{compared.first} → r{compared.second}
          </h2>
          {diff.error ? <ErrorMessage error={diff.error} /> : null}
          {diff.isPending ? <p className="muted">Comparing…</p> : null}
          {diff.data && diff.data.changes.length === 0 ? (
            <p>
              No differences in the {words.many} between r{compared.first} and r{compared.second}.
            </p>
          ) : null}
          {diff.data && diff.data.changes.length > 0 ? (
            <ChangeList
              label={`Changes from r${diff.data.first} to r${diff.data.second}`}
              changes={diff.data.changes}
              headings={{
                added: `Added (only in r${diff.data.second})`,
                removed: `Removed (only in r${diff.data.first})`,
                changed: 'Changed',
              }}
              columns={{ before: `r${diff.data.first}`, after: `r${diff.data.second}` }}
            />
          ) : null}
        </section>
      ) : null}
      {rollingBack !== null ? (
        <RollbackDialog
          service={service}
          kind={kind}
          revision={rollingBack}
          onClose={() => setRollingBack(null)}
          onDone={(view) => {
            const current = view.revisions.find((r) => r.current)?.revision;
            setDone(
              `All ${words.many} of ${service} were rolled back to r${rollingBack}${current !== undefined ? `, recorded as r${current}` : ''}.`,
            );
            setRollingBack(null);
          }}
        />
      ) : null}
    </>
  );
}

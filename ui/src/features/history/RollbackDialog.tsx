// Rolling every backend (or pool) back to a revision: global for its type, so it is offered only
// after a preview of each one it deletes, (re-)creates or rewrites, and a confirmation naming them.
// The preview itself is sent as the confirmation; when the service says the config changed since
// (a conflict), the preview is read again and must be confirmed again.
import { Fragment, useState } from 'react';
import type { ConfigHistoryView, ConfigKindDto, RollbackPreviewDto, ServiceId } from '../../ipc/bindings.gen';
import type { IpcError } from '../../ipc/client';
import { ErrorMessage } from '../../app/ErrorMessage';
import { Modal } from '../../app/Modal';
import { ChangeList } from './ChangeList';
import { useRollBackConfig, useRollbackPreview } from './useHistory';
import { KIND_WORDS, confirmationParts, separator } from './words';

interface Props {
  service: ServiceId;
  kind: ConfigKindDto;
  revision: number;
  onClose: () => void;
  /** Rolled back: the history as re-read. */
  onDone: (view: ConfigHistoryView) => void;
}

export function RollbackDialog({ service, kind, revision, onClose, onDone }: Props) {
  const words = KIND_WORDS[kind];
  const preview = useRollbackPreview(service, kind, revision);
  const rollBack = useRollBackConfig(service, kind);
  // The preview the box was ticked for: a new preview needs a new tick.
  const [ticked, setTicked] = useState<RollbackPreviewDto | null>(null);
  const [description, setDescription] = useState('');
  const [conflict, setConflict] = useState<IpcError | null>(null);
  const p = preview.data;
  const confirmed = p !== undefined && ticked === p;
  const submit = (confirmedPreview: RollbackPreviewDto) => {
    setConflict(null);
    rollBack.mutate(
      { confirmed: confirmedPreview, description: description.trim() },
      {
        onSuccess: onDone,
        onError: (error) => {
          if (error.code !== 'conflict') return;
          setConflict(error);
          setTicked(null);
          void preview.refetch();
        },
      },
    );
  };
  const failed = rollBack.error && rollBack.error.code !== 'conflict' ? rollBack.error : null;
  return (
    <Modal open onClose={onClose} label={`Roll back all ${words.many} to r${revision}`} className="form-dialog history-dialog">
      <div className="dialog-body">
        <h2>
          Roll back all {words.many} of {service} to r{revision}?
        </h2>
        <p className="warning">
          {kind === 'backend'
            ? `This is global for backends: every backend r${revision} does not have is deleted, and every other one is rewritten as it was in r${revision}.`
            : `This is global for pools: every pool is re-created as it was in r${revision}, and pools r${revision} does not have are deleted.`}
        </p>
        <p className="small muted">
          {kind === 'backend'
            ? 'To go back on one backend’s scheduler settings only, use Scheduler settings… in that backend’s detail on the Dashboard.'
            : 'To change one pool only, use the pools in its backend’s detail on the Dashboard.'}
        </p>
        {conflict ? (
          <>
            <ErrorMessage error={conflict} />
            <p role="status" className="warning">
              The {words.many} changed since the preview was read. {preview.isFetching ? 'Reading it again…' : 'The preview below is new: check it and confirm again.'}
            </p>
          </>
        ) : null}
        {preview.isPending ? <p className="muted">Reading what the rollback would change…</p> : null}
        {preview.error ? <ErrorMessage error={preview.error} /> : null}
        {p && p.changes.length === 0 ? (
          <p role="status" className="history-nothing">
            Nothing would change: the {words.many} are already as in r{revision}.
          </p>
        ) : null}
        {p && p.changes.length > 0 ? (
          <>
            <p>
              From the current r{p.current} to r{p.revision}:
            </p>
            <ChangeList
              label="What the rollback changes"
              changes={p.changes}
              collapsed
              headings={{ removed: 'Will be deleted', added: 'Will be (re-)created', changed: 'Will be rewritten' }}
              columns={{ before: `Now (r${p.current})`, after: `After (r${p.revision})` }}
            />
            <label className="checkbox history-confirm">
              <input
                type="checkbox"
                checked={confirmed}
                disabled={preview.isFetching}
                onChange={(e) => setTicked(e.target.checked ? p : null)}
              />
              <Confirmation changes={p.changes} />
            </label>
            <label className="field">
              <span>Description (optional, recorded in the history)</span>
              <input value={description} onChange={(e) => setDescription(e.target.value)} />
            </label>
          </>
        ) : null}
        {failed ? <ErrorMessage error={failed} /> : null}
        <div className="actions">
          {p && p.changes.length > 0 ? (
            <button
              type="button"
              className="danger"
              disabled={!confirmed || rollBack.isPending || preview.isFetching}
              onClick={() => submit(p)}
            >
              {rollBack.isPending ? 'Rolling back…' : `Roll back ${words.many} to r${revision}`}
            </button>
          ) : null}
          <button type="button" onClick={onClose} data-autofocus>
            {p && p.changes.length === 0 ? 'Close' : 'Cancel'}
          </button>
        </div>
      </div>
    </Modal>
  );
}

/** "Delete gpu-old, rewrite gpu-east and cpu-batch", each name kept on one line. */
function Confirmation({ changes }: { changes: RollbackPreviewDto['changes'] }) {
  const parts = confirmationParts(changes);
  return (
    <span>
      {parts.map((part, i) => (
        <Fragment key={part.verb}>
          {i > 0 ? ', ' : ''}
          {i === 0 ? part.verb.charAt(0).toUpperCase() + part.verb.slice(1) : part.verb}{' '}
          {part.names.map((name, j) => (
            <Fragment key={name}>
              {separator(j, part.names.length)}
              <span className="history-nowrap">{name}</span>
            </Fragment>
          ))}
        </Fragment>
      ))}
    </span>
  );
}

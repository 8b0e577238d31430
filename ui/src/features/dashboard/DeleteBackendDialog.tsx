// Deleting a backend from its service, with what depends on it said first: the pools that run on
// it, a linked context and its operator (left alone unless asked), and a warning when it is online
// (the service deletes it while its operator keeps running). The outcome is read back from the
// service, and says what is left to do.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { BackendRef, DeletionDto, DeletionPlanDto } from '../../ipc/bindings.gen';
import { call, type IpcError } from '../../ipc/client';
import { Modal } from '../../app/Modal';
import { ErrorMessage } from '../../app/ErrorMessage';
import { CommandList } from '../../app/CommandList';
import { DASHBOARD_KEY } from './useDashboard';

export function DeleteBackendDialog({
  backend,
  onClose,
  onDeleted,
}: {
  backend: BackendRef;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const client = useQueryClient();
  const plan = useQuery<DeletionPlanDto, IpcError>({
    queryKey: ['deletion-plan', backend.service, backend.backend],
    queryFn: () => call('backend_deletion_plan', { backend }),
    gcTime: 0,
  });
  const [stopOperator, setStopOperator] = useState(false);
  const [unlink, setUnlink] = useState(false);
  const del = useMutation<DeletionDto, IpcError, void>({
    mutationFn: () => call('delete_backend', { backend, choices: { stopOperator, unlink } }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: DASHBOARD_KEY });
      void client.invalidateQueries({ queryKey: ['pools', backend.service] });
    },
  });
  const p = plan.data;
  const name = backend.backend;
  return (
    <Modal open onClose={del.data ? onDeleted : onClose} label={`Delete backend ${name}`} className="form-dialog">
      {del.data ? (
        <div className="confirm">
          <h2>Backend {name} is deleted</h2>
          <ul>
            {del.data.done.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          {del.data.left.length > 0 ? (
            <div className="warning">
              <strong>Left for you to see to:</strong>
              <ul>
                {del.data.left.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </div>
          ) : null}
          <div className="actions">
            <button type="button" className="primary" onClick={onDeleted} data-autofocus>
              Close
            </button>
          </div>
        </div>
      ) : (
        <div className="confirm">
          <h2>
            Delete backend {name} from {backend.service}?
          </h2>
          {plan.isPending ? <p className="muted">Reading what depends on it…</p> : null}
          {plan.error ? <ErrorMessage error={plan.error} /> : null}
          {p ? (
            <>
              {p.online ? (
                <p className="warning" role="alert">
                  <strong>{name} is online:</strong> its operator is running and connected. The service deletes it anyway,
                  and the operator keeps running without a backend{p.link ? ' unless you stop it below' : ''}.
                </p>
              ) : (
                <p>It is offline. The service forgets it and its settings; its history stays.</p>
              )}
              <p>
                {p.pools.length === 0
                  ? 'No pool runs on it.'
                  : `${p.pools.length === 1 ? 'Pool' : 'Pools'} ${p.pools.join(', ')} ${
                      p.pools.length === 1 ? 'runs' : 'run'
                    } on it and will name a backend that no longer exists, until switched to another backend or deleted.`}
              </p>
              {p.link ? (
                <div className="choices" role="group" aria-label="Its cluster">
                  <p>
                    Linked to context <strong>{p.link.context}</strong>, operator namespace <code>{p.link.operatorNamespace}</code>.
                  </p>
                  <label className="checkbox">
                    <input type="checkbox" checked={stopOperator} onChange={(e) => setStopOperator(e.target.checked)} />
                    First stop its operator (delete its Deployments in {p.link.operatorNamespace})
                  </label>
                  <label className="checkbox">
                    <input type="checkbox" checked={unlink} onChange={(e) => setUnlink(e.target.checked)} />
                    Forget the link to {p.link.context}
                  </label>
                  <p className="small muted">The rest of the operator's release (its Secret and roles) is left; to remove it all:</p>
                  <CommandList commands={[p.link.uninstallCommand]} label="Uninstall the operator" />
                </div>
              ) : (
                <p className="small muted">No context is linked, so nothing on a cluster is touched.</p>
              )}
            </>
          ) : null}
          {del.error ? <ErrorMessage error={del.error} /> : null}
          <div className="actions">
            <button
              type="button"
              className="danger"
              disabled={!p || del.isPending}
              onClick={() => del.mutate()}
            >
              {del.isPending ? 'Deleting…' : `Delete ${name}`}
            </button>
            <button type="button" onClick={onClose} data-autofocus>
              Cancel
            </button>
          </div>
        </div>
      )}
    </Modal>
  );
}

import { Modal } from '../../app/Modal';
import { SchedulerEditor } from './SchedulerEditor';

/** The scheduler editor in a dialog, opened from a backend's detail. */
export function SchedulerDialog({
  session,
  backend,
  onClose,
}: {
  session: string;
  backend: string;
  onClose: () => void;
}) {
  return (
    <Modal open onClose={onClose} label={`Scheduler settings of ${backend}`} className="form-dialog scheduler-dialog">
      <div className="dialog-body">
        <header className="card-header">
          <h2>Scheduler settings of {backend}</h2>
          <button type="button" onClick={onClose} data-autofocus>
            Close
          </button>
        </header>
        <SchedulerEditor session={session} backend={backend} />
      </div>
    </Modal>
  );
}

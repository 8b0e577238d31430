// The scheduler editor's commands in the mocked IPC, over `state.scheduler`.
import type {
  FieldViolationDto,
  IpcError,
  SchedulerChangeDto,
  SchedulerEditorView,
  SchedulerFormDto,
} from '../../../src/ipc/bindings.gen';
import type { Handlers } from '../mock-backend';
import { refuse } from '../mock-backend';

export type SchedulerMock = {
  /** The editor view per backend name (its `loaded` is replaced by `stored`). */
  views: Record<string, SchedulerEditorView>;
  /** What the service holds per backend name, in its own snake_case keys. */
  stored: Record<string, Record<string, unknown>>;
  /** Someone else's change the next save meets (a conflict), in the service's keys. */
  theyChanged?: Record<string, unknown>;
  /** What every save rejects with. */
  saveError?: IpcError;
};

function toSettings(form: SchedulerFormDto): Record<string, unknown> {
  const settings: Record<string, unknown> = {
    scheduler_type: form.schedulerType, scheduler_name: form.schedulerName, scheduler_timeout: Number(form.schedulerTimeout),
  };
  if (form.coscheduling !== null) settings.coscheduling = form.coscheduling;
  return settings;
}

function changes(loaded: Record<string, unknown>, form: SchedulerFormDto): SchedulerChangeDto[] {
  const after = toSettings(form);
  return ['scheduler_type', 'scheduler_name', 'coscheduling', 'scheduler_timeout']
    .filter((k) => JSON.stringify(loaded[k] ?? null) !== JSON.stringify(after[k] ?? null))
    .map((k) => ({ field: k, before: loaded[k] ?? null, after: after[k] ?? null }));
}

/** Two of the core's warnings (what the service accepts but is unwise): they never block a save. */
function warnings(form: SchedulerFormDto): FieldViolationDto[] {
  const found: FieldViolationDto[] = [];
  if (form.schedulerName.trim() === '') {
    found.push({
      field: 'scheduler_name',
      message: 'The scheduler name is empty: the service accepts it, but workflows are scheduled only by a scheduler the name points to (for KAI: kai-scheduler).',
    });
  }
  if (/^-\d+$/.test(form.schedulerTimeout.trim())) {
    found.push({
      field: 'scheduler_timeout',
      message: `Scheduling timeout ${form.schedulerTimeout.trim()} is negative: the service stores it unchecked, but it is a number of seconds (the service's default is 30).`,
    });
  }
  return found;
}

export const schedulerCommands: Handlers = {
  load_scheduler: ({ backend: { backend } }, state) => {
    const view = state.scheduler?.views[backend];
    if (!view) return refuse('not_found', `Backend ${backend} is not found.`);
    return { ...structuredClone(view), loaded: structuredClone(state.scheduler?.stored[backend] ?? {}) };
  },
  preview_scheduler: ({ loaded, form }) => {
    // The one refusal a test plays: a timeout that is not a whole number (the service stores a negative one).
    if (!/^-?\d+$/.test(form.schedulerTimeout)) {
      const message = `must be a whole number of seconds, got "${form.schedulerTimeout}"`;
      return { violations: [{ field: 'scheduler_timeout', message }], changes: [], warnings: warnings(form) };
    }
    return { violations: [], changes: changes(loaded, form), warnings: warnings(form) };
  },
  save_scheduler: ({ backend: { backend }, loaded, form }, state) => {
    const s = state.scheduler;
    if (!s) return refuse('not_found', `Backend ${backend} is not found.`);
    if (s.saveError) return Promise.reject(s.saveError);
    const yours = changes(loaded, form);
    if (yours.length === 0) return { outcome: 'nothing_changed' };
    if (s.theyChanged) {
      s.stored[backend] = { ...loaded, ...s.theyChanged };
      const theirChanges = Object.entries(s.theyChanged).map(([field, after]) => ({ field, before: loaded[field] ?? null, after }));
      return { outcome: 'conflict', theirChanges, yourChanges: yours, theirs: form };
    }
    s.stored[backend] = toSettings(form);
    // A reload answers the saved settings as the form.
    const view = s.views[backend];
    if (view) view.form = structuredClone(form);
    return { outcome: 'saved', changes: yours, stored: form };
  },
};

// The scheduler editor's commands in the mocked IPC, over `state.scheduler`.
import type { IpcError, SchedulerChangeDto, SchedulerEditorView, SchedulerFormDto } from '../../../src/ipc/bindings.gen';
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

export const schedulerCommands: Handlers = {
  load_scheduler: ({ backend: { backend } }, state) => {
    const view = state.scheduler?.views[backend];
    if (!view) return refuse('not_found', `Backend ${backend} is not found.`);
    return { ...structuredClone(view), loaded: structuredClone(state.scheduler?.stored[backend] ?? {}) };
  },
  preview_scheduler: ({ loaded, form }) => {
    // The one rule a test plays: a timeout that is not whole seconds.
    if (!/^\d+$/.test(form.schedulerTimeout)) {
      const message = `must be a whole number of seconds, got "${form.schedulerTimeout}"`;
      return { violations: [{ field: 'scheduler_timeout', message }], warnings: [], changes: [] };
    }
    return { violations: [], warnings: [], changes: changes(loaded, form) };
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
    return { outcome: 'saved', changes: yours, stored: form };
  },
};

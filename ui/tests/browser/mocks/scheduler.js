// The scheduler editor's commands in the mocked IPC, over `state.scheduler`: the editor view per
// backend (`views[backend]`), what the service holds (`stored[backend]`), and faults to answer
// (`saveError`, `theyChanged`). Returns undefined for commands that are not its own.
const KEYS = { schedulerType: 'scheduler_type', schedulerName: 'scheduler_name', coscheduling: 'coscheduling', schedulerTimeout: 'scheduler_timeout' };

function toSettings(form) {
  const settings = { scheduler_type: form.schedulerType, scheduler_name: form.schedulerName, scheduler_timeout: Number(form.schedulerTimeout) };
  if (form.coscheduling !== null) settings.coscheduling = form.coscheduling;
  return settings;
}

function check(form) {
  const violations = [];
  if (!/^\d+$/.test(form.schedulerTimeout)) {
    violations.push({ field: 'scheduler_timeout', message: `must be a whole number of seconds, got "${form.schedulerTimeout}"` });
  }
  if (form.coscheduling && form.schedulerType === 'default') {
    violations.push({ field: 'coscheduling', message: 'cannot be on with the default scheduler: choose scheduler-plugins, volcano or kai' });
  }
  return violations;
}

function changes(loaded, form) {
  const after = toSettings(form);
  return Object.values(KEYS)
    .filter((k) => k in after || k in loaded)
    .filter((k) => JSON.stringify(loaded[k] ?? null) !== JSON.stringify(after[k] ?? null))
    .map((k) => ({ field: k, before: loaded[k] ?? null, after: after[k] ?? null }));
}

export function handleScheduler(cmd, args, state) {
  const s = state.scheduler;
  switch (cmd) {
    case 'load_scheduler': {
      const view = s?.views?.[args.backend];
      if (!view) return Promise.reject({ code: 'not_found', message: `Backend ${args.backend} is not found.` });
      return { ...structuredClone(view), loaded: structuredClone(s.stored[args.backend]) };
    }
    case 'preview_scheduler': {
      const violations = check(args.form);
      return { violations, changes: violations.length ? [] : changes(args.loaded, args.form) };
    }
    case 'save_scheduler': {
      if (s.saveError) return Promise.reject(s.saveError);
      const found = changes(args.loaded, args.form);
      if (found.length === 0) return { outcome: 'nothing_changed' };
      if (s.theyChanged) {
        s.stored[args.backend] = { ...args.loaded, ...s.theyChanged };
        return {
          outcome: 'conflict',
          theirChanges: Object.entries(s.theyChanged).map(([field, after]) => ({ field, before: args.loaded[field] ?? null, after })),
          yourChanges: found,
          theirs: args.form,
        };
      }
      s.stored[args.backend] = toSettings(args.form);
      s.saved = [...(s.saved ?? []), { backend: args.backend, description: args.description }];
      return { outcome: 'saved', changes: found, stored: args.form };
    }
    default:
      return undefined;
  }
}

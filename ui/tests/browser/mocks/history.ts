// The config history commands in the mocked IPC, over `state.history`: each revision keeps the
// config it stored (name → field → value), and diffs, previews and rollbacks are computed from
// those, like the service does. A rollback is refused as a conflict when its confirmed preview is
// not what a fresh preview says (`theyChange` plays someone else's change just before).
import type {
  ConfigHistoryView,
  ConfigKindDto,
  EntityChangeDto,
  IpcError,
  RevisionDto,
  RollbackPreviewDto,
} from '../../../src/ipc/bindings.gen';
import type { Handlers, MockState } from '../mock-backend';
import { refuse } from '../mock-backend';

/** Backends or pools by name, each with its fields. */
export type StoredConfig = Record<string, Record<string, string>>;
export type StoredRevision = { revision: RevisionDto; config: StoredConfig };

export type HistoryMock = {
  /** Per service, per kind: the revisions newest first, exactly one `current`. */
  services: Record<string, Partial<Record<ConfigKindDto, StoredRevision[]>>>;
  /** Someone else's change stored (as a new current revision) just before the next rollback. */
  theyChange?: { kind: ConfigKindDto; about: string; config: StoredConfig } | null;
  /** What tag_revision rejects with. */
  tagError?: IpcError;
};

function revisionsOf(state: MockState, service: string, kind: ConfigKindDto): StoredRevision[] | null {
  return state.history?.services[service]?.[kind] ?? null;
}

function view(service: string, kind: ConfigKindDto, revisions: StoredRevision[]): ConfigHistoryView {
  return { service, kind, revisions: structuredClone(revisions.map((r) => r.revision)) };
}

/** From `first` to `second`: added = only in second, removed = only in first, changed = a field differs. */
export function diffConfigs(first: StoredConfig, second: StoredConfig): EntityChangeDto[] {
  const names = [...Object.keys(first), ...Object.keys(second).filter((n) => !(n in first))];
  const changes: EntityChangeDto[] = [];
  for (const name of names) {
    const a = first[name];
    const b = second[name];
    const keys = [...Object.keys(a ?? {}), ...Object.keys(b ?? {}).filter((k) => !(k in (a ?? {})))];
    const fields = keys
      .map((field) => ({ field, before: a?.[field] ?? null, after: b?.[field] ?? null }))
      .filter((f) => f.before !== f.after);
    if (!a) changes.push({ name, change: 'added', fields });
    else if (!b) changes.push({ name, change: 'removed', fields });
    else if (fields.length > 0) changes.push({ name, change: 'changed', fields });
  }
  return changes;
}

function current(revisions: StoredRevision[]): StoredRevision {
  const found = revisions.find((r) => r.revision.current);
  if (!found) throw new Error('the mock history has no current revision');
  return found;
}

function preview(revisions: StoredRevision[], kind: ConfigKindDto, target: StoredRevision): RollbackPreviewDto {
  const now = current(revisions);
  return { kind, revision: target.revision.revision, current: now.revision.revision, changes: diffConfigs(now.config, target.config) };
}

/** Stores `config` as the new current revision, newest first. */
function store(revisions: StoredRevision[], config: StoredConfig, fields: Partial<RevisionDto>) {
  for (const r of revisions) r.revision.current = false;
  const next = Math.max(...revisions.map((r) => r.revision.revision)) + 1;
  revisions.unshift({
    revision: {
      revision: next, about: '', username: 'ana', createdAt: new Date().toISOString(), description: '', tags: [], current: true,
      ...fields,
    },
    config: structuredClone(config),
  });
}

function find(revisions: StoredRevision[], revision: number): StoredRevision | undefined {
  return revisions.find((r) => r.revision.revision === revision);
}

export const historyCommands: Handlers = {
  config_history: ({ service, kind }, state) => {
    const revisions = revisionsOf(state, service, kind);
    if (!revisions) return refuse('not_found', `There is no OSMO service named "${service}".`);
    return view(service, kind, revisions);
  },
  config_diff: ({ service, kind, first, second }, state) => {
    const revisions = revisionsOf(state, service, kind) ?? [];
    const a = find(revisions, first);
    const b = find(revisions, second);
    if (!a || !b) return refuse('not_found', `Revision ${a ? second : first} does not exist.`);
    return { first, second, changes: diffConfigs(a.config, b.config) };
  },
  tag_revision: ({ service, kind, revision, set, remove }, state) => {
    if (state.history?.tagError) return refuse(state.history.tagError.code, state.history.tagError.message);
    const revisions = revisionsOf(state, service, kind) ?? [];
    const r = find(revisions, revision);
    if (!r) return refuse('not_found', `Revision ${revision} does not exist.`);
    const kept = r.revision.tags.filter((t) => !remove.includes(t));
    r.revision.tags = [...kept, ...set.filter((t) => !kept.includes(t))];
    return view(service, kind, revisions);
  },
  rollback_preview: ({ service, kind, revision }, state) => {
    const revisions = revisionsOf(state, service, kind) ?? [];
    const target = find(revisions, revision);
    if (!target) return refuse('not_found', `Revision ${revision} does not exist.`);
    return preview(revisions, kind, target);
  },
  roll_back_config: ({ service, confirmed, description }, state) => {
    const { kind } = confirmed;
    const revisions = revisionsOf(state, service, kind) ?? [];
    const target = find(revisions, confirmed.revision);
    if (!target) return refuse('not_found', `Revision ${confirmed.revision} does not exist.`);
    const theirs = state.history?.theyChange;
    if (theirs && theirs.kind === kind && state.history) {
      store(revisions, theirs.config, { about: theirs.about, username: 'bo' });
      state.history.theyChange = null;
    }
    if (JSON.stringify(preview(revisions, kind, target)) !== JSON.stringify(confirmed)) {
      return refuse('conflict', `The ${kind} config changed since the preview (now at revision ${current(revisions).revision.revision}).`);
    }
    store(revisions, target.config, { description });
    return view(service, kind, revisions);
  },
};

// How the History screen names a config type and the backends or pools a change touches.
import type { ConfigKindDto, EntityChangeDto } from '../../ipc/bindings.gen';

export const KIND_WORDS: Record<ConfigKindDto, { one: string; many: string; title: string }> = {
  backend: { one: 'backend', many: 'backends', title: 'Backends' },
  pool: { one: 'pool', many: 'pools', title: 'Pools' },
};

/** The separator before the `index`th of `count` names: "a", "a and b", "a, b and c". */
export function separator(index: number, count: number): string {
  if (index === 0) return '';
  return index === count - 1 ? ' and ' : ', ';
}

/** The kinds of change the core names, in the order they are shown. */
export const KNOWN_CHANGES = ['removed', 'added', 'changed'] as const;
export type Change = (typeof KNOWN_CHANGES)[number];

/** The kinds of change in `changes`: the known ones in order, then any other the core sent. */
export function changeKinds(changes: EntityChangeDto[]): string[] {
  const others = changes.map((c) => c.change).filter((c) => !(KNOWN_CHANGES as readonly string[]).includes(c));
  return [...KNOWN_CHANGES, ...new Set(others)].filter((kind) => changes.some((c) => c.change === kind));
}

/** What a rollback does to each kind of change (the preview goes from the current revision to the target). */
const ROLLBACK_VERBS: Record<Change, string> = {
  removed: 'delete',
  added: 're-create',
  changed: 'rewrite',
};

/** The confirmation, built from the preview: "delete gpu-old", "rewrite gpu-east and cpu-batch". */
export function confirmationParts(changes: EntityChangeDto[]): { verb: string; names: string[] }[] {
  return changeKinds(changes).map((kind) => ({
    verb: ROLLBACK_VERBS[kind as Change] ?? `change (${kind})`,
    names: changes.filter((c) => c.change === kind).map((c) => c.name),
  }));
}

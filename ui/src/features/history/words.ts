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

export type Change = EntityChangeDto['change'];

/** What a rollback does to each kind of change (the preview goes from the current revision to the target). */
export const ROLLBACK_VERBS: Record<Change, string> = {
  removed: 'delete',
  added: 're-create',
  changed: 'rewrite',
};

/** The confirmation, built from the preview: "delete gpu-old", "rewrite gpu-east and cpu-batch". */
export function confirmationParts(changes: EntityChangeDto[]): { verb: string; names: string[] }[] {
  return (['removed', 'added', 'changed'] as const)
    .map((change) => ({ verb: ROLLBACK_VERBS[change], names: changes.filter((c) => c.change === change).map((c) => c.name) }))
    .filter((part) => part.names.length > 0);
}

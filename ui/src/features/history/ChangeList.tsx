// Backends or pools that differ between two revisions, grouped by what happens to them, each
// with its fields before → after (shown, or collapsed under the name).
import type { EntityChangeDto, FieldChangeDto } from '../../ipc/bindings.gen';
import { changeKinds, type Change } from './words';

interface Props {
  changes: EntityChangeDto[];
  /** The group heading per kind of change, e.g. "Removed" or "Will be deleted". */
  headings: Record<Change, string>;
  /** Column headings of the field table. */
  columns: { before: string; after: string };
  /** Fields folded under each name (a preview) or shown (a comparison). */
  collapsed?: boolean;
  label: string;
}

export function ChangeList({ changes, headings, columns, collapsed = false, label }: Props) {
  return (
    <div className="history-changes" aria-label={label} role="group">
      {changeKinds(changes).map((change) => {
        const group = changes.filter((c) => c.change === change);
        return (
          <section key={change} className={`history-change-group ${change}`} data-change={change}>
            <h3>
              {headings[change as Change] ?? change} ({group.length})
            </h3>
            <ul>
              {group.map((c) => (
                <li key={c.name} data-name={c.name}>
                  <Entity change={c} columns={columns} collapsed={collapsed} />
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}

function Entity({
  change,
  columns,
  collapsed,
}: {
  change: EntityChangeDto;
  columns: Props['columns'];
  collapsed: boolean;
}) {
  const name = (
    <span className="history-name" title={change.name}>
      {change.name}
    </span>
  );
  if (change.fields.length === 0) return name;
  const table = <FieldTable fields={change.fields} columns={columns} name={change.name} />;
  if (!collapsed) {
    return (
      <>
        {name}
        {table}
      </>
    );
  }
  return (
    <details>
      <summary>
        {name}{' '}
        <span className="muted small">
          {change.fields.length} field{change.fields.length === 1 ? '' : 's'}
        </span>
      </summary>
      {table}
    </details>
  );
}

function show(value: string | null): string {
  return value === null || value === '' ? '(none)' : value;
}

function FieldTable({ fields, columns, name }: { fields: FieldChangeDto[]; columns: Props['columns']; name: string }) {
  return (
    <table className="diff history-fields" aria-label={`Fields of ${name}`}>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">{columns.before}</th>
          <th scope="col">{columns.after}</th>
        </tr>
      </thead>
      <tbody>
        {fields.map((f) => (
          <tr key={f.field}>
            <th scope="row">{f.field}</th>
            <td>
              <code>{show(f.before)}</code>
            </td>
            <td>
              <code>{show(f.after)}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

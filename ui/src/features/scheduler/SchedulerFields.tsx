import type {
  FieldViolationDto,
  SchedulerFieldDto,
  SchedulerFormDto,
  SchedulerPresenceDto,
} from '../../ipc/bindings.gen';

type FormKey = keyof SchedulerFormDto;

const KEYS: Record<string, FormKey> = {
  scheduler_type: 'schedulerType',
  scheduler_name: 'schedulerName',
  coscheduling: 'coscheduling',
  scheduler_timeout: 'schedulerTimeout',
};

const PRESENCE_TEXT = { present: 'in the cluster', absent: 'not found in the cluster', unknown: 'cluster not checked' } as const;

/** The dialect's fields, each with its help, why the service refuses its value (a violation) and
 * what about it is unwise though accepted (a warning, which never blocks a save). A warning about a
 * field this dialect does not show is listed after the fields. */
export function SchedulerFields({
  fields,
  form,
  onChange,
  violations,
  warnings,
  presence,
}: {
  fields: SchedulerFieldDto[];
  form: SchedulerFormDto;
  onChange: (form: SchedulerFormDto) => void;
  violations: FieldViolationDto[];
  warnings: FieldViolationDto[];
  presence: SchedulerPresenceDto[];
}) {
  const shown = new Set(fields.filter((f) => KEYS[f.name]).map((f) => f.name));
  const unplaced = warnings.filter((w) => !shown.has(w.field));
  return (
    <div className="scheduler-fields">
      {fields.map((field) => {
        const keyName = KEYS[field.name];
        if (!keyName) return null;
        const problem = violations.find((v) => v.field === field.name);
        const cautions = warnings.filter((w) => w.field === field.name);
        const id = `scheduler-${field.name}`;
        const describedBy = [`${id}-help`, ...cautions.map((_, i) => `${id}-warning-${i}`)].join(' ');
        const set = (value: string | boolean) => onChange({ ...form, [keyName]: value });
        return (
          <div key={field.name} className={`field${problem ? ' invalid' : ''}${cautions.length ? ' warned' : ''}`}>
            <label htmlFor={id}>{field.label}</label>
            {field.kind.kind === 'choice' ? (
              <select id={id} aria-describedby={describedBy} value={String(form[keyName] ?? '')} onChange={(e) => set(e.target.value)}>
                {field.kind.values.map((value) => {
                  const found = presence.find((p) => p.schedulerType === value);
                  return (
                    <option key={value} value={value}>
                      {value}
                      {found ? ` (${PRESENCE_TEXT[found.state as keyof typeof PRESENCE_TEXT] ?? found.state})` : ''}
                    </option>
                  );
                })}
              </select>
            ) : null}
            {field.kind.kind === 'bool' ? (
              <input id={id} type="checkbox" aria-describedby={describedBy} checked={Boolean(form[keyName])} onChange={(e) => set(e.target.checked)} />
            ) : null}
            {field.kind.kind === 'text' || field.kind.kind === 'seconds' ? (
              <input
                id={id}
                inputMode={field.kind.kind === 'seconds' ? 'numeric' : undefined}
                value={String(form[keyName] ?? '')}
                aria-invalid={problem ? true : undefined}
                aria-describedby={describedBy}
                onChange={(e) => set(e.target.value)}
              />
            ) : null}
            <small id={`${id}-help`}>{field.help}</small>
            {problem ? (
              <small className="field-error" role="alert">
                {problem.message}
              </small>
            ) : null}
            {cautions.map((w, i) => (
              <small key={w.message} id={`${id}-warning-${i}`} className="field-warning">
                Warning: {w.message}
              </small>
            ))}
          </div>
        );
      })}
      {unplaced.length > 0 ? (
        <ul className="field-warnings" aria-label="Other warnings">
          {unplaced.map((w) => (
            <li key={`${w.field}-${w.message}`} className="field-warning">
              Warning ({w.field}): {w.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

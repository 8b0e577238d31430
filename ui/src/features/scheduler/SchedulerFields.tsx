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

/** The dialect's fields, each with its help and, when the service or the app refused it, why. */
export function SchedulerFields({
  fields,
  form,
  onChange,
  violations,
  presence,
}: {
  fields: SchedulerFieldDto[];
  form: SchedulerFormDto;
  onChange: (form: SchedulerFormDto) => void;
  violations: FieldViolationDto[];
  presence: SchedulerPresenceDto[];
}) {
  return (
    <div className="scheduler-fields">
      {fields.map((field) => {
        const keyName = KEYS[field.name];
        if (!keyName) return null;
        const problem = violations.find((v) => v.field === field.name);
        const id = `scheduler-${field.name}`;
        const set = (value: string | boolean) => onChange({ ...form, [keyName]: value });
        return (
          <div key={field.name} className={`field${problem ? ' invalid' : ''}`}>
            <label htmlFor={id}>{field.label}</label>
            {field.kind.kind === 'choice' ? (
              <select id={id} value={String(form[keyName] ?? '')} onChange={(e) => set(e.target.value)}>
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
              <input id={id} type="checkbox" checked={Boolean(form[keyName])} onChange={(e) => set(e.target.checked)} />
            ) : null}
            {field.kind.kind === 'text' || field.kind.kind === 'seconds' ? (
              <input
                id={id}
                inputMode={field.kind.kind === 'seconds' ? 'numeric' : undefined}
                value={String(form[keyName] ?? '')}
                aria-invalid={problem ? true : undefined}
                aria-describedby={`${id}-help`}
                onChange={(e) => set(e.target.value)}
              />
            ) : null}
            <small id={`${id}-help`}>{field.help}</small>
            {problem ? (
              <small className="field-error" role="alert">
                {problem.message}
              </small>
            ) : null}
          </div>
        );
      })}
    </div>
  );
}

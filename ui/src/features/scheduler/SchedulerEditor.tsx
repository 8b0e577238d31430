import { useState } from 'react';
import type {
  SchedulerChangeDto,
  SchedulerEditorView,
  SchedulerFormDto,
  SchedulerPreviewDto,
} from '../../ipc/bindings.gen';
import { ErrorMessage } from '../../app/ErrorMessage';
import { When } from '../../app/time';
import { SchedulerFields } from './SchedulerFields';
import { usePreviewScheduler, useReloadScheduler, useSaveScheduler, useSchedulerEditor } from './useScheduler';

/** A backend's scheduler settings: edit, review the change, describe it, save. */
export function SchedulerEditor({ session, backend }: { session: string; backend: string }) {
  const ref = { service: session, backend };
  const editor = useSchedulerEditor(ref);
  const reload = useReloadScheduler(ref);
  // What the last save stored, in words: kept while the form reloads as the saved state.
  const [saved, setSaved] = useState<string | null>(null);
  if (editor.error) return <ErrorMessage error={editor.error} />;
  if (!editor.data) return <p className="muted">Loading the scheduler settings of {backend}…</p>;
  // Keyed by what was loaded: a reload (after a save, too) starts a fresh form from the service.
  return (
    <EditorForm
      key={JSON.stringify(editor.data.loaded)}
      view={editor.data}
      saved={saved}
      onSaved={(words) => {
        setSaved(words);
        void reload();
      }}
      onEdit={() => setSaved(null)}
    />
  );
}

function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(none)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function ChangeTable({ changes, label }: { changes: SchedulerChangeDto[]; label: string }) {
  return (
    <table className="diff" aria-label={label}>
      <thead>
        <tr>
          <th>Setting</th>
          <th>Now</th>
          <th>After saving</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c) => (
          <tr key={c.field}>
            <td>{c.field}</td>
            <td>{show(c.before)}</td>
            <td>{show(c.after)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function EditorForm({
  view,
  saved,
  onSaved,
  onEdit,
}: {
  view: SchedulerEditorView;
  saved: string | null;
  onSaved: (words: string) => void;
  onEdit: () => void;
}) {
  const { backend } = view;
  const ref = { service: view.session, backend };
  const [form, setForm] = useState<SchedulerFormDto>(view.form);
  const [description, setDescription] = useState('');
  const [reviewed, setReviewed] = useState<SchedulerPreviewDto | null>(null);
  const previewing = usePreviewScheduler(ref);
  const saving = useSaveScheduler(ref);
  const reload = useReloadScheduler(ref);
  const change = (next: SchedulerFormDto) => {
    setForm(next);
    setReviewed(null);
    saving.reset();
    onEdit();
  };
  const review = () =>
    previewing.mutate({ loaded: view.loaded, form }, { onSuccess: (result) => setReviewed(result) });
  const chosen = view.presence.find((p) => p.schedulerType === form.schedulerType);
  const outcome = saving.data;
  // The form as loaded (or as just saved): nothing to review until a setting changes.
  const unchanged = JSON.stringify(form) === JSON.stringify(view.form);
  return (
    <div className="scheduler-editor">
      <p className="muted">
        OSMO {view.dialect} · {view.linkedContext ? `cluster context ${view.linkedContext}` : 'no cluster context linked'}
      </p>
      <SchedulerFields
        fields={view.fields}
        form={form}
        onChange={change}
        violations={reviewed?.violations ?? []}
        warnings={reviewed?.warnings ?? []}
        presence={view.presence}
      />
      {view.presenceError ? (
        <p className="warning">The cluster could not be asked which schedulers it has: {view.presenceError}</p>
      ) : null}
      {chosen && chosen.state !== 'present' ? (
        <p className="warning" role="status">
          {chosen.state === 'absent'
            ? `The linked cluster does not seem to have the ${chosen.schedulerType} scheduler (looked for ${chosen.detail}). Workflows would not be scheduled until it is installed.`
            : `Whether the cluster has ${chosen.schedulerType} is unknown: ${chosen.detail}`}
        </p>
      ) : null}
      <div className="actions">
        <button type="button" onClick={() => change(view.kaiPreset)}>
          Use the guide’s KAI settings
        </button>
        <button
          type="button"
          className="primary"
          disabled={previewing.isPending || unchanged}
          title={unchanged ? 'These are the settings the backend has now: change one to review it' : undefined}
          onClick={review}
        >
          Review the change
        </button>
      </div>
      {previewing.error ? <ErrorMessage error={previewing.error} /> : null}
      {reviewed && reviewed.violations.length === 0 && reviewed.changes.length === 0 ? (
        <p role="status">Nothing changed: these are the settings the backend has now, so nothing will be sent.</p>
      ) : null}
      {reviewed && reviewed.changes.length > 0 ? (
        <form
          className="scheduler-save"
          onSubmit={(event) => {
            event.preventDefault();
            saving.mutate(
              { loaded: view.loaded, form, description },
              {
                onSuccess: (answer) => {
                  if (answer.outcome !== 'saved') return;
                  const s = answer.stored;
                  onSaved(
                    `Saved. ${backend} now has: type ${s.schedulerType}, name ${show(s.schedulerName)}${
                      s.coscheduling === null ? '' : `, coscheduling ${s.coscheduling ? 'on' : 'off'}`
                    }, timeout ${show(s.schedulerTimeout)} s.`,
                  );
                },
              },
            );
          }}
        >
          <ChangeTable changes={reviewed.changes} label="Changes to save" />
          <p className="muted">Only workflows submitted after saving use the new settings; running ones keep theirs.</p>
          <label className="field">
            <span>Why (recorded in the backend’s config history)</span>
            <input
              name="description"
              required
              value={description}
              onChange={(e) => setDescription(e.target.value)}
              placeholder="Switch to KAI for gang scheduling"
            />
          </label>
          <button type="submit" className="primary" disabled={saving.isPending || description.trim() === ''}>
            {saving.isPending ? 'Saving…' : `Save to ${backend}`}
          </button>
        </form>
      ) : null}
      {saving.error ? <ErrorMessage error={saving.error} /> : null}
      {saved ? (
        <p role="status" className="ok">
          {saved}
        </p>
      ) : null}
      {outcome?.outcome === 'nothing_changed' ? <p role="status">Nothing changed; nothing was sent.</p> : null}
      {outcome?.outcome === 'conflict' ? (
        <div className="error" role="alert" data-code="conflict">
          <strong>Someone else changed these settings since you opened them; nothing was saved.</strong>
          <ChangeTable changes={outcome.theirChanges} label="Their changes" />
          <button type="button" onClick={() => void reload()}>
            Reload their settings
          </button>
        </div>
      ) : null}
      <Revisions view={view} onUse={change} />
    </div>
  );
}

const FIELD_WORDS: Record<keyof SchedulerFormDto, string> = {
  schedulerType: 'type',
  schedulerName: 'name',
  coscheduling: 'coscheduling',
  schedulerTimeout: 'timeout',
};

/** What going back to `earlier` would change from `now`, in words ("type kai → volcano, ..."). */
function restoring(now: SchedulerFormDto, earlier: SchedulerFormDto): string {
  const changed = (Object.keys(FIELD_WORDS) as (keyof SchedulerFormDto)[])
    .filter((k) => now[k] !== earlier[k])
    .map((k) => `${FIELD_WORDS[k]} ${show(now[k])} → ${show(earlier[k])}`);
  return changed.length ? changed.join(', ') : 'nothing';
}

function Revisions({ view, onUse }: { view: SchedulerEditorView; onUse: (form: SchedulerFormDto) => void }) {
  if (view.revisionsError) return <p className="warning">Earlier settings could not be read: {view.revisionsError}</p>;
  if (view.revisions.length === 0) return null;
  return (
    <section className="revisions" aria-label="Earlier settings">
      <h3>Earlier settings</h3>
      <ul>
        {view.revisions.map((r) => (
          <li key={r.revision}>
            <span>
              #{r.revision} by {r.username}
              {r.createdAt ? (
                <>
                  {' '}
                  <When iso={r.createdAt} />
                </>
              ) : null}
              : {r.description || '(no description)'} —{' '}
              {r.form.schedulerType}
              {r.form.schedulerName ? ` / ${r.form.schedulerName}` : ''}
              {r.latest ? ' (current)' : ''}
            </span>
            {r.latest ? null : (
              <>
                <span className="small muted"> · restoring it would change {restoring(view.form, r.form)}</span>
                <button type="button" onClick={() => onUse(r.form)}>
                  Use these settings
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

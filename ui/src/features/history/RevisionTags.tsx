// A revision's tags as chips, each with × to remove it, and a small inline form to add one.
import { useState } from 'react';
import type { TagChange } from './useHistory';

interface Props {
  revision: number;
  tags: string[];
  busy: boolean;
  onChange: (change: TagChange, done: () => void) => void;
}

export function RevisionTags({ revision, tags, busy, onChange }: Props) {
  const [adding, setAdding] = useState(false);
  const [tag, setTag] = useState('');
  const name = tag.trim();
  const close = () => {
    setAdding(false);
    setTag('');
  };
  return (
    <div className="history-tags">
      {tags.map((t) => (
        <span key={t} className="history-tag" data-tag={t}>
          <span className="history-name" title={t}>
            {t}
          </span>
          <button
            type="button"
            aria-label={`Remove tag ${t} from r${revision}`}
            title={`Remove tag ${t}`}
            disabled={busy}
            onClick={() => onChange({ revision, set: [], remove: [t] }, () => {})}
          >
            ×
          </button>
        </span>
      ))}
      {adding ? (
        <form
          className="history-tag-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (name !== '') onChange({ revision, set: [name], remove: [] }, close);
          }}
        >
          <input
            aria-label={`New tag for r${revision}`}
            value={tag}
            onChange={(e) => setTag(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') close();
            }}
            spellCheck={false}
            autoFocus
            size={10}
          />
          <button type="submit" disabled={busy || name === '' || tags.includes(name)}>
            Add
          </button>
          <button type="button" onClick={close}>
            Cancel
          </button>
        </form>
      ) : (
        <button type="button" className="history-add-tag" aria-label={`Add a tag to r${revision}`} onClick={() => setAdding(true)}>
          + tag
        </button>
      )}
    </div>
  );
}

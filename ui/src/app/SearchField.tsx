// The search field of the app's lists: a labelled search input that renders again only when its
// own value changes (React sets an input's attributes again whenever it gets new props, which a
// list refreshed by a poll must not cause).
import { memo } from 'react';

export const SearchField = memo(function SearchField({
  label,
  placeholder,
  value,
  onChange,
}: {
  /** What the field searches, for screen readers ("Search backends"). */
  label: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <label className="search">
      <span className="visually-hidden">{label}</span>
      <input type="search" placeholder={placeholder} value={value} onChange={(e) => onChange(e.target.value)} />
    </label>
  );
});

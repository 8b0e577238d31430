import { useState, type FormEvent } from 'react';
import type { SettingsDto, ThemePreference } from '../../ipc/bindings.gen';
import { ErrorMessage } from '../../app/ErrorMessage';
import type { useSaveSettings } from './useSettings';

const THEMES: { value: ThemePreference; label: string }[] = [
  { value: 'system', label: 'Follow the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

interface SettingsScreenProps {
  settings: SettingsDto;
  /** Owned by the shell, so its state survives this form being re-created with saved values. */
  save: ReturnType<typeof useSaveSettings>;
}

export function SettingsScreen({ settings, save }: SettingsScreenProps) {
  const [theme, setTheme] = useState(settings.theme);
  const [refresh, setRefresh] = useState(String(settings.dashboardRefreshSecs));
  const [warning, setWarning] = useState(String(settings.tokenWarningDays ?? 7));
  const [notANumber, setNotANumber] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // Only the shape is checked here; the ranges are the core's rules and come back as its error.
    const digits = refresh.trim();
    const days = warning.trim();
    const bad = !/^\d{1,9}$/.test(digits) ? refresh : !/^\d{1,9}$/.test(days) ? warning : null;
    setNotANumber(bad);
    if (bad === null) {
      save.mutate({ theme, dashboardRefreshSecs: Number(digits), tokenWarningDays: Number(days) });
    }
  };

  return (
    <form className="settings-form" onSubmit={submit} aria-label="Settings">
      <fieldset>
        <legend>Theme</legend>
        {THEMES.map(({ value, label }) => (
          <label key={value} className="radio">
            <input
              type="radio"
              name="theme"
              value={value}
              checked={theme === value}
              onChange={() => setTheme(value)}
            />
            {label}
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span>Dashboard refresh interval (seconds)</span>
        <input
          name="dashboardRefreshSecs"
          inputMode="numeric"
          value={refresh}
          onChange={(event) => setRefresh(event.target.value)}
        />
        <small>How often each OSMO service is asked for its backends. 2 to 3600.</small>
      </label>
      <label className="field">
        <span>Token “expires soon” warning (days)</span>
        <input
          name="tokenWarningDays"
          inputMode="numeric"
          value={warning}
          onChange={(event) => setWarning(event.target.value)}
        />
        <small>A token in use with at most this many days left is flagged for rotation. 1 to 90.</small>
      </label>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save settings'}
        </button>
        {save.isSuccess ? (
          <span role="status" className="ok">
            Saved.
          </span>
        ) : null}
      </div>
      {notANumber !== null ? (
        <ErrorMessage
          error={{
            code: 'invalid_input',
            message:
              notANumber === refresh
                ? `The refresh interval must be a whole number of seconds, for example 10; “${refresh}” is not.`
                : `The token warning must be a whole number of days, for example 7; “${warning}” is not.`,
          }}
        />
      ) : save.error ? (
        <ErrorMessage error={save.error} />
      ) : null}
    </form>
  );
}

import type { ThemePreference } from '../ipc/bindings.gen';

/** `system` leaves the choice to the `prefers-color-scheme` media query in styles.css. */
export function applyTheme(theme: ThemePreference): void {
  const root = document.documentElement;
  if (theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = theme;
}

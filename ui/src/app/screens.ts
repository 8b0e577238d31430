// The app's screens, in navigation order. Alt+1..6 jumps to each.
export type ScreenId = 'connections' | 'dashboard' | 'tokens' | 'setup' | 'history' | 'settings';

export interface Screen {
  id: ScreenId;
  label: string;
  /** One line under the heading. */
  summary: string;
}

export const SCREENS: readonly Screen[] = [
  {
    id: 'connections',
    label: 'Connections',
    summary: 'Kubernetes contexts and OSMO services, with their credentials checked.',
  },
  {
    id: 'dashboard',
    label: 'Dashboard',
    summary: 'Every backend of every OSMO service, live.',
  },
  {
    id: 'tokens',
    label: 'Tokens',
    summary: 'Service tokens with their expiry, and rotating a backend’s token.',
  },
  {
    id: 'setup',
    label: 'Setup',
    summary: 'Register a Kubernetes cluster as an OSMO backend: the guide’s five steps, safe to re-run.',
  },
  {
    id: 'history',
    label: 'History',
    summary: 'Every revision of the backends’ and pools’ config: compare two, tag them, roll back.',
  },
  {
    id: 'settings',
    label: 'Settings',
    summary: 'Appearance and refresh interval. Never secrets: those live in the OS keyring.',
  },
];

export function screenById(id: ScreenId): Screen {
  const screen = SCREENS.find((s) => s.id === id);
  if (!screen) throw new Error(`unknown screen ${id}`);
  return screen;
}

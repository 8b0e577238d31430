// Every action the app offers, for the command palette. Screens add theirs here as they grow.
import type { ThemePreference } from '../ipc/bindings.gen';
import { SCREENS, type ScreenId } from './screens';

export interface Action {
  id: string;
  group: 'Go to' | 'Kubernetes' | 'Sandbox' | 'Appearance' | 'Help';
  label: string;
  shortcut?: string;
  run: () => void;
}

export interface ActionContext {
  navigate: (screen: ScreenId) => void;
  setTheme: (theme: ThemePreference) => void;
  openAbout: () => void;
  startSandbox: () => void;
  stopSandbox: () => void;
  reloadKubeconfig: () => void;
}

const THEMES: { theme: ThemePreference; label: string }[] = [
  { theme: 'system', label: 'Use the system theme' },
  { theme: 'light', label: 'Use the light theme' },
  { theme: 'dark', label: 'Use the dark theme' },
];

export function buildActions(ctx: ActionContext): Action[] {
  return [
    ...SCREENS.map((screen, index) => ({
      id: `go-${screen.id}`,
      group: 'Go to' as const,
      label: `Go to ${screen.label}`,
      shortcut: `Alt+${index + 1}`,
      run: () => ctx.navigate(screen.id),
    })),
    { id: 'kubeconfig-reload', group: 'Kubernetes', label: 'Reload kubeconfig', run: ctx.reloadKubeconfig },
    { id: 'sandbox-start', group: 'Sandbox', label: 'Start the sandbox', run: ctx.startSandbox },
    { id: 'sandbox-stop', group: 'Sandbox', label: 'Stop the sandbox', run: ctx.stopSandbox },
    ...THEMES.map(({ theme, label }) => ({
      id: `theme-${theme}`,
      group: 'Appearance' as const,
      label,
      run: () => ctx.setTheme(theme),
    })),
    { id: 'about', group: 'Help', label: 'About OSMO Backend Admin', run: ctx.openAbout },
  ];
}

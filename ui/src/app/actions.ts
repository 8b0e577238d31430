// Every action the app offers, for the command palette: the screens, and each action on the objects
// it acts on (open backend X, rotate the token of X, create a token on a service, sign in to a
// service), only when it can be done (no "Start the sandbox" while it runs).
import type { BackendRef, SandboxView, ServiceId, SessionView, ThemePreference } from '../ipc/bindings.gen';
import type { DashboardRow } from '../features/dashboard/rows';
import { SCREENS, type ScreenId } from './screens';

export interface Action {
  id: string;
  group: 'Go to' | 'Backends' | 'Tokens' | 'Setup' | 'Connections' | 'Kubernetes' | 'Sandbox' | 'Appearance' | 'Help';
  label: string;
  /** More words that find it ("offline"). */
  keywords?: string[];
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
  openBackend: (backend: BackendRef) => void;
  rotateToken: (backend: BackendRef) => void;
  createToken: (service: ServiceId) => void;
  signIn: (service: ServiceId) => void;
}

/** What the actions act on, as the app knows it now. */
export interface ActionObjects {
  backends: DashboardRow[];
  services: SessionView[];
  sandbox: SandboxView['state'] | null;
}

const THEMES: { theme: ThemePreference; label: string }[] = [
  { theme: 'system', label: 'Use the system theme' },
  { theme: 'light', label: 'Use the light theme' },
  { theme: 'dark', label: 'Use the dark theme' },
];

export function buildActions(ctx: ActionContext, objects: ActionObjects): Action[] {
  const signedIn = objects.services.filter((s) => s.status.state === 'signed_in');
  const signedOut = objects.services.filter((s) => s.status.state === 'signed_out' || s.status.state === 'sign_in_again');
  const sandboxOff = objects.sandbox === 'off' || objects.sandbox === 'failed';
  const backends = [...objects.backends].sort((a, b) => a.name.localeCompare(b.name) || a.session.localeCompare(b.session));
  const actions: Action[] = [
    ...SCREENS.map((screen, index) => ({
      id: `go-${screen.id}`,
      group: 'Go to' as const,
      label: `Go to ${screen.label}`,
      shortcut: `Alt+${index + 1}`,
      run: () => ctx.navigate(screen.id),
    })),
    ...backends.map((b) => ({
      id: `open-${b.session}/${b.name}`,
      group: 'Backends' as const,
      label: `Open backend ${b.name} (${b.session})`,
      keywords: [b.online ? 'online' : 'offline'],
      run: () => ctx.openBackend({ service: b.session, backend: b.name }),
    })),
    { id: 'setup', group: 'Setup', label: 'Set up a new backend', run: () => ctx.navigate('setup') },
    ...backends.map((b) => ({
      id: `rotate-${b.session}/${b.name}`,
      group: 'Tokens' as const,
      label: `Rotate the token of ${b.name} (${b.session})`,
      run: () => ctx.rotateToken({ service: b.session, backend: b.name }),
    })),
    ...signedIn.map((s) => ({
      id: `create-token-${s.id}`,
      group: 'Tokens' as const,
      label: `Create a token on ${s.name}`,
      run: () => ctx.createToken(s.id),
    })),
    ...signedOut.map((s) => ({
      id: `sign-in-${s.id}`,
      group: 'Connections' as const,
      label: `Sign in to ${s.name}`,
      run: () => ctx.signIn(s.id),
    })),
    { id: 'kubeconfig-reload', group: 'Kubernetes', label: 'Reload kubeconfig', run: ctx.reloadKubeconfig },
  ];
  if (sandboxOff) actions.push({ id: 'sandbox-start', group: 'Sandbox', label: 'Start the sandbox', run: ctx.startSandbox });
  if (objects.sandbox === 'running') {
    actions.push({ id: 'sandbox-stop', group: 'Sandbox', label: 'Stop the sandbox', run: ctx.stopSandbox });
  }
  return [
    ...actions,
    ...THEMES.map(({ theme, label }) => ({
      id: `theme-${theme}`,
      group: 'Appearance' as const,
      label,
      run: () => ctx.setTheme(theme),
    })),
    { id: 'about', group: 'Help', label: 'About OSMO Backend Admin', run: ctx.openAbout },
  ];
}

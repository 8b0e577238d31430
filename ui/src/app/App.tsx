import { useCallback, useEffect, useMemo, useState } from 'react';
import type { BackendRef, ServiceId, ThemePreference } from '../ipc/bindings.gen';
import { AboutPanel } from '../features/about/AboutPanel';
import { ContextsPanel } from '../features/contexts/ContextsPanel';
import { DashboardPanel, StatusToasts } from '../features/dashboard/DashboardPanel';
import { HistoryPanel } from '../features/history/HistoryPanel';
import { SessionsPanel } from '../features/sessions/SessionsPanel';
import { useReloadContexts } from '../features/contexts/useContexts';
import { TokensNeedingRotationBanner, TokensPanel, type RotateRequest } from '../features/tokens/TokensPanel';
import { useTokensNeedingRotation } from '../features/tokens/useTokens';
import { SandboxPanel, SandboxPointer } from '../features/sandbox/SandboxPanel';
import { useSandboxState, useStartSandbox, useStopSandbox } from '../features/sandbox/useSandbox';
import { SetupPanel } from '../features/setup/SetupPanel';
import { LeftOutSecretsOffer } from '../features/settings/LeftOutSecretsOffer';
import { SettingsScreen } from '../features/settings/SettingsScreen';
import { useDismissSettingsNotice, useSaveSettings, useSettings } from '../features/settings/useSettings';
import type { ActionContext } from './actions';
import { CommandPalette } from './CommandPalette';
import { ErrorMessage } from './ErrorMessage';
import { Modal } from './Modal';
import { SCREENS, screenById, type ScreenId } from './screens';
import { applyTheme } from './theme';

/** What a screen is asked to open with (the command palette's and the dashboard banner's actions). */
type Ask =
  | { kind: 'backend'; backend: BackendRef }
  | { kind: 'rotate'; rotate: RotateRequest }
  | { kind: 'createToken'; service: ServiceId }
  | { kind: 'signIn'; service: ServiceId };

const ASKED_SCREEN: Record<Ask['kind'], ScreenId> = {
  backend: 'dashboard',
  rotate: 'tokens',
  createToken: 'tokens',
  signIn: 'connections',
};

export function App() {
  const [screenId, setScreenId] = useState<ScreenId>('dashboard');
  const [paletteOpen, setPaletteOpen] = useState(false);
  const [aboutOpen, setAboutOpen] = useState(false);
  // Counts navigations so focus moves to the new heading after one, but not on first load.
  const [navigations, setNavigations] = useState(0);
  const settings = useSettings();
  const saveSettings = useSaveSettings();
  const dismissNotice = useDismissSettingsNotice();
  const sandbox = useSandboxState();
  const startSandbox = useStartSandbox();
  const stopSandbox = useStopSandbox();
  const sandboxRunning = sandbox?.state === 'running';
  const reloadContexts = useReloadContexts();
  const needingRotation = useTokensNeedingRotation();
  const tokensToRotate = needingRotation.data?.count ?? 0;
  // What the screen being opened is asked to show first (a backend's detail, a form); `asks`
  // counts them, so a screen asked again while open starts over with the new one.
  const [ask, setAsk] = useState<Ask | null>(null);
  const [asks, setAsks] = useState(0);
  const clearAsk = useCallback(() => setAsk(null), []);
  // The native window title is set by the core; the page title says the same.
  useEffect(() => {
    document.title = sandboxRunning ? 'OSMO Backend Admin — Sandbox' : 'OSMO Backend Admin';
  }, [sandboxRunning]);

  const theme = settings.data?.settings.theme ?? 'system';
  useEffect(() => applyTheme(theme), [theme]);

  const navigate = useCallback((id: ScreenId) => {
    setScreenId(id);
    setNavigations((n) => n + 1);
    setAsk(null);
  }, []);
  const request = useCallback(
    (next: Ask) => {
      navigate(ASKED_SCREEN[next.kind]);
      setAsk(next);
      setAsks((n) => n + 1);
    },
    [navigate],
  );

  // A screen opens at its top, and keyboard and screen-reader users land on its heading.
  useEffect(() => {
    if (navigations === 0) return;
    document.getElementById('main')?.scrollTo({ top: 0 });
    document.getElementById('screen-heading')?.focus({ preventScroll: true });
  }, [navigations]);

  const setTheme = useCallback(
    (next: ThemePreference) => {
      const current = settings.data?.settings;
      if (current) saveSettings.mutate({ ...current, theme: next });
    },
    [settings.data, saveSettings],
  );

  const { mutate: startSandboxNow } = startSandbox;
  const { mutate: stopSandboxNow } = stopSandbox;
  const actionContext: ActionContext = useMemo(
    () => ({
      navigate,
      setTheme,
      openAbout: () => setAboutOpen(true),
      startSandbox: () => {
        startSandboxNow();
        navigate('connections');
      },
      stopSandbox: () => stopSandboxNow(),
      reloadKubeconfig: () => {
        void reloadContexts();
        navigate('connections');
      },
      openBackend: (backend: BackendRef) => request({ kind: 'backend', backend }),
      rotateToken: (backend: BackendRef) =>
        request({ kind: 'rotate', rotate: { session: backend.service, backend: backend.backend } }),
      createToken: (service: ServiceId) => request({ kind: 'createToken', service }),
      signIn: (service: ServiceId) => request({ kind: 'signIn', service }),
    }),
    [navigate, request, setTheme, startSandboxNow, stopSandboxNow, reloadContexts],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        setPaletteOpen((open) => !open);
        return;
      }
      if (event.altKey && !event.ctrlKey && !event.metaKey && /^[1-9]$/.test(event.key)) {
        const screen = SCREENS[Number(event.key) - 1];
        if (screen) {
          event.preventDefault();
          navigate(screen.id);
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate]);

  const screen = screenById(screenId);
  const notice = settings.data?.notice;

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="brand">
          <img src="/icon.svg" alt="" width={28} height={28} />
          <span>OSMO Backend Admin</span>
        </div>
        {sandboxRunning ? (
          <p className="sandbox-label" role="status">
            <span className="sandbox-badge">Sandbox</span> Simulated services, not a real OSMO
          </p>
        ) : null}
        <nav aria-label="Screens">
          <ul>
            {SCREENS.map((s, index) => (
              <li key={s.id}>
                <button
                  type="button"
                  className="nav-item"
                  aria-current={s.id === screenId ? 'page' : undefined}
                  onClick={() => navigate(s.id)}
                  title={`${s.label} (Alt+${index + 1})`}
                >
                  {s.label}
                  {s.id === 'tokens' && tokensToRotate > 0 ? (
                    <span className="nav-count" aria-label={`${tokensToRotate} tokens in use need rotating`}>
                      {tokensToRotate}
                    </span>
                  ) : null}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <div className="sidebar-footer">
          <button type="button" onClick={() => setPaletteOpen(true)}>
            Commands <kbd>Ctrl+K</kbd>
          </button>
          <button type="button" onClick={() => setAboutOpen(true)}>
            About
          </button>
        </div>
      </aside>
      <main id="main" className="content">
        {notice ? (
          <div role="alert" className="notice">
            <p>{notice}</p>
            <button type="button" onClick={() => dismissNotice.mutate()}>
              Dismiss
            </button>
          </div>
        ) : null}
        <LeftOutSecretsOffer services={settings.data?.leftOutSecrets ?? []} />
        <header className="screen-header">
          <h1 id="screen-heading" tabIndex={-1}>
            {screen.label}
          </h1>
          <p>{screen.summary}</p>
        </header>
        {settings.error ? <ErrorMessage error={settings.error} /> : null}
        {screenId === 'settings' && settings.data ? (
          <SettingsScreen
            key={JSON.stringify(settings.data.settings)}
            settings={settings.data.settings}
            save={saveSettings}
          />
        ) : null}
        {screenId === 'connections' ? (
          <>
            <SessionsPanel key={asks} signIn={ask?.kind === 'signIn' ? ask.service : null} />
            <ContextsPanel />
            <SandboxPanel />
          </>
        ) : null}
        {screenId === 'dashboard' ? (
          <TokensNeedingRotationBanner
            view={needingRotation.data}
            onRotate={(rotate) => request({ kind: 'rotate', rotate })}
          />
        ) : null}
        {screenId === 'dashboard' ? (
          <DashboardPanel
            key={asks}
            onOpenConnections={() => navigate('connections')}
            openBackend={ask?.kind === 'backend' ? ask.backend : null}
          />
        ) : null}
        {screenId === 'tokens' ? (
          <TokensPanel
            key={asks}
            rotate={ask?.kind === 'rotate' ? ask.rotate : null}
            createOn={ask?.kind === 'createToken' ? ask.service : null}
            onRotateClosed={clearAsk}
          />
        ) : null}
        {/* Kept while another screen shows: the form, the checks and every step's log survive. */}
        <div hidden={screenId !== 'setup'}>
          <SetupPanel onOpenDashboard={() => navigate('dashboard')} />
        </div>
        {screenId === 'history' ? <HistoryPanel /> : null}
        {screenId !== 'connections' && screenId !== 'settings' ? (
          <SandboxPointer onOpen={() => navigate('connections')} />
        ) : null}
      </main>
      <StatusToasts />
      <CommandPalette open={paletteOpen} onClose={() => setPaletteOpen(false)} context={actionContext} />
      <Modal open={aboutOpen} onClose={() => setAboutOpen(false)} label="About" className="about-dialog">
        <AboutPanel onClose={() => setAboutOpen(false)} />
      </Modal>
    </div>
  );
}

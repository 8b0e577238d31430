import { useQuery } from '@tanstack/react-query';
import type { AboutInfo } from '../../ipc/bindings.gen';
import { call, type IpcError } from '../../ipc/client';
import { ErrorMessage } from '../../app/ErrorMessage';

export function AboutPanel({ onClose }: { onClose: () => void }) {
  const about = useQuery<AboutInfo, IpcError>({ queryKey: ['about'], queryFn: () => call('about') });
  return (
    <section className="about">
      <header>
        <h2>{about.data?.name ?? 'OSMO Backend Admin'}</h2>
        <button type="button" onClick={onClose} aria-label="Close About">
          Close
        </button>
      </header>
      {about.error ? <ErrorMessage error={about.error} /> : null}
      {about.data ? (
        <dl>
          <dt>Version</dt>
          <dd data-testid="about-version">
            {about.data.version} ({about.data.build} build, Tauri {about.data.tauriVersion})
          </dd>
          <dt>Platform</dt>
          <dd>
            {about.data.os} {about.data.arch}
          </dd>
          <dt>Settings file</dt>
          <dd>
            <code>{about.data.settingsFile}</code>
          </dd>
          <dt>Configuration folder</dt>
          <dd>
            <code>{about.data.configDir}</code>
          </dd>
          <dt>Data folder</dt>
          <dd>
            <code>{about.data.dataDir}</code>
          </dd>
          <dt>Log folder</dt>
          <dd>
            <code data-testid="about-log-dir">{about.data.logDir}</code>
          </dd>
        </dl>
      ) : null}
    </section>
  );
}

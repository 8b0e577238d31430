// The Setup screen's IPC: defaults, check, background step runs (their log and end arrive as
// `setup-log` and `setup-step-finished` events), the values file and the saved progress.
import { useEffect, useRef } from 'react';
import { listen } from '@tauri-apps/api/event';
import type { SetupLogDto, SetupStepFinishedDto } from '../../ipc/bindings.gen';

export const SETUP_LOG = 'setup-log';
export const SETUP_STEP_FINISHED = 'setup-step-finished';

/** Calls `onLog` for every log line and `onFinished` at every step's end (any backend). */
export function useSetupEvents(onLog: (line: SetupLogDto) => void, onFinished: (end: SetupStepFinishedDto) => void) {
  const handlers = useRef({ onLog, onFinished });
  useEffect(() => {
    handlers.current = { onLog, onFinished };
  });
  useEffect(() => {
    const log = listen<SetupLogDto>(SETUP_LOG, (event) => handlers.current.onLog(event.payload));
    const finished = listen<SetupStepFinishedDto>(SETUP_STEP_FINISHED, (event) =>
      handlers.current.onFinished(event.payload),
    );
    return () => {
      void log.then((unlisten) => unlisten()).catch(() => {});
      void finished.then((unlisten) => unlisten()).catch(() => {});
    };
  }, []);
}

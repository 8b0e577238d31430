// The Setup screen's IPC: defaults, check, background step runs (their log and end arrive as
// `setup-log` and `setup-step-finished` events), the values file and the saved progress.
import { useEffect, useRef } from 'react';
import type { SetupLogDto, SetupStepFinishedDto } from '../../ipc/bindings.gen';
import { listen } from '../../ipc/client';

export const SETUP_LOG = 'setup-log';
export const SETUP_STEP_FINISHED = 'setup-step-finished';

/** Calls `onLog` for every log line and `onFinished` at every step's end (any backend). */
export function useSetupEvents(onLog: (line: SetupLogDto) => void, onFinished: (end: SetupStepFinishedDto) => void) {
  const handlers = useRef({ onLog, onFinished });
  useEffect(() => {
    handlers.current = { onLog, onFinished };
  });
  useEffect(() => {
    const stopLog = listen(SETUP_LOG, (line) => handlers.current.onLog(line));
    const stopFinished = listen(SETUP_STEP_FINISHED, (end) => handlers.current.onFinished(end));
    return () => {
      stopLog();
      stopFinished();
    };
  }, []);
}

import { Command } from 'cmdk';
import { useMemo } from 'react';
import { useDashboard } from '../features/dashboard/useDashboard';
import { useSandbox } from '../features/sandbox/useSandbox';
import { useSessions } from '../features/sessions/useSessions';
import { buildActions, type ActionContext } from './actions';
import { Modal } from './Modal';

interface CommandPaletteProps {
  open: boolean;
  onClose: () => void;
  context: ActionContext;
}

export function CommandPalette({ open, onClose, context }: CommandPaletteProps) {
  return (
    <Modal open={open} onClose={onClose} label="Command palette" className="palette">
      <PaletteCommands onClose={onClose} context={context} />
    </Modal>
  );
}

/** Mounted only while the palette is open: it reads the backends and services the actions act on. */
function PaletteCommands({ onClose, context }: Omit<CommandPaletteProps, 'open'>) {
  const dashboard = useDashboard();
  const sessions = useSessions();
  const sandbox = useSandbox();
  const actions = useMemo(
    () =>
      buildActions(context, {
        backends: dashboard.data?.rows ?? [],
        services: sessions.data?.sessions ?? [],
        sandbox: sandbox.data?.state ?? null,
      }),
    [context, dashboard.data, sessions.data, sandbox.data],
  );
  const groups = [...new Set(actions.map((action) => action.group))];
  return (
    <Command label="Command palette" loop>
      <Command.Input data-autofocus placeholder="Type a command…" aria-label="Command" />
      <Command.List>
        <Command.Empty>No matching command.</Command.Empty>
        {groups.map((group) => (
          <Command.Group key={group} heading={group}>
            {actions
              .filter((action) => action.group === group)
              .map((action) => (
                <Command.Item
                  key={action.id}
                  value={action.label}
                  keywords={action.keywords}
                  onSelect={() => {
                    onClose();
                    action.run();
                  }}
                >
                  <span>{action.label}</span>
                  {action.shortcut ? <kbd>{action.shortcut}</kbd> : null}
                </Command.Item>
              ))}
          </Command.Group>
        ))}
      </Command.List>
    </Command>
  );
}

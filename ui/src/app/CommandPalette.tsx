import { Command } from 'cmdk';
import type { Action } from './actions';
import { Modal } from './Modal';

interface CommandPaletteProps {
  open: boolean;
  onClose: () => void;
  actions: Action[];
}

export function CommandPalette({ open, onClose, actions }: CommandPaletteProps) {
  const groups = [...new Set(actions.map((action) => action.group))];
  return (
    <Modal open={open} onClose={onClose} label="Command palette" className="palette">
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
    </Modal>
  );
}

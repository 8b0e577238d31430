// A native <dialog>: focus stays inside, Escape closes only the top one, the page behind is inert
// and does not scroll (styles.css). The element
// marked `data-autofocus` gets focus once the dialog is shown (React's autoFocus runs too early,
// while the dialog is still closed and nothing in it can take focus).
import { useEffect, useRef, type ReactNode } from 'react';

interface ModalProps {
  open: boolean;
  onClose: () => void;
  label: string;
  className?: string;
  children: ReactNode;
}

export function Modal({ open, onClose, label, className, children }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-label={label}
      className={className}
      onClose={(event) => {
        // React passes a nested dialog's close up the component tree: only this dialog's own counts.
        if (event.target === event.currentTarget) onClose();
      }}
      onClick={(event) => {
        if (event.target === ref.current) onClose();
      }}
    >
      {open ? children : null}
    </dialog>
  );
}

// Shell commands shown the way they are run: each one unbroken (a long one scrolls sideways
// inside its block, never wraps), with its own Copy button.
import { useEffect, useState } from 'react';

/** How long a Copy button says "Copied" after a copy. */
const COPIED_FOR_MS = 2_000;

export function CommandList({ commands, label }: { commands: string[]; label: string }) {
  return (
    <ul className="command-list" aria-label={label}>
      {commands.map((command, index) => (
        <CommandLine key={`${index}:${command}`} command={command} />
      ))}
    </ul>
  );
}

function CommandLine({ command }: { command: string }) {
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  useEffect(() => {
    if (copied === 'no') return;
    const timer = window.setTimeout(() => setCopied('no'), COPIED_FOR_MS);
    return () => window.clearTimeout(timer);
  }, [copied]);
  const copy = () => {
    navigator.clipboard.writeText(command).then(
      () => setCopied('yes'),
      () => setCopied('failed'),
    );
  };
  return (
    <li className="command-line">
      <pre>
        <code>{command}</code>
      </pre>
      <button
        type="button"
        onClick={copy}
        title={copied === 'failed' ? 'The clipboard is not available: select the command and copy it by hand.' : 'Copy this command'}
      >
        {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Copy failed' : 'Copy'}
      </button>
    </li>
  );
}

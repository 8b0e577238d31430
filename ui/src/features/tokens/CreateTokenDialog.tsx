import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { CreatedTokenDto, NewTokenDto, TokenFieldErrorDto } from '../../ipc/bindings.gen';
import { ErrorMessage } from '../../app/ErrorMessage';
import { Day } from '../../app/time';
import { Modal } from '../../app/Modal';
import { addDays, BACKEND_ROLE, hints, type FieldHints, type TokenField } from './rules';
import { useAddUserRoles } from './useServiceAccounts';
import { useCreateToken } from './useTokens';

const ROLES = [BACKEND_ROLE, 'osmo-admin', 'osmo-user'];

/** How long a copied token value may stay on the clipboard. */
export const CLIPBOARD_CLEAR_MS = 60_000;

/**
 * Copies a new token's value, then after a minute clears the clipboard if it still holds that
 * value (so a later copy of something else is left alone). Where the clipboard cannot be read
 * back, it is cleared anyway: a token left on the clipboard is the worse outcome.
 */
export async function copyForAMinute(value: string): Promise<void> {
  await navigator.clipboard.writeText(value);
  window.setTimeout(() => {
    const clear = () => navigator.clipboard.writeText('').catch(() => {});
    navigator.clipboard
      .readText()
      .then((now) => (now === value ? clear() : undefined))
      .catch(clear);
  }, CLIPBOARD_CLEAR_MS);
}

interface Props {
  session: string;
  /** 6.2+: tokens belong to a user, who is created when missing. */
  needsOwner: boolean;
  today: string;
  onClose: () => void;
}

export function CreateTokenDialog({ session, needsOwner, today, onClose }: Props) {
  const create = useCreateToken(session);
  const [owner, setOwner] = useState('');
  const [name, setName] = useState('');
  const [expiresAt, setExpiresAt] = useState(addDays(today, 90));
  const [roles, setRoles] = useState<string[]>([BACKEND_ROLE]);
  const [description, setDescription] = useState('');
  const [forOperator, setForOperator] = useState(true);
  const [errors, setErrors] = useState<FieldHints>({});
  const [created, setCreated] = useState<CreatedTokenDto | null>(null);
  // 6.2+: the user lacks roles the token asks for (nothing was sent); the form to send again.
  const [missing, setMissing] = useState<MissingRoles | null>(null);
  const addRoles = useAddUserRoles(session);
  const missingBox = useRef<HTMLDivElement>(null);
  // The offer appears below the form: bring it into view.
  useEffect(() => {
    if (missing) missingBox.current?.scrollIntoView({ block: 'nearest' });
  }, [missing]);

  const send = (form: NewTokenDto) => {
    setMissing(null);
    create.mutate(form, {
      onSuccess: (answer) => {
        if (answer.outcome === 'created') setCreated(answer.token);
        else if (answer.outcome === 'invalid') setErrors(serverErrors(answer.errors));
        else setMissing({ user: answer.user, roles: answer.roles, message: answer.message, form });
      },
    });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const local = hints({ owner, name, expiresAt, roles, forOperator }, needsOwner, today);
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    addRoles.reset();
    send({ owner: needsOwner ? owner.trim() : null, name: name.trim(), expiresAt: expiresAt.trim(), roles, description, forOperator });
  };

  const addRolesAndCreate = (m: MissingRoles) =>
    addRoles.mutate({ user: m.user, roles: m.roles }, { onSuccess: () => send(m.form) });

  const error = (field: TokenField) =>
    errors[field] ? (
      <small role="alert" className="field-error" id={`token-${field}-error`}>
        {errors[field]}
      </small>
    ) : null;
  const described = (field: TokenField) => (errors[field] ? { 'aria-invalid': true, 'aria-describedby': `token-${field}-error` } : {});

  return (
    <Modal open onClose={onClose} label={created ? 'New token value' : 'Create token'} className="form-dialog tokens-dialog">
      {created ? (
        <CreatedValue token={created} onClose={onClose} />
      ) : (
        <form onSubmit={submit} noValidate>
          <h2>Create token</h2>
          <p className="muted">
            On {session}. The service’s rules are checked before anything is sent.
          </p>
          {needsOwner ? (
            <label className="field">
              <span>Service account (user)</span>
              <input value={owner} onChange={(e) => setOwner(e.target.value)} data-autofocus {...described('owner')} />
              <small>Created with the token’s roles when it does not exist yet.</small>
              {error('owner')}
            </label>
          ) : null}
          <label className="field">
            <span>Token name</span>
            <input value={name} onChange={(e) => setName(e.target.value)} {...(needsOwner ? {} : { 'data-autofocus': true })} {...described('name')} />
            <small>Letters, digits, _ and -; starts with a letter, ends with a letter or digit.</small>
            {error('name')}
          </label>
          <label className="field">
            <span>Expires on (UTC, YYYY-MM-DD)</span>
            <input value={expiresAt} onChange={(e) => setExpiresAt(e.target.value)} placeholder="YYYY-MM-DD" {...described('expiresAt')} />
            <small>After today ({today}) and at most 365 days away.</small>
            {error('expiresAt')}
          </label>
          <fieldset {...described('roles')}>
            <legend>Roles</legend>
            {ROLES.map((role) => (
              <label key={role} className="checkbox">
                <input
                  type="checkbox"
                  checked={roles.includes(role)}
                  onChange={(e) => setRoles((list) => (e.target.checked ? [...list, role] : list.filter((r) => r !== role)))}
                />
                {role}
              </label>
            ))}
            <label className="checkbox">
              <input type="checkbox" checked={forOperator} onChange={(e) => setForOperator(e.target.checked)} />
              For a backend operator (needs {BACKEND_ROLE})
            </label>
            {error('roles')}
          </fieldset>
          <label className="field">
            <span>Description</span>
            <input value={description} onChange={(e) => setDescription(e.target.value)} />
          </label>
          {missing ? (
            <div role="alert" className="warning missing-roles" ref={missingBox}>
              <p>{missing.message}</p>
              <button
                type="button"
                className="primary"
                disabled={addRoles.isPending || create.isPending}
                onClick={() => addRolesAndCreate(missing)}
              >
                {addRoles.isPending
                  ? 'Adding the roles…'
                  : `Add ${missing.roles.join(', ')} to ${missing.user} and create`}
              </button>
            </div>
          ) : null}
          {addRoles.error ? <ErrorMessage error={addRoles.error} /> : null}
          {create.error ? <ErrorMessage error={create.error} /> : null}
          <div className="actions">
            <button type="submit" className="primary" disabled={create.isPending}>
              {create.isPending ? 'Creating…' : 'Create'}
            </button>
            <button type="button" onClick={onClose}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </Modal>
  );
}

interface MissingRoles {
  user: string;
  roles: string[];
  message: string;
  /** The form as sent, sent again once the roles are added. */
  form: NewTokenDto;
}

function serverErrors(list: TokenFieldErrorDto[]): FieldHints {
  const out: FieldHints = {};
  for (const e of list) out[e.field] = out[e.field] ? `${out[e.field]} ${e.message}` : e.message;
  return out;
}

/** The value, once: copy it now, it is not kept anywhere. */
export function CreatedValue({ token, onClose }: { token: CreatedTokenDto; onClose: () => void }) {
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  const copy = () => {
    copyForAMinute(token.value).then(
      () => setCopied('yes'),
      () => setCopied('failed'),
    );
  };
  return (
    <div className="created-token">
      <h2>
        Token {token.name} created
      </h2>
      <p>
        Owner {token.owner}, expires <Day date={token.expiresOn} />.
        {token.userCreated ? ` The user ${token.owner} did not exist and was created.` : ''}
      </p>
      <p role="alert" className="warning">
        <strong>Copy the value now: it will not be shown again.</strong> The app does not keep it; the service
        cannot show it again.
      </p>
      <label className="field">
        <span>Token value</span>
        <input readOnly value={token.value} className="token-value" onFocus={(e) => e.target.select()} />
      </label>
      <div className="actions">
        <button type="button" className="primary" onClick={copy} data-autofocus>
          Copy
        </button>
        <button type="button" onClick={onClose}>
          Done
        </button>
      </div>
      {copied === 'yes' ? (
        <p role="status" className="ok">
          Copied. The clipboard is cleared in a minute if it still holds the value.
        </p>
      ) : copied === 'failed' ? (
        <p role="status" className="warning">
          The clipboard is not available: select the value and copy it by hand.
        </p>
      ) : null}
    </div>
  );
}

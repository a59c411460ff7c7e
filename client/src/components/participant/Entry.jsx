// The way into a room on a participant's device: the join form (with the
// rejoin code and knocking on a locked room), a wrong code, and the screen a
// seat ends on.
import { useState } from 'preact/hooks';
import { t } from '../../i18n.js';
import { ErrorText, errorText } from '../common.jsx';
import { CodeJoinForm } from '../JoinCode.jsx';
import { KnockButton, RejoinByCode } from '../Doorway.jsx';

export function End({ title, text, children }) {
  return (
    <section class="panel end" role="status" data-testid="end-screen">
      <h1>{title}</h1>
      <p>{text}</p>
      {children}
      <p>
        <a class="btn btn-primary" href="/">
          {t('end.home')}
        </a>
      </p>
    </section>
  );
}

// A wrong code: back on a form with the code marked and the name kept.
export function WrongCode({ code, name }) {
  return (
    <section class="panel join-panel-form" aria-labelledby="wrong-code-h" data-testid="wrong-code">
      <h1 id="wrong-code-h">{t('end.not_found_title')}</h1>
      <CodeJoinForm initialCode={code} initialName={name} initialError={{ field: 'code', text: t('end.not_found', { code }) }} />
    </section>
  );
}

// Which part of the form an error is about: the name, or the room itself.
function isNameError(error) {
  return !!error && (error.code === 'name_missing' || !!(error.fields && error.fields.name));
}

export function JoinForm({ conn, name, setName, onJoin }) {
  const [localError, setLocalError] = useState(null);
  const submit = (e) => {
    e.preventDefault();
    const clean = name.trim();
    if (!clean) {
      setLocalError({ code: 'name_missing' });
      return;
    }
    setLocalError(null);
    onJoin(clean);
  };
  const error = localError || conn.error;
  const nameError = isNameError(error);
  const codeError = !!error && error.about === 'code'; // shown by the rejoin code form
  const locked = error && error.code === 'room_locked';
  return (
    <section class="panel join-panel-form" aria-labelledby="join-h">
      <h1 id="join-h">{t('join.title')}</h1>
      <p class="lead">{t('join.into_code', { code: conn.code })}</p>
      {error && !nameError && !codeError && (
        <div class={`banner ${locked ? 'banner-warn' : 'banner-info'} join-room-problem`} role="alert" data-testid="join-room-problem">
          <p>{locked ? t('join.locked') : errorText(error)}</p>
          {locked && <KnockButton conn={conn} name={name} />}
          <button type="button" class="btn" onClick={() => name.trim() && onJoin(name.trim())} data-testid="join-retry">
            {t('join.retry')}
          </button>
        </div>
      )}
      <form onSubmit={submit} class="stack" noValidate>
        <label class="field">
          <span>{t('join.name')}</span>
          <input
            name="name"
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
            maxLength={40}
            autocomplete="nickname"
            required
            aria-describedby={nameError ? 'join-error' : 'join-name-hint'}
            aria-invalid={nameError ? 'true' : 'false'}
            autofocus
          />
          <small id="join-name-hint" class="muted">
            {t('join.name_hint')}
          </small>
        </label>
        {nameError &&
          (error.code === 'name_missing' ? (
            <p class="error" role="alert" id="join-error">
              {t('join.name_missing')}
            </p>
          ) : (
            <ErrorText error={error} id="join-error" />
          ))}
        <button type="submit" class="btn btn-primary btn-big">
          {t('join.submit')}
        </button>
      </form>
      <RejoinByCode conn={conn} />
    </section>
  );
}

// Coming in other than by a plain join (doorway.js): the participant's side
// (a rejoin code from another device, a knock on a locked room, waiting for
// the facilitator, the screen of a device that was left behind) and the
// facilitator's (requests at the door, a new device asking to be someone).
import { useEffect, useState } from 'preact/hooks';
import { cancelRequest, knock, openRequests, rejoinWithCode } from '../doorway.js';
import { t } from '../i18n.js';
import { ErrorText, errorText } from './common.jsx';

// "I was here before": the personal rejoin code, on the join form.
export function RejoinByCode({ conn }) {
  const wrong = conn.error && conn.error.about === 'code';
  const [open, setOpen] = useState(wrong);
  const [code, setCode] = useState('');
  if (!open) {
    return (
      <p class="was-here">
        <button type="button" class="btn btn-quiet" onClick={() => setOpen(true)} data-testid="was-here">
          {t('door.was_here')}
        </button>
      </p>
    );
  }
  const submit = (e) => {
    e.preventDefault();
    if (code.trim()) rejoinWithCode(conn, code.trim());
  };
  return (
    <form class="stack rejoin-code-form" onSubmit={submit} noValidate aria-labelledby="was-here-h" data-testid="rejoin-code-form">
      <h2 id="was-here-h">{t('door.was_here')}</h2>
      <label class="field">
        <span>{t('door.code_label')}</span>
        <input
          name="rejoin_code"
          value={code}
          onInput={(e) => setCode(e.currentTarget.value)}
          maxLength={20}
          autocomplete="off"
          autocapitalize="characters"
          spellcheck={false}
          aria-describedby={wrong ? 'rejoin-code-error' : 'rejoin-code-hint'}
          aria-invalid={wrong ? 'true' : 'false'}
        />
        <small id="rejoin-code-hint" class="muted">
          {t('door.was_here_hint')}
        </small>
      </label>
      {wrong && (
        <p class="error" role="alert" id="rejoin-code-error">
          {conn.error.code === 'unauthorized' || conn.error.code === 'invalid' ? t('door.code_wrong') : errorText(conn.error)}
        </p>
      )}
      <button type="submit" class="btn btn-primary" data-testid="rejoin-code-submit">
        {t('door.code_submit')}
      </button>
    </form>
  );
}

// A locked room: ask the facilitator instead of waiting for the lock to go.
export function KnockButton({ conn, name }) {
  return (
    <>
      <p>{t('door.knock_hint')}</p>
      <button type="button" class="btn btn-primary" onClick={() => name.trim() && knock(conn, name.trim())} data-testid="knock">
        {t('door.knock')}
      </button>
    </>
  );
}

export function Waiting({ conn }) {
  const request = conn.request || {};
  const text = request.kind === 'takeover' ? 'door.waiting_takeover' : 'door.waiting_knock';
  return (
    <section class="panel" role="status" aria-labelledby="waiting-h" data-testid="waiting">
      <h1 id="waiting-h">{t('door.waiting_title')}</h1>
      <p class="lead">{t(text, { name: request.name || '' })}</p>
      <button type="button" class="btn btn-quiet" onClick={() => cancelRequest(conn)} data-testid="stop-waiting">
        {t('door.cancel')}
      </button>
    </section>
  );
}

export function Declined({ conn }) {
  return (
    <section class="panel" role="status" aria-labelledby="declined-h" data-testid="declined">
      <h1 id="declined-h">{t('door.declined_title')}</h1>
      <p>{t('door.declined')}</p>
      <button type="button" class="btn btn-primary" onClick={() => conn.set({ status: 'needName', request: null })} data-testid="declined-back">
        {t('door.try_again')}
      </button>
    </section>
  );
}

// The code stays folded away: phones are seen by the people around them.
export function MyRejoinCode({ conn }) {
  if (!conn.rejoinCode) return null;
  return (
    <details class="panel my-rejoin-code" data-testid="my-rejoin-code">
      <summary>{t('door.my_code')}</summary>
      <p>{t('door.my_code_text')}</p>
      <p class="rejoin-code" data-testid="rejoin-code">
        {conn.rejoinCode}
      </p>
    </details>
  );
}

// -- the facilitator's side ----------------------------------------------------------
function useAnswer(conn) {
  const [error, setError] = useState(null);
  const answer = async (request, admit) => {
    setError(null);
    const ack = await conn.send('answer_request', { request: request.id, admit });
    if (!ack.ok) setError(ack.error);
  };
  return [answer, error];
}

// The requests still open; a request that runs out of time goes by itself.
function useOpenRequests(conn) {
  const [, tick] = useState(0);
  const open = openRequests(conn);
  const next = Math.min(...open.map((r) => r.at + r.expires_in_ms));
  useEffect(() => {
    if (!Number.isFinite(next)) return undefined;
    const id = setTimeout(() => tick((n) => n + 1), Math.max(0, next - performance.now()) + 50);
    return () => clearTimeout(id);
  }, [next]);
  return open;
}

// Knocks on a locked room, oldest first.
export function AtTheDoor({ conn }) {
  const [answer, error] = useAnswer(conn);
  const knocks = useOpenRequests(conn).filter((r) => r.kind === 'knock');
  if (!knocks.length) return null;
  return (
    <section class="at-door" aria-labelledby="at-door-h" data-testid="at-door">
      <h3 id="at-door-h">{t('door.at_door', { count: knocks.length })}</h3>
      <ErrorText error={error} />
      <ul class="people">
        {knocks.map((r) => (
          <li key={r.id} class="person" data-testid="knock-request">
            <span class="person-name">{t('door.knocks', { name: r.name })}</span>
            <button type="button" class="btn btn-small btn-primary" onClick={() => answer(r, true)} data-testid="admit">
              {t('door.admit')}
            </button>
            <button type="button" class="btn btn-small btn-quiet" onClick={() => answer(r, false)} data-testid="decline">
              {t('door.decline')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

// Under an offline participant in the people list: a new device asks to be them.
export function TakeoverAsks({ conn, participant }) {
  const [answer, error] = useAnswer(conn);
  const asks = useOpenRequests(conn).filter((r) => r.kind === 'takeover' && r.participant === participant.id);
  if (!asks.length) return null;
  return (
    <div class="takeover-asks" data-testid="takeover-request">
      {asks.map((r) => (
        <p key={r.id} class="banner banner-info">
          <span>{t('door.takeover', { name: participant.name })}</span>{' '}
          <button type="button" class="btn btn-small btn-primary" onClick={() => answer(r, true)} data-testid="takeover-admit">
            {t('door.takeover_yes', { name: participant.name })}
          </button>{' '}
          <button type="button" class="btn btn-small btn-quiet" onClick={() => answer(r, false)} data-testid="takeover-decline">
            {t('door.decline')}
          </button>
        </p>
      ))}
      <ErrorText error={error} />
    </div>
  );
}

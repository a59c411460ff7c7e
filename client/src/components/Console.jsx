// The facilitator's console page: the key that opens it (kept in this browser
// or brought by a #key= link), then the room's console (console/Room.jsx).
import { useState } from 'preact/hooks';
import { navigate, useRoom } from '../hooks.js';
import { t } from '../i18n.js';
import { forgetHost, hostKey, rememberHost } from '../storage.js';
import { takeKeyFromHash } from '../util.js';
import { Header, Loading } from './common.jsx';
import { PhaseFocusRoot } from './console/command.jsx';
import { Console } from './console/Room.jsx';

// A facilitator key may come in the link's fragment (#key=...), to open the
// console on a second device; it is taken out of the address at once. It is
// remembered when this browser holds no key for the room (or the same one);
// a different key is returned instead, for the page to ask first: a link from
// someone else must not silently swap the key this browser hosts with.
export function keyFromHash(code) {
  const token = takeKeyFromHash();
  if (!token) return null;
  const held = hostKey(code);
  if (held && held.token && held.token !== token) return token;
  if (!held || held.token !== token) rememberHost(code, { token, created_ms: Date.now() });
  return null;
}

// Asked when a link brings a different key than the one this browser holds.
export function KeyChoice({ code, token, onDone }) {
  const choose = (replace) => () => {
    if (replace) rememberHost(code, { token, created_ms: Date.now() });
    onDone();
  };
  return (
    <section class="panel" role="alertdialog" aria-labelledby="keychoice-h" aria-describedby="keychoice-p" data-testid="key-choice">
      <h1 id="keychoice-h">{t('console.key_conflict_title')}</h1>
      <p id="keychoice-p">{t('console.key_conflict', { code })}</p>
      <div class="action-row">
        <button type="button" class="btn btn-primary" onClick={choose(false)} data-testid="key-keep">
          {t('console.key_keep')}
        </button>
        <button type="button" class="btn" onClick={choose(true)} data-testid="key-replace">
          {t('console.key_replace')}
        </button>
      </div>
    </section>
  );
}

export function ConsolePage({ code }) {
  const [pending, setPending] = useState(() => keyFromHash(code));
  return (
    <>
      <Header>
        <a class="header-link" href="/host" onClick={link('/host')}>
          {t('dashboard.link')}
        </a>
      </Header>
      <main id="main" class="page console-page">
        {pending ? <KeyChoice code={code} token={pending} onDone={() => setPending(null)} /> : <HostedConsole code={code} />}
      </main>
    </>
  );
}

// Connects only once the key is settled: useRoom reads the stored key.
function HostedConsole({ code }) {
  const conn = useRoom(code, 'facilitator');
  if (!conn) return <Loading />;
  if (conn.status === 'denied') return <NoKey code={code} />;
  if (conn.status === 'notFound' || conn.status === 'deleted') return <Gone code={code} />;
  if (!conn.state) return <Loading text={conn.status === 'offline' ? t('status.reconnecting') : undefined} />;
  return (
    <PhaseFocusRoot>
      <Console conn={conn} />
    </PhaseFocusRoot>
  );
}

export function link(path) {
  return (e) => {
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    navigate(path);
  };
}

function NoKey({ code }) {
  const [key, setKey] = useState('');
  const submit = (e) => {
    e.preventDefault();
    if (!key.trim()) return;
    rememberHost(code, { token: key.trim(), created_ms: Date.now() });
    location.reload();
  };
  return (
    <section class="panel" aria-labelledby="nokey-h">
      <h1 id="nokey-h">{t('console.no_key_title')}</h1>
      <p>{t('console.no_key', { code })}</p>
      <form onSubmit={submit} class="stack">
        <label class="field">
          <span>{t('console.key')}</span>
          <input value={key} onInput={(e) => setKey(e.currentTarget.value)} autocomplete="off" />
        </label>
        <button class="btn btn-primary" type="submit">
          {t('console.use_key')}
        </button>
      </form>
      <p>
        <a href={`/join/${code}`}>{t('console.join_instead')}</a>
      </p>
    </section>
  );
}

function Gone({ code }) {
  return (
    <section class="panel" role="status">
      <h1>{t('end.not_found_title')}</h1>
      <p>{t('end.not_found', { code })}</p>
      <button
        type="button"
        class="btn"
        onClick={() => {
          forgetHost(code);
          navigate('/host');
        }}
      >
        {t('dashboard.forget')}
      </button>
    </section>
  );
}

// How people get in: the room code, the QR and the join link (or, once the
// room is closed, that nobody can).
import { useEffect, useState } from 'preact/hooks';
import { getNetwork } from '../../api.js';
import { t } from '../../i18n.js';
import { isLoopbackUrl } from '../../network.js';
import { hostKey, rememberHost } from '../../storage.js';
import { joinUrlFor } from '../../util.js';
import { QR } from '../QR.jsx';

async function copyText(text, input) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* fall back below */
  }
  if (input) {
    input.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
  return false;
}

export function CopyField({ value, label, testid }) {
  const [copied, setCopied] = useState(false);
  let input = null;
  return (
    <div class="copy-field">
      <label class="field">
        <span>{label}</span>
        <input readOnly value={value} ref={(el) => (input = el)} onFocus={(e) => e.currentTarget.select()} data-testid={testid} />
      </label>
      <button
        type="button"
        class="btn"
        onClick={async () => {
          setCopied(await copyText(value, input));
          setTimeout(() => setCopied(false), 2500);
        }}
      >
        {copied ? t('console.copied') : t('console.copy')}
      </button>
    </div>
  );
}

// "host/join/CODE", with a line-break chance before "/join/" only.
function shortUrl(url) {
  const bare = url.replace(/^https?:\/\//, '');
  const at = bare.lastIndexOf('/join/');
  if (at < 0) return bare;
  return (
    <>
      {bare.slice(0, at)}
      <wbr />
      <span class="nowrap">{bare.slice(at)}</span>
    </>
  );
}

// Shown when the join link points at this computer only: what phones can
// use instead, when the server knows (GET /api/network), or how to let them in.
function LoopbackWarning({ code, url, onUse }) {
  const [net, setNet] = useState(null);
  useEffect(() => {
    getNetwork().then((r) => r.ok && setNet(r)); // unanswered: the warning alone, no advice
  }, []);
  const host = new URL(url).host;
  const lan = net && net.lan_urls && net.lan_urls[0];
  return (
    <div class="banner banner-warn loopback-warning" role="note" data-testid="loopback-warning">
      <p>{t('console.loopback', { host })}</p>
      {lan && (
        <>
          <p>{t('console.loopback_lan', { url: lan })}</p>
          <button type="button" class="btn btn-small" onClick={() => onUse(`${lan}/join/${code}`)} data-testid="use-lan">
            {t('console.loopback_use', { host: new URL(lan).host })}
          </button>
        </>
      )}
      {net && !lan && !net.listening_on_lan && (
        <p>
          {t('console.loopback_restart')} <code>make run SERVE_ARGS="--lan"</code>
        </p>
      )}
      {net && !lan && net.listening_on_lan && <p>{t('console.loopback_no_network')}</p>}
    </div>
  );
}

// A closed room invites nobody: no code to type, no QR, no link; it says so.
function ClosedInfo() {
  return (
    <section class="join-info join-closed" aria-labelledby="closedinfo-h" data-testid="closed-info">
      <h2 id="closedinfo-h">{t('console.closed_title')}</h2>
      <p>{t('console.closed_no_join')}</p>
    </section>
  );
}

export function JoinInfo({ conn }) {
  const { code } = conn;
  const info = hostKey(code) || {};
  const [url, setUrl] = useState(() => info.join_url || joinUrlFor(code));
  if (conn.state.phase === 'closed') return <ClosedInfo />;
  const useUrl = (next) => {
    rememberHost(code, { join_url: next });
    setUrl(next);
  };
  return (
    <section class="join-info" aria-labelledby="joininfo-h" data-testid="join-info">
      <h2 id="joininfo-h" class="label">
        {t('console.join_here')}
      </h2>
      {isLoopbackUrl(url) && <LoopbackWarning code={code} url={url} onUse={useUrl} />}
      <p class="room-code" data-testid="room-code" aria-label={t('room.code_label', { code: code.split('').join(' ') })}>
        {code}
      </p>
      <QR text={url} label={t('console.qr_label', { url })} />
      <p class="join-url" data-testid="join-url">
        {shortUrl(url)}
      </p>
      <CopyField value={url} label={t('console.join_link')} testid="join-link" />
    </section>
  );
}

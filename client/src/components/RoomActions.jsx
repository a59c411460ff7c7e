// What the facilitator takes home, and how a room goes away: the exports
// (JSON, CSV, the printable report) and "delete this room and all its results".
import { useEffect, useRef, useState } from 'preact/hooks';
import { deleteRoom, downloadCsv, downloadJson } from '../api.js';
import { navigate } from '../hooks.js';
import { currentLanguage, t } from '../i18n.js';
import { forgetHost, hostKey } from '../storage.js';
import { normaliseCode } from '../util.js';
import { ErrorText } from './common.jsx';

function token(code) {
  const info = hostKey(code);
  return info && info.token;
}

export function Exports({ code }) {
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(null);
  const run = (what, fn) => async () => {
    setError(null);
    setBusy(what);
    const r = await fn();
    setBusy(null);
    if (!r.ok) setError(r.error);
  };
  return (
    <section class="exports" aria-labelledby="exports-h" data-testid="exports">
      <h3 id="exports-h">{t('exports.title')}</h3>
      <div class="action-row">
        <button type="button" class="btn" disabled={!!busy} onClick={run('json', () => downloadJson(code, token(code)))} data-testid="export-json">
          {t('exports.json')}
        </button>
        <button type="button" class="btn" disabled={!!busy} onClick={run('csv', () => downloadCsv(code, token(code), { lang: currentLanguage() }))} data-testid="export-csv">
          {t('exports.csv')}
        </button>
        <button
          type="button"
          class="btn"
          disabled={!!busy}
          onClick={run('csv-nl', () => downloadCsv(code, token(code), { semicolon: true, lang: currentLanguage() }))}
          data-testid="export-csv-semicolon"
        >
          {t('exports.csv_semicolon')}
        </button>
        <a class="btn btn-primary" href={`/report/${code}`} target="_blank" rel="noopener" data-testid="export-report">
          {t('exports.report')}
        </a>
      </div>
      <p class="muted small">{t('exports.hint')}</p>
      <ErrorText error={error} />
    </section>
  );
}

// "Delete room and all results", confirmed in a dialog of the page (not the
// browser's confirm()) by typing the room code.
export function DeleteRoom({ code }) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const dialog = useRef(null);
  const opener = useRef(null);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) {
      if (typeof d.showModal === 'function') d.showModal();
      else d.setAttribute('open', '');
    } else if (!open && d.open) d.close();
  }, [open]);
  const close = () => {
    setOpen(false);
    setTyped('');
    setError(null);
    if (opener.current) opener.current.focus();
  };
  const matches = normaliseCode(typed) === code;
  const submit = async (e) => {
    e.preventDefault();
    if (!matches || busy) return;
    setBusy(true);
    setError(null);
    const r = await deleteRoom(code, token(code));
    setBusy(false);
    if (!r.ok && !(r.status === 404)) {
      setError(r.error);
      return;
    }
    forgetHost(code);
    setOpen(false);
    navigate('/host', { state: { deleted: code } });
  };
  return (
    <div class="delete-room">
      <button type="button" class="btn btn-danger" ref={opener} onClick={() => setOpen(true)} data-testid="delete-room">
        {t('delete.button')}
      </button>
      <dialog ref={dialog} class="dialog" aria-labelledby="delete-h" aria-describedby="delete-what" onClose={() => open && close()} data-testid="delete-dialog">
        <form onSubmit={submit} class="stack">
          <h2 id="delete-h">{t('delete.title', { code })}</h2>
          <p id="delete-what">{t('delete.what')}</p>
          <p class="banner banner-warn">{t('delete.export_first')}</p>
          <label class="field">
            <span>{t('delete.type_code', { code })}</span>
            <input
              value={typed}
              onInput={(e) => setTyped(e.currentTarget.value)}
              autocomplete="off"
              autocapitalize="characters"
              spellcheck={false}
              class="code-input"
              aria-describedby="delete-hint"
              data-testid="delete-code"
            />
            <small id="delete-hint" class="muted">
              {t('delete.type_hint')}
            </small>
          </label>
          <ErrorText error={error} />
          <div class="action-row">
            <button type="submit" class="btn btn-danger btn-danger-solid" disabled={!matches || busy} data-testid="delete-confirm">
              {busy ? t('delete.deleting') : t('delete.confirm', { code })}
            </button>
            <button type="button" class="btn btn-quiet" onClick={close} data-testid="delete-cancel">
              {t('actions.cancel')}
            </button>
          </div>
        </form>
      </dialog>
    </div>
  );
}

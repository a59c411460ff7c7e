// The editor's bar: save (with the number of problems; refused while any
// remain), the problems as links to their fields, discard, export, and a
// test room on the draft as it is.
import { useEffect, useRef, useState } from 'preact/hooks';
import { saveBlob } from '../../api.js';
import { t } from '../../i18n.js';
import { PathName } from './PathName.jsx';
import { rememberHost } from '../../storage.js';
import { ConfirmButton, ErrorText } from '../common.jsx';

export async function exportDeck(api, id) {
  const r = await api.exportYaml(id);
  if (r.ok) saveBlob(new Blob([r.text], { type: 'text/yaml;charset=utf-8' }), `${id}.yaml`);
  return r;
}

export function ProblemSummary({ problems, onJump, focus }) {
  const ref = useRef(null);
  useEffect(() => {
    if (focus && ref.current) ref.current.focus();
  }, [focus]);
  if (!problems.length) return null;
  return (
    <div class="sf-summary" tabIndex={-1} ref={ref} data-testid="problem-summary" aria-labelledby="sf-summary-h">
      <h2 id="sf-summary-h" class="sf-summary-title">
        {t('studio.problems_title', { count: problems.length })}
      </h2>
      <ul>
        {problems.map((p, i) => (
          <li key={i}>
            <button type="button" class="btn-link" onClick={() => onJump(p.path)}>
              <PathName path={p.path} />
            </button>
            : {p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

function TestRoom({ api, deck, blocked }) {
  const [room, setRoom] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const open = async () => {
    if (blocked()) return;
    setBusy(true);
    const r = await api.testRoom(deck);
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setError(null);
    rememberHost(r.code, { token: r.facilitator_token, join_url: r.join_url, title: deck.title, created_ms: Date.now() });
    setRoom(r);
  };
  return (
    <span class="sf-testroom">
      <button type="button" class="btn" onClick={open} disabled={busy} data-testid="test-room">
        {t('studio.test_room')}
      </button>
      <ErrorText error={error} />
      {room && (
        <span role="status" data-testid="test-room-ready">
          {t('studio.test_room_ready', { code: room.code })}{' '}
          <a href={room.console_url} target="_blank" rel="noopener" data-testid="test-room-link">
            {t('studio.test_room_open')}
          </a>
        </span>
      )}
    </span>
  );
}

export function EditorBar({ api, deck, problems, pending, dirty, exists, builtin, onSave, onDiscard, onJump, status }) {
  const [refused, setRefused] = useState(0);
  const [exportError, setExportError] = useState(null);
  const count = problems.length;
  // saving or trying a deck with problems is refused; the problems get the
  // focus (a draft still being checked goes: the server checks it again)
  const blocked = () => {
    if (count === 0) return false;
    setRefused((n) => n + 1);
    return true;
  };
  const save = () => {
    if (!blocked()) onSave();
  };
  const label = count ? t('studio.save_problems', { count }) : t('studio.save');
  return (
    <div class="sf-bar" data-testid="editor-bar">
      <div class="sf-bar-actions">
        {!builtin && (
          <button
            type="button"
            class="btn btn-primary"
            disabled={!dirty}
            onClick={save}
            data-testid="save"
            data-problems={count}
          >
            {label}
          </button>
        )}
        {dirty && !builtin && (
          <ConfirmButton
            label={exists ? t('studio.discard') : t('studio.discard_new')}
            question={t('studio.discard_q')}
            confirmLabel={t('studio.discard')}
            class="btn btn-quiet"
            testid="discard"
            onConfirm={onDiscard}
          />
        )}
        {exists && (
          <button type="button" class="btn btn-quiet" onClick={async () => setExportError((await exportDeck(api, deck.id)).error || null)} data-testid="export">
            {t('studio.export')}
          </button>
        )}
        <TestRoom api={api} deck={deck} blocked={blocked} />
      </div>
      <p class="sf-bar-status" role="status" data-testid="editor-status">
        {status && !dirty ? status : pending ? t('studio.checking') : dirty ? (count ? t('studio.unsaved_problems', { count }) : t('studio.unsaved')) : t('studio.all_saved')}
      </p>
      <ErrorText error={exportError} />
      {refused > 0 && count > 0 && (
        <p class="error" role="alert" data-testid="save-refused">
          {t('studio.save_refused', { count })}
        </p>
      )}
      <ProblemSummary problems={problems} onJump={onJump} focus={refused} />
    </div>
  );
}

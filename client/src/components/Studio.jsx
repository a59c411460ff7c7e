// The trainer's page (/studio): signed in by the link `calmroom serve` or
// `calmroom trainer-link` prints (/studio#key=...). Lists the decks with their
// briefs (read with the trainer key) and uploads a deck file.
import { useEffect, useState } from 'preact/hooks';
import { getDeck, listDecks, uploadDeck } from '../api.js';
import { t } from '../i18n.js';
import { forgetTrainer, rememberTrainer, trainerKey } from '../storage.js';
import { takeKeyFromHash } from '../util.js';
import { ErrorText, Header, Loading } from './common.jsx';

// The key leaves the address bar at once; a different key already stored is
// replaced only when the trainer says so.
function keyFromLink() {
  const key = takeKeyFromHash();
  if (!key) return null;
  const held = trainerKey();
  if (!held || held === key) {
    rememberTrainer(key);
    return null;
  }
  return key;
}

function Briefs({ deck }) {
  return (
    <ul class="studio-cards">
      {deck.cards.map((card) => (
        <li key={card.id} data-testid={`studio-card-${card.id}`} lang={deck.language}>
          <h3>{card.title}</h3>
          <p class="muted small">{card.setting}</p>
          <p>
            <strong>{t('studio.customer')}:</strong> {card.customer.persona} — {card.customer.situation}{' '}
            <em>“{card.customer.opening_line}”</em>
          </p>
          <p>
            <strong>{t('studio.agent')}:</strong> {card.agent.briefing}
          </p>
        </li>
      ))}
    </ul>
  );
}

function DeckEntry({ summary, token, onDenied }) {
  const [deck, setDeck] = useState(null);
  const [error, setError] = useState(null);
  const open = (e) => {
    if (!e.currentTarget.open || deck) return;
    getDeck(summary.id, { token }).then((d) => {
      if (d.ok) setDeck(d);
      else if (d.status === 401) onDenied();
      else setError(d.error);
    });
  };
  return (
    <li>
      <details onToggle={open} data-testid={`studio-deck-${summary.id}`}>
        <summary>
          <span lang={summary.language}>{summary.title}</span>{' '}
          <span class="muted small">
            {summary.id} · v{summary.version} · {t('studio.counts', { cards: summary.cards, steps: summary.steps })}
            {summary.builtin && ` · ${t('studio.builtin')}`}
          </span>
        </summary>
        {error && <ErrorText error={error} />}
        {deck ? <Briefs deck={deck} /> : !error && <Loading />}
      </details>
    </li>
  );
}

function Upload({ token, onStored }) {
  const [result, setResult] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    const file = e.currentTarget.elements.deck.files[0];
    if (!file) return;
    setBusy(true);
    const type = /\.json$/i.test(file.name) ? 'application/json' : 'application/yaml';
    const r = await uploadDeck(await file.text(), type, token);
    setBusy(false);
    setResult(r);
    if (r.ok) onStored();
  };
  const problems = result && !result.ok && (result.errors || Object.entries(result.error.fields || {}).map(([path, message]) => ({ path, message })));
  return (
    <form class="panel" onSubmit={submit} data-testid="studio-upload">
      <h2>{t('studio.upload')}</h2>
      <p class="muted small">{t('studio.upload_hint')}</p>
      <label>
        {t('studio.file')} <input type="file" name="deck" accept=".yaml,.yml,.json" required data-testid="studio-file" />
      </label>{' '}
      <button type="submit" class="btn btn-primary" disabled={busy} data-testid="studio-send">
        {t('studio.send')}
      </button>
      {result && result.ok && (
        <p role="status" data-testid="studio-stored">
          {t('studio.stored', { id: result.id, version: result.version })}
        </p>
      )}
      {result && !result.ok && (
        <div data-testid="studio-errors">
          <ErrorText error={result.error} />
          {problems && problems.length > 0 && (
            <ul>
              {problems.map((p) => (
                <li key={p.path}>
                  <code>{p.path}</code>: {p.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </form>
  );
}

export function StudioPage() {
  const [pending, setPending] = useState(() => keyFromLink());
  const [token, setToken] = useState(() => trainerKey());
  const [decks, setDecks] = useState(null);
  const [denied, setDenied] = useState(false);
  const load = () => listDecks().then((r) => setDecks(r.ok ? r.decks : []));
  useEffect(() => {
    if (token) load();
  }, [token]);
  useEffect(() => {
    // a link opened in the tab that already shows the studio
    const onHash = () => {
      const other = keyFromLink();
      setPending(other);
      if (!other) setToken(trainerKey());
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const replace = () => {
    rememberTrainer(pending);
    setPending(null);
    setDenied(false);
    setToken(pending);
  };
  const signOut = () => {
    forgetTrainer();
    setToken(null);
    setDenied(false);
  };
  let body;
  if (pending) {
    body = (
      <section class="panel" role="alertdialog" data-testid="studio-replace">
        <p>{t('studio.other_key')}</p>
        <button type="button" class="btn btn-primary" onClick={replace}>
          {t('studio.replace')}
        </button>{' '}
        <button type="button" class="btn" onClick={() => setPending(null)}>
          {t('studio.keep')}
        </button>
      </section>
    );
  } else if (!token || denied) {
    body = (
      <section class="panel" data-testid="studio-nokey">
        <p>{denied ? t('studio.denied') : t('studio.no_key')}</p>
        {denied && (
          <button type="button" class="btn" onClick={signOut}>
            {t('studio.sign_out')}
          </button>
        )}
      </section>
    );
  } else {
    body = (
      <>
        <section class="panel">
          <h2>{t('studio.decks')}</h2>
          <p class="muted small">{t('studio.decks_hint')}</p>
          {decks ? (
            <ul class="studio-decks" data-testid="studio-decks">
              {decks.map((d) => (
                <DeckEntry key={`${d.id}-${d.version}`} summary={d} token={token} onDenied={() => setDenied(true)} />
              ))}
            </ul>
          ) : (
            <Loading />
          )}
        </section>
        <Upload token={token} onStored={load} />
        <p>
          <button type="button" class="btn btn-small btn-quiet" onClick={signOut}>
            {t('studio.sign_out')}
          </button>
        </p>
      </>
    );
  }
  return (
    <>
      <Header />
      <main id="main" class="page">
        <h1>{t('studio.title')}</h1>
        {body}
      </main>
    </>
  );
}

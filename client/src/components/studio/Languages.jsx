// A deck is one language. "Make the other language" copies it under a new id
// with the same ids, keys and structure, every text marked to translate;
// the parity check compares two decks' structure.
import { useEffect, useState } from 'preact/hooks';
import { t } from '../../i18n.js';
import { PathName } from './PathName.jsx';
import { problemText } from '../../studio/words.js';
import { otherId } from '../../studio/deckEdits.js';
import { ErrorText } from '../common.jsx';
import { DECK_LANGUAGES } from './DeckForm.jsx';
import { StudioLink } from './leave.jsx';

function ProblemList({ problems, onJump, testid }) {
  return (
    <ul class="sf-pathlist" data-testid={testid}>
      {problems.map((p, i) => (
        <li key={i}>
          <button type="button" class="btn-link" onClick={() => onJump(p.path)}>
            <PathName path={p.path} />
          </button>
          {p.message ? `: ${problemText(p)}` : ''}
        </li>
      ))}
    </ul>
  );
}

function Translate({ api, deck, exists }) {
  const others = DECK_LANGUAGES.filter((l) => l !== deck.language);
  const [language, setLanguage] = useState(others[0] || 'en');
  const [newId, setNewId] = useState(otherId(deck.id, deck.language, language));
  const [made, setMade] = useState(null);
  const [error, setError] = useState(null);
  const submit = async (e) => {
    e.preventDefault();
    const r = await api.translate(deck.id, newId.trim(), language);
    if (!r.ok) return setError(r.error);
    setError(null);
    setMade(r.deck.id);
  };
  if (!exists) return <p class="muted">{t('studio.translate_save_first')}</p>;
  return (
    <form class="stack" onSubmit={submit} data-testid="translate-form">
      <p class="muted small">{t('studio.translate_hint')}</p>
      <div class="sf-row">
        <div class="sf-field">
          <label for="tr-lang">{t('studio.f.language')}</label>
          <select
            id="tr-lang"
            value={language}
            onChange={(e) => {
              setLanguage(e.currentTarget.value);
              setNewId(otherId(deck.id, deck.language, e.currentTarget.value));
            }}
          >
            {others.map((l) => (
              <option key={l} value={l}>
                {t(`studio.lang.${l}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="sf-field">
          <label for="tr-id">{t('studio.f.new_id')}</label>
          <input id="tr-id" type="text" spellcheck={false} value={newId} onInput={(e) => setNewId(e.currentTarget.value)} />
        </div>
      </div>
      <button type="submit" class="btn btn-primary" data-testid="translate">
        {t('studio.translate')}
      </button>
      <ErrorText error={error} />
      {made && (
        <p role="status" data-testid="translated">
          {t('studio.translated')} <StudioLink to={`/studio/deck/${made}`}>{t('studio.open_deck', { id: made })}</StudioLink>
        </p>
      )}
    </form>
  );
}

function Parity({ api, deck, decks, onJump }) {
  const candidates = decks.filter((d) => d.id !== deck.id);
  const guess = candidates.find((d) => d.based_on === deck.id || d.id === deck.based_on || d.language !== deck.language) || candidates[0];
  const [other, setOther] = useState(guess ? guess.id : '');
  const [result, setResult] = useState(null);
  const check = async (e) => {
    e.preventDefault();
    setResult(await api.parity(deck.id, other));
  };
  if (!candidates.length) return null;
  return (
    <form class="stack" onSubmit={check} data-testid="parity-form">
      <div class="sf-field">
        <label for="parity-other">{t('studio.parity_with')}</label>
        <select id="parity-other" value={other} onChange={(e) => setOther(e.currentTarget.value)}>
          {candidates.map((d) => (
            <option key={d.id} value={d.id}>
              {d.title} ({d.id}, {d.language})
            </option>
          ))}
        </select>
      </div>
      <button type="submit" class="btn" data-testid="parity-check">
        {t('studio.parity_check')}
      </button>
      <div aria-live="polite">
        {result && !result.ok && <ErrorText error={result.error} />}
        {result && result.ok && result.passed && <p data-testid="parity-ok">{t('studio.parity_ok')}</p>}
        {result && result.ok && !result.passed && (
          <>
            <p>{t('studio.parity_problems', { count: result.problems.length })}</p>
            <ProblemList problems={result.problems} onJump={onJump} testid="parity-problems" />
          </>
        )}
      </div>
    </form>
  );
}

export function Languages({ api, deck, exists, untranslated, onJump }) {
  const [decks, setDecks] = useState([]);
  useEffect(() => {
    api.list().then((r) => r.ok && setDecks(r.decks));
  }, [deck.id]);
  return (
    <section class="sf-form" aria-labelledby="sf-lang-h" data-testid="languages">
      <h2 id="sf-lang-h">{t('studio.languages')}</h2>
      {untranslated && untranslated.length > 0 && (
        <details class="sf-section" data-testid="untranslated">
          <summary>{t('studio.untranslated', { count: untranslated.length })}</summary>
          <ProblemList problems={untranslated.map((path) => ({ path }))} onJump={onJump} />
        </details>
      )}
      <div class="sf-section">
        <h3>{t('studio.translate_title')}</h3>
        <Translate api={api} deck={deck} exists={exists} />
      </div>
      {exists && (
        <div class="sf-section">
          <h3>{t('studio.parity')}</h3>
          <p class="muted small">{t('studio.parity_hint')}</p>
          <Parity api={api} deck={deck} decks={decks} onJump={onJump} />
        </div>
      )}
    </section>
  );
}

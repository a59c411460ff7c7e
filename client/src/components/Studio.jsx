// The trainer's studio (/studio, /studio/deck/<id>): signed in by the link
// `calmroom serve` or `calmroom trainer-link` prints (/studio#key=...). The
// deck list and the editor are in components/studio/.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { t } from '../i18n.js';
import { studioApi } from '../studio/api.js';
import { forgetTrainer, rememberTrainer, trainerKey } from '../storage.js';
import { takeKeyFromHash } from '../util.js';
import { Header } from './common.jsx';
import './studio/studio.css';
import { DeckList } from './studio/DeckList.jsx';
import { Editor } from './studio/Editor.jsx';

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

export function StudioPage({ deckId }) {
  const [pending, setPending] = useState(() => keyFromLink());
  const [token, setToken] = useState(() => trainerKey());
  const [denied, setDenied] = useState(false);
  const api = useMemo(() => studioApi(token), [token]);
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
        {deckId ? <Editor key={deckId} api={api} id={deckId} /> : <DeckList api={api} onDenied={() => setDenied(true)} />}
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
      <main id="main" class={deckId ? 'page page-wide' : 'page'}>
        <h1>{t('studio.title')}</h1>
        {body}
      </main>
    </>
  );
}

import { useEffect, useState } from 'preact/hooks';
import { createRoom, listDecks } from '../api.js';
import { OptionBoxes } from './RoomOptions.jsx';
import { navigate } from '../hooks.js';
import { currentLanguage, t } from '../i18n.js';
import { hostedRooms, participantRooms, rememberHost } from '../storage.js';
import { ErrorText, Header } from './common.jsx';
import { link } from './Console.jsx';
import { CodeJoinForm } from './JoinCode.jsx';

function JoinBox() {
  const seats = participantRooms();
  return (
    <section class="panel" aria-labelledby="join-box-h">
      <h2 id="join-box-h">{t('landing.join_title')}</h2>
      <p class="muted">{t('landing.join_hint')}</p>
      <CodeJoinForm />
      {seats.length > 0 && (
        <div class="resume-list">
          <h3>{t('landing.resume')}</h3>
          <ul>
            {seats.map((s) => (
              <li key={s.code}>
                <a href={`/join/${s.code}`} onClick={link(`/join/${s.code}`)}>
                  {t('landing.resume_as', { code: s.code, name: s.name })}
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

function CreateBox() {
  const [decks, setDecks] = useState(null);
  const [deck, setDeck] = useState('');
  const [title, setTitle] = useState('');
  const [minutes, setMinutes] = useState('');
  const [options, setOptions] = useState({});
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const hosted = hostedRooms();
  useEffect(() => {
    listDecks().then((r) => {
      if (!r.ok) return setError(r.error);
      const lang = currentLanguage();
      const sorted = [...r.decks].sort((a, b) => (a.language === lang ? 0 : 1) - (b.language === lang ? 0 : 1));
      setDecks(sorted);
      if (sorted.length) setDeck(sorted[0].id);
    });
  }, []);
  const submit = async (e) => {
    e.preventDefault();
    setError(null);
    const body = { deck };
    if (title.trim()) body.title = title.trim();
    if (minutes.trim()) {
      const m = Number(minutes.replace(',', '.'));
      if (!(m >= 0.5 && m <= 60)) return setError({ code: 'minutes_range' });
      body.duration_s = Math.round(m * 60);
    }
    const ticked = Object.entries(options).filter(([, on]) => on);
    if (ticked.length) body.options = Object.fromEntries(ticked);
    setBusy(true);
    const r = await createRoom(body);
    setBusy(false);
    if (!r.ok) return setError(r.error);
    rememberHost(r.code, { token: r.facilitator_token, join_url: r.join_url, title: body.title || '', created_ms: Date.now() });
    navigate(`/host/${r.code}`);
  };
  return (
    <section class="panel" aria-labelledby="create-h" id="create">
      <h2 id="create-h">{t('landing.create_title')}</h2>
      <p class="muted">{t('landing.create_hint')}</p>
      <form onSubmit={submit} class="stack">
        <fieldset class="choices deck-choices">
          <legend>{t('landing.deck')}</legend>
          {decks === null && !error && <p class="muted">{t('status.loading')}</p>}
          {decks &&
            decks.map((d) => (
              <label class="choice deck-choice" key={d.id}>
                <input type="radio" name="deck" value={d.id} checked={deck === d.id} onChange={() => setDeck(d.id)} />
                <span>
                  <strong>{d.title}</strong>
                  <span class="muted small deck-meta">
                    {t(`language.${d.language}`, { defaultValue: d.language })} · {t('landing.deck_meta', { cards: d.cards, steps: d.steps })}
                  </span>
                </span>
              </label>
            ))}
        </fieldset>
        <label class="field">
          <span>{t('landing.room_title')}</span>
          <input name="title" value={title} onInput={(e) => setTitle(e.currentTarget.value)} maxLength={80} placeholder={t('landing.room_title_ph')} />
        </label>
        <label class="field field-short">
          <span>{t('start.minutes')}</span>
          <input name="minutes" type="number" inputMode="decimal" min="0.5" max="60" step="0.5" value={minutes} onInput={(e) => setMinutes(e.currentTarget.value)} />
          <small class="muted">{t('landing.minutes_hint')}</small>
        </label>
        <fieldset class="room-options">
          <legend>{t('options.title')}</legend>
          <OptionBoxes
            keys={['anonymous', 'fishbowl']}
            values={options}
            onChange={(key, on) => setOptions((o) => ({ ...o, [key]: on }))}
            idPrefix="create-option"
          />
        </fieldset>
        {error && (error.code === 'minutes_range' ? <p class="error" role="alert">{t('start.minutes_range')}</p> : <ErrorText error={error} />)}
        <button type="submit" class="btn btn-primary btn-big" disabled={busy || !deck} data-testid="create-room">
          {t('landing.create')}
        </button>
      </form>
      {hosted.length > 0 && (
        <p class="resume-list">
          <a href="/host" onClick={link('/host')}>
            {t('landing.your_rooms', { count: hosted.length })}
          </a>
        </p>
      )}
    </section>
  );
}

export function Landing() {
  useEffect(() => {
    if (location.hash === '#create') document.getElementById('create')?.scrollIntoView();
  }, []);
  return (
    <>
      <Header />
      <main id="main" class="page landing">
        <section class="hero">
          <h1>{t('landing.title')}</h1>
          <p class="lead">{t('landing.tagline')}</p>
        </section>
        <div class="landing-grid">
          <JoinBox />
          <CreateBox />
        </div>
        <section class="how" aria-labelledby="how-h">
          <h2 id="how-h">{t('landing.how_title')}</h2>
          <ol>
            <li>{t('landing.how_1')}</li>
            <li>{t('landing.how_2')}</li>
            <li>{t('landing.how_3')}</li>
            <li>{t('landing.how_4')}</li>
          </ol>
        </section>
        <section class="how" aria-labelledby="trainers-h">
          <h2 id="trainers-h">{t('landing.studio_title')}</h2>
          <p>{t('landing.studio_hint')}</p>
          <p>
            <a href="/studio" onClick={link('/studio')} data-testid="studio-link">
              {t('landing.studio_link')}
            </a>
          </p>
        </section>
      </main>
    </>
  );
}

// Before a round: the deck's opening notes and the form that starts a round
// (also shown in the review, for the next round).
import { useState } from 'preact/hooks';
import { t } from '../../i18n.js';
import { ErrorText } from '../common.jsx';
import { useDeck } from '../Debrief.jsx';
import { AftercarePage } from '../Aftercare.jsx';
import { DeckIntroduction } from '../CardNotes.jsx';
import { useCommand } from './command.jsx';

// The deck's facilitator page before the first round: the opening and the after-care.
export function LobbyNotes({ conn }) {
  const deck = useDeck(conn.state.deck.id, conn.code);
  if (!deck || !deck.facilitator) return null;
  return (
    <div class="stack lobby-notes">
      <DeckIntroduction deck={deck} />
      <AftercarePage deck={deck} />
    </div>
  );
}

export function StartRound({ conn, cards }) {
  const { state } = conn;
  const people = state.participants;
  const [card, setCard] = useState('');
  const [mode, setMode] = useState('rotate');
  const [customer, setCustomer] = useState('');
  const [agent, setAgent] = useState('');
  const [minutes, setMinutes] = useState(() =>
    state.round && state.round.clock.duration_s ? String(Math.round(state.round.clock.duration_s / 60)) : '',
  );
  const { error, busy, run } = useCommand(conn);
  const [localError, setLocalError] = useState(null);
  const enough = people.length >= 2;

  const submit = async (e) => {
    e.preventDefault();
    setLocalError(null);
    const payload = {};
    if (card) payload.card = card;
    if (mode === 'choose') {
      if (!customer || !agent) return setLocalError(t('start.pick_both'));
      if (customer === agent) return setLocalError(t('start.different'));
      payload.customer = customer;
      payload.agent = agent;
    }
    if (minutes.trim()) {
      const m = Number(minutes.replace(',', '.'));
      if (!(m >= 0.5 && m <= 60)) return setLocalError(t('start.minutes_range'));
      payload.duration_s = Math.round(m * 60);
    }
    await run('start_round', payload);
  };

  return (
    <form class="start-round stack" onSubmit={submit} aria-labelledby="start-h" data-testid="start-round">
      <h2 id="start-h">{state.round ? t('start.next_title') : t('start.title')}</h2>
      {!enough && <p class="banner banner-info">{t('start.need_two')}</p>}
      <label class="field">
        <span>{t('start.card')}</span>
        <select value={card} onChange={(e) => setCard(e.currentTarget.value)} name="card">
          <option value="">{t('start.card_auto')}</option>
          {cards.map((c) => (
            <option key={c.id} value={c.id}>
              {c.title} · {t('round.difficulty', { n: c.difficulty })}
            </option>
          ))}
        </select>
      </label>
      <fieldset class="choices">
        <legend>{t('start.roles')}</legend>
        <label class="choice">
          <input type="radio" name="mode" value="rotate" checked={mode === 'rotate'} onChange={() => setMode('rotate')} />
          <span>{t('start.rotate')}</span>
        </label>
        <label class="choice">
          <input type="radio" name="mode" value="choose" checked={mode === 'choose'} onChange={() => setMode('choose')} />
          <span>{t('start.choose')}</span>
        </label>
      </fieldset>
      {mode === 'choose' && (
        <div class="two-cols">
          <PersonSelect t={t} role="customer" people={people} value={customer} onChange={setCustomer} />
          <PersonSelect t={t} role="agent" people={people} value={agent} onChange={setAgent} />
        </div>
      )}
      <label class="field field-short">
        <span>{t('start.minutes')}</span>
        <input type="number" inputMode="decimal" min="0.5" max="60" step="0.5" value={minutes} onInput={(e) => setMinutes(e.currentTarget.value)} name="minutes" />
        <small class="muted">{t('start.minutes_hint')}</small>
      </label>
      {localError && (
        <p class="error" role="alert">
          {localError}
        </p>
      )}
      <ErrorText error={error} />
      <button type="submit" class="btn btn-primary btn-big" disabled={busy || !enough} data-testid="start-button">
        {t('start.submit')}
      </button>
    </form>
  );
}

function PersonSelect({ t, role, people, value, onChange }) {
  return (
    <label class="field">
      <span>{t(`role.${role}`)}</span>
      <select value={value} onChange={(e) => onChange(e.currentTarget.value)} name={role}>
        <option value="">{t('start.pick')}</option>
        {people.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
            {p.connected ? '' : ` (${t('presence.away')})`}
          </option>
        ))}
      </select>
    </label>
  );
}

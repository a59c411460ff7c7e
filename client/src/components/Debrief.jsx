// The facilitator's debrief, in the console: per revealed round the timeline,
// the per-step table, the global ratings, the reflections and the debrief
// conversation guide; for the whole workshop the observer agreement and how
// each participant did. Built from GET /api/rooms/<code>/results, fetched
// again (quietly) whenever the room changes.
import { useEffect, useRef, useState } from 'preact/hooks';
import { getDeckCached, getResults } from '../api.js';
import { t, useLanguage } from '../i18n.js';
import { shownRounds, startLevel } from '../debrief.js';
import { hostKey } from '../storage.js';
import { ErrorText, Loading } from './common.jsx';
import { RoundCast } from './debrief/format.jsx';
import { TimelineChart, TimelineTable } from './debrief/Timeline.jsx';
import { CappedNote, OverallLine, StepNotes, StepTable } from './debrief/StepTable.jsx';
import { GlobalRatings, ReflectionCards } from './debrief/Ratings.jsx';
import { AgreementBox } from './debrief/Agreement.jsx';
import { ParticipantsView } from './debrief/ParticipantsView.jsx';
import { Guide } from './Guide.jsx';
import { AftercarePage } from './Aftercare.jsx';
import { findCard } from '../aftercare.js';
import { Exports } from './RoomActions.jsx';
import { TabList, TabPanel } from './Tabs.jsx';

// Results and the deck (for the cards' start temperatures), kept fresh.
export function useResults(code, version) {
  const [results, setResults] = useState(null);
  const [error, setError] = useState(null);
  const last = useRef('');
  const load = async () => {
    const info = hostKey(code);
    const r = await getResults(code, info && info.token);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setError(null);
    const text = JSON.stringify(r.results);
    if (text !== last.current) {
      last.current = text;
      setResults(r.results);
    }
  };
  useEffect(() => {
    const id = setTimeout(load, last.current ? 700 : 0);
    return () => clearTimeout(id);
  }, [code, version]);
  return { results, error, reload: load };
}

// the full deck of the room (briefs included), with this browser's facilitator key
export function useDeck(id, code) {
  const [deck, setDeck] = useState(null);
  useEffect(() => {
    if (!id) return undefined;
    let live = true;
    getDeckCached(id, { room: code, token: (hostKey(code) || {}).token }).then((d) => live && d.ok && setDeck(d));
    return () => {
      live = false;
    };
  }, [id, code]);
  return deck;
}

export function Debrief({ conn }) {
  const { state } = conn;
  const lang = useLanguage();
  const { results, error, reload } = useResults(conn.code, state.version);
  const deck = useDeck(state.deck.id, conn.code);
  const [tab, setTab] = useState(null);
  if (!results) {
    return (
      <section class="debrief" data-testid="debrief">
        <h2>{t('debrief.title')}</h2>
        {error ? (
          <>
            <ErrorText error={error} />
            <button type="button" class="btn" onClick={reload}>
              {t('debrief.retry')}
            </button>
          </>
        ) : (
          <Loading text={t('status.loading')} />
        )}
      </section>
    );
  }
  const rounds = shownRounds(results);
  const pending = results.rounds.filter((r) => !rounds.includes(r));
  const scale = { ...state.deck.scale, min: results.deck.scale.min, max: results.deck.scale.max };
  const deckLang = results.deck.language;
  const tabs = [
    ...rounds.map((r) => ({ id: `r${r.number}`, label: t('round.number', { n: r.number }), sub: r.card.title, testid: `debrief-tab-round-${r.number}` })),
    { id: 'room', label: t('debrief.workshop_tab'), sub: t('debrief.workshop_sub'), testid: 'debrief-tab-room' },
  ];
  const selected = tabs.some((x) => x.id === tab) ? tab : tabs.length > 1 ? tabs[tabs.length - 2].id : 'room';
  const round = rounds.find((r) => `r${r.number}` === selected);
  return (
    <section class="debrief" data-testid="debrief" aria-labelledby="debrief-h">
      <div class="debrief-head">
        <h2 id="debrief-h">{t('debrief.title')}</h2>
        <p class="muted">{t('debrief.intro')}</p>
      </div>
      <Exports code={conn.code} />
      <AftercarePage deck={deck} />
      {pending.length > 0 && (
        <p class="banner banner-info" data-testid="debrief-pending">
          {pending.map((r) => t('debrief.pending', { n: r.number, title: r.card.title })).join(' ')}
        </p>
      )}
      <TabList tabs={tabs} selected={selected} onSelect={setTab} label={t('debrief.tabs_label')} idPrefix="debrief" class="debrief-tabs" />
      <TabPanel idPrefix="debrief" selected={selected}>
        {round ? (
          <RoundDebrief
            key={round.number}
            round={round}
            scale={scale}
            deck={deck}
            deckSteps={state.deck.steps}
            deckLang={deckLang}
            lang={lang}
          />
        ) : (
          <WorkshopDebrief results={results} rounds={rounds} lang={lang} deckLang={deckLang} />
        )}
      </TabPanel>
    </section>
  );
}

function RoundDebrief({ round, scale, deck, deckSteps, deckLang, lang }) {
  const start = startLevel(round, deck);
  // the card as the deck has it: its learning goal and narrowed look-fors lead the guide
  const card = findCard(deck, round.card.id);
  return (
    <article class="round-debrief" data-testid="round-debrief" data-round={round.number}>
      <header class="round-debrief-head">
        <h3>
          {t('round.number', { n: round.number })}: <span lang={deckLang}>{round.card.title}</span>
        </h3>
        <RoundCast round={round} />
        <OverallLine round={round} scale={scale} lang={lang} />
      </header>
      <CappedNote round={round} scale={scale} lang={lang} />
      <section class="debrief-block" aria-labelledby={`tl-h-${round.number}`}>
        <h4 id={`tl-h-${round.number}`}>{t('debrief.timeline_title')}</h4>
        <p class="muted small">{t('debrief.timeline_hint')}</p>
        <TimelineChart round={round} scale={scale} start={start} lang={lang} />
        <TimelineTable round={round} scale={scale} start={start} />
      </section>
      <section class="debrief-block" aria-labelledby={`st-h-${round.number}`}>
        <h4 id={`st-h-${round.number}`}>{t('debrief.steps_title')}</h4>
        <StepTable round={round} scale={scale} lang={lang} deckLang={deckLang} />
        <StepNotes round={round} deckLang={deckLang} />
      </section>
      <div class="debrief-block">
        <GlobalRatings round={round} lang={lang} />
      </div>
      <details class="brief-details private-details" data-testid="reflections-details">
        <summary>{t('debrief.reflections_private', { count: round.reflections.length })}</summary>
        <p class="muted small">{t('debrief.reflections_hint')}</p>
        <ReflectionCards round={round} />
      </details>
      <Guide
        round={round}
        scale={scale}
        deckSteps={deckSteps}
        deckLang={deckLang}
        start={start}
        lang={lang}
        headingLevel={4}
        learningGoal={card && card.facilitator ? card.facilitator.learning_goal : null}
        lookFors={card ? card.look_fors : null}
      />
    </article>
  );
}

function WorkshopDebrief({ results, rounds, lang, deckLang }) {
  return (
    <article class="workshop-debrief" data-testid="workshop-debrief">
      <h3 class="sr-only">{t('debrief.workshop_tab')}</h3>
      <AgreementBox agreement={results.agreement} lang={lang} />
      <ParticipantsView results={results} rounds={rounds} lang={lang} deckLang={deckLang} />
    </article>
  );
}

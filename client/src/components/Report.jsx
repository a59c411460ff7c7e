// The printable report of a room (/report/<code>): a cover with the room, the
// date, the deck, the observer agreement and the rounds at a glance; then one
// A4 page per round (card, roles, timeline, per-step table, global ratings,
// reflections); then the participants. Print-styled HTML that a browser saves
// as PDF. The facilitator key comes from this browser (or #key= in the link).
import { useEffect, useState } from 'preact/hooks';
import { getDeckCached, getResults } from '../api.js';
import { DeckVersion } from './results.jsx';
import { t, useLanguage } from '../i18n.js';
import { personName, startLevel } from '../debrief.js';
import { hostKey } from '../storage.js';
import { formatMs } from '../util.js';
import { ErrorText, LanguageSwitch, Loading } from './common.jsx';
import { KeyChoice, keyFromHash } from './Console.jsx';
import { fmt, RoundCast } from './debrief/format.jsx';
import { TimelineChart } from './debrief/Timeline.jsx';
import { CappedNote, OverallLine, StepNotes, StepTable } from './debrief/StepTable.jsx';
import { GlobalRatings, ReflectionCards } from './debrief/Ratings.jsx';
import { AgreementBox } from './debrief/Agreement.jsx';
import { ParticipantsView } from './debrief/ParticipantsView.jsx';

// Rounds that got somewhere: revealed, or played, marked or scored.
export function reportRounds(results) {
  return results.rounds.filter((r) => r.revealed || r.elapsed_ms > 0 || r.marks.length > 0 || r.scores.length > 0);
}

export function ReportPage({ code }) {
  const [pending, setPending] = useState(() => keyFromHash(code));
  if (pending) {
    return (
      <main id="main" class="report">
        <KeyChoice code={code} token={pending} onDone={() => setPending(null)} />
      </main>
    );
  }
  return <ReportBody code={code} />;
}

// The printed pages' footer names the room. A constructed style sheet, not a
// <style> element: the server's Content-Security-Policy allows no inline style.
function usePageFooter(code) {
  useEffect(() => {
    if (typeof CSSStyleSheet === 'undefined' || !('adoptedStyleSheets' in document)) return undefined;
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(`@page { @bottom-right { content: "Calmroom · ${code} · " counter(page) " / " counter(pages); font-size: 8pt; color: #444; } }`);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    return () => {
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
    };
  }, [code]);
}

function ReportBody({ code }) {
  const lang = useLanguage();
  const [load, setLoad] = useState({ status: 'loading' });
  useEffect(() => {
    const info = hostKey(code);
    if (!info || !info.token) {
      setLoad({ status: 'nokey' });
      return undefined;
    }
    let live = true;
    (async () => {
      const r = await getResults(code, info.token);
      if (!live) return;
      if (!r.ok) {
        setLoad({ status: r.status === 404 ? 'notfound' : r.status === 401 ? 'denied' : 'error', error: r.error });
        return;
      }
      const d = await getDeckCached(r.results.deck.id, { room: code, token: info.token });
      if (!live) return;
      setLoad({ status: 'ok', results: r.results, deck: d.ok ? d : null });
    })();
    return () => {
      live = false;
    };
  }, [code]);
  useEffect(() => {
    const title = load.results ? `${load.results.room.title} · ${t('report.doc_title')} ${code}` : `${t('report.doc_title')} ${code}`;
    document.title = title;
  }, [load, lang]);

  return (
    <div class="report-page-root">
      <div class="report-toolbar" role="region" aria-label={t('report.toolbar')}>
        <a class="btn btn-small btn-quiet" href={`/host/${code}`}>
          {t('report.back')}
        </a>
        <button type="button" class="btn btn-small btn-primary" onClick={() => window.print()} disabled={load.status !== 'ok'} data-testid="report-print">
          {t('report.print')}
        </button>
        <span class="muted small report-tip">{t('report.print_tip')}</span>
        <LanguageSwitch />
      </div>
      <main id="main" class="report" lang={lang}>
        {load.status === 'loading' && <Loading text={t('status.loading')} />}
        {load.status !== 'loading' && load.status !== 'ok' && (
          <section class="report-sheet" role="alert">
            <h1>{t(`report.${load.status === 'error' ? 'error' : load.status}_title`)}</h1>
            <p>{t(`report.${load.status === 'error' ? 'error' : load.status}`, { code })}</p>
            {load.error && <ErrorText error={load.error} />}
          </section>
        )}
        {load.status === 'ok' && <Report code={code} results={load.results} deck={load.deck} lang={lang} />}
      </main>
    </div>
  );
}

function Report({ code, results, deck, lang }) {
  const rounds = reportRounds(results);
  const [drawn, setDrawn] = useState(0);
  const scale = {
    min: results.deck.scale.min,
    max: results.deck.scale.max,
    labels: (deck && deck.scale && deck.scale.labels) || {},
  };
  const deckLang = results.deck.language;
  const ready = drawn >= rounds.length;
  const printed = new Date().toLocaleDateString(lang, { year: 'numeric', month: 'long', day: 'numeric' });
  usePageFooter(code);
  return (
    <div class="report-doc" data-testid="report" data-ready={ready ? 'true' : 'false'}>
      <section class="report-sheet report-cover" data-testid="report-cover">
        <p class="report-kicker">{t('report.kicker')}</p>
        <h1>{results.room.title}</h1>
        <dl class="report-facts">
          <div>
            <dt>{t('report.code')}</dt>
            <dd class="mono">{results.room.code}</dd>
          </div>
          <div>
            <dt>{t('report.date')}</dt>
            <dd>{printed}</dd>
          </div>
          <div>
            <dt>{t('report.deck')}</dt>
            <dd lang={deckLang}>
              {results.deck.title} <span class="muted">({t(`language.${deckLang}`, { defaultValue: deckLang })})</span> ·{' '}
              <DeckVersion deck={results.deck} testid="report-deck-version" />
            </dd>
          </div>
          <div>
            <dt>{t('report.people')}</dt>
            <dd>{t('report.people_count', { count: results.participants.length, rounds: rounds.length })}</dd>
          </div>
        </dl>
        <AgreementBox agreement={results.agreement} lang={lang} headingLevel={2} />
        <h2>{t('report.rounds_title')}</h2>
        {rounds.length === 0 ? (
          <p class="muted">{t('report.no_rounds')}</p>
        ) : (
          <table class="data-table compact">
            <thead>
              <tr>
                <th scope="col">{t('report.col_round')}</th>
                <th scope="col">{t('report.col_card')}</th>
                <th scope="col">{t('role.customer')}</th>
                <th scope="col">{t('role.agent')}</th>
                <th scope="col" class="num">{t('report.col_played')}</th>
                <th scope="col" class="num">{t('debrief.overall')}</th>
                <th scope="col">{t('report.col_disagree')}</th>
              </tr>
            </thead>
            <tbody>
              {rounds.map((r) => (
                <tr key={r.number}>
                  <td class="num">{r.number}</td>
                  <td lang={deckLang}>{r.card.title}</td>
                  <td>{personName(r.customer.id, r.customer.name)}</td>
                  <td>{personName(r.agent.id, r.agent.name)}</td>
                  <td class="num">{formatMs(r.elapsed_ms || 0)}</td>
                  <td class="num">
                    {fmt(r.overall, lang)}
                    {r.capped_by.length > 0 && r.overall !== null && ` (${t('debrief.capped_flag')})`}
                  </td>
                  <td lang={deckLang}>
                    {r.disagreements.length
                      ? r.disagreements.map((k) => (r.steps.find((s) => s.step === k) || { label: k }).label).join('; ')
                      : '–'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <h2>{t('report.read_title')}</h2>
        <ul class="report-read">
          <li>{t('report.read_1')}</li>
          <li>{t('report.read_2')}</li>
          <li>
            {t('report.read_3', {
              points: fmt((2 * (scale.max - scale.min)) / 3, lang),
              min: scale.min,
              max: scale.max,
            })}
          </li>
          <li>{t('report.read_4', { cap: fmt(scale.min + 1, lang) })}</li>
          <li>{t('report.read_5')}</li>
        </ul>
        <p class="muted small report-private">{t('report.private')}</p>
      </section>

      {rounds.map((round) => (
        <section class="report-sheet report-round" key={round.number} data-testid="report-round" data-round={round.number}>
          <p class="report-kicker">
            {results.room.title} · {results.room.code}
          </p>
          <h2>
            {t('round.number', { n: round.number })}: <span lang={deckLang}>{round.card.title}</span>
            <span class="muted small"> · {t('round.difficulty', { n: round.card.difficulty })}</span>
          </h2>
          {!round.revealed && <p class="banner banner-info">{t('report.not_revealed')}</p>}
          <RoundCast round={round} />
          <OverallLine round={round} scale={scale} lang={lang} />
          <CappedNote round={round} scale={scale} lang={lang} />
          <TimelineChart round={round} scale={scale} start={startLevel(round, deck)} lang={lang} print onReady={() => setDrawn((n) => n + 1)} />
          <StepTable round={round} scale={scale} lang={lang} deckLang={deckLang} compact />
          <StepNotes round={round} deckLang={deckLang} print />
          <GlobalRatings round={round} lang={lang} level={3} />
          <h3 class="report-h3">{t('results.reflections')}</h3>
          <ReflectionCards round={round} />
        </section>
      ))}

      <section class="report-sheet report-people" data-testid="report-people">
        <p class="report-kicker">
          {results.room.title} · {results.room.code}
        </p>
        <h2>{t('report.people_title')}</h2>
        <ParticipantsView results={results} rounds={rounds} lang={lang} deckLang={deckLang} compact />
      </section>
    </div>
  );
}

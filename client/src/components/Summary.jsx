// A participant's own summary of the workshop (/me/<code>): the rounds they
// played with their results, what others wrote about them, their own
// reflections, the rounds they watched and the take-aways. It reads
// GET /api/rooms/<code>/me with the token this browser keeps for the room, or
// with #key=<token> from the link on the participant's screen (taken out of
// the address bar at once). Printable: the print style sheet drops the chrome.
import { useEffect, useState } from 'preact/hooks';
import { getSummary } from '../api.js';
import { t, useLanguage } from '../i18n.js';
import { personName } from '../debrief.js';
import { rememberSummaryToken, summaryToken } from '../storage.js';
import { formatMs, takeKeyFromHash } from '../util.js';
import { ErrorText, Header, Loading, RoleBadge, scaleLabel } from './common.jsx';
import { fmt } from './debrief/format.jsx';
import { TimelineChart } from './debrief/Timeline.jsx';
import { CappedNote, OverallLine, StepTable } from './debrief/StepTable.jsx';
import { QR } from './QR.jsx';

// The token a summary link brings in its fragment.
export function tokenFromHash(code) {
  const token = takeKeyFromHash();
  if (!token) return null;
  rememberSummaryToken(code, token);
  return token;
}

export function summaryUrl(code, token) {
  const base = `${location.origin}/me/${encodeURIComponent(code)}`;
  return token ? `${base}#key=${encodeURIComponent(token)}` : base;
}

// On the participant's screen at the end: a link to the summary, and a QR
// code that carries the token, to open it on another device.
export function SummaryLink({ code, token, big = false }) {
  if (!token) return null;
  return (
    <section class={`summary-link${big ? ' summary-link-big' : ''}`} aria-labelledby="summary-link-h" data-testid="summary-link">
      <h2 id="summary-link-h">{t('summary.link_title')}</h2>
      <p>{t('summary.link_text')}</p>
      <p>
        <a class="btn btn-primary" href={`/me/${code}`} data-testid="summary-open">
          {t('summary.open')}
        </a>
      </p>
      <details class="brief-details" open={big}>
        <summary>{t('summary.other_device')}</summary>
        <QR text={summaryUrl(code, token)} label={t('summary.qr_label')} class="qr summary-qr" />
        <p class="muted small">{t('summary.qr_private')}</p>
      </details>
    </section>
  );
}

export function SummaryPage({ code }) {
  const lang = useLanguage();
  const [token] = useState(() => tokenFromHash(code) || summaryToken(code));
  const [load, setLoad] = useState({ status: token ? 'loading' : 'nokey' });
  useEffect(() => {
    if (!token) return undefined;
    let live = true;
    getSummary(code, token).then((r) => {
      if (!live) return;
      if (r.ok) setLoad({ status: 'ok', data: r });
      else setLoad({ status: r.status === 404 ? 'notfound' : r.status === 401 ? 'denied' : 'error', error: r.error });
    });
    return () => {
      live = false;
    };
  }, [code, token]);
  useEffect(() => {
    document.title = `${t('summary.doc_title')} ${code} · Calmroom`;
  }, [load, lang]);
  return (
    <>
      <Header>
        <button type="button" class="btn btn-small summary-print" onClick={() => window.print()} disabled={load.status !== 'ok'} data-testid="summary-print">
          {t('report.print')}
        </button>
      </Header>
      <main id="main" class="page summary-page" data-status={load.status}>
        {load.status === 'loading' && <Loading text={t('status.loading')} />}
        {load.status !== 'loading' && load.status !== 'ok' && (
          <section class="panel" role="alert" data-testid="summary-problem">
            <h1>{t(`summary.${load.status}_title`)}</h1>
            <p>{t(`summary.${load.status}`, { code })}</p>
            {load.error && load.status === 'error' && <ErrorText error={load.error} />}
          </section>
        )}
        {load.status === 'ok' && <Summary data={load.data} lang={lang} />}
      </main>
    </>
  );
}

function Summary({ data, lang }) {
  const { room, deck, you, played, observed, takeaways } = data;
  return (
    <article class="summary" data-testid="summary">
      <header class="summary-head">
        <h1>{t('summary.title', { name: you.name })}</h1>
        <p class="lead">
          {room.title} · <span lang={deck.language}>{deck.title}</span> · {room.code}
        </p>
        {room.phase !== 'closed' && <p class="muted small">{t('summary.still_open')}</p>}
        <p class="muted small">{t('summary.valid')}</p>
      </header>
      <section aria-labelledby="sum-played-h">
        <h2 id="sum-played-h">{t('summary.played_title')}</h2>
        {played.length === 0 && <p class="muted">{t('summary.played_none')}</p>}
        {played.map((r) => (
          <PlayedRound key={r.id} round={r} deck={deck} lang={lang} you={you} />
        ))}
      </section>
      {observed.length > 0 && (
        <section aria-labelledby="sum-observed-h" data-testid="summary-observed">
          <h2 id="sum-observed-h">{t('summary.observed_title')}</h2>
          <ul class="summary-observed">
            {observed.map((r) => (
              <li key={r.number}>
                {t('summary.round_n', { n: r.number })}: <span lang={deck.language}>{r.card.title}</span> ·{' '}
                {t('summary.observed_cast', { customer: personName(r.customer.id, r.customer.name), agent: personName(r.agent.id, r.agent.name) })}{' '}
                <span class="muted">· {t('summary.you_gave', { marks: r.marks_given, scores: r.scores_given })}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <Takeaways takeaways={takeaways} deck={deck} />
    </article>
  );
}

function PlayedRound({ round, deck, lang, you }) {
  const scale = deck.scale;
  const other = round.role === 'customer' ? round.agent : round.customer;
  const otherRole = round.role === 'customer' ? 'agent' : 'customer';
  return (
    <section class="summary-round" data-testid="summary-round" data-round={round.number} aria-labelledby={`sum-r${round.number}-h`}>
      <h3 id={`sum-r${round.number}-h`}>
        {t('summary.round_n', { n: round.number })}: <span lang={deck.language}>{round.card.title}</span>
      </h3>
      <p class="round-cast">
        {t('summary.you_were')} <RoleBadge role={round.role} /> · {t(`role.${otherRole}`)}: <strong>{personName(other.id, other.name)}</strong>
        <span class="muted"> · {t('results.played', { time: formatMs(round.elapsed_ms || 0) })}</span>
      </p>
      {round.card.setting && (
        <p class="muted" lang={deck.language}>
          {round.card.setting}
        </p>
      )}
      <OverallLine round={round} scale={scale} lang={lang} />
      <CappedNote round={round} scale={scale} lang={lang} />
      {round.global_rating !== null && (
        <p data-testid="summary-global">
          {t('debrief.global_title')}: <strong>{fmt(round.global_rating, lang)}</strong> <span class="muted">/ 5</span>
        </p>
      )}
      {/* on a phone the table scrolls sideways: this box, which the keyboard can reach, does the scrolling */}
      <div class="summary-table" tabIndex={0} role="region" aria-label={t('debrief.table_caption')}>
        <StepTable round={round} scale={scale} lang={lang} deckLang={deck.language} compact />
      </div>
      <h4>{t('results.curve')}</h4>
      <TimelineChart round={round} scale={scale} start={round.card.start_temperature} lang={lang} />
      {round.timeouts.length > 0 && (
        <p class="small" data-testid="summary-timeouts">
          {t('results.timeouts')}:{' '}
          {round.timeouts
            .map((to) => `${formatMs(to.t_ms)} ${to.by === you.id ? t('summary.by_you') : personName(to.by, to.name)}${to.reason ? ` (“${to.reason}”)` : ''}`)
            .join(' · ')}
        </p>
      )}
      <Notes round={round} deck={deck} />
      <Reflection reflection={round.reflection} role={round.role} />
    </section>
  );
}

function stepLabel(round, key) {
  const s = round.steps.find((x) => x.step === key);
  return s ? s.label : key;
}

// What observers (and the facilitator) wrote: live-mark notes and score
// comments, open on the page so they print.
function Notes({ round, deck }) {
  const notes = [
    ...round.marks.filter((m) => m.note).map((m) => ({ who: personName(m.author, m.author_name), step: m.step, at: formatMs(m.t_ms), text: m.note, rating: m.rating })),
    ...round.comments.map((c) => ({ who: personName(c.author, c.author_name), step: c.step, text: c.comment, rating: c.rating })),
  ];
  return (
    <div class="summary-notes" data-testid="summary-notes">
      <h4>{t('summary.notes_title')}</h4>
      {notes.length === 0 ? (
        <p class="muted">{t('summary.notes_none')}</p>
      ) : (
        <ul class="notes">
          {notes.map((n, i) => (
            <li key={i}>
              <strong>{n.who}</strong> · <span lang={deck.language}>{stepLabel(round, n.step)}</span>
              {n.rating !== null && n.rating !== undefined && <span class="muted"> ({scaleLabel(deck.scale, n.rating)})</span>}
              {n.at && <span class="muted"> {n.at}</span>}: {n.text}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Reflection({ reflection, role }) {
  return (
    <div class="summary-reflection" data-testid="summary-reflection">
      <h4>{t('reflect.yours')}</h4>
      {!reflection ? (
        <p class="muted">{t('summary.reflection_none')}</p>
      ) : (
        <dl class="summary-dl">
          <dt>{t('reflect.feeling')}</dt>
          <dd>{t(`reflect.feeling_${reflection.feeling}`)}</dd>
          {role === 'customer' && reflection.felt_heard && (
            <>
              <dt>{t('reflect.felt_heard')}</dt>
              <dd>{t(`reflect.heard_${reflection.felt_heard}`)}</dd>
            </>
          )}
          {reflection.went_well && (
            <>
              <dt>{t('reflect.went_well')}</dt>
              <dd>{reflection.went_well}</dd>
            </>
          )}
          {reflection.do_differently && (
            <>
              <dt>{t('reflect.do_differently')}</dt>
              <dd>{reflection.do_differently}</dd>
            </>
          )}
        </dl>
      )}
    </div>
  );
}

function Takeaways({ takeaways, deck }) {
  const { learning_goals: goals, guidance } = takeaways;
  if (!goals.length && !guidance.length) return null;
  return (
    <section aria-labelledby="sum-take-h" class="summary-takeaways" data-testid="summary-takeaways">
      <h2 id="sum-take-h">{t('summary.takeaways_title')}</h2>
      {goals.length > 0 && (
        <>
          <h3>{t('summary.goals_title')}</h3>
          <ul>
            {goals.map((g) => (
              <li key={g.round}>
                <strong lang={deck.language}>{g.card_title}</strong>: <span lang={deck.language}>{g.learning_goal}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {guidance.length > 0 && (
        <>
          <h3>{t('summary.guidance_title')}</h3>
          <ul lang={deck.language}>
            {guidance.map((g, i) => (
              <li key={i}>{g}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

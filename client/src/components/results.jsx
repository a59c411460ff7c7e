import { currentLanguage, t } from '../i18n.js';
import { formatMs, formatNumber } from '../util.js';
import { AngerCurve } from './anger.jsx';
import { authorName, cardSteps, scaleLabel } from './common.jsx';

// A round's results: final scores per step, live marks, the global rating,
// the anger curve and the time-outs; reflections for the facilitator. Every
// figure is the server's (`round.results`: the per-step aggregates of
// domain/scoring.py, the same as the debrief's GET /results): this page
// counts and averages nothing itself (issue 14, bug 4).
export function Results({ conn, showReflections = false, headingLevel = 2 }) {
  const { state } = conn;
  const round = conn.round;
  const lang = currentLanguage();
  const steps = cardSteps(state);
  const { scale } = state.deck;
  const H = `h${headingLevel}`;
  const Sub = `h${Math.min(6, headingLevel + 1)}`;
  const results = round.results || { steps: [], capped_by: [], global_rating: null, global_count: 0 };
  // a fishbowl's audience gets the figures, not every mark and score (docs/protocol.md)
  const figuresOnly = Boolean(state.options && state.options.fishbowl) && conn.kind !== 'facilitator' && conn.role === 'observer';
  const byStep = new Map(results.steps.map((r) => [r.step, r]));
  const globals = Object.entries(round.global_ratings);
  const range = scale.max - scale.min || 1;

  return (
    <section class="results" data-testid="results" aria-labelledby="results-h">
      <H id="results-h">{t('results.title', { n: round.number, title: round.card.title })}</H>
      <p class="muted">
        {t('round.cast', { customer: authorName(conn, round.customer), agent: authorName(conn, round.agent) })}
        {' · '}
        {t('results.played', { time: formatMs(round.clock.elapsed_ms) })}
      </p>
      {results.capped_by.length > 0 && (
        <p class="banner banner-warn" role="note">
          {t('results.capped', { min: scaleLabel(scale, scale.min), cap: scale.min + 1 })}
        </p>
      )}
      <div class="global-box">
        <span class="big-number" data-testid="results-global">{formatNumber(results.global_rating, lang)}</span>
        <span>
          {t('results.global', { count: results.global_count || 0 })}
          {globals.length > 0 && !figuresOnly && (
            <span class="muted small">
              {' '}
              ({globals.map(([a, r]) => `${authorName(conn, a)}: ${r}`).join(' · ')})
            </span>
          )}
        </span>
      </div>
      <ol class="result-steps">
        {steps.map((s) => {
          const agg = byStep.get(s.key) || { mean: null, na: 0, disagreement: false };
          const scores = round.scores.filter((sc) => sc.step === s.key);
          const marks = round.marks.filter((m) => m.step === s.key);
          const notes = [
            ...marks.filter((m) => m.note).map((m) => ({ who: authorName(conn, m.author), text: m.note, at: formatMs(m.t_ms) })),
            ...scores.filter((sc) => sc.comment).map((sc) => ({ who: authorName(conn, sc.author), text: sc.comment })),
          ];
          return (
            <li key={s.key} class="result-step" data-step={s.key}>
              <div class="result-head">
                <Sub class="result-label">
                  <span lang={state.deck.language}>{s.label}</span> {s.critical && <span class="badge badge-critical">{t('rubric.critical')}</span>}
                </Sub>
                <span
                  class="result-avg"
                  data-testid="result-mean"
                  aria-label={t('results.average_label', { value: formatNumber(agg.mean, lang) })}
                >
                  {formatNumber(agg.mean, lang)}
                </span>
              </div>
              <div class="bar" aria-hidden="true">
                <span style={{ width: agg.mean === null ? '0%' : `${((agg.mean - scale.min) / range) * 100}%` }} />
              </div>
              <p class="small">
                {figuresOnly && t('results.scored_by', { count: (agg.n || 0) + (agg.na || 0) })}
                {!figuresOnly &&
                  (scores.length === 0
                    ? t('results.no_scores')
                    : scores.map((sc) => `${authorName(conn, sc.author)}: ${scaleLabel(scale, sc.rating)}`).join(' · '))}
              </p>
              <p class="small muted">
                {[
                  !figuresOnly && t('results.count', { count: marks.length }),
                  agg.na > 0 && t('results.na', { count: agg.na }),
                  agg.disagreement && t('results.disagree'),
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </p>
              {notes.length > 0 && (
                <ul class="notes">
                  {notes.map((n, i) => (
                    <li key={i}>
                      <strong>{n.who}</strong>
                      {n.at && <span class="muted"> {n.at}</span>}: {n.text}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ol>
      {round.temperatures && (
        <>
          <Sub>{t('results.curve')}</Sub>
          <AngerCurve round={round} elapsedMs={round.clock.elapsed_ms} marks={round.marks} />
        </>
      )}
      {round.timeouts.length > 0 && (
        <>
          <Sub>{t('results.timeouts')}</Sub>
          <ul>
            {round.timeouts.map((to, i) => (
              <li key={i}>
                {formatMs(to.t_ms)} · {authorName(conn, to.by)}
                {to.reason ? `: ${to.reason}` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
      {showReflections && <Reflections conn={conn} level={headingLevel + 1} />}
    </section>
  );
}

export function Reflections({ conn, level = 3 }) {
  const round = conn.round;
  const H = `h${Math.min(6, level)}`;
  const Sub = `h${Math.min(6, level + 1)}`;
  const list = round.reflections || [];
  return (
    <section class="reflections" data-testid="reflections">
      <H>{t('results.reflections')}</H>
      {list.length === 0 && <p class="muted">{t('results.no_reflections')}</p>}
      {list.map((r) => {
        const role = r.role || (r.author === round.customer ? 'customer' : r.author === round.agent ? 'agent' : null);
        return (
        <article class="reflection-card" key={r.author}>
          <Sub>
            {authorName(conn, r.author)}
            {role && ` · ${t(`role.${role}`)}`}
          </Sub>
          <p>
            <span class="label">{t('reflect.feeling')}</span> <strong>{r.feeling}</strong> · {t(`reflect.feeling_${r.feeling}`)}
          </p>
          {r.felt_heard && (
            <p>
              <span class="label">{t('reflect.felt_heard')}</span> <strong>{r.felt_heard}</strong> · {t(`reflect.heard_${r.felt_heard}`)}
            </p>
          )}
          {r.went_well && (
            <p>
              <span class="label">{t('reflect.went_well')}</span> {r.went_well}
            </p>
          )}
          {r.do_differently && (
            <p>
              <span class="label">{t('reflect.do_differently')}</span> {r.do_differently}
            </p>
          )}
        </article>
        );
      })}
    </section>
  );
}

// Which version of the deck the room played (results.deck), or that it was
// a studio test draft that was never saved.
export function DeckVersion({ deck, testid }) {
  if (!deck) return null;
  const text = deck.draft ? t('report.deck_draft') : deck.version ? t('report.deck_version', { version: deck.version }) : null;
  return text ? (
    <span class="muted" lang={currentLanguage()} data-testid={testid}>
      {text}
    </span>
  ) : null;
}

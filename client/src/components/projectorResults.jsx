// The projector's review slide: the round's results on one screen, from the
// server's aggregates (GET /api/rooms/<code>/results), never recomputed here.
// Entered from scoring, it opens with a short reveal; without motion (the
// reader's prefers-reduced-motion) the results are simply there.
import { useEffect, useState } from 'preact/hooks';
import { currentLanguage, t } from '../i18n.js';
import { formatNumber } from '../util.js';
import { barShare, scaleLegend, shownSteps } from '../projector.js';
import { Loading } from './common.jsx';
import { useResults } from './Debrief.jsx';

const REVEAL_MS = 1800;

function reducedMotion() {
  return typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

function StepBar({ step, scale, lang, deckLang, index }) {
  const share = barShare(step.mean, scale);
  const scored = step.mean !== null && step.mean !== undefined;
  return (
    <li class="pj-step" data-step={step.step} data-testid="projector-step" style={{ '--i': index }}>
      <div class="pj-step-head">
        <span class="pj-step-label">
          <span lang={deckLang}>{step.label}</span>
          {step.critical && <span class="badge badge-critical">{t('rubric.critical')}</span>}
          {step.disagreement && <span class="badge pj-disagree">{t('results.disagree')}</span>}
        </span>
        <span class="pj-step-value">{scored ? formatNumber(step.mean, lang) : t('projector.not_scored')}</span>
      </div>
      <div class="pj-bar" aria-hidden="true">
        <span style={{ width: `${share * 100}%` }} />
      </div>
      {step.na > 0 && <p class="pj-step-na">{t('results.na', { count: step.na })}</p>}
    </li>
  );
}

export function ReviewSlide({ conn, revealing }) {
  const { state } = conn;
  const round = conn.round;
  const { results } = useResults(conn.code, state.version);
  const [curtain, setCurtain] = useState(() => revealing && !reducedMotion());
  useEffect(() => {
    if (!revealing || reducedMotion()) return undefined;
    setCurtain(true);
    const id = setTimeout(() => setCurtain(false), REVEAL_MS);
    return () => clearTimeout(id);
  }, [revealing]);
  const lang = currentLanguage();
  const shown = results && results.rounds.find((r) => r.number === round.number);
  const { scale } = state.deck;
  const steps = shownSteps(shown);
  const cols = steps.length > 4 ? ' pj-two-cols' : '';
  return (
    <section
      class={`projector-slide projector-review${revealing ? ' is-revealing' : ''}`}
      aria-labelledby="pj-results-h"
      data-testid="projector-results"
      data-reveal={curtain ? 'on' : 'done'}
    >
      {revealing && (
        <p class="sr-only" role="status">
          {t('projector.revealed', { n: round.number })}
        </p>
      )}
      {curtain && (
        <div class="pj-curtain" aria-hidden="true" data-testid="projector-curtain">
          <span class="pj-curtain-round">{t('projector.round', { n: round.number })}</span>
          <span>{t('projector.reveal')}</span>
        </div>
      )}
      <header class="pj-results-head">
        <h2 id="pj-results-h" class="pj-results-title">
          {t('projector.results_title', { n: round.number })} <span lang={state.deck.language}>{round.card.title}</span>
        </h2>
        {shown && (
          <p class="pj-overall" data-testid="projector-overall">
            <span class="pj-overall-label">{t('projector.overall')}</span>
            <span class="pj-overall-value">{formatNumber(shown.overall, lang)}</span>
            <span class="pj-overall-of">{t('projector.out_of', { max: scale.max })}</span>
          </p>
        )}
      </header>
      {!shown && <Loading text={t('projector.loading')} />}
      {shown && shown.capped_by && shown.capped_by.length > 0 && (
        <p class="pj-capped" role="note">
          {t('projector.capped', { min: scale.min, cap: scale.min + 1 })}
        </p>
      )}
      {shown && (
        <ol class={`pj-steps${cols}`}>
          {steps.map((s, i) => (
            <StepBar key={s.step} step={s} scale={scale} lang={lang} deckLang={state.deck.language} index={i} />
          ))}
        </ol>
      )}
      {shown && (
        <p class="pj-legend" data-testid="projector-legend">
          {scaleLegend(scale).map((l) => (
            <span key={l.value}>
              <strong>{l.value}</strong> <span lang={state.deck.language}>{l.label}</span>
            </span>
          ))}
        </p>
      )}
    </section>
  );
}

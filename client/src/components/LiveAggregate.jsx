// A fishbowl's live picture (docs/protocol.md `live_aggregate`): per step of
// the card, how many marks the audience gave and how they spread over the
// scale, and how many observers have scored. Counts only, from the server;
// never a name. The console shows it instead of the feed of marks, the
// projector during the role-play when the facilitator turns it on.
import { t } from '../i18n.js';
import { cardSteps, scaleLabel } from './common.jsx';

function Spread({ counts, scale, label }) {
  const total = counts.reduce((a, b) => a + b, 0);
  return (
    <div class="agg-spread" role="img" aria-label={`${label}: ${counts.map((c, i) => `${scaleLabel(scale, scale.min + i)} ${c}`).join(', ')}`}>
      {counts.map((c, i) => (
        <span class="agg-cell" key={i} title={t('aggregate.spread', { label: scaleLabel(scale, scale.min + i), count: c })}>
          <span class="agg-bar" style={{ height: `${total ? (c / total) * 100 : 0}%` }} />
          <span class="agg-count" aria-hidden="true">
            {c}
          </span>
          <span class="agg-point" aria-hidden="true">
            {scale.min + i}
          </span>
        </span>
      ))}
    </div>
  );
}

export function LiveAggregate({ state, live, scores = false, level = 3 }) {
  const H = `h${Math.min(6, level)}`;
  const { scale } = state.deck;
  const labels = new Map(cardSteps(state).map((s) => [s.key, s.label]));
  return (
    <section class="live-aggregate" data-testid="live-aggregate" aria-labelledby="agg-h">
      <H id="agg-h">{t('aggregate.title')}</H>
      {scores && (
        <p class="agg-scored" data-testid="agg-scored">
          {t('aggregate.scored', { done: live.scored, total: live.observers })}
        </p>
      )}
      <ul class="agg-steps">
        {live.steps.map((s) => (
          <li class="agg-step" key={s.step} data-step={s.step} data-testid="agg-step">
            <p class="agg-step-head">
              <strong lang={state.deck.language}>{labels.get(s.step) || s.step}</strong>{' '}
              <span data-testid="agg-marks">{t('aggregate.marks', { count: s.marks })}</span>{' '}
              <span class="muted">{t('aggregate.markers', { count: s.markers })}</span>
            </p>
            <Spread counts={scores ? s.score_counts : s.mark_counts} scale={scale} label={t(scores ? 'aggregate.final_scores' : 'aggregate.live_marks')} />
            {scores && s.na > 0 && <p class="muted small">{t('aggregate.na', { count: s.na })}</p>}
          </li>
        ))}
      </ul>
    </section>
  );
}

// During the role-play (and while paused): the clock, pause/resume/end, the
// anger curve and the observers' live marks.
import { t } from '../../i18n.js';
import { formatMs } from '../../util.js';
import { AngerCurve, angerWord } from '../anger.jsx';
import { CardHead } from '../briefs.jsx';
import { authorName, cardSteps, Clock, ConfirmButton, ErrorText, scaleLabel } from '../common.jsx';
import { PausedBanner } from '../Participant.jsx';
import { CardNotes } from '../CardNotes.jsx';
import { useCommand } from './command.jsx';
import { LiveAggregate } from '../LiveAggregate.jsx';

export function LivePanel({ conn }) {
  const { state } = conn;
  const round = conn.round;
  const { scale } = state.deck;
  const steps = cardSteps(state);
  const paused = state.phase === 'paused';
  const { error, busy, run } = useCommand(conn);
  const marks = [...round.marks].sort((a, b) => b.t_ms - a.t_ms);
  const label = (key) => (steps.find((s) => s.key === key) || {}).label || key;
  // role-play time still left now (0 without a set duration): ending asks first then
  const timeLeft = () => (round.clock.duration_s ? Math.max(0, round.clock.duration_s * 1000 - conn.elapsedMs()) : 0);
  return (
    <section class="stack" data-testid="console-live">
      <CardHead round={round} conn={conn} level={2} />
      <PausedBanner conn={conn} />
      <div class="live-controls">
        <Clock conn={conn} size="big" />
        <div class="action-row">
          {paused ? (
            <button type="button" class="btn btn-primary" disabled={busy} onClick={() => run('resume_round')} data-testid="resume" data-main-action>
              {t('console.resume')}
            </button>
          ) : (
            <button type="button" class="btn" disabled={busy} onClick={() => run('pause_round')} data-testid="pause" data-main-action>
              {t('console.pause')}
            </button>
          )}
          <ConfirmButton
            label={t('console.end')}
            question={() => t('console.end_q', { time: formatMs(timeLeft() + 999) })}
            confirmLabel={t('console.end_yes')}
            ask={() => timeLeft() > 0}
            onConfirm={() => run('end_roleplay')}
            class="btn btn-primary"
            confirmClass="btn btn-primary"
            disabled={busy}
            testid="end"
          />
        </div>
      </div>
      <ErrorText error={error} />
      <CardNotes card={round.card} lang={state.deck.language} open />
      <div class="live-grid">
        <section aria-labelledby="curve-h" class="live-curve">
          <h3 id="curve-h">
            {t('console.anger')}{' '}
            <span class="anger-now" data-testid="console-anger">
              {round.temperature}
            </span>
            <span class="muted">/10 · {angerWord(round.temperature)}</span>
          </h3>
          <AngerCurve round={round} elapsedMs={conn.elapsedMs()} marks={round.marks} />
        </section>
        {round.live ? (
          // a fishbowl: the audience's marks as counts, no feed of names
          <section class="feed">
            <LiveAggregate state={state} live={round.live} />
          </section>
        ) : (
          <section aria-labelledby="feed-h" class="feed">
            <h3 id="feed-h">{t('console.feed', { count: marks.length })}</h3>
            <ul class="step-tally">
              {steps.map((s) => {
                const n = round.marks.filter((m) => m.step === s.key).length;
                return (
                  <li key={s.key} class={n ? '' : 'muted'}>
                    {s.label}: <strong>{n}</strong>
                  </li>
                );
              })}
            </ul>
            {marks.length === 0 ? (
              <p class="muted">{t('console.feed_empty')}</p>
            ) : (
              <ol class="marks feed-list" aria-live="polite" data-testid="feed">
                {marks.map((m) => (
                  <li class="mark" key={`${m.author}-${m.id}`}>
                    <span class="mark-time">{formatMs(m.t_ms)}</span>
                    <span class="mark-who">{authorName(conn, m.author)}</span>
                    <span class="mark-step">{label(m.step)}</span>
                    <span class="mark-rating">{scaleLabel(scale, m.rating)}</span>
                    {m.note && <span class="mark-note">{m.note}</span>}
                  </li>
                ))}
              </ol>
            )}
          </section>
        )}
      </div>
    </section>
  );
}

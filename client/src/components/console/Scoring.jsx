// Scoring: the check-in, who has finished, the facilitator's scores and the reveal.
import { t } from '../../i18n.js';
import { CardHead } from '../briefs.jsx';
import { cardSteps, ErrorText, RoleBadge } from '../common.jsx';
import { Results } from '../results.jsx';
import { FinalScores } from '../scoring.jsx';
import { useDeck } from '../Debrief.jsx';
import { AftercarePage, CheckInPanel, notScored, RevealButton } from '../Aftercare.jsx';
import { scoringLeft } from '../../projector.js';
import { useCommand } from './command.jsx';
import { LiveAggregate } from '../LiveAggregate.jsx';

export function ScoringPanel({ conn }) {
  const { state } = conn;
  const round = conn.round;
  const steps = cardSteps(state);
  const { error, busy, run } = useCommand(conn);
  // a fishbowl counts its observers' scores (round.live); no row per person
  const observers = round.live ? [] : state.participants.filter((p) => p.role === 'observer');
  const players = state.participants.filter((p) => p.role === 'customer' || p.role === 'agent');
  const reflected = new Set((round.reflections || []).map((r) => r.author));
  const deck = useDeck(state.deck.id, conn.code);
  return (
    <section class="stack" data-testid="console-scoring">
      <CardHead round={round} conn={conn} level={2} />
      <CheckInPanel conn={conn} deck={deck} />
      <div class="action-row" data-main-action>
        <RevealButton conn={conn} busy={busy} onReveal={() => run('reveal_results')} />
        <span class="muted">{t('console.reveal_hint')}</span>
      </div>
      <ErrorText error={error} />
      <AftercarePage deck={deck} />
      {round.live && <LiveAggregate state={state} live={round.live} scores />}
      <h3>{t('console.progress')}</h3>
      <table class="progress-table">
        <thead>
          <tr>
            <th scope="col">{t('console.who')}</th>
            <th scope="col">{t('console.task')}</th>
            <th scope="col">{t('console.status')}</th>
          </tr>
        </thead>
        <tbody>
          {observers.map((p) => {
            const done = steps.filter((s) => round.scores.some((sc) => sc.author === p.id && sc.step === s.key)).length;
            const global = round.global_ratings[p.id];
            return (
              <tr key={p.id}>
                <th scope="row">{p.name}</th>
                <td>{t('console.scores_task')}</td>
                <td>
                  {t('scoring.progress', { done, total: steps.length })}
                  {global ? ` · ${t('scoring.global_done')}` : ''}
                </td>
              </tr>
            );
          })}
          {players.map((p) => (
            <tr key={p.id}>
              <th scope="row">{p.name}</th>
              <td>
                {t('console.reflect_task')} (<RoleBadge role={p.role} />)
              </td>
              <td>{reflected.has(p.id) ? t('console.done') : t('console.not_yet')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <FinalScores conn={conn} facilitator />
      <details class="brief-details">
        <summary>{t('console.scores_so_far')}</summary>
        {round.live ? (
          // a fishbowl's scores come as counts (round.live); its results are the reveal's
          <p data-testid="scores-so-far-count">
            {scoringLeft(state).count ? notScored(scoringLeft(state)) : t('console.all_scored')}{' '}
            {t('console.scoring_now', { count: round.live.scoring || 0 })}
          </p>
        ) : (
          <Results conn={conn} showReflections headingLevel={3} />
        )}
      </details>
    </section>
  );
}

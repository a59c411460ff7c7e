// The briefing: both briefs and the rubric, and the button that begins the role-play.
import { t } from '../../i18n.js';
import { AgentBrief, CardHead, CustomerBrief, Rubric } from '../briefs.jsx';
import { cardSteps, ErrorText } from '../common.jsx';
import { CardNotes } from '../CardNotes.jsx';
import { useCommand } from './command.jsx';

export function BriefingPanel({ conn }) {
  const { state } = conn;
  const round = conn.round;
  const { error, busy, run } = useCommand(conn);
  return (
    <section class="stack" data-testid="console-briefing">
      <CardHead round={round} conn={conn} />
      <div class="action-row">
        <button type="button" class="btn btn-primary btn-big" disabled={busy} onClick={() => run('begin_roleplay')} data-testid="begin" data-main-action>
          {t('console.begin')}
        </button>
        <span class="muted">{t('console.begin_hint')}</span>
      </div>
      <ErrorText error={error} />
      <CardNotes card={round.card} lang={state.deck.language} open />
      <div class="brief-columns">
        <details class="brief-details" open>
          <summary>{t('brief.customer_title')}</summary>
          <CustomerBrief lang={conn.state.deck.language} brief={round.card.customer} />
        </details>
        <details class="brief-details" open>
          <summary>{t('brief.agent_title')}</summary>
          <AgentBrief lang={conn.state.deck.language} brief={round.card.agent} />
        </details>
      </div>
      <details class="brief-details">
        <summary>{t('rubric.title')}</summary>
        <Rubric deck={state.deck} steps={cardSteps(state)} />
      </details>
    </section>
  );
}

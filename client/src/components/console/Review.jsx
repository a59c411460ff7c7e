// After the reveal: the results, the reflections and the next round.
import { t } from '../../i18n.js';
import { Reflections, Results } from '../results.jsx';
import { useDeck } from '../Debrief.jsx';
import { AftercarePage } from '../Aftercare.jsx';
import { StartRound } from './Lobby.jsx';

export function OpenDebrief({ onDebrief }) {
  return (
    <div class="open-debrief">
      <button type="button" class="btn btn-primary" onClick={onDebrief} data-testid="open-debrief" data-main-action>
        {t('console.open_debrief')}
      </button>
      <span class="muted">{t('console.open_debrief_hint')}</span>
    </div>
  );
}

export function ReviewPanel({ conn, cards, onDebrief }) {
  const deck = useDeck(conn.state.deck.id, conn.code);
  return (
    <section class="stack" data-testid="console-review">
      <OpenDebrief onDebrief={onDebrief} />
      <AftercarePage deck={deck} />
      <Results conn={conn} headingLevel={2} />
      <Reflections conn={conn} />
      <StartRound conn={conn} cards={cards} />
    </section>
  );
}

// The cards of a deck to pick one from, each with its number of problems;
// add, copy, move and remove cards.
import { t } from '../../i18n.js';
import { addCard, duplicateCard, moveCard, removeCard } from '../../studio/deckEdits.js';
import { countUnder } from '../../studio/paths.js';
import { ConfirmButton } from '../common.jsx';
import { MoveButtons, useEditor } from './fields.jsx';

export function CardList({ selected, onSelect, readOnly = false }) {
  const { deck, update, problems } = useEditor();
  const cards = deck.cards || [];
  const card = cards[selected];
  const name = card ? card.title || card.id : '';
  const add = () => {
    update((d) => addCard(d));
    onSelect(cards.length);
  };
  return (
    <nav class="sf-cardlist" aria-label={t('studio.cards')}>
      <ol class="sf-cardpicks">
        {cards.map((c, i) => {
          const n = countUnder(problems, `cards[${i}]`);
          return (
            <li key={i}>
              <button
                type="button"
                class={`sf-cardpick${n ? ' has-problems' : ''}`}
                aria-current={i === selected ? 'true' : undefined}
                onClick={() => onSelect(i)}
                data-testid={`card-pick-${i}`}
              >
                <span class="sf-cardno">{i + 1}</span> <span lang={deck.language}>{c.title || t('studio.untitled')}</span>
                {n > 0 && <span class="badge badge-critical">{t('studio.problems', { count: n })}</span>}
              </button>
            </li>
          );
        })}
      </ol>
      {!readOnly && (
      <div class="sf-cardactions">
        <button type="button" class="btn btn-small btn-primary" onClick={add} data-testid="card-add">
          {t('studio.add_card')}
        </button>
        {card && (
          <>
            <button type="button" class="btn btn-small" onClick={() => (update((d) => duplicateCard(d, selected)), onSelect(selected + 1))}>
              {t('studio.duplicate_card')}
            </button>
            <MoveButtons
              idPrefix="card-move"
              index={selected}
              count={cards.length}
              what={name}
              onMove={(a, b) => {
                update((d) => moveCard(d, a, b));
                onSelect(b);
              }}
            />
            {cards.length > 1 && (
              <ConfirmButton
                label={t('studio.remove_card')}
                question={t('studio.remove_card_q', { name })}
                confirmLabel={t('studio.remove')}
                class="btn btn-small btn-danger"
                testid="card-remove"
                onConfirm={() => {
                  update((d) => removeCard(d, selected));
                  onSelect(Math.max(0, selected - 1));
                }}
              />
            )}
          </>
        )}
      </div>
      )}
    </nav>
  );
}

// The facilitator's side of a deck (issue 15): a card's notes and variants in
// the briefing and the role-play, the deck's introduction in the lobby. They
// come from the facilitator's own state (card notes) or the full deck, which
// only the facilitator's key can fetch: participants never get them.
import { t } from '../i18n.js';
import { List } from './common.jsx';

// Plain text from a deck: blank lines part paragraphs.
export function Paragraphs({ text, lang }) {
  if (!text) return null;
  return String(text)
    .split(/\n\s*\n/)
    .map((p, i) => (
      <p key={i} lang={lang}>
        {p}
      </p>
    ));
}

const NOTE_FIELDS = ['learning_goal', 'turning_point', 'meter', 'scene_ends'];

export function hasCardNotes(card) {
  const notes = card && card.facilitator;
  return !!((notes && Object.keys(notes).length) || (card && card.variants && card.variants.length));
}

// `open`: unfolded at first (the briefing, where there is time to read).
export function CardNotes({ card, lang, open = false }) {
  if (!hasCardNotes(card)) return null;
  const notes = card.facilitator || {};
  const variants = card.variants || [];
  return (
    <details class="brief-details facilitator-notes" open={open} data-testid="card-notes">
      <summary>{t('notes.title')}</summary>
      <p class="muted small">{t('notes.private')}</p>
      <dl class="notes-list">
        {NOTE_FIELDS.filter((k) => notes[k]).map((k) => (
          <div key={k} class={`note note-${k}`} data-note={k}>
            <dt>{t(`notes.${k}`)}</dt>
            <dd lang={lang}>{notes[k]}</dd>
          </div>
        ))}
        {notes.model_phrases && notes.model_phrases.length > 0 && (
          <div class="note note-model_phrases" data-note="model_phrases">
            <dt>{t('notes.model_phrases')}</dt>
            <dd>
              <List items={notes.model_phrases} lang={lang} class="model-phrases" />
            </dd>
          </div>
        )}
      </dl>
      {variants.length > 0 && (
        <div class="variants" data-testid="card-variants">
          <p class="label">{t('notes.variants', { count: variants.length })}</p>
          <p class="muted small">{t('notes.variants_hint')}</p>
          <ul class="variant-list">
            {variants.map((v) => (
              <li key={v.id} data-variant={v.id}>
                <strong lang={lang}>{v.title}</strong>
                <span lang={lang}> — {v.customer}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </details>
  );
}

// The deck's opening for the facilitator, folded away in the lobby.
export function DeckIntroduction({ deck }) {
  const intro = deck && deck.facilitator && deck.facilitator.introduction;
  if (!intro) return null;
  return (
    <details class="brief-details facilitator-intro" data-testid="deck-introduction">
      <summary>{t('notes.introduction')}</summary>
      <p class="muted small">{t('notes.private')}</p>
      <Paragraphs text={intro} lang={deck.language} />
    </details>
  );
}

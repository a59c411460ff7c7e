// The deck as a whole: title, id, language, description, the scale and its
// labels, and the facilitator's introduction and after-care page.
import { t } from '../../i18n.js';
import { setScaleLabel } from '../../studio/deckEdits.js';
import { fieldId } from '../../studio/paths.js';
import { NumberField, Problems, SelectField, TextField, TextList, useEditor } from './fields.jsx';

export const DECK_LANGUAGES = ['nl', 'en'];

function ScaleLabels() {
  const { deck, update, problems } = useEditor();
  const { min, max } = deck.scale || {};
  const values = [];
  if (Number.isInteger(min) && Number.isInteger(max) && max >= min && max - min <= 20) for (let v = min; v <= max; v += 1) values.push(v);
  const messages = problems.get('scale.labels') || [];
  return (
    <fieldset class="sf-list" id={fieldId('scale.labels')} aria-describedby={messages.length ? `${fieldId('scale.labels')}-problems` : undefined}>
      <legend>{t('studio.scale_labels')}</legend>
      <Problems id={`${fieldId('scale.labels')}-problems`} messages={messages} path="scale.labels" />
      <div class="sf-row">
        {values.map((v) => {
          const path = `scale.labels.${v}`;
          const id = fieldId(path);
          const own = problems.get(path) || [];
          return (
            <div class="sf-field sf-label" key={v}>
              <label for={id}>{t('studio.scale_point', { n: v })}</label>
              <input
                type="text"
                id={id}
                lang={deck.language}
                value={(deck.scale.labels || {})[String(v)] || ''}
                aria-invalid={own.length ? 'true' : undefined}
                aria-describedby={own.length ? `${id}-problems` : undefined}
                onInput={(e) => update((d) => setScaleLabel(d, v, e.currentTarget.value))}
              />
              <Problems id={`${id}-problems`} messages={own} path={path} />
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

export function DeckForm({ isNew }) {
  const { deck } = useEditor();
  return (
    <div class="sf-form" data-testid="deck-form">
      <section class="sf-section" aria-labelledby="sf-deck-h">
        <h2 id="sf-deck-h">{t('studio.deck_section')}</h2>
        <TextField path="title" label={t('studio.f.title')} />
        {isNew ? (
          <TextField path="id" label={t('studio.f.id')} hint={t('studio.id_hint')} code />
        ) : (
          <p class="muted small">
            {t('studio.f.id')}: <code>{deck.id}</code>
          </p>
        )}
        <SelectField path="language" label={t('studio.f.language')} options={DECK_LANGUAGES.map((l) => ({ value: l, label: t(`studio.lang.${l}`) }))} />
        <TextField path="description" label={t('studio.f.description')} hint={t('studio.description_hint')} optional rows={5} />
      </section>
      <section class="sf-section" aria-labelledby="sf-scale-h">
        <h2 id="sf-scale-h">{t('studio.scale')}</h2>
        <p class="muted small">{t('studio.scale_hint')}</p>
        <div class="sf-row">
          <NumberField path="scale.min" label={t('studio.f.scale_min')} />
          <NumberField path="scale.max" label={t('studio.f.scale_max')} />
        </div>
        <ScaleLabels />
      </section>
      <section class="sf-section" aria-labelledby="sf-intro-h">
        <h2 id="sf-intro-h">{t('studio.facilitator_section')}</h2>
        <p class="muted small">{t('studio.facilitator_private')}</p>
        <TextField path="facilitator.introduction" label={t('studio.f.introduction')} optional rows={6} />
        <TextList path="facilitator.aftercare.check_in" label={t('studio.f.check_in')} optional />
        <TextList path="facilitator.aftercare.guidance" label={t('studio.f.guidance')} optional />
        <TextField path="facilitator.aftercare.when_shaken" label={t('studio.f.when_shaken')} optional rows={4} />
      </section>
    </div>
  );
}

// What only the facilitator reads on a card (notes, variants) and the
// look-fors narrowed for this card.
import { t } from '../../i18n.js';
import { cardScores, moveListItem, removeListItem, setField, uniqueName } from '../../studio/deckEdits.js';
import { fieldId } from '../../studio/paths.js';
import { MoveButtons, Problems, TextField, TextList, useEditor } from './fields.jsx';

function Variants({ index }) {
  const { deck, update, problems } = useEditor();
  const card = deck.cards[index];
  const variants = card.variants || [];
  const path = `cards[${index}].variants`;
  const add = () =>
    update((d) => {
      const c = d.cards[index];
      const list = c.variants || [];
      return setField(d, path, [...list, { id: uniqueName('variant', list.map((v) => v.id)), title: '', customer: '' }]);
    });
  return (
    <fieldset class="sf-list" id={fieldId(path)}>
      <legend>{t('studio.f.variants')}</legend>
      <small class="sf-hint">{t('studio.variants_hint')}</small>
      <Problems id={`${fieldId(path)}-problems`} messages={problems.get(path) || []} path={path} />
      <ol class="sf-items sf-variants">
        {variants.map((v, j) => {
          const what = v.title || v.id;
          return (
            <li key={j} class="sf-variant">
              <div class="sf-row">
                <TextField path={`${path}[${j}].title`} label={t('studio.f.variant_title')} class="sf-grow" />
                <TextField path={`${path}[${j}].id`} label={t('studio.f.variant_id')} code />
              </div>
              <TextField path={`${path}[${j}].customer`} label={t('studio.f.variant_customer')} rows={2} />
              <MoveButtons index={j} count={variants.length} what={what} idPrefix={`${fieldId(path)}-move`} onMove={(a, b) => update((d) => moveListItem(d, path, a, b))} />{' '}
              <button type="button" class="btn btn-small btn-quiet" onClick={() => update((d) => removeListItem(d, path, j, { optional: true }))}>
                {t('studio.remove_variant', { what })}
              </button>
            </li>
          );
        })}
      </ol>
      {variants.length < 4 && (
        <button type="button" class="btn btn-small" onClick={add}>
          {t('studio.add_variant')}
        </button>
      )}
    </fieldset>
  );
}

function LookFors({ index }) {
  const { deck, update, problems } = useEditor();
  const card = deck.cards[index];
  const narrowed = card.look_fors || {};
  const path = `cards[${index}].look_fors`;
  const steps = (deck.steps || []).filter((s) => cardScores(card, s.key) || narrowed[s.key]);
  const orphans = Object.keys(narrowed).filter((k) => !steps.some((s) => s.key === k));
  return (
    <div class="sf-lookfors" id={fieldId(path)}>
      <h3>{t('studio.f.look_fors')}</h3>
      <p class="muted small">{t('studio.look_fors_hint')}</p>
      <Problems id={`${fieldId(path)}-problems`} messages={problems.get(path) || []} path={path} />
      {[...steps.map((s) => s.key), ...orphans].map((key) => {
        const step = (deck.steps || []).find((s) => s.key === key);
        const name = (step && step.label) || key;
        const keyPath = `${path}.${key}`;
        if (!narrowed[key]) {
          return (
            <p key={key}>
              <button type="button" class="btn btn-small btn-quiet" onClick={() => update((d) => setField(d, keyPath, ['', '']))}>
                {t('studio.narrow', { name })}
              </button>
            </p>
          );
        }
        return (
          <div key={key} class="sf-narrowed">
            <TextList path={keyPath} label={t('studio.narrowed_for', { name })} />
            <button type="button" class="btn btn-small btn-quiet" onClick={() => update((d) => setField(d, keyPath, undefined, { optional: true }))}>
              {t('studio.unnarrow', { name })}
            </button>
          </div>
        );
      })}
    </div>
  );
}

export function CardExtras({ index }) {
  const p = `cards[${index}].facilitator`;
  return (
    <section class="sf-section sf-facilitator" aria-labelledby="sf-notes-h">
      <h2 id="sf-notes-h">{t('studio.notes_section')}</h2>
      <p class="muted small">{t('studio.facilitator_private')}</p>
      <TextField path={`${p}.learning_goal`} label={t('notes.learning_goal')} optional rows={2} />
      <TextField path={`${p}.turning_point`} label={t('notes.turning_point')} optional rows={2} />
      <TextList path={`${p}.model_phrases`} label={t('notes.model_phrases')} optional />
      <TextField path={`${p}.meter`} label={t('notes.meter')} optional rows={2} />
      <TextField path={`${p}.scene_ends`} label={t('notes.scene_ends')} optional rows={2} />
      <Variants index={index} />
      <LookFors index={index} />
    </section>
  );
}

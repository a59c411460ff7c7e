// One card: what everyone reads, the customer's and the agent's briefs, the
// steps it is scored on, and (CardExtras) what only the facilitator reads.
import { t } from '../../i18n.js';
import { cardScores, toggleCardStep } from '../../studio/deckEdits.js';
import { fieldId } from '../../studio/paths.js';
import { CardExtras } from './CardExtras.jsx';
import { NumberField, Problems, SelectField, TextField, TextList, useEditor } from './fields.jsx';

// The deck format's channels (domain/deck.py CHANNELS).
export const CHANNELS = ['phone', 'counter', 'chat', 'email', 'review', 'social', 'home', 'shop_floor', 'hospitality', 'street', 'transport', 'other'];

function CardSteps({ index }) {
  const { deck, update, problems } = useEditor();
  const card = deck.cards[index];
  const path = `cards[${index}].steps`;
  const id = fieldId(path);
  const messages = [...(problems.get(path) || []), ...(card.steps || []).flatMap((_, j) => problems.get(`${path}[${j}]`) || [])];
  return (
    <fieldset class="sf-list" id={id} aria-describedby={messages.length ? `${id}-problems` : `${id}-hint`}>
      <legend>{t('studio.f.card_steps')}</legend>
      <small class="sf-hint" id={`${id}-hint`}>
        {t('studio.card_steps_hint')}
      </small>
      <Problems id={`${id}-problems`} messages={messages} path={path} />
      <ul class="sf-checks">
        {(deck.steps || []).map((s) => (
          <li key={s.key}>
            <label>
              <input type="checkbox" checked={cardScores(card, s.key)} onChange={(e) => update((d) => toggleCardStep(d, index, s.key, e.currentTarget.checked))} />{' '}
              <span lang={deck.language}>{s.label || s.key}</span>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

export function CardForm({ index }) {
  const { deck } = useEditor();
  const card = deck.cards[index];
  if (!card) return null;
  const p = `cards[${index}]`;
  return (
    <div class="sf-form sf-card" data-testid="card-form">
      <section class="sf-section" aria-labelledby="sf-card-h">
        <h2 id="sf-card-h">
          {t('studio.card_n', { n: index + 1 })}: <span lang={deck.language}>{card.title || t('studio.untitled')}</span>
        </h2>
        <div class="sf-row">
          <TextField path={`${p}.title`} label={t('studio.f.card_title')} class="sf-grow" />
          <TextField path={`${p}.id`} label={t('studio.f.card_id')} hint={t('studio.card_id_hint')} code />
        </div>
        <div class="sf-row">
          <SelectField path={`${p}.difficulty`} label={t('studio.f.difficulty')} numeric options={[1, 2, 3].map((n) => ({ value: n, label: t('round.difficulty', { n }) }))} />
          <SelectField path={`${p}.channel`} label={t('studio.f.channel')} optional options={CHANNELS.map((c) => ({ value: c, label: t(`studio.channel.${c}`) }))} />
          <NumberField path={`${p}.play_minutes`} label={t('studio.f.play_minutes')} optional min={1} max={30} />
        </div>
        <TextField path={`${p}.setting`} label={t('studio.f.setting')} hint={t('studio.setting_hint')} rows={3} />
      </section>
      <section class="sf-section sf-customer" aria-labelledby="sf-customer-h">
        <h2 id="sf-customer-h">{t('studio.customer_brief')}</h2>
        <p class="muted small">{t('studio.customer_private')}</p>
        <TextField path={`${p}.customer.persona`} label={t('studio.f.persona')} rows={3} />
        <TextField path={`${p}.customer.situation`} label={t('studio.f.situation')} rows={4} />
        <TextField path={`${p}.customer.opening_line`} label={t('studio.f.opening_line')} rows={2} />
        <NumberField path={`${p}.customer.start_temperature`} label={t('studio.f.start_temperature')} hint={t('studio.temperature_hint')} min={0} max={10} />
        <TextList path={`${p}.customer.escalates_when`} label={t('studio.f.escalates_when')} />
        <TextList path={`${p}.customer.calms_when`} label={t('studio.f.calms_when')} />
        <TextField path={`${p}.customer.wants`} label={t('studio.f.wants')} rows={2} />
      </section>
      <section class="sf-section sf-agent" aria-labelledby="sf-agent-h">
        <h2 id="sf-agent-h">{t('studio.agent_brief')}</h2>
        <p class="muted small">{t('studio.agent_private')}</p>
        <TextField path={`${p}.agent.briefing`} label={t('studio.f.briefing')} rows={4} />
        <TextList path={`${p}.agent.may_offer`} label={t('studio.f.may_offer')} />
        <TextList path={`${p}.agent.may_not`} label={t('studio.f.may_not')} />
      </section>
      <section class="sf-section" aria-labelledby="sf-scored-h">
        <h2 id="sf-scored-h">{t('studio.scored')}</h2>
        <CardSteps index={index} />
      </section>
      <CardExtras index={index} />
    </div>
  );
}

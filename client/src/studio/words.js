// Validator paths in the reader's words (studio.* and notes.* in the locales).
import { t } from '../i18n.js';
import { trail } from './paths.js';

// field names whose words live under another key than studio.f.<name>
const WORDS = {
  steps: 'studio.trail.steps',
  cards: 'studio.trail.cards',
  variants: 'studio.trail.variants',
  customer: 'studio.customer_brief',
  agent: 'studio.agent_brief',
  facilitator: 'studio.facilitator_section',
  aftercare: 'studio.trail.aftercare',
  scale: 'studio.scale',
  labels: 'studio.scale_labels',
  min: 'studio.f.scale_min',
  max: 'studio.f.scale_max',
  key: 'studio.f.step_key',
  label: 'studio.f.step_label',
  learning_goal: 'notes.learning_goal',
  turning_point: 'notes.turning_point',
  model_phrases: 'notes.model_phrases',
  meter: 'notes.meter',
  scene_ends: 'notes.scene_ends',
};

export function pathWords(path) {
  const parts = trail(path);
  return parts
    .map((p, i) => {
      const inCard = i > 0 && parts[i - 1].name === 'cards';
      const key = p.name === 'steps' && inCard ? 'studio.f.card_steps' : WORDS[p.name] || `studio.f.${p.name}`;
      const word = t(key, { defaultValue: p.name });
      return p.n === undefined ? word : t('studio.trail.item', { what: word, n: p.n });
    })
    .join(' › ');
}

// A validator problem in the reader's language: its code and parameters
// (studio.problem.<code>), or the server's English message for a problem
// without a code or a code this client has no text for.
export function problemText(p) {
  if (!p || !p.code) return p ? p.message : '';
  const params = {};
  for (const [k, v] of Object.entries(p.params || {})) {
    params[k] = p.code === 'parity' ? parityValue(v) : Array.isArray(v) ? v.join(', ') : k === 'other' ? pathWords(v) : v;
  }
  return t(`studio.problem.${p.code}`, { ...params, defaultValue: p.message });
}

// a value two decks differ in (parity): a list, a number or name, or nothing
function parityValue(v) {
  if (Array.isArray(v)) return `[${v.join(', ')}]`;
  if (v === null || v === undefined) return t('studio.none');
  if (typeof v === 'boolean') return v ? '✓' : '–';
  return v;
}

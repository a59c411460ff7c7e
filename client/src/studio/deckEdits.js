// Editing operations on a deck as plain data (the format of decks/*.yaml).
// Every function returns a new deck and leaves its input alone. Keys and ids
// are what rooms, results and the other language's deck hold on to: a label
// changes freely, a step key changes only through renameStepKey, which takes
// the cards along.
import { getIn, parsePath, setIn } from './paths.js';

export function moveItem(list, from, to) {
  if (from === to || from < 0 || from >= list.length || to < 0 || to >= list.length) return list;
  const copy = list.slice();
  const [item] = copy.splice(from, 1);
  copy.splice(to, 0, item);
  return copy;
}

// `base`, or `base-2`, `base-3`, … (sep "_" for step keys): the first one not taken.
export function uniqueName(base, taken, sep = '-') {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n += 1) if (!used.has(`${base}${sep}${n}`)) return `${base}${sep}${n}`;
}

// What a number field holds: whole numbers as numbers, anything else as typed
// (the validator then names the problem), nothing as undefined.
export function numberValue(text) {
  const s = String(text === undefined || text === null ? '' : text).trim();
  if (s === '') return undefined;
  return /^-?\d+$/.test(s) ? Number(s) : s;
}

// Set a field. `optional`: an empty value removes the key, and a block
// (facilitator notes, aftercare) left with nothing in it goes too.
export function setField(deck, path, value, { optional = false } = {}) {
  const parts = parsePath(path);
  const empty = value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
  let next = setIn(deck, parts, optional && empty ? undefined : value);
  if (optional && empty) next = pruneEmptyBlocks(next, parts.slice(0, -1));
  return next;
}

function pruneEmptyBlocks(deck, parts) {
  let next = deck;
  for (let end = parts.length; end > 0; end -= 1) {
    const at = parts.slice(0, end);
    const v = getIn(next, at);
    if (typeof at[at.length - 1] === 'number') break; // list items stay
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) next = setIn(next, at, undefined);
    else break;
  }
  return next;
}

// Lists of texts (look-fors, escalates_when, may_offer, …).
export function addListItem(deck, path, text = '') {
  return setIn(deck, path, [...(getIn(deck, path) || []), text]);
}
export function removeListItem(deck, path, index, { optional = false } = {}) {
  const list = (getIn(deck, path) || []).filter((_, i) => i !== index);
  return setField(deck, path, list, { optional });
}
export function moveListItem(deck, path, from, to) {
  return setIn(deck, path, moveItem(getIn(deck, path) || [], from, to));
}

// --- the scale ---------------------------------------------------------------
export function setScaleLabel(deck, value, text) {
  const labels = { ...((deck.scale && deck.scale.labels) || {}) };
  if (text === '' || text === undefined) delete labels[String(value)];
  else labels[String(value)] = text;
  return { ...deck, scale: { ...deck.scale, labels } };
}

// --- the rubric --------------------------------------------------------------
export function stepKeys(deck) {
  return (deck.steps || []).map((s) => s.key);
}

export function addStep(deck, label = '') {
  const key = uniqueName('step', stepKeys(deck), '_');
  return { ...deck, steps: [...(deck.steps || []), { key, label, look_for: [''], critical: false }] };
}

export function moveStep(deck, from, to) {
  return { ...deck, steps: moveItem(deck.steps || [], from, to) };
}

// A step goes, and with it every card's mention of it: in `steps` (a card
// left with none then scores every step again, as a card without the list
// does) and in `look_fors`.
export function removeStep(deck, index) {
  const key = deck.steps[index] && deck.steps[index].key;
  const steps = deck.steps.filter((_, i) => i !== index);
  return { ...deck, steps, cards: (deck.cards || []).map((c) => mapCardKey(c, key, undefined)) };
}

// The key of a step, changed everywhere the deck names it.
export function renameStepKey(deck, index, key) {
  const old = deck.steps[index] && deck.steps[index].key;
  const steps = deck.steps.map((s, i) => (i === index ? { ...s, key } : s));
  if (old === key || stepKeys(deck).filter((k) => k === old).length > 1) return { ...deck, steps };
  return { ...deck, steps, cards: (deck.cards || []).map((c) => mapCardKey(c, old, key)) };
}

function mapCardKey(card, from, to) {
  let next = card;
  if (Array.isArray(card.steps) && card.steps.includes(from)) {
    const list = to === undefined ? card.steps.filter((k) => k !== from) : card.steps.map((k) => (k === from ? to : k));
    next = { ...next, steps: list };
    if (!list.length) delete next.steps;
  }
  if (card.look_fors && from in card.look_fors) {
    const look = {};
    for (const [k, v] of Object.entries(card.look_fors)) {
      if (k !== from) look[k] = v;
      else if (to !== undefined) look[to] = v;
    }
    next = { ...next, look_fors: look };
    if (!Object.keys(look).length) delete next.look_fors;
  }
  return next;
}

// --- cards -------------------------------------------------------------------
export function blankCard(deck) {
  return {
    id: uniqueName('card', (deck.cards || []).map((c) => c.id)),
    title: '',
    difficulty: 1,
    setting: '',
    customer: { persona: '', situation: '', opening_line: '', start_temperature: 5, escalates_when: [''], calms_when: [''], wants: '' },
    agent: { briefing: '', may_offer: [], may_not: [] },
  };
}

export function addCard(deck, card = blankCard(deck)) {
  return { ...deck, cards: [...(deck.cards || []), card] };
}
export function removeCard(deck, index) {
  return { ...deck, cards: deck.cards.filter((_, i) => i !== index) };
}
export function moveCard(deck, from, to) {
  return { ...deck, cards: moveItem(deck.cards, from, to) };
}
export function duplicateCard(deck, index) {
  const card = deck.cards[index];
  const copy = { ...JSON.parse(JSON.stringify(card)), id: uniqueName(card.id, deck.cards.map((c) => c.id)) };
  const cards = deck.cards.slice();
  cards.splice(index + 1, 0, copy);
  return { ...deck, cards };
}

// Whether a rubric step is scored on a card (no list: every step is).
export function cardScores(card, key) {
  return !Array.isArray(card.steps) || card.steps.includes(key);
}

// Turn one step on or off for a card, keeping the rubric's order; every step
// on again means no list at all. Narrowed look-fors of a step turned off go.
export function toggleCardStep(deck, index, key, on) {
  const all = stepKeys(deck);
  const card = deck.cards[index];
  const current = Array.isArray(card.steps) ? card.steps : all;
  const wanted = new Set(on ? [...current, key] : current.filter((k) => k !== key));
  const next = { ...card, steps: all.filter((k) => wanted.has(k)) };
  if (next.steps.length === all.length) delete next.steps;
  if (!on && next.look_fors && key in next.look_fors) {
    next.look_fors = { ...next.look_fors };
    delete next.look_fors[key];
    if (!Object.keys(next.look_fors).length) delete next.look_fors;
  }
  const cards = deck.cards.slice();
  cards[index] = next;
  return { ...deck, cards };
}

// --- whole decks -------------------------------------------------------------
export function blankDeck({ id, language = 'en', title = '' } = {}) {
  const deck = {
    id,
    title,
    language,
    scale: { min: 0, max: 3, labels: {} },
    steps: [{ key: 'listen', label: '', look_for: [''], critical: false }],
    cards: [],
  };
  return addCard(deck);
}

// A short id from a title: lower case, a-z 0-9 and -, at most 60.
export function slug(text, fallback = 'deck') {
  const s = String(text || '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return s.length >= 3 ? s : fallback;
}

// The id of a deck's copy in another language: `-nl` becomes `-en`, or the
// language is added.
export function otherId(id, from, to) {
  const re = new RegExp(`-${from}$`);
  return re.test(id) ? id.replace(re, `-${to}`) : `${id.slice(0, 60 - to.length - 1)}-${to}`;
}

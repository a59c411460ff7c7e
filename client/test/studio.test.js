import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { countUnder, fieldId, formatPath, getIn, groupProblems, isUnder, locate, parsePath, positionPath, setIn, stablePath } from '../src/studio/paths.js';
import { draftStore, isChanged } from '../src/studio/drafts.js';
import { EndLanguage, InLanguage, t } from '../src/i18n.js';
import {
  addCard,
  addStep,
  blankDeck,
  cardScores,
  duplicateCard,
  moveItem,
  moveStep,
  numberValue,
  otherId,
  removeListItem,
  removeStep,
  renameStepKey,
  setField,
  setScaleLabel,
  slug,
  toggleCardStep,
  uniqueName,
} from '../src/studio/deckEdits.js';

function memoryStorage() {
  const items = new Map();
  return {
    get length() {
      return items.size;
    },
    key: (i) => [...items.keys()][i] ?? null,
    getItem: (k) => (items.has(k) ? items.get(k) : null),
    setItem: (k, v) => items.set(k, String(v)),
    removeItem: (k) => items.delete(k),
  };
}

const deck = () => ({
  id: 'my-deck',
  title: 'Mine',
  language: 'en',
  scale: { min: 0, max: 3, labels: { 0: 'not done', 3: 'skilled' } },
  steps: [
    { key: 'listen', label: 'Listen', look_for: ['a'], critical: false },
    { key: 'empathy', label: 'Empathy', look_for: ['b'], critical: false },
    { key: 'solve', label: 'Solve', look_for: ['c'], critical: true },
  ],
  cards: [
    { id: 'one', title: 'One', steps: ['listen', 'solve'], look_fors: { solve: ['x', 'y'] } },
    { id: 'two', title: 'Two' },
  ],
});

describe('validator paths', () => {
  it('parse into names and indexes, both ways', () => {
    expect(parsePath('cards[2].customer.start_temperature')).toEqual(['cards', 2, 'customer', 'start_temperature']);
    expect(parsePath('cards.2.customer.escalates_when.1')).toEqual(['cards', 2, 'customer', 'escalates_when', 1]);
    expect(formatPath(parsePath('cards.2.customer.escalates_when.1'))).toBe('cards[2].customer.escalates_when[1]');
    expect(parsePath('facilitator._schema')).toEqual(['facilitator']);
  });
  it('keep scale label keys as the names they are', () => {
    expect(parsePath('scale.labels.0')).toEqual(['scale', 'labels', '0']);
    expect(getIn(deck(), 'scale.labels.0')).toBe('not done');
  });
  it('give each field a DOM id of safe characters, the same from either spelling', () => {
    expect(fieldId('cards[2].customer.start_temperature')).toBe('sf-cards-2-customer-start_temperature');
    expect(fieldId('cards.2.customer.start_temperature')).toBe(fieldId(['cards', 2, 'customer', 'start_temperature']));
    expect(fieldId('cards[0].look_fors.my key')).toMatch(/^[A-Za-z0-9_-]+$/);
  });
  it('group problems by field and count them per part of the deck', () => {
    const g = groupProblems([
      { path: 'cards[1].title', message: 'must be 1 to 120 characters' },
      { path: 'cards.1.customer.start_temperature', message: 'must be between 0 and 10' },
      { path: 'cards[10].id', message: 'bad' },
      { path: 'steps[0].key', message: 'bad' },
    ]);
    expect(g.get('cards[1].customer.start_temperature')).toEqual(['must be between 0 and 10']);
    expect(countUnder(g, 'cards[1]')).toBe(2); // not cards[10]
    expect(countUnder(g, 'cards')).toBe(3);
    expect(countUnder(g, '')).toBe(4);
    expect(isUnder('cards[10].id', 'cards[1]')).toBe(false);
  });
  it('say which tab and card edit a path', () => {
    expect(locate('cards[3].agent.briefing')).toEqual({ tab: 'cards', card: 3 });
    expect(locate('steps[0].label')).toEqual({ tab: 'rubric' });
    expect(locate('scale.max')).toEqual({ tab: 'deck' });
  });
  it('set and remove values without touching the original', () => {
    const d = deck();
    const e = setIn(d, 'cards[1].customer.start_temperature', 11);
    expect(e.cards[1].customer).toEqual({ start_temperature: 11 });
    expect(d.cards[1].customer).toBeUndefined();
    expect(setIn(d, 'cards[0]', undefined).cards.map((c) => c.id)).toEqual(['two']);
  });
});

describe('deck edits', () => {
  it('move items up, down and by drag, and refuse moves off the end', () => {
    expect(moveItem([1, 2, 3], 0, 2)).toEqual([2, 3, 1]);
    expect(moveItem([1, 2, 3], 2, 1)).toEqual([1, 3, 2]);
    const list = [1, 2];
    expect(moveItem(list, 0, 5)).toBe(list);
    expect(moveStep(deck(), 2, 0).steps.map((s) => s.key)).toEqual(['solve', 'listen', 'empathy']);
  });
  it('rename a step key everywhere the cards name it; a label alone keeps the key', () => {
    const d = renameStepKey(deck(), 2, 'find_solution');
    expect(d.steps[2].key).toBe('find_solution');
    expect(d.cards[0].steps).toEqual(['listen', 'find_solution']);
    expect(d.cards[0].look_fors).toEqual({ find_solution: ['x', 'y'] });
    const l = setField(deck(), 'steps[2].label', 'Find a solution together');
    expect(l.steps[2].key).toBe('solve');
    expect(l.cards).toEqual(deck().cards);
  });
  it('remove a step from the rubric and from every card', () => {
    const d = removeStep(deck(), 2);
    expect(d.steps.map((s) => s.key)).toEqual(['listen', 'empathy']);
    expect(d.cards[0].steps).toEqual(['listen']);
    expect(d.cards[0].look_fors).toBeUndefined();
  });
  it('add steps and cards with keys and ids not taken yet', () => {
    const d = addStep(addStep(deck()));
    expect(d.steps.slice(-2).map((s) => s.key)).toEqual(['step', 'step_2']);
    const c = addCard(addCard(deck()));
    expect(c.cards.slice(-2).map((x) => x.id)).toEqual(['card', 'card-2']);
    expect(duplicateCard(deck(), 0).cards.map((x) => x.id)).toEqual(['one', 'one-2', 'two']);
    expect(uniqueName('a', ['a', 'a-2'])).toBe('a-3');
  });
  it('turn steps on and off per card; all on again means no list', () => {
    let d = toggleCardStep(deck(), 1, 'empathy', false);
    expect(d.cards[1].steps).toEqual(['listen', 'solve']);
    expect(cardScores(d.cards[1], 'empathy')).toBe(false);
    d = toggleCardStep(d, 1, 'empathy', true);
    expect(d.cards[1].steps).toBeUndefined();
    d = toggleCardStep(deck(), 0, 'solve', false);
    expect(d.cards[0].steps).toEqual(['listen']);
    expect(d.cards[0].look_fors).toBeUndefined(); // its narrowed look-fors went with it
    d = toggleCardStep(deck(), 0, 'empathy', true);
    expect(d.cards[0].steps).toBeUndefined();
  });
  it('optional fields and blocks leave the deck when emptied', () => {
    let d = setField(deck(), 'cards[0].facilitator.learning_goal', 'calm first', { optional: true });
    expect(d.cards[0].facilitator).toEqual({ learning_goal: 'calm first' });
    d = setField(d, 'cards[0].facilitator.learning_goal', '', { optional: true });
    expect('facilitator' in d.cards[0]).toBe(false);
    expect(setField(deck(), 'description', '', { optional: true })).not.toHaveProperty('description');
    expect(setField(deck(), 'title', '').title).toBe(''); // required: the validator says so
    d = removeListItem(setField(deck(), 'cards[1].variants', [{ id: 'v1' }]), 'cards[1].variants', 0, { optional: true });
    expect(d.cards[1]).not.toHaveProperty('variants');
  });
  it('number fields pass whole numbers and keep anything else for the validator', () => {
    expect(numberValue('11')).toBe(11);
    expect(numberValue(' -2 ')).toBe(-2);
    expect(numberValue('')).toBeUndefined();
    expect(numberValue('7.5')).toBe('7.5');
  });
  it('scale labels are set and removed by value', () => {
    expect(setScaleLabel(deck(), 1, 'weak').scale.labels).toEqual({ 0: 'not done', 1: 'weak', 3: 'skilled' });
    expect(setScaleLabel(deck(), 0, '').scale.labels).toEqual({ 3: 'skilled' });
  });
  it('a blank deck has one step and one card to fill in', () => {
    const d = blankDeck({ id: 'new-deck', language: 'nl' });
    expect(d.steps).toHaveLength(1);
    expect(d.cards).toHaveLength(1);
    expect(d.cards[0].customer.start_temperature).toBe(5);
    expect(slug('De boze klánt!')).toBe('de-boze-klant');
    expect(slug('?')).toBe('deck');
  });
});

describe('drafts', () => {
  it('survive a new page until saved or discarded', () => {
    const storage = memoryStorage();
    const a = draftStore(storage, () => 42);
    a.save('my-deck', { deck: deck(), base_version: 3 });
    const b = draftStore(storage);
    expect(b.load('my-deck')).toEqual({ deck: deck(), base_version: 3, is_new: false, saved_ms: 42 });
    expect(b.list()).toEqual(['my-deck']);
    b.discard('my-deck');
    expect(b.load('my-deck')).toBeNull();
  });
  it('ignore what is not a draft, and work without storage', () => {
    const storage = memoryStorage();
    storage.setItem('calmroom.studio.draft.x', '{not json');
    storage.setItem('calmroom.studio.draft.y', '{"deck": 3}');
    storage.setItem('calmroom.lang', 'nl');
    const s = draftStore(storage);
    expect(s.load('x')).toBeNull();
    expect(s.load('y')).toBeNull();
    const none = draftStore(null);
    expect(none.save('z', { deck: deck() }).deck.id).toBe('my-deck');
    expect(none.load('z')).toBeNull();
    const full = { ...memoryStorage(), setItem: () => { throw new Error('quota'); } };
    expect(() => draftStore(full).save('z', { deck: deck() })).not.toThrow();
  });
  it('tell a changed deck from one only reordered in its keys', () => {
    const d = deck();
    const same = { cards: d.cards, steps: d.steps, scale: d.scale, language: 'en', title: 'Mine', id: 'my-deck' };
    expect(isChanged(d, same)).toBe(false);
    expect(isChanged(d, setField(d, 'title', 'Other'))).toBe(true);
  });
});

describe('the default decks', () => {
  it('keep their keys through a rename and back', () => {
    const text = readFileSync(new URL('../../decks/angry-customer-en.yaml', import.meta.url), 'utf8');
    const keys = [...text.matchAll(/^ {2}- key: (\S+)/gm)].map((m) => m[1]);
    const d = { steps: keys.map((key) => ({ key })), cards: [{ id: 'c', steps: keys.slice(0, 2) }] };
    const back = renameStepKey(renameStepKey(d, 0, 'tmp_key'), 0, keys[0]);
    expect(back).toEqual(d);
  });
});

describe('the other language', () => {
  it('names the copy after its language', () => {
    expect(otherId('balie-nl', 'nl', 'en')).toBe('balie-en');
    expect(otherId('balie', 'nl', 'en')).toBe('balie-en');
    expect(otherId('x'.repeat(60), 'nl', 'en')).toHaveLength(60);
  });
  it('draws a preview in the deck language between its marks, and only there', () => {
    expect(t('studio.save')).toBe('Save');
    InLanguage({ lang: 'nl' });
    expect(t('brief.your_brief')).toBe(t('brief.your_brief', { lng: 'nl' }));
    expect(t('studio.save')).toBe('Opslaan');
    EndLanguage();
    expect(t('studio.save')).toBe('Save');
    InLanguage({ lang: 'de' }); // no such page language: the page's own
    expect(t('studio.save')).toBe('Save');
    EndLanguage();
  });
});

describe('paths in words', () => {
  it('number list items from 1 and name the fields', async () => {
    const { trail } = await import('../src/studio/paths.js');
    expect(trail('cards[14].customer.start_temperature')).toEqual([{ name: 'cards', n: 15 }, { name: 'customer' }, { name: 'start_temperature' }]);
    expect(trail('scale.labels.0')).toEqual([{ name: 'scale' }, { name: 'labels' }, { name: '0' }]);
  });
  it('say where a problem is in the words of the form', async () => {
    const { pathWords } = await import('../src/studio/words.js');
    expect(pathWords('cards[14].customer.start_temperature')).toBe("Card 15 › The customer's brief › Start temperature");
    expect(pathWords('cards[0].steps[1]')).toBe('Card 1 › Steps that apply 2');
    expect(pathWords('steps[2].label')).toBe('Step 3 › Label');
    expect(pathWords('cards[0].facilitator.learning_goal')).toBe('Card 1 › For the facilitator › Learning goal');
    expect(pathWords('something_new')).toBe('something_new');
  });
});

describe('stable paths', () => {
  const deck = {
    title: 'T',
    steps: [{ key: 'listen', look_for: ['a', 'b'] }, { key: 'calm', look_for: ['c'] }],
    cards: [{ id: 'one', setting: 's1', variants: [{ id: 'v', title: 'x' }] }, { id: 'two', setting: 's2' }],
  };
  it('names cards and variants by id, steps by key, lines of a list by place', () => {
    expect(stablePath(deck, 'cards[1].setting')).toBe('cards[id=two].setting');
    expect(stablePath(deck, 'cards[0].variants[0].title')).toBe('cards[id=one].variants[id=v].title');
    expect(stablePath(deck, 'steps[0].look_for[1]')).toBe('steps[key=listen].look_for[1]');
    expect(stablePath(deck, 'title')).toBe('title');
    expect(stablePath(deck, 'cards[5].setting')).toBe(null);
  });
  it('follows a card that moved', () => {
    const moved = { ...deck, cards: [deck.cards[1], deck.cards[0]] };
    expect(stablePath(moved, 'cards[0].setting')).toBe(stablePath(deck, 'cards[1].setting'));
  });
  it('finds where a stable path is now', () => {
    const moved = { ...deck, cards: [deck.cards[1], deck.cards[0]] };
    expect(positionPath(moved, stablePath(deck, 'cards[0].variants[0].title'))).toBe('cards[1].variants[0].title');
    expect(positionPath(moved, 'steps[key=calm].look_for[0]')).toBe('steps[1].look_for[0]');
    expect(positionPath(moved, 'cards[id=gone].setting')).toBe(null);
  });
  it('uses places where ids repeat (a deck being edited)', () => {
    const twice = { ...deck, cards: [deck.cards[0], deck.cards[0]] };
    expect(stablePath(twice, 'cards[1].setting')).toBe('cards[1].setting');
  });
});

describe('problems in the reader\'s language', () => {
  it('words a coded problem from its code and parameters, and falls back to the message', async () => {
    const { problemText } = await import('../src/studio/words.js');
    InLanguage({ lang: 'nl' });
    const p = { path: 'cards[0].customer.start_temperature', message: 'must be between 0 and 10', code: 'number_range', params: { min: 0, max: 10 } };
    expect(problemText(p)).toBe('moet een getal van 0 tot en met 10 zijn');
    expect(problemText({ ...p, code: 'one_of', params: { allowed: ['phone', 'chat'] } })).toBe('moet een van deze zijn: phone, chat');
    expect(problemText({ path: 'x', message: 'something new', code: 'not_known_here', params: {} })).toBe('something new');
    expect(problemText({ path: 'x', message: 'plain' })).toBe('plain');
    const parity = { path: 'cards', message: 'the card ids is [a, b] here but [a] in other-deck', code: 'parity', params: { here: ['a', 'b'], there: ['a'], other: 'other-deck' } };
    expect(problemText(parity)).toBe('is hier [a, b], maar [a] in other-deck');
    expect(problemText({ ...parity, params: { here: 'chat', there: null, other: 'x' } })).toBe('is hier chat, maar (geen) in x');
    InLanguage({ lang: 'en' });
    expect(problemText(p)).toBe('must be a number from 0 to 10');
    EndLanguage();
  });
});

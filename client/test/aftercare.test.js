import { describe, expect, it } from 'vitest';
import { checkInQuestions, checkInRows, DEFAULT_CHECK_IN, findCard, isShaken, missing, narrowSteps, needsCare } from '../src/aftercare.js';
import en from '../src/locales/en.json';

const state = (reflections) => ({
  participants: [
    { id: 'a', name: 'Ann' },
    { id: 'b', name: 'Bob' },
    { id: 'c', name: 'Cas' },
  ],
  round: { customer: 'a', agent: 'b', reflections },
});

describe('the after-care check-in', () => {
  it('lists the customer and the agent, not the observers', () => {
    const rows = checkInRows(state([]));
    expect(rows.map((r) => [r.role, r.name, r.status])).toEqual([
      ['customer', 'Ann', 'missing'],
      ['agent', 'Bob', 'missing'],
    ]);
  });

  it('calls 1 and 2 shaken, 3 and up fine', () => {
    expect([1, 2, 3, 4, 5].map(isShaken)).toEqual([true, true, false, false, false]);
    expect(isShaken(null)).toBe(false);
    const rows = checkInRows(state([{ author: 'a', feeling: 2 }, { author: 'b', feeling: 4 }]));
    expect(rows.map((r) => [r.feeling, r.status])).toEqual([
      [2, 'shaken'],
      [4, 'ok'],
    ]);
  });

  it('needs the guidance while anyone is shaken or has not checked in', () => {
    expect(needsCare(checkInRows(state([{ author: 'a', feeling: 5 }])))).toBe(true);
    expect(needsCare(checkInRows(state([{ author: 'a', feeling: 5 }, { author: 'b', feeling: 1 }])))).toBe(true);
    expect(needsCare(checkInRows(state([{ author: 'a', feeling: 5 }, { author: 'b', feeling: 3 }])))).toBe(false);
  });

  it('names who has not checked in, also a player who left', () => {
    const s = state([{ author: 'b', feeling: 3 }]);
    s.participants = s.participants.filter((p) => p.id !== 'a');
    const gone = missing(checkInRows(s));
    expect(gone.map((r) => [r.role, r.name, r.present])).toEqual([['customer', null, false]]);
  });

  it('asks the deck\'s questions, in the deck\'s language', () => {
    const q = checkInQuestions(['Hoe gaat het nu?'], (k) => k, 'nl');
    expect(q).toEqual({ items: ['Hoe gaat het nu?'], lang: 'nl', own: true });
  });

  it('runs with general questions when the deck has no after-care page', () => {
    const translate = (key) => key.split('.').reduce((o, k) => o[k], en);
    for (const none of [undefined, null, []]) {
      const q = checkInQuestions(none, translate, 'en');
      expect(q.own).toBe(false);
      expect(q.lang).toBe(null);
      expect(q.items).toHaveLength(DEFAULT_CHECK_IN.length);
      expect(q.items[0]).toBe('How are you now, apart from the role?');
    }
  });

  it('has nothing to check before the first round', () => {
    expect(checkInRows({ participants: [] })).toEqual([]);
  });
});

describe('cards and their narrowed look-fors', () => {
  const steps = [
    { key: 'listen', look_for: ['general listen'] },
    { key: 'distance', look_for: ['stays behind the counter'] },
  ];

  it('replace only the steps the card narrows', () => {
    const out = narrowSteps(steps, { distance: ['keeps a table between them'] });
    expect(out.map((s) => s.look_for)).toEqual([['general listen'], ['keeps a table between them']]);
    expect(steps[1].look_for).toEqual(['stays behind the counter']);
  });

  it('keep the rubric without narrowed look-fors', () => {
    expect(narrowSteps(steps, undefined)).toBe(steps);
    expect(narrowSteps(steps, { listen: [] })[0].look_for).toEqual(['general listen']);
  });

  it('are found by id in the full deck', () => {
    const deck = { cards: [{ id: 'x', title: 'X' }, { id: 'y', title: 'Y' }] };
    expect(findCard(deck, 'y').title).toBe('Y');
    expect(findCard(deck, 'z')).toBe(null);
    expect(findCard(null, 'y')).toBe(null);
  });
});

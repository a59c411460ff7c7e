import { describe, expect, it } from 'vitest';
import i18next from 'i18next';
import { aliasName, nameInResults, nameInState } from '../src/names.js';
import { observersDone } from '../src/projector.js';

// An anonymous room shows participants observers as the round's aliases.
describe('observer aliases', () => {
  const state = { participants: [{ id: 'p1', name: 'Ann' }] };
  it('names an alias "Observer n", in both languages', async () => {
    expect(nameInState(state, 'observer-2')).toBe('Observer 2');
    expect(nameInResults('observer-1', null)).toBe('Observer 1');
    await i18next.changeLanguage('nl');
    try {
      expect(nameInState(state, 'observer-3')).toBe('Observator 3');
    } finally {
      await i18next.changeLanguage('en');
    }
  });
  it('is no alias for ids and names that only look alike', () => {
    expect(aliasName('observer-')).toBe(null);
    expect(aliasName('p1')).toBe(null);
    expect(nameInState(state, 'p1')).toBe('Ann');
  });
  it('names nobody for a time-out the room does not name', () => {
    expect(nameInState(state, null)).toBe('someone');
    expect(nameInResults(null, null)).toBe('someone');
  });
});

describe('a fishbowl on the projector', () => {
  it('counts the observers done from the server aggregate, not from scores it no longer gets', () => {
    const state = {
      participants: [],
      round: { card: { steps: ['listen'] }, customer: 'b', agent: 'a', scores: [], live: { scored: 12, observers: 40 } },
    };
    expect(observersDone(state)).toEqual({ done: 12, total: 40 });
  });
});

import { describe, expect, it } from 'vitest';
import i18next from 'i18next';
import { nameInResults, nameInState } from '../src/names.js';

const state = {
  participants: [{ id: 'p1', name: 'Ann' }],
  former: [{ id: 'p2', name: 'Bram' }],
};

describe('nameInState', () => {
  it('names someone in the room by their name', () => {
    expect(nameInState(state, 'p1')).toBe('Ann');
  });
  it('names someone who left by their name, marked as left', () => {
    expect(nameInState(state, 'p2')).toBe('Bram (left)');
  });
  it('says the same in Dutch', async () => {
    await i18next.changeLanguage('nl');
    try {
      expect(nameInState(state, 'p2')).toBe('Bram (vertrokken)');
    } finally {
      await i18next.changeLanguage('en');
    }
  });
  it('names the facilitator by role', () => {
    expect(nameInState(state, 'facilitator')).toBe('Facilitator');
  });
  it('falls back only when there is no name at all', () => {
    expect(nameInState(state, 'p9')).toBe('someone who left');
    expect(nameInState({ participants: [] }, 'p2')).toBe('someone who left');
    expect(nameInState(null, 'p1')).toBe('someone who left');
  });
});

describe('nameInResults', () => {
  it('uses the name the results carry, whether or not they left', () => {
    expect(nameInResults('p2', 'Bram')).toBe('Bram');
  });
  it('names the facilitator by role and the unnamed as someone who left', () => {
    expect(nameInResults('facilitator', 'facilitator')).toBe('Facilitator');
    expect(nameInResults('p9', null)).toBe('someone who left');
  });
});

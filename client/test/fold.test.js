import { describe, expect, it } from 'vitest';
import { advances, foldMember, foldState, lostBefore } from '../src/fold.js';

const ann = { id: 'a1', name: 'Ann', connected: true, role: 'observer' };
const bob = { id: 'b2', name: 'Bob', connected: true, role: 'observer' };

function state(version, extra = {}) {
  return { version, code: 'ABCDEF', phase: 'lobby', participants: [ann], ...extra };
}

describe('the gap rule', () => {
  it('a participant sees no loss in a version jump over blind facts', () => {
    // marks 11 and 12 went to the facilitator only; the next shared change names 10
    expect(lostBefore({ version: 13, prev: 10 }, 10, false)).toBe(false);
  });

  it('a participant detects a lost shared event from prev', () => {
    expect(lostBefore({ version: 13, prev: 11 }, 10, false)).toBe(true);
  });

  it('after a sync past blind facts, an older prev is no loss', () => {
    expect(lostBefore({ version: 15, prev: 12 }, 14, false)).toBe(false);
  });

  it('the anger meter carries the last shared version: newer than ours is a loss, and it moves nothing', () => {
    expect(lostBefore({ version: 10, level: 3, t_ms: 5 }, 10, false)).toBe(false);
    expect(lostBefore({ version: 11, level: 3, t_ms: 5 }, 10, false)).toBe(true);
    expect(advances({ version: 11, level: 3, t_ms: 5 }, false)).toBe(false);
    expect(advances({ version: 11, prev: 10 }, false)).toBe(true);
  });

  it('the facilitator sees every version: a skipped one is a loss', () => {
    expect(lostBefore({ version: 11, mark: {} }, 10, true)).toBe(false);
    expect(lostBefore({ version: 12, mark: {} }, 10, true)).toBe(true);
    expect(advances({ version: 12, mark: {} }, true)).toBe(true);
  });
});

describe('membership deltas', () => {
  it('a join adds, a presence change marks, a leave removes', () => {
    let s = state(5);
    s = foldMember(s, 'participant_joined', { version: 6, prev: 5, participant: bob });
    expect(s.participants.map((p) => p.name)).toEqual(['Ann', 'Bob']);
    expect(s.version).toBe(6);
    s = foldMember(s, 'presence_changed', { version: 7, prev: 6, participant: 'b2', connected: false });
    expect(s.participants.find((p) => p.id === 'b2').connected).toBe(false);
    s = foldMember(s, 'participant_left', { version: 8, prev: 7, participant: 'a1', reason: 'kicked' });
    expect(s.participants.map((p) => p.id)).toEqual(['b2']);
  });

  it('someone who leaves is still named: their name moves to former, and a later state keeps it', () => {
    let s = state(5, { participants: [ann, bob] });
    s = foldMember(s, 'participant_left', { version: 6, prev: 5, participant: 'a1', reason: 'kicked' });
    expect(s.former).toEqual([{ id: 'a1', name: 'Ann' }]);
    const next = foldState(s, { version: 7, prev: 6, phase: 'review', round: null }, 'b2');
    expect(next.former).toEqual([{ id: 'a1', name: 'Ann' }]);
  });

  it('a delta older than the state changes nothing (our join ack already had us)', () => {
    const s = state(6, { participants: [ann, bob] });
    expect(foldMember(s, 'participant_joined', { version: 6, prev: 5, participant: bob })).toBe(s);
    expect(foldMember(s, 'participant_left', { version: 4, prev: 3, participant: 'a1' })).toBe(s);
  });
});

describe('a fishbowl: the players, us, and counts', () => {
  it('a headcount sets the counts, also after a player delta of the same version', () => {
    let s = state(5, { participants: [ann], headcount: { people: 1, observers: 1, online: 1 } });
    s = foldMember(s, 'headcount', { version: 9, prev: 5, people: 40, observers: 38, online: 30 });
    expect(s.headcount).toEqual({ people: 40, observers: 38, online: 30 });
    expect(s.version).toBe(9);
    expect(foldMember(s, 'headcount', { version: 9, prev: 8, people: 39, observers: 37, online: 30 }).headcount.people).toBe(39);
    expect(foldMember(s, 'headcount', { version: 8, prev: 7, people: 2, observers: 1, online: 1 })).toBe(s);
  });

  it('a phase change lists the players only: we stay on our list', () => {
    const s = state(5, { participants: [ann], headcount: { people: 3, observers: 3, online: 3 } });
    const round = { id: 1, customer: 'b2', agent: 'c3', marks: [], scores: [], global_ratings: {} };
    const players = [{ ...bob, role: 'customer' }, { id: 'c3', name: 'Cor', connected: true, role: 'agent' }];
    const next = foldState(s, { version: 6, prev: 5, phase: 'briefing', round, participants: players, headcount: { people: 3, observers: 1, online: 1 } }, 'a1');
    expect(next.participants.map((p) => p.name)).toEqual(['Bob', 'Cor', 'Ann']);
    expect(next.you).toEqual({ id: 'a1', name: 'Ann', role: 'observer' });
  });
});

describe('the observers’ shared state', () => {
  const round = (extra = {}) => ({ id: 3, revealed: false, marks: [], scores: [], global_ratings: {}, ...extra });

  it('keeps our own marks, scores and rating, and gives us our role', () => {
    const mine = { id: 'm1', author: 'a1', step: 'listen', rating: 2, note: null, t_ms: 10 };
    const old = state(9, { you: { id: 'a1', name: 'Ann', role: 'observer' },
      round: round({ marks: [mine], scores: [{ author: 'a1', step: 'listen', rating: 2, comment: null }], global_ratings: { a1: 4 } }) });
    const shared = { ...state(12, { phase: 'scoring', round: round() }), prev: 9 };
    const s = foldState(old, shared, 'a1');
    expect(s.prev).toBeUndefined();
    expect(s.you).toEqual({ id: 'a1', name: 'Ann', role: 'observer' });
    expect(s.phase).toBe('scoring');
    expect(s.round.marks).toEqual([mine]);
    expect(s.round.scores).toHaveLength(1);
    expect(s.round.global_ratings).toEqual({ a1: 4 });
  });

  it('a new round or a revealed one starts from what the server says', () => {
    const old = state(9, { round: round({ marks: [{ id: 'm1', author: 'a1' }] }) });
    expect(foldState(old, state(10, { round: round({ id: 4 }) }), 'a1').round.marks).toEqual([]);
    const all = [{ id: 'm1', author: 'a1' }, { id: 'm2', author: 'b2' }];
    expect(foldState(old, state(10, { round: round({ revealed: true, marks: all }) }), 'a1').round.marks).toEqual(all);
  });

  it('a personal state (with you) is taken as it is', () => {
    const personal = state(10, { you: { id: 'a1', name: 'Ann', role: 'customer' }, round: round() });
    const old = state(9, { round: round({ marks: [{ id: 'm1', author: 'a1' }] }) });
    expect(foldState(old, personal, 'a1')).toEqual(personal);
  });
});

describe('a broadcast state without the deck and the people', () => {
  it('keeps ours and gives everyone the role the round says', () => {
    const deck = { id: 'd', steps: [] };
    const old = state(5, { deck, participants: [ann, bob, { id: 'c3', name: 'Cas', connected: false, role: null }] });
    const broadcast = { version: 6, prev: 5, code: 'ABCDEF', phase: 'briefing', locked: false,
      round: { id: 1, customer: 'b2', agent: 'c3', revealed: false, marks: [], scores: [], global_ratings: {} } };
    const s = foldState(old, broadcast, 'a1');
    expect(s.deck).toBe(deck);
    expect(s.participants.map((p) => [p.name, p.role, p.connected])).toEqual([
      ['Ann', 'observer', true], ['Bob', 'customer', true], ['Cas', 'agent', false]]);
    expect(s.you.role).toBe('observer');
  });
});

describe('the reveal waits for: names, or counts in a fishbowl', () => {
  it('a fishbowl counts from round.live', async () => {
    const { scoringLeft } = await import('../src/projector.js');
    const live = { observers: 1000, scored: 688, scoring: 40, marks: 0, steps: [] };
    const s = state(5, { round: { card: { steps: ['listen'] }, scores: [], live } });
    expect(scoringLeft(s)).toEqual({ count: 312, total: 1000, scoring: 40, names: null });
    const plain = state(5, { participants: [ann, bob], round: { card: { steps: ['listen'] }, scores: [{ author: 'a1', step: 'listen' }] } });
    expect(scoringLeft(plain)).toEqual({ count: 1, total: null, scoring: null, names: ['Bob'] });
  });
});

describe('a fishbowl broadcast keeps the deck', () => {
  it('a state with the players but no deck keeps ours', () => {
    const s = state(5, { deck: { id: 'd', language: 'en' }, participants: [ann], headcount: { people: 2, observers: 2, online: 2 } });
    const next = foldState(s, { version: 6, prev: 5, phase: 'lobby', round: null, participants: [], headcount: { people: 2, observers: 2, online: 1 } }, 'a1');
    expect(next.deck).toEqual({ id: 'd', language: 'en' });
    expect(next.participants.map((p) => p.name)).toEqual(['Ann']);
  });
});

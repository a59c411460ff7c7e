import { describe, expect, it } from 'vitest';
import { initialRoom, reduce, reduceAll } from '../src/reducer.js';

// A fishbowl (docs/protocol.md `set_options`, `live_aggregate`): the
// facilitator gets the audience's marks and scores as counts, which step no
// version, so it tells a loss by `prev`, as participants do.
const deck = { id: 'd', title: 'Deck', language: 'en', scale: { min: 0, max: 3 }, steps: [{ key: 'listen' }] };
const options = (fishbowl) => ({ anonymous: false, name_timeouts: false, fishbowl, projector_live: false });
const round = { id: 7, number: 1, customer: 'b2', agent: 'c3', revealed: false, clock: { running: true, elapsed_ms: 0, duration_s: null }, marks: [], scores: [], global_ratings: {}, timeouts: [] };
const ev = (type, payload) => ({ type, payload, at: 0 });

function host(fishbowl) {
  const state = { version: 10, code: 'ABCDEF', title: 'Room', phase: 'roleplay', locked: false, options: options(fishbowl), deck, participants: [], round };
  return reduce(initialRoom('facilitator'), ev('joined', { state }));
}

const live = { round: 7, observers: 40, marks: 12, scored: 0, steps: [{ step: 'listen', marks: 12, markers: 9, mark_counts: [1, 2, 5, 4], score_counts: [0, 0, 0, 0], na: 0 }] };

describe('a fishbowl facilitator', () => {
  it('takes the live counts into the round, and they ask for no sync', () => {
    const room = reduce(host(true), ev('live_aggregate', { version: 31, ...live }));
    expect(room.state.round.live).toEqual(live);
    expect(room.lost).toBe(false);
  });

  it('ignores counts of another round', () => {
    const room = reduce(host(true), ev('live_aggregate', { version: 31, ...live, round: 6 }));
    expect(room.state.round.live).toBe(undefined);
  });

  it('tells a loss by prev: a phase change after twenty blind marks is no loss, a skipped one is', () => {
    const after = { version: 31, prev: 10, code: 'ABCDEF', title: 'Room', phase: 'paused', locked: false, options: options(true), round };
    expect(reduce(host(true), ev('state', after)).lost).toBe(false);
    expect(reduce(host(true), ev('state', { ...after, prev: 12 })).lost).toBe(true);
    // a rating (no prev) is a blind fact, not a loss
    expect(reduce(host(true), ev('global_rated', { version: 40, author: 'x', rating: 3 })).lost).toBe(false);
  });

  it('is still the facilitator who hears everything when the room is no fishbowl', () => {
    const room = reduceAll(host(false), [ev('global_rated', { version: 12, author: 'x', rating: 3 })]);
    expect(room.lost).toBe(true);
  });
});

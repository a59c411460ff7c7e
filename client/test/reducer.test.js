import { describe, expect, it } from 'vitest';
import { authorId, initialRoom, reduce, reduceAll } from '../src/reducer.js';

const ann = { id: 'a1', name: 'Ann', connected: true, role: null };
const bob = { id: 'b2', name: 'Bob', connected: true, role: null };
const cas = { id: 'c3', name: 'Cas', connected: true, role: null };
const deck = { id: 'd', title: 'Deck', language: 'en', scale: { min: 0, max: 3 }, steps: [{ key: 'listen' }] };

function whole(version, extra = {}) {
  return { version, code: 'ABCDEF', title: 'Room', phase: 'lobby', locked: false, deck, participants: [ann, bob], round: null, ...extra };
}

function round(extra = {}) {
  return {
    id: 1,
    number: 1,
    customer: 'b2',
    agent: 'c3',
    revealed: false,
    clock: { running: true, elapsed_ms: 0, duration_s: null },
    temperature: 5,
    temperatures: [],
    marks: [],
    scores: [],
    global_ratings: {},
    reflections: [],
    ...extra,
  };
}

const ev = (type, payload, at = 0) => ({ type, payload, at });

// A participant (Ann) in the room at version 10, or the facilitator.
function annAt(version = 10, extra = {}) {
  const state = whole(version, { you: { id: 'a1', name: 'Ann', role: null }, ...extra });
  return reduce(initialRoom('participant'), ev('joined', { state, you: { id: 'a1', name: 'Ann' } }, 100));
}

function hostAt(version = 10, extra = {}) {
  return reduce(initialRoom('facilitator'), ev('joined', { state: whole(version, extra) }, 100));
}

describe('a whole state from an ack', () => {
  it('is taken as it is: version, our name, the time it came', () => {
    const room = annAt(10);
    expect(room.state.participants.map((p) => p.name)).toEqual(['Ann', 'Bob']);
    expect(room.last).toBe(10);
    expect(room.stateAt).toBe(100);
    expect(room.you).toEqual({ id: 'a1', name: 'Ann' });
    expect(room.lost).toBe(false);
    expect(room.ended).toBe(null);
  });

  it('a rejoin after a reconnect starts again from the ack, even from an older version', () => {
    const room = reduce(annAt(20), ev('joined', { state: whole(18, { you: { id: 'a1', name: 'Ann', role: null } }) }));
    expect(room.last).toBe(18);
  });

  it('a participant whose room is closed is at the end; the facilitator is not', () => {
    expect(annAt(10, { phase: 'closed' }).ended).toBe('closed');
    expect(hostAt(10, { phase: 'closed' }).ended).toBe(null);
  });

  it('the facilitator writes as "facilitator", a participant as itself', () => {
    expect(authorId(hostAt())).toBe('facilitator');
    expect(authorId(annAt())).toBe('a1');
  });
});

describe('membership deltas', () => {
  it('a join adds, a presence change marks, a leave removes, each moving the version', () => {
    const room = reduceAll(annAt(10), [
      ev('participant_joined', { version: 11, prev: 10, participant: cas }),
      ev('presence_changed', { version: 12, prev: 11, participant: 'b2', connected: false }),
      ev('participant_left', { version: 13, prev: 12, participant: 'b2', reason: 'left' }),
    ]);
    expect(room.state.participants).toEqual([ann, cas]);
    expect(room.state.version).toBe(13);
    expect(room.last).toBe(13);
    expect(room.lost).toBe(false);
  });

  it('someone who leaves keeps their name: it moves to former, and later states keep it', () => {
    let room = reduce(annAt(10), ev('participant_left', { version: 11, prev: 10, participant: 'b2', reason: 'kicked' }));
    expect(room.state.former).toEqual([{ id: 'b2', name: 'Bob' }]);
    room = reduce(room, ev('state', { version: 12, prev: 11, code: 'ABCDEF', phase: 'briefing', locked: false, round: round({ customer: 'a1', agent: 'c3' }) }));
    expect(room.state.former).toEqual([{ id: 'b2', name: 'Bob' }]);
    room = reduce(room, ev('synced', { state: whole(14, { participants: [ann], you: { id: 'a1', name: 'Ann', role: 'customer' } }) }));
    expect(room.state.former).toEqual([{ id: 'b2', name: 'Bob' }]);
  });

  it('the leave of someone we never knew adds no former name', () => {
    const room = reduce(annAt(10), ev('participant_left', { version: 11, prev: 10, participant: 'zz', reason: 'left' }));
    expect(room.state.former).toBeUndefined();
    expect(room.state.participants).toEqual([ann, bob]);
  });

  it('a delta we have seen changes nothing (our own join after our join ack)', () => {
    const room = annAt(10);
    const next = reduce(room, ev('participant_joined', { version: 10, prev: 9, participant: ann }));
    expect(next).toBe(room);
  });

  it('a joined entry for someone already listed replaces it (a rejoin under the same id)', () => {
    const room = reduce(annAt(10), ev('participant_joined', { version: 11, prev: 10, participant: { ...bob, connected: false } }));
    expect(room.state.participants).toEqual([ann, { ...bob, connected: false }]);
  });

  it('a batch is folded item by item, as if each came alone', () => {
    const dan = { id: 'd4', name: 'Dan', connected: true, role: null };
    const room = reduce(
      annAt(10),
      ev('batch', {
        version: 13,
        events: [
          ['participant_joined', { version: 11, prev: 10, participant: cas }],
          ['participant_joined', { version: 12, prev: 11, participant: dan }],
          ['presence_changed', { version: 13, prev: 12, participant: 'c3', connected: false }],
          ['step_marked', { version: 14, mark: { id: 'x' } }], // not a membership event: ignored
        ],
      }),
    );
    expect(room.state.participants.map((p) => [p.name, p.connected])).toEqual([
      ['Ann', true],
      ['Bob', true],
      ['Cas', false],
      ['Dan', true],
    ]);
    expect(room.last).toBe(13);
    expect(room.lost).toBe(false);
  });

  it('a batch with a hole in its chain is a loss, and what came is still folded', () => {
    const room = reduce(
      annAt(10),
      ev('batch', {
        version: 13,
        events: [
          ['participant_joined', { version: 11, prev: 10, participant: cas }],
          ['presence_changed', { version: 13, prev: 12, participant: 'b2', connected: false }],
        ],
      }),
    );
    expect(room.lost).toBe(true);
    expect(room.state.participants.map((p) => [p.name, p.connected])).toEqual([
      ['Ann', true],
      ['Bob', false],
      ['Cas', true],
    ]);
  });
});

describe('the gap rule: when to sync', () => {
  it('a participant: a version jump over blind facts is no loss', () => {
    const room = reduce(annAt(10), ev('participant_joined', { version: 14, prev: 10, participant: cas }));
    expect(room.lost).toBe(false);
    expect(room.last).toBe(14);
  });

  it('a participant: prev above the last version seen is a loss', () => {
    const room = reduce(annAt(10), ev('presence_changed', { version: 14, prev: 12, participant: 'b2', connected: false }));
    expect(room.lost).toBe(true);
  });

  it('the loss is said once: the next event in order is not one', () => {
    let room = reduce(annAt(10), ev('state', { version: 13, prev: 12, code: 'ABCDEF', phase: 'briefing', locked: false, round: round() }));
    expect(room.lost).toBe(true);
    room = reduce(room, ev('presence_changed', { version: 14, prev: 13, participant: 'b2', connected: false }));
    expect(room.lost).toBe(false);
  });

  it('a sync’s state is never a loss, and it takes the shared view back', () => {
    const room = reduce(annAt(10), ev('synced', { state: whole(20, { you: { id: 'a1', name: 'Ann', role: null } }) }, 300));
    expect(room.lost).toBe(false);
    expect(room.last).toBe(20);
    expect(room.stateAt).toBe(300);
  });

  it('the facilitator: every version comes; one skipped is a loss', () => {
    const host = hostAt(10, { phase: 'roleplay', round: round() });
    const mark = { id: 'm1', author: 'a1', step: 'listen', rating: 2, note: null, t_ms: 1000 };
    const ok = reduce(host, ev('step_marked', { version: 11, mark }));
    expect(ok.lost).toBe(false);
    expect(ok.last).toBe(11);
    expect(reduce(ok, ev('step_scored', { version: 13, score: { author: 'a1', step: 'listen', rating: 2, comment: null } })).lost).toBe(true);
  });

  it('the anger meter carries the last shared version: newer than ours is a loss, and it moves nothing', () => {
    const room = annAt(10, { phase: 'roleplay', round: round() });
    const same = reduce(room, ev('temperature_changed', { version: 10, level: 7, t_ms: 500 }));
    expect(same.lost).toBe(false);
    expect(same.state.round.temperature).toBe(7);
    const newer = reduce(room, ev('temperature_changed', { version: 11, level: 8, t_ms: 600 }));
    expect(newer.lost).toBe(true);
    expect(newer.last).toBe(10);
  });

  it('the same version twice is no gap (a notice, then its state)', () => {
    let room = reduce(annAt(10, { phase: 'roleplay', round: round() }), ev('notice', { version: 11, prev: 10, kind: 'timeout', message: 'Bob called a time-out', by: 'b2', reason: null, t_ms: 900 }));
    room = reduce(room, ev('state', { version: 11, prev: 10, code: 'ABCDEF', phase: 'paused', locked: false, round: round({ clock: { running: false, elapsed_ms: 900, duration_s: null } }) }));
    expect(room.lost).toBe(false);
    expect(room.state.phase).toBe('paused');
  });

  it('a state older than what we have is ignored', () => {
    const room = reduce(annAt(10), ev('participant_joined', { version: 12, prev: 10, participant: cas }));
    const next = reduce(room, ev('state', { version: 11, prev: 10, code: 'ABCDEF', phase: 'briefing', locked: false, round: round() }));
    expect(next).toBe(room);
  });

  it('a broadcast state before our join’s ack is ignored: the ack counts', () => {
    const start = initialRoom('participant');
    expect(reduce(start, ev('state', { version: 3, prev: 2, code: 'ABCDEF', phase: 'lobby', locked: false, round: null }))).toBe(start);
  });
});

describe('a broadcast state', () => {
  it('keeps our deck and people and gives everyone the role the round says, and the time it came', () => {
    const room = reduce(
      annAt(10, { participants: [ann, bob, cas] }),
      ev('state', { version: 11, prev: 10, code: 'ABCDEF', title: 'Room', phase: 'briefing', locked: false, round: round() }, 250),
    );
    expect(room.state.deck).toBe(deck);
    expect(room.state.participants.map((p) => [p.name, p.role])).toEqual([
      ['Ann', 'observer'],
      ['Bob', 'customer'],
      ['Cas', 'agent'],
    ]);
    expect(room.state.you).toEqual({ id: 'a1', name: 'Ann', role: 'observer' });
    expect(room.state.prev).toBeUndefined();
    expect(room.stateAt).toBe(250);
  });

  it('the observers’ shared state keeps our own marks, scores and rating', () => {
    let room = annAt(10, { phase: 'roleplay', participants: [ann, bob, cas], round: round() });
    const mine = { id: 'm1', author: 'a1', step: 'listen', rating: 2, note: 'good', t_ms: 300 };
    room = reduceAll(room, [ev('marked', { mark: mine })]);
    room = reduce(room, ev('state', { version: 13, prev: 10, code: 'ABCDEF', phase: 'scoring', locked: false, round: round() }));
    room = reduceAll(room, [ev('scored', { score: { author: 'a1', step: 'listen', rating: 3, comment: null } }), ev('rated', { rating: 4 })]);
    room = reduce(room, ev('state', { version: 16, prev: 13, code: 'ABCDEF', phase: 'scoring', locked: true, round: round() }));
    expect(room.state.round.marks).toEqual([mine]);
    expect(room.state.round.scores).toEqual([{ author: 'a1', step: 'listen', rating: 3, comment: null }]);
    expect(room.state.round.global_ratings).toEqual({ a1: 4 });
    expect(room.state.locked).toBe(true);
  });

  it('a participant’s room that closes ends the connection', () => {
    const room = reduce(annAt(10), ev('state', { version: 11, prev: 10, code: 'ABCDEF', phase: 'closed', locked: false, round: null }));
    expect(room.ended).toBe('closed');
  });
});

describe('the facilitator’s live facts', () => {
  const host = () => hostAt(10, { phase: 'roleplay', round: round() });
  const mark = { id: 'm1', author: 'a1', step: 'listen', rating: 2, note: null, t_ms: 1000 };

  it('marks are added once (a retried mark is the same mark)', () => {
    const room = reduceAll(host(), [ev('step_marked', { version: 11, mark }), ev('step_marked', { version: 11, mark })]);
    expect(room.state.round.marks).toEqual([mark]);
  });

  it('the anger meter moves and its curve grows', () => {
    const room = reduceAll(host(), [ev('temperature_changed', { version: 10, level: 8, t_ms: 100 }), ev('temperature_changed', { version: 10, level: 6, t_ms: 200 })]);
    expect(room.state.round.temperature).toBe(6);
    expect(room.state.round.temperatures).toEqual([
      { level: 8, t_ms: 100 },
      { level: 6, t_ms: 200 },
    ]);
  });

  it('a score replaces the same author’s score of the step; ratings and reflections per author', () => {
    const room = reduceAll(host(), [
      ev('step_scored', { version: 11, score: { author: 'a1', step: 'listen', rating: 1, comment: null } }),
      ev('step_scored', { version: 12, score: { author: 'a1', step: 'listen', rating: 3, comment: 'better' } }),
      ev('step_scored', { version: 13, score: { author: 'd4', step: 'listen', rating: null, comment: null } }),
      ev('global_rated', { version: 14, author: 'a1', rating: 4 }),
      ev('reflected', { version: 15, reflection: { author: 'b2', role: 'customer', feeling: 2, felt_heard: 4, went_well: null, do_differently: null } }),
      ev('reflected', { version: 16, reflection: { author: 'b2', role: 'customer', feeling: 3, felt_heard: 4, went_well: 'x', do_differently: null } }),
    ]);
    expect(room.state.round.scores).toEqual([
      { author: 'a1', step: 'listen', rating: 3, comment: 'better' },
      { author: 'd4', step: 'listen', rating: null, comment: null },
    ]);
    expect(room.state.round.global_ratings).toEqual({ a1: 4 });
    expect(room.state.round.reflections.map((r) => [r.author, r.feeling])).toEqual([['b2', 3]]);
    expect(room.last).toBe(16);
    expect(room.lost).toBe(false);
  });

  it('the facilitator’s own rating is kept as the facilitator’s', () => {
    expect(reduce(host(), ev('rated', { rating: 5 })).state.round.global_ratings).toEqual({ facilitator: 5 });
  });

  it('facts without a round change nothing but the version', () => {
    const room = reduce(hostAt(10), ev('step_marked', { version: 11, mark }));
    expect(room.state.round).toBe(null);
    expect(room.last).toBe(11);
  });

  it('the state is not changed in place (the old room stays as it was)', () => {
    const before = host();
    reduce(before, ev('step_marked', { version: 11, mark }));
    expect(before.state.round.marks).toEqual([]);
  });
});

describe('our own writes, from their acks', () => {
  it('a reflection is ours to read back', () => {
    const reflection = { author: 'b2', role: 'customer', feeling: 3 };
    const room = reduce(annAt(10, { phase: 'scoring', round: round() }), ev('reflection_saved', { reflection }));
    expect(room.state.round.my_reflection).toEqual(reflection);
  });

  it('the customer’s own anger-meter move is on its curve', () => {
    const room = reduce(annAt(10, { phase: 'roleplay', round: round() }), ev('temperature_set', { level: 9, t_ms: 1200 }));
    expect(room.state.round.temperature).toBe(9);
    expect(room.state.round.temperatures).toEqual([{ level: 9, t_ms: 1200 }]);
    expect(room.last).toBe(10);
  });
});

describe('notices', () => {
  it('are kept, the last five, each with its own number', () => {
    let room = annAt(10);
    for (let v = 11; v <= 17; v += 1) room = reduce(room, ev('notice', { version: v, prev: v - 1, kind: 'time_up', message: 'up' }));
    expect(room.notices.map((n) => n.seq)).toEqual([3, 4, 5, 6, 7]);
    expect(room.notices.map((n) => n.version)).toEqual([13, 14, 15, 16, 17]);
    expect(room.last).toBe(17);
  });

  it('kicked ends a participant’s connection, with the ban if there is one', () => {
    const kicked = reduce(annAt(10), ev('notice', { version: 11, prev: 10, kind: 'kicked', message: 'removed' }));
    expect([kicked.ended, kicked.banned]).toEqual(['kicked', false]);
    const banned = reduce(annAt(10), ev('notice', { version: 11, prev: 10, kind: 'kicked', message: 'removed', ban: true }));
    expect([banned.ended, banned.banned]).toEqual(['kicked', true]);
  });

  it('closed ends a participant’s room but not the facilitator’s console', () => {
    const closed = { version: 11, prev: 10, kind: 'closed', message: 'closed' };
    expect(reduce(annAt(10), ev('notice', closed)).ended).toBe('closed');
    expect(reduce(hostAt(10), ev('notice', closed)).ended).toBe(null);
  });

  it('deleted ends everyone, and is no loss however far its version jumps', () => {
    const deleted = { version: 40, kind: 'deleted', message: 'deleted' };
    const room = reduce(annAt(10), ev('notice', deleted));
    expect(room.ended).toBe('deleted');
    expect(room.lost).toBe(false);
    expect(reduce(hostAt(10), ev('notice', deleted)).ended).toBe('deleted');
  });

  it('a notice after a lost one is a loss', () => {
    expect(reduce(annAt(10), ev('notice', { version: 13, prev: 12, kind: 'time_up', message: 'up' })).lost).toBe(true);
  });
});

it('an event it does not know changes nothing', () => {
  const room = annAt(10);
  expect(reduce(room, ev('room_changed', { version: 11 }))).toBe(room);
});

describe('a fishbowl: our time-out, our marks after the reveal', () => {
  it('the time-out notice that comes while we wait for our ack is ours: "you"', () => {
    let room = annAt(10, { phase: 'roleplay', round: round() });
    room = reduce(room, ev('timeout_calling', {}));
    room = reduce(room, ev('notice', { version: 11, prev: 10, kind: 'timeout', reason: null, t_ms: 4200, message: 'a time-out was called' }));
    room = reduce(room, ev('timeout_called', {}));
    expect(room.notices[room.notices.length - 1].mine).toBe(true);
    expect(room.myTimeouts).toEqual([4200]);
    // someone else's, later, is not
    room = reduce(room, ev('notice', { version: 12, prev: 11, kind: 'timeout', reason: null, t_ms: 9000, message: 'a time-out was called' }));
    expect(room.notices[room.notices.length - 1].mine).toBeUndefined();
  });

  it('after the reveal an observer keeps its own marks and scores (the shared view has none)', () => {
    const mine = { id: 'm1', author: 'a1', step: 'listen', rating: 2, note: null, t_ms: 10 };
    const fishbowl = { anonymous: false, name_timeouts: false, fishbowl: true, projector_live: false };
    let room = annAt(10, { phase: 'scoring', options: fishbowl, round: round({ marks: [mine], scores: [{ author: 'a1', step: 'listen', rating: 3, comment: null }] }) });
    const shared = { version: 11, prev: 10, code: 'ABCDEF', title: 'Room', phase: 'review', locked: false, options: fishbowl, round: round({ revealed: true }) };
    room = reduce(room, ev('state', shared));
    expect(room.state.round.marks).toEqual([mine]);
    expect(room.state.round.scores.map((s) => s.rating)).toEqual([3]);
  });
});

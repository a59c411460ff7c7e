import { describe, expect, it } from 'vitest';
import { isMovedRefusal, openRequests } from '../src/doorway.js';
import { initialRoom, reduce } from '../src/reducer.js';

const ann = { id: 'a1', name: 'Ann', connected: true, role: null };
const ev = (type, payload, at = 0) => ({ type, payload, at });

function whole(version, extra = {}) {
  return { version, code: 'ABCDEF', title: 'Room', phase: 'lobby', locked: false, participants: [ann], ...extra };
}

function annAt(version) {
  return reduce(initialRoom('participant'), ev('joined', { state: whole(version, { you: { id: 'a1', name: 'Ann', role: null } }) }));
}

describe('a move to another device', () => {
  it('the device that was left behind ends', () => {
    const room = reduce(annAt(3), ev('notice', { version: 9, kind: 'moved', message: 'm', by: 'a1' }));
    expect(room.ended).toBe('moved');
  });

  it('the device that just arrived ignores the notice of its own arrival, before or after its ack', () => {
    const notice = ev('notice', { version: 9, kind: 'moved', message: 'm', by: 'a1' });
    expect(reduce(annAt(9), notice).ended).toBe(null);
    expect(reduce(annAt(9), notice).notices).toEqual([]);
    expect(reduce(initialRoom('participant'), notice).ended).toBe(null);
  });

  it('the facilitator is told, and nothing ends', () => {
    const host = reduce(initialRoom('facilitator'), ev('joined', { state: whole(8) }));
    const room = reduce(host, ev('notice', { version: 9, kind: 'moved', message: 'm', by: 'a1' }));
    expect(room.ended).toBe(null);
    expect(room.notices.map((n) => n.kind)).toEqual(['moved']);
  });

  it('a rejoin refused as stale names the token', () => {
    expect(isMovedRefusal({ code: 'conflict', fields: { token: 'moved' } })).toBe(true);
    expect(isMovedRefusal({ code: 'conflict', message: 'the room is closed' })).toBe(false);
    expect(isMovedRefusal({ code: 'unauthorized', fields: { token: 'x' } })).toBe(false);
  });
});

describe("the facilitator's join requests", () => {
  const knock = { id: 'r1', kind: 'knock', name: 'Eve', participant: null, expires_in_ms: 1000 };
  const takeover = { id: 'r2', kind: 'takeover', name: 'Bram', participant: 'b2', expires_in_ms: 60000 };
  const host = () => reduce(initialRoom('facilitator'), ev('joined', { state: whole(8, { requests: [knock] }) }, 100));

  it('a whole state lists them; events add and close them', () => {
    let room = host();
    expect(room.requests.map((r) => r.id)).toEqual(['r1']);
    room = reduce(room, ev('join_requested', { version: 9, request: takeover }, 200));
    expect(room.requests.map((r) => r.id)).toEqual(['r1', 'r2']);
    expect(room.lost).toBe(false);
    room = reduce(room, ev('join_request_closed', { version: 10, request: 'r1', outcome: 'admitted' }));
    expect(room.requests.map((r) => r.id)).toEqual(['r2']);
    room = reduce(room, ev('synced', { state: whole(10) }));
    expect(room.requests).toEqual([]); // none waiting any more
  });

  it('a broadcast state keeps them; each stops waiting on time', () => {
    let room = host();
    room = reduce(room, ev('state', { version: 9, prev: 8, code: 'ABCDEF', title: 'Room', phase: 'briefing', locked: true }));
    expect(room.requests.map((r) => r.id)).toEqual(['r1']);
    expect(openRequests({ requests: room.requests }, 100 + 999).map((r) => r.id)).toEqual(['r1']);
    expect(openRequests({ requests: room.requests }, 100 + 1000)).toEqual([]);
  });

  it('a participant never has any', () => {
    const room = reduce(initialRoom('participant'), ev('joined', { state: whole(8, { requests: [knock] }) }));
    expect(room.requests).toEqual([]);
  });
});

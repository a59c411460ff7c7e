import { describe, expect, it } from 'vitest';
import { isMovedRefusal, movedAway, openRequests, takeRequests } from '../src/doorway.js';

function participant(extra = {}) {
  const conn = { kind: 'participant', code: 'ABCDEF', authed: true, arrivedAt: 7, status: 'ready', changes: 0, dropped: 0, ...extra };
  conn.changed = () => conn.changes++;
  conn.socket = { disconnect: () => conn.dropped++ };
  return conn;
}

describe('a move to another device', () => {
  it('the device that was left behind is told and lets go', () => {
    const old = participant({ arrivedAt: 3, token: 't' });
    expect(movedAway(old, { kind: 'moved', version: 9 })).toBe(true);
    expect(old.status).toBe('moved');
    expect(old.token).toBe(null);
    expect(old.dropped).toBe(1);
  });

  it('the device that just arrived ignores the notice of its own arrival', () => {
    const fresh = participant({ arrivedAt: 9 });
    expect(movedAway(fresh, { kind: 'moved', version: 9 })).toBe(true);
    expect(fresh.status).toBe('ready');
    const notYetIn = participant({ authed: false, arrivedAt: 0 });
    movedAway(notYetIn, { kind: 'moved', version: 9 });
    expect(notYetIn.status).toBe('ready');
  });

  it('other notices, and the facilitator, are not about moving', () => {
    expect(movedAway(participant(), { kind: 'closed', version: 9 })).toBe(false);
    expect(movedAway(participant({ kind: 'facilitator' }), { kind: 'moved', version: 9 })).toBe(false);
  });

  it('a rejoin refused as stale names the token', () => {
    expect(isMovedRefusal({ code: 'conflict', fields: { token: 'moved' } })).toBe(true);
    expect(isMovedRefusal({ code: 'conflict', message: 'the room is closed' })).toBe(false);
    expect(isMovedRefusal({ code: 'unauthorized', fields: { token: 'x' } })).toBe(false);
  });
});

describe("the facilitator's requests", () => {
  it('a whole state lists them; each stops waiting on time', () => {
    const fac = { kind: 'facilitator', requests: [] };
    const now = Date.now();
    takeRequests(fac, { participants: [], requests: [{ id: 'r1', expires_in_ms: 1000 }, { id: 'r2', expires_in_ms: 60000 }] });
    expect(openRequests(fac, now).map((r) => r.id)).toEqual(['r1', 'r2']);
    expect(openRequests(fac, now + 5000).map((r) => r.id)).toEqual(['r2']);
    takeRequests(fac, { participants: [] }); // none waiting any more
    expect(fac.requests).toEqual([]);
    takeRequests(fac, { requests: [{ id: 'r3', expires_in_ms: 5 }] }); // a broadcast state changes nothing
    expect(fac.requests).toEqual([]);
  });
});

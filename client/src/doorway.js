// Coming in other than by a plain join (docs/protocol.md, "Coming in another
// way"), for a RoomConnection:
//
// - a join under the name of an offline participant, or a knock on a locked
//   room, is a pending request: we wait for the facilitator's answer
//   (`join_answered`), then come in with `claim_request`. The request is
//   remembered, so a reload keeps waiting instead of asking again;
// - a personal rejoin code, shown on the participant's own screen, brings
//   them back on any device (`rejoin_with_code`); the device they left is
//   told it moved (`notice {kind: "moved"}`, or `rejoin` refused with
//   `conflict` and `fields.token`);
// - the facilitator keeps the requests still waiting (`requests` of a whole
//   state, `join_requested`, `join_request_closed`).
import { forgetParticipant, forgetRequest, participantSeat, rememberParticipant, rememberRequest, waitingRequest } from './storage.js';

export function listenAtTheDoor(conn, socket) {
  socket.on('join_answered', (payload) => onAnswer(conn, payload));
  socket.on('join_requested', (payload) => {
    conn.onVersion(payload);
    conn.requests = [...conn.requests.filter((r) => r.id !== payload.request.id), stamped(payload.request)];
    conn.changed();
  });
  socket.on('join_request_closed', (payload) => {
    conn.onVersion(payload);
    conn.requests = conn.requests.filter((r) => r.id !== payload.request);
    conn.changed();
  });
}

// A whole state (an ack's, a sync's) lists every request still waiting.
export function takeRequests(conn, state) {
  if (conn.kind === 'facilitator' && state && state.participants) conn.requests = (state.requests || []).map(stamped);
}

// When a request stops waiting, on this browser's clock.
function stamped(request) {
  return { ...request, until: Date.now() + request.expires_in_ms };
}

// The requests the facilitator can still answer.
export function openRequests(conn, now = Date.now()) {
  return conn.requests.filter((r) => r.until > now);
}

// The ack of `join_room`, `knock` or `claim_request`: in, waiting, or told no.
// Returns true when it was one of ours to handle.
export function onDoorAck(conn, ack) {
  if (!ack.ok || ack.token || !ack.request) return false;
  const request = { ...(waitingRequest(conn.code) || {}), ...ack.request };
  if (request.status === 'pending') {
    rememberRequest(conn.code, request);
    conn.set({ status: 'waiting', request, error: null });
  } else {
    forgetRequest(conn.code);
    conn.set({ status: request.status === 'declined' ? 'declined' : 'needName', request, error: null });
  }
  return true;
}

// In at last (a join, a claim, a code): remember the place and its code.
export function seated(conn, ack) {
  conn.token = ack.token;
  conn.you = ack.you;
  conn.request = null;
  forgetRequest(conn.code);
  rememberParticipant(conn.code, { token: ack.token, name: ack.you.name, ...(ack.rejoin_code ? { rejoin_code: ack.rejoin_code } : {}) });
  conn.rejoinCode = ack.rejoin_code || null;
  conn.arrivedAt = ack.state.version;
  conn.accept(ack.state);
}

// After a rejoin by token: the code this browser was given, or a fresh one.
export async function keepRejoinCode(conn) {
  const seat = participantSeat(conn.code);
  if (seat && seat.rejoin_code) {
    conn.rejoinCode = seat.rejoin_code;
    return conn.changed();
  }
  const ack = await conn.send('renew_rejoin_code', {});
  if (!ack.ok) return;
  conn.rejoinCode = ack.rejoin_code;
  const now = participantSeat(conn.code);
  if (now && now.token) rememberParticipant(conn.code, { ...now, rejoin_code: ack.rejoin_code });
  conn.changed();
}

export async function knock(conn, name) {
  conn.set({ status: 'joining', error: null });
  const ack = await conn.ack('knock', { room: conn.code, name });
  if (ack.ok && ack.token) return seated(conn, ack);
  if (onDoorAck(conn, ack)) return;
  conn.set({ status: 'needName', error: ack.error });
}

export async function rejoinWithCode(conn, code) {
  conn.set({ status: 'joining', error: null });
  const ack = await conn.ack('rejoin_with_code', { room: conn.code, code });
  if (ack.ok) return seated(conn, ack);
  conn.set({ status: 'needName', error: { ...ack.error, about: 'code' } });
}

// Waiting (also after a reload): where does our request stand?
export async function claim(conn) {
  const request = waitingRequest(conn.code);
  if (!request) return conn.set({ status: 'needName' });
  const ack = await conn.ack('claim_request', { room: conn.code, request: request.id, token: request.token });
  if (ack.ok && ack.token) return seated(conn, ack);
  if (onDoorAck(conn, ack)) return;
  forgetRequest(conn.code);
  conn.set({ status: 'needName', request: null, error: ack.error });
}

export async function cancelRequest(conn) {
  const request = waitingRequest(conn.code);
  forgetRequest(conn.code);
  conn.set({ status: 'needName', request: null });
  if (request) await conn.ack('cancel_request', { room: conn.code, request: request.id, token: request.token });
}

function onAnswer(conn, { request, outcome }) {
  const mine = waitingRequest(conn.code);
  if (!mine || mine.id !== request || conn.status !== 'waiting') return;
  if (outcome === 'admitted') claim(conn);
  else {
    forgetRequest(conn.code);
    conn.set({ status: 'declined' });
  }
}

// `notice {kind: "moved"}`: another device took this place (ours is not the
// one that just arrived: its ack's state already had that version).
export function movedAway(conn, notice) {
  if (notice.kind !== 'moved' || conn.kind !== 'participant') return false;
  if (!conn.authed || notice.version <= (conn.arrivedAt || 0)) return true;
  leaveForGood(conn);
  return true;
}

// `rejoin` refused because the token moved to another device.
export function isMovedRefusal(error) {
  return !!error && error.code === 'conflict' && !!(error.fields && error.fields.token);
}

export function leaveForGood(conn) {
  forgetParticipant(conn.code);
  conn.token = null;
  conn.authed = false;
  conn.status = 'moved';
  if (conn.socket) conn.socket.disconnect();
  conn.changed();
}

// Coming in other than by a plain join (docs/protocol.md, "Coming in another
// way"), for a RoomConnection:
//
// - a join under the name of an offline participant, or a knock on a locked
//   room, is a pending request: we wait for the facilitator's answer
//   (`join_answered`), then come in with `claim_request`. The request is
//   remembered, so a reload keeps waiting instead of asking again;
// - a personal rejoin code, shown on the participant's own screen, brings
//   them back on any device (`rejoin_with_code`); the device they left is
//   told it moved (`notice {kind: "moved"}`, folded by reducer.js, or
//   `rejoin` refused with `conflict` and `fields.token`);
// - the facilitator's requests still waiting are the reducer's
//   (`room.requests`); `openRequests` leaves out those past their time.
import { forgetRequest, participantSeat, rememberParticipant, rememberRequest, waitingRequest } from './storage.js';

export function listenAtTheDoor(conn, socket) {
  socket.on('join_answered', (payload) => onAnswer(conn, payload));
}

// The requests the facilitator can still answer (`now` on the page's clock).
export function openRequests(conn, now = performance.now()) {
  return conn.requests.filter((r) => r.expires_in_ms - (now - r.at) > 0);
}

// The ack of `join_room`, `knock` or `claim_request`: waiting, or told no.
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
  conn.request = null;
  forgetRequest(conn.code);
  const code = ack.rejoin_code ? { rejoin_code: ack.rejoin_code } : {};
  rememberParticipant(conn.code, { token: ack.token, name: ack.you.name, ...code });
  conn.rejoinCode = ack.rejoin_code || null;
  conn.accept(ack.state, ack.you);
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

// `rejoin` refused because the token moved to another device.
export function isMovedRefusal(error) {
  return !!error && error.code === 'conflict' && !!(error.fields && error.fields.token);
}

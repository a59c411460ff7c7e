// The room as this browser knows it, and how each thing the server says
// changes it: `reduce(room, event) -> room`, pure (no socket, no clock, no
// storage, no DOM; docs/protocol.md sections 2 and 4). connection.js does the
// talking and dispatches every server event and every ack's data here.
//
// What the reducer cannot do itself it says in the room it returns:
// - `lost`: the event just folded shows that an earlier one never came
//   (the gap rule, fold.js `lostBefore`): ask for a fresh `sync`.
// - `ended`: 'closed' (a participant's room was closed), 'kicked' (with
//   `banned`), 'deleted' or 'moved' (the participant came back on another
//   device): the connection's end, and what to remember.
//
// The facilitator's `requests` are the join requests still waiting (each
// with `at`, when we heard of it, against its `expires_in_ms`).
//
// Events are `{type, payload, at}`: `type` a server event's name (`state`,
// `participant_joined`, `participant_left`, `presence_changed`, `batch`,
// `notice`, `step_marked`, `mark_corrected`, `temperature_changed`, `step_scored`,
// `global_rated`, `reflected`, `join_requested`, `join_request_closed`, `live_aggregate`) or one of the acks' (`joined`: the whole state
// of a join_room/rejoin/host_room ack; `synced`: of a sync ack; `marked`,
// `mark_fixed`, `temperature_set`, `scored`, `rated`, `reflection_saved`: our own writes).
// `at` is the page's clock when it came (for the role-play clock), passed in.
import { MEMBERSHIP_EVENTS, advances, foldMember, foldState, lostBefore } from './fold.js';
import { applyCorrection } from './marks.js';

export const FACILITATOR = 'facilitator';

// kind: 'participant' | 'facilitator'; you: {id, name} when known.
export function initialRoom(kind, you = null) {
  return {
    kind, you, state: null, last: 0, stateAt: 0, notices: [], noticeSeq: 0, lost: false, ended: null, banned: false,
    requests: [], arrived: 0,
  };
}

export function reduce(room, event) {
  const fresh = room.lost ? { ...room, lost: false } : room;
  const handle = HANDLERS[event.type];
  return handle ? handle(fresh, event.payload || {}, event.at || 0) : fresh;
}

// Several events in order (a test's or a replay's convenience).
export function reduceAll(room, events) {
  return events.reduce(reduce, room);
}

const isFacilitator = (room) => room.kind === FACILITATOR;

// The facilitator hears of every change, but in a fishbowl the audience's
// marks and scores come as counts (`live_aggregate`, no version step): there
// the participants' rule (`prev`) tells a loss, and a blind fact (no `prev`)
// is none.
const hearsAll = (room) => isFacilitator(room) && !(room.state && room.state.options && room.state.options.fishbowl);
const blindToUs = (room, payload) => isFacilitator(room) && !hearsAll(room) && typeof payload.prev !== 'number';

// Our id as an author of marks and scores.
export function authorId(room) {
  return isFacilitator(room) ? FACILITATOR : room.you && room.you.id;
}

const youOf = (state, you) => (state.you ? { id: state.you.id, name: state.you.name } : you);

const closedFor = (room, state) => !isFacilitator(room) && state.phase === 'closed';

// The version bookkeeping of any event: a loss before it, the highest version seen.
function seen(room, payload) {
  const facilitator = hearsAll(room);
  const lost = room.lost || (!blindToUs(room, payload) && lostBefore(payload, room.last, facilitator));
  const last = advances(payload, facilitator) && payload.version > room.last ? payload.version : room.last;
  return lost === room.lost && last === room.last ? room : { ...room, lost, last };
}

function withRound(room, change) {
  const round = room.state && room.state.round;
  if (!round) return room;
  return { ...room, state: { ...room.state, round: change(round) } };
}

function addMark(room, mark) {
  if (!mark) return room;
  return withRound(room, (round) =>
    round.marks.some((m) => m.id === mark.id && m.author === mark.author) ? round : { ...round, marks: [...round.marks, mark] },
  );
}

// a correction of a mark (ours from the ack, anyone's for the facilitator):
// the mark as it now reads in its place, or gone (marks.js)
function putCorrection(room, { correction, mark }) {
  if (!correction) return room;
  return withRound(room, (round) => ({ ...round, marks: applyCorrection(round.marks, correction.author, correction.mark, mark) }));
}

function addTemperature(room, level, tMs) {
  return withRound(room, (round) => ({ ...round, temperature: level, temperatures: [...(round.temperatures || []), { level, t_ms: tMs }] }));
}

function putScore(room, score) {
  if (!score) return room;
  return withRound(room, (round) => ({
    ...round,
    scores: [...round.scores.filter((s) => !(s.author === score.author && s.step === score.step)), score],
  }));
}

function putGlobal(room, author, rating) {
  return withRound(room, (round) => ({ ...round, global_ratings: { ...round.global_ratings, [author]: rating } }));
}

// A fishbowl's live counts of the current round (no version step: they sum up blind facts).
function putAggregate(room, { version: _version, ...live }) {
  return withRound(room, (round) => (round.id === live.round ? { ...round, live } : round));
}

function putReflection(room, reflection) {
  if (!reflection) return room;
  return withRound(room, (round) => ({
    ...round,
    reflections: [...(round.reflections || []).filter((r) => r.author !== reflection.author), reflection],
  }));
}

// A whole state from an ack: taken as it is.
function joined(room, { state, you }, at) {
  if (!state) return room;
  return {
    ...room,
    state,
    last: state.version,
    stateAt: at,
    you: youOf(state, you || room.you),
    ended: closedFor(room, state) ? 'closed' : null,
    banned: false,
    arrived: state.version,
    requests: requestsOf(room, state, at),
  };
}

// A whole state lists every join request still waiting (the facilitator's alone).
function requestsOf(room, state, at) {
  if (!isFacilitator(room) || !state.participants) return room.requests;
  return (state.requests || []).map((r) => ({ ...r, at }));
}

function requested(room, payload, at) {
  const next = seen(room, payload);
  const r = payload.request;
  return { ...next, requests: [...next.requests.filter((x) => x.id !== r.id), { ...r, at }] };
}

function requestClosed(room, payload) {
  const next = seen(room, payload);
  return { ...next, requests: next.requests.filter((x) => x.id !== payload.request) };
}

// A state broadcast (or a sync's): folded onto ours (fold.js `foldState`).
function stateOf(room, state, at, fromSync) {
  if (room.state && state.version < room.last && !fromSync) return room; // an older picture
  if (!room.state && !state.participants) return room; // a broadcast before our join's ack: the ack's state counts
  const lost = room.lost || (!fromSync && lostBefore(state, room.last, hearsAll(room)));
  const myId = isFacilitator(room) ? null : room.you && room.you.id;
  return {
    ...room,
    lost,
    state: foldState(room.state, state, myId),
    last: Math.max(room.last, state.version),
    stateAt: at,
    you: youOf(state, room.you),
    ended: closedFor(room, state) ? 'closed' : room.ended,
    requests: fromSync ? requestsOf(room, state, at) : room.requests,
  };
}

// A membership delta: one with a version we have seen changes nothing.
function member(room, name, payload) {
  const wasNew = payload.version > room.last || (name === 'headcount' && payload.version === room.last);
  const next = seen(room, payload);
  return wasNew ? { ...next, state: foldMember(next.state, name, payload) } : next;
}

function notice(room, payload) {
  // another device took this participant's place: the end here, unless we are
  // that device (our ack's state already had this version, or has not come)
  if (payload.kind === 'moved' && !isFacilitator(room)) {
    return room.state && payload.version > room.arrived ? { ...seen(room, payload), ended: 'moved' } : room;
  }
  let next = payload.kind === 'deleted' ? room : seen(room, payload); // a deleted room has nothing to sync
  let shown = payload;
  if (payload.kind === 'timeout' && next.callingTimeout > 0 && !isFacilitator(room)) {
    // we called it (our ack has not come yet): say "you"
    shown = { ...payload, mine: true };
    next = { ...next, myTimeouts: [...(next.myTimeouts || []), payload.t_ms] };
  }
  const out = { ...next, notices: [...next.notices.slice(-4), { ...shown, seq: next.noticeSeq + 1 }], noticeSeq: next.noticeSeq + 1 };
  const participant = !isFacilitator(room);
  if (payload.kind === 'kicked' && participant) return { ...out, ended: 'kicked', banned: !!payload.ban };
  if (payload.kind === 'closed' && participant) return { ...out, ended: 'closed' };
  if (payload.kind === 'deleted') return { ...out, ended: 'deleted' };
  return out;
}

const HANDLERS = {
  joined,
  synced: (room, { state }, at) => (state ? stateOf(room, state, at, true) : room),
  state: (room, state, at) => stateOf(room, state, at, false),
  participant_joined: (room, p) => member(room, 'participant_joined', p),
  participant_left: (room, p) => member(room, 'participant_left', p),
  presence_changed: (room, p) => member(room, 'presence_changed', p),
  headcount: (room, p) => member(room, 'headcount', p),
  // deltas that came together (a room seating many at once), each as if alone
  batch: (room, { events }) =>
    (events || []).reduce((r, [name, p]) => (MEMBERSHIP_EVENTS.includes(name) && p ? member(r, name, p) : r), room),
  notice,
  step_marked: (room, p) => addMark(seen(room, p), p.mark),
  mark_corrected: (room, p) => putCorrection(seen(room, p), p),
  temperature_changed: (room, p) => addTemperature(seen(room, p), p.level, p.t_ms),
  step_scored: (room, p) => putScore(seen(room, p), p.score),
  global_rated: (room, p) => putGlobal(seen(room, p), p.author, p.rating),
  reflected: (room, p) => putReflection(seen(room, p), p.reflection),
  join_requested: requested,
  join_request_closed: requestClosed,
  live_aggregate: putAggregate,
  // our own writes, from their acks
  marked: (room, { mark }) => addMark(room, mark),
  mark_fixed: putCorrection,
  temperature_set: (room, { level, t_ms: tMs }) => addTemperature(room, level, tMs),
  scored: (room, { score }) => putScore(room, score),
  rated: (room, { rating }) => putGlobal(room, authorId(room), rating),
  // our time-out: the notice that comes while we wait for its ack is ours
  timeout_calling: (room) => ({ ...room, callingTimeout: (room.callingTimeout || 0) + 1 }),
  timeout_called: (room) => ({ ...room, callingTimeout: Math.max(0, (room.callingTimeout || 0) - 1) }),
  timeout_failed: (room) => ({ ...room, callingTimeout: Math.max(0, (room.callingTimeout || 0) - 1) }),
  reflection_saved: (room, { reflection }) => withRound(room, (round) => ({ ...round, my_reflection: reflection })),
};

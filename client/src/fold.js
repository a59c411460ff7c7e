// Folding what the server sends into this browser's view of a room: pure
// functions, no socket (docs/protocol.md section 2).
//
// - A participant hears of every *shared* change (membership, phases, the
//   lock, notices); each such event carries `prev`, the version of the shared
//   change before it. Blind facts (others' marks, scores, ratings,
//   reflections) bump the version without telling participants, so a jump
//   in `version` is no loss; `prev` above the last version seen is.
// - The facilitator hears of every change: a version more than one above the
//   last seen is a loss.
// - The observers' `state` after a phase change is one view for all of them
//   (no `you`, nobody's own marks or scores): we keep ours, which we have from
//   our acks.

// `headcount`: a fishbowl's or an anonymous room's participants get counts
// instead of the observers' deltas (the players, themselves and counts)
export const MEMBERSHIP_EVENTS = ['participant_joined', 'participant_left', 'presence_changed', 'headcount'];

// Did we lose an event before this one? `last` is the highest version seen.
export function lostBefore(payload, last, facilitator) {
  if (!payload || typeof payload.version !== 'number') return false;
  if (facilitator) return payload.version > last + 1;
  if (typeof payload.prev === 'number') return payload.prev > last;
  // no `prev` (the anger meter): its version is the last shared change
  return payload.version > last;
}

// Does this event move the highest version seen? For a participant only
// those of the shared chain (and whole states) do; the anger meter's version
// is not a change.
export function advances(payload, facilitator) {
  if (!payload || typeof payload.version !== 'number') return false;
  return facilitator || typeof payload.prev === 'number';
}

// After the reveal a plain room's state has everyone's items, ours too; a
// fishbowl's observers get the results instead (and the shared view has no
// one's own), so we keep ours then as well.
function keepMine(round, old, myId, fishbowl) {
  if (!old || old.id !== round.id || (round.revealed && !fishbowl)) return round;
  const mine = (xs) => (xs || []).filter((x) => x.author === myId);
  const marks = [...round.marks];
  for (const m of mine(old.marks)) {
    if (!marks.some((x) => x.id === m.id && x.author === m.author)) marks.push(m);
  }
  const scores = [...round.scores.filter((s) => s.author !== myId), ...mine(old.scores)];
  const globals = { ...round.global_ratings };
  if (old.global_ratings && old.global_ratings[myId] !== undefined) globals[myId] = old.global_ratings[myId];
  const out = { ...round, marks, scores, global_ratings: globals };
  if (!out.my_reflection && old.my_reflection) out.my_reflection = old.my_reflection;
  return out;
}

// A `state` from the server, folded onto what we had. `myId` is our
// participant id (null for the facilitator).
// Names of people who left, as {id, name}: what we knew and what came in
// (their marks and turns stay theirs, named on every screen).
function formerOf(...lists) {
  const byId = new Map();
  for (const list of lists) for (const p of list || []) byId.set(p.id, { id: p.id, name: p.name });
  return [...byId.values()];
}

export function foldState(old, incoming, myId) {
  const { prev: _prev, ...state } = incoming;
  const former = formerOf(old && old.former, incoming.former);
  if (former.length) state.former = former;
  if (!state.participants) {
    // a broadcast after a change: the deck and the people are ours already
    // (kept current by the deltas); their roles follow from the round
    const round = state.round;
    const roleOf = (id) => (!round ? null : id === round.customer ? 'customer' : id === round.agent ? 'agent' : 'observer');
    state.deck = old ? old.deck : undefined;
    state.participants = (old ? old.participants : []).map((p) => ({ ...p, role: roleOf(p.id) }));
  }
  // the deck never changes in a room: a broadcast (a fishbowl's too, which
  // lists its players) leaves it out
  if (!state.deck && old) state.deck = old.deck;
  if (incoming.participants && incoming.headcount && myId && old) {
    // the observers' shared view lists the players only: we are ours
    const mine = (old.participants || []).find((p) => p.id === myId);
    if (mine && !state.participants.some((p) => p.id === myId)) state.participants = [...state.participants, { ...mine, role: 'observer' }];
  }
  if (incoming.you || !myId) return state;
  const me = state.participants.find((p) => p.id === myId);
  if (me) state.you = { id: me.id, name: me.name, role: me.role };
  const fishbowl = Boolean(state.options && state.options.fishbowl);
  if (state.round && old && old.round) state.round = keepMine(state.round, old.round, myId, fishbowl);
  return state;
}

// A membership delta folded into a state; an older one changes nothing.
export function foldMember(state, event, payload) {
  // a `headcount` may follow a player's delta with the same version
  const stale = event === 'headcount' ? payload.version < state?.version : payload.version <= state?.version;
  if (!state || stale) return state;
  let people = state.participants;
  let former = state.former;
  if (event === 'participant_joined') {
    const p = payload.participant;
    people = [...people.filter((x) => x.id !== p.id), p];
  } else if (event === 'participant_left') {
    const gone = people.find((x) => x.id === payload.participant);
    if (gone) former = formerOf(former, [gone]);
    people = people.filter((x) => x.id !== payload.participant);
  } else if (event === 'headcount') {
    const { people: count, observers, online } = payload;
    return { ...state, headcount: { people: count, observers, online }, version: payload.version };
  } else if (event === 'presence_changed') {
    people = people.map((x) => (x.id === payload.participant ? { ...x, connected: payload.connected } : x));
  } else {
    return state;
  }
  const out = { ...state, participants: people, version: payload.version };
  if (former && former.length) out.former = former;
  return out;
}

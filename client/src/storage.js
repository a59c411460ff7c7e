// What this browser remembers, in localStorage:
//   calmroom.participants  {CODE: {token, name}}       a participant's place per room
//                          (closed: {name, closed, summary_token}: the token kept only for /me/CODE)
//   calmroom.hosts         {CODE: {token, join_url, title, created_ms}}  rooms this browser hosts
//   calmroom.requests      {CODE: {id, token, kind, name}}  a join request waiting for the facilitator
//   calmroom.lang          "en" | "nl"
//   calmroom.trainer       the trainer key (from the sign-in link `calmroom serve` prints)
// Storage can be unavailable (private mode, blocked); everything then still
// works for the current page, it is only not remembered.

const PARTICIPANTS = 'calmroom.participants';
const HOSTS = 'calmroom.hosts';

function read(key) {
  try {
    const value = JSON.parse(localStorage.getItem(key) || '{}');
    return value && typeof value === 'object' ? value : {};
  } catch {
    return {};
  }
}

function write(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    /* not remembered; the page still works */
  }
}

export function getItem(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function setItem(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch {
    /* ignore */
  }
}

export function participantSeat(code) {
  return read(PARTICIPANTS)[code] || null;
}
export function rememberParticipant(code, seat) {
  write(PARTICIPANTS, { ...read(PARTICIPANTS), [code]: seat });
}
export function forgetParticipant(code) {
  const all = read(PARTICIPANTS);
  delete all[code];
  write(PARTICIPANTS, all);
}
// A closed room: the seat is kept so that coming back says "closed" rather
// than asking for a name. The token moves to `summary_token`: no rejoin uses
// it any more, but the participant's summary (/me/CODE) reads with it while
// the room exists.
export function markParticipantClosed(code) {
  const all = read(PARTICIPANTS);
  if (!all[code]) return;
  const token = all[code].token || all[code].summary_token;
  all[code] = { name: all[code].name, closed: true, ...(token ? { summary_token: token } : {}) };
  write(PARTICIPANTS, all);
}
// The token that reads this browser's summary of a room: the seat's, open or closed.
export function summaryToken(code) {
  const seat = read(PARTICIPANTS)[code];
  return (seat && (seat.token || seat.summary_token)) || null;
}
// A summary link opened on another device (#key=TOKEN): kept for that room's
// summary only: no rejoin reads `summary_token`, so it never makes this
// browser a participant. A seat this browser still plays with is left as it is.
export function rememberSummaryToken(code, token) {
  const all = read(PARTICIPANTS);
  const seat = all[code];
  if (seat && seat.token) return;
  all[code] = { ...(seat || { name: '' }), summary_token: token };
  write(PARTICIPANTS, all);
}
// Removed and kept out (`kick {ban: true}`): coming back shows that, not a
// name form. (A new browser can still try a new name; the server refuses the old one.)
export function markParticipantBanned(code) {
  const all = read(PARTICIPANTS);
  all[code] = { name: all[code] ? all[code].name : '', banned: true };
  write(PARTICIPANTS, all);
}
export function participantRooms() {
  return Object.entries(read(PARTICIPANTS))
    .filter(([, seat]) => seat && seat.token && !seat.closed)
    .map(([code, seat]) => ({ code, ...seat }));
}

const REQUESTS = 'calmroom.requests';
export function waitingRequest(code) {
  return read(REQUESTS)[code] || null;
}
export function rememberRequest(code, request) {
  const { id, token, kind, name } = request;
  write(REQUESTS, { ...read(REQUESTS), [code]: { id, token, kind, name } });
}
export function forgetRequest(code) {
  const all = read(REQUESTS);
  delete all[code];
  write(REQUESTS, all);
}

export function hostKey(code) {
  return read(HOSTS)[code] || null;
}
export function rememberHost(code, info) {
  const all = read(HOSTS);
  write(HOSTS, { ...all, [code]: { ...(all[code] || {}), ...info } });
}
export function forgetHost(code) {
  const all = read(HOSTS);
  delete all[code];
  write(HOSTS, all);
}
export function hostedRooms() {
  return Object.entries(read(HOSTS))
    .map(([code, info]) => ({ code, ...info }))
    .sort((a, b) => (b.created_ms || 0) - (a.created_ms || 0));
}

const TRAINER = 'calmroom.trainer';
export function trainerKey() {
  return getItem(TRAINER);
}
export function rememberTrainer(token) {
  setItem(TRAINER, token);
}
export function forgetTrainer() {
  try {
    localStorage.removeItem(TRAINER);
  } catch {
    /* ignore */
  }
}

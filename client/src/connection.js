// One room seen from this browser: a Socket.IO connection of its own, the
// latest `state` the server sent us, and what we remember to get back in.
//
// - A participant with a remembered token rejoins by itself after a reload or
//   a dropped connection; one without joins with a name.
// - A facilitator hosts with the token remembered when the room was created.
// - What the server says (events, and the data in our acks) is folded into
//   the room by a pure reducer (reducer.js); here is only the transport: the
//   socket, the acks, the storage of our seat, and the `sync` the reducer
//   asks for when it sees a lost event.
// - Marks and anger-meter moves wait in an outbox while the connection is
//   down and go out again after rejoining (the server dedupes them by id).
import { io } from 'socket.io-client';
import { forgetParticipant, hostKey, markParticipantBanned, markParticipantClosed, participantSeat } from './storage.js';
import { newId } from './util.js';
import { FACILITATOR, authorId, initialRoom, reduce } from './reducer.js';
import { claim, isMovedRefusal, keepRejoinCode, listenAtTheDoor, onDoorAck, seated } from './doorway.js';
import { waitingRequest } from './storage.js';

const ACK_TIMEOUT_MS = 10000;
const TERMINAL = new Set(['kicked', 'deleted', 'closed', 'notFound', 'denied', 'left', 'moved']);
const RETRYABLE = new Set(['timeout', 'offline', 'unavailable', 'rate_limited']);
// every server event the room's reducer folds
const SERVER_EVENTS = [
  'state',
  'notice',
  'participant_joined',
  'participant_left',
  'presence_changed',
  'batch',
  'headcount',
  'step_marked',
  'mark_corrected',
  'temperature_changed',
  'step_scored',
  'global_rated',
  'reflected',
  'join_requested',
  'join_request_closed',
  'live_aggregate',
];

export { FACILITATOR };

export class RoomConnection {
  constructor(code, kind, options = {}) {
    this.code = code;
    this.kind = kind; // 'participant' | 'facilitator'
    const remembered = kind === 'facilitator' ? hostKey(code) : participantSeat(code);
    this.token = options.token || (remembered && remembered.token) || null;
    this.seatClosed = kind === 'participant' && !!(remembered && remembered.closed);
    this.seatBanned = kind === 'participant' && !!(remembered && remembered.banned);
    this.room = initialRoom(kind);
    this.status = 'connecting';
    this.error = null;
    this.banned = false;
    this.pendingName = null;
    this.authed = false;
    this.syncing = false;
    this.outbox = new Map(); // mark id -> {step, rating, note}
    this.pendingTemperature = null;
    this.request = null; // our own join request, while we wait (doorway.js)
    this.rejoinCode = (kind === 'participant' && remembered && remembered.rejoin_code) || null;
    this.listeners = new Set();
    this.socket = null;
    this.stopped = false;
  }

  // -- observing -------------------------------------------------------
  subscribe(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  changed() {
    for (const fn of [...this.listeners]) fn();
  }

  // what the reducer knows of the room
  get state() {
    return this.room.state;
  }

  get you() {
    return this.room.you;
  }

  get notices() {
    return this.room.notices;
  }

  get lastVersion() {
    return this.room.last;
  }

  // the facilitator's: join requests waiting for an answer
  get requests() {
    return this.room.requests;
  }

  get round() {
    return this.state && this.state.round ? this.state.round : null;
  }

  get role() {
    if (this.kind === 'facilitator') return FACILITATOR;
    return (this.state && this.state.you && this.state.you.role) || null;
  }

  get myId() {
    return authorId(this.room);
  }

  // Role-play time now, counted on from the last state we got.
  elapsedMs() {
    const round = this.round;
    if (!round) return 0;
    const { clock } = round;
    return clock.elapsed_ms + (clock.running ? performance.now() - this.room.stateAt : 0);
  }

  nameOf(id) {
    if (id === FACILITATOR) return null;
    const p = this.state && this.state.participants.find((x) => x.id === id);
    return p ? p.name : null;
  }

  // -- lifecycle -------------------------------------------------------
  start() {
    if (this.seatClosed) {
      this.status = 'closed'; // we were here when it closed; no need to ask the server
      return this;
    }
    if (this.seatBanned) {
      this.status = 'kicked';
      this.banned = true;
      return this;
    }
    const socket = io({ forceNew: true, timeout: 10000, reconnectionDelay: 500, reconnectionDelayMax: 4000 });
    this.socket = socket;
    socket.on('connect', () => this.authenticate());
    socket.on('disconnect', (reason) => {
      this.authed = false;
      if (this.stopped || TERMINAL.has(this.status)) return;
      if (this.status === 'ready' || this.status === 'joining') this.set({ status: 'offline' });
      if (reason === 'io server disconnect') socket.connect(); // let go by the server: come back and rejoin
    });
    socket.on('connect_error', () => {
      if (this.stopped || TERMINAL.has(this.status) || this.status === 'needName') return;
      this.set({ status: 'offline' });
    });
    for (const name of SERVER_EVENTS) socket.on(name, (payload) => this.dispatch(name, payload));
    listenAtTheDoor(this, socket);
    return this;
  }

  stop() {
    this.stopped = true;
    this.listeners.clear();
    if (this.socket) {
      this.socket.removeAllListeners();
      this.socket.disconnect();
    }
  }

  set(fields) {
    Object.assign(this, fields);
    this.changed();
  }

  // -- getting in ------------------------------------------------------
  async authenticate() {
    if (this.stopped) return;
    if (this.kind === 'facilitator') {
      if (!this.token) return this.set({ status: 'denied' });
      const ack = await this.ack('host_room', { room: this.code, facilitator_token: this.token });
      return ack.ok ? this.accept(ack.state) : this.refused(ack.error);
    }
    if (this.token) {
      const ack = await this.ack('rejoin', { room: this.code, token: this.token });
      if (ack.ok) {
        this.accept(ack.state, ack.you);
        return keepRejoinCode(this);
      }
      if (isMovedRefusal(ack.error)) {
        this.ended('moved');
        return this.changed();
      }
      if (ack.error.code === 'unauthorized') {
        // our place is gone (we left, or were removed): ask for a name again
        forgetParticipant(this.code);
        this.token = null;
        return this.set({ status: 'needName', error: { code: 'seat_gone', message: ack.error.message } });
      }
      return this.refused(ack.error);
    }
    if (this.pendingName) return this.joinNow();
    if (waitingRequest(this.code)) return claim(this);
    return this.set({ status: 'needName' });
  }

  async join(name) {
    this.pendingName = name;
    if (!this.socket || !this.socket.connected) {
      this.set({ status: 'connecting', error: null });
      return; // `connect` will join with the pending name
    }
    await this.joinNow();
  }

  async joinNow() {
    const name = this.pendingName;
    this.set({ status: 'joining', error: null });
    const ack = await this.ack('join_room', { room: this.code, name });
    this.pendingName = null;
    if (ack.ok && ack.token) return seated(this, ack);
    if (onDoorAck(this, ack)) return;
    const { error } = ack;
    if (error.code === 'not_found') return this.set({ status: 'notFound', error });
    if (error.code === 'conflict' && !(error.fields && error.fields.name)) return this.set({ status: 'closed', error });
    return this.set({ status: 'needName', error });
  }

  accept(state, you) {
    this.authed = true;
    this.error = null;
    this.status = 'ready';
    this.dispatch('joined', { state, you }); // a closed room ends it here
    this.flushOutbox();
  }

  refused(error) {
    if (error.code === 'not_found') return this.set({ status: 'notFound', error });
    if (error.code === 'unauthorized') return this.set({ status: 'denied', error });
    if (error.code === 'conflict') {
      if (this.kind === 'participant') markParticipantClosed(this.code);
      return this.set({ status: 'closed', error });
    }
    // busy or slow: try again shortly on the same connection
    this.set({ status: 'offline', error });
    setTimeout(() => {
      if (!this.stopped && this.socket.connected && !this.authed) this.authenticate();
    }, 1500);
  }

  async leave() {
    await this.send('leave_room', {});
    forgetParticipant(this.code);
    this.set({ status: 'left' });
    this.socket.disconnect();
  }

  // -- talking ---------------------------------------------------------
  async ack(event, payload) {
    try {
      const answer = await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, payload);
      return answer || { ok: false, error: { code: 'unavailable', message: 'empty answer' } };
    } catch {
      return { ok: false, error: { code: 'timeout', message: 'no answer from the server' } };
    }
  }

  async send(event, payload = {}) {
    if (!this.socket || !this.socket.connected || !this.authed) {
      return { ok: false, error: { code: 'offline', message: 'not connected' } };
    }
    return this.ack(event, payload);
  }

  async sync() {
    if (this.syncing) return;
    this.syncing = true;
    try {
      const ack = await this.send('sync', {});
      if (ack.ok) this.dispatch('synced', { state: ack.state });
    } finally {
      this.syncing = false;
    }
  }

  // A mark goes to the outbox first; it leaves when the server has it.
  mark(step, rating, note) {
    const id = newId();
    this.outbox.set(id, { id, step, rating, ...(note ? { note } : {}) });
    this.changed();
    return this.sendMark(id);
  }

  async sendMark(id) {
    const payload = this.outbox.get(id);
    if (!payload) return { ok: true };
    const ack = await this.send('mark_step', payload);
    if (ack.ok) {
      this.outbox.delete(id);
      this.dispatch('marked', { mark: ack.mark });
    } else if (!RETRYABLE.has(ack.error.code)) {
      this.outbox.delete(id);
      this.changed();
    }
    return ack;
  }

  // Undo ({ undo: true }) or change ({ rating, note? }) one of our acked marks.
  async correctMark(markId, change) {
    const ack = await this.send('correct_mark', { id: newId(), mark: markId, ...change });
    if (ack.ok) this.dispatch('mark_fixed', { correction: ack.correction, mark: ack.mark });
    return ack;
  }

  async setTemperature(level) {
    const move = { id: newId(), level };
    this.pendingTemperature = move;
    const ack = await this.send('set_temperature', move);
    if (ack.ok) {
      if (this.pendingTemperature === move) this.pendingTemperature = null;
      this.dispatch('temperature_set', { level: ack.level, t_ms: ack.t_ms });
    } else if (!RETRYABLE.has(ack.error.code) && this.pendingTemperature === move) {
      this.pendingTemperature = null;
      this.changed();
    }
    return ack;
  }

  flushOutbox() {
    const phase = this.state && this.state.phase;
    if (phase === 'roleplay' || phase === 'paused') {
      for (const id of [...this.outbox.keys()]) this.sendMark(id);
    } else if (this.outbox.size) {
      this.outbox.clear();
      this.changed();
    }
    if (this.pendingTemperature) {
      const move = this.pendingTemperature;
      if (phase === 'roleplay') this.setTemperature(move.level);
      else this.pendingTemperature = null;
    }
  }

  async scoreStep(step, rating, comment) {
    const ack = await this.send('score_step', { step, rating, ...(comment ? { comment } : {}) });
    if (ack.ok) this.dispatch('scored', { score: ack.score });
    return ack;
  }

  async rateGlobal(rating) {
    const ack = await this.send('rate_global', { rating });
    if (ack.ok) this.dispatch('rated', { rating });
    return ack;
  }

  // Our time-out: the room's notice may name nobody, but we say "you" (reducer.js).
  async callTimeout() {
    this.dispatch('timeout_calling', {});
    const ack = await this.send('call_timeout', {});
    this.dispatch(ack.ok ? 'timeout_called' : 'timeout_failed', {});
    return ack;
  }

  async reflect(answers) {
    const ack = await this.send('reflect', answers);
    if (ack.ok) this.dispatch('reflection_saved', { reflection: ack.reflection });
    return ack;
  }

  // -- what the server tells us --------------------------------------------
  // Folded by the reducer; then what it asks for: the end of this
  // connection (and what to remember of it), or a fresh picture.
  dispatch(type, payload) {
    const before = this.room;
    this.room = reduce(before, { type, payload, at: performance.now() });
    // a room that ends says so once; a whole state of a closed room, each time
    if (this.room.ended && (this.room.ended !== before.ended || type === 'joined')) this.ended(this.room.ended);
    if (this.room.lost && this.authed) this.sync();
    this.changed();
  }

  ended(how) {
    const participant = this.kind === 'participant';
    if (how === 'closed') {
      if (participant) markParticipantClosed(this.code);
      this.status = 'closed';
    } else if (how === 'kicked') {
      if (this.room.banned) {
        markParticipantBanned(this.code);
        this.banned = true;
      } else forgetParticipant(this.code);
      this.token = null;
      this.authed = false;
      this.status = 'kicked';
      this.socket.disconnect();
    } else if (how === 'moved') {
      forgetParticipant(this.code);
      this.token = null;
      this.authed = false;
      this.status = 'moved';
      this.socket.disconnect();
    } else if (how === 'deleted') {
      if (participant) forgetParticipant(this.code);
      this.authed = false;
      this.status = 'deleted';
      this.socket.disconnect();
    }
  }
}

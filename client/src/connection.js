// One room seen from this browser: a Socket.IO connection of its own, the
// latest `state` the server sent us, and what we remember to get back in.
//
// - A participant with a remembered token rejoins by itself after a reload or
//   a dropped connection; one without joins with a name.
// - A facilitator hosts with the token remembered when the room was created.
// - `state` replaces what we have (the observers' shared one keeps our own
//   marks and scores); the smaller events (membership, marks, the anger meter,
//   scores) are folded into it (fold.js); a lost event (fold.js `lostBefore`)
//   makes us ask for a fresh `sync`.
// - Marks and anger-meter moves wait in an outbox while the connection is
//   down and go out again after rejoining (the server dedupes them by id).
import { io } from 'socket.io-client';
import { forgetParticipant, hostKey, markParticipantBanned, markParticipantClosed, participantSeat, rememberParticipant } from './storage.js';
import { newId } from './util.js';
import { MEMBERSHIP_EVENTS, advances, foldMember, foldState, lostBefore } from './fold.js';

const ACK_TIMEOUT_MS = 10000;
const TERMINAL = new Set(['kicked', 'deleted', 'closed', 'notFound', 'denied', 'left']);
const RETRYABLE = new Set(['timeout', 'offline', 'unavailable', 'rate_limited']);

export const FACILITATOR = 'facilitator';

export class RoomConnection {
  constructor(code, kind, options = {}) {
    this.code = code;
    this.kind = kind; // 'participant' | 'facilitator'
    const remembered = kind === 'facilitator' ? hostKey(code) : participantSeat(code);
    this.token = options.token || (remembered && remembered.token) || null;
    this.seatClosed = kind === 'participant' && !!(remembered && remembered.closed);
    this.seatBanned = kind === 'participant' && !!(remembered && remembered.banned);
    this.state = null;
    this.you = null;
    this.status = 'connecting';
    this.error = null;
    this.notices = [];
    this.noticeSeq = 0;
    this.lastVersion = 0;
    this.stateAt = performance.now();
    this.pendingName = null;
    this.authed = false;
    this.syncing = false;
    this.outbox = new Map(); // mark id -> {step, rating, note}
    this.pendingTemperature = null;
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

  get round() {
    return this.state && this.state.round ? this.state.round : null;
  }

  get role() {
    if (this.kind === 'facilitator') return FACILITATOR;
    return (this.state && this.state.you && this.state.you.role) || null;
  }

  get myId() {
    return this.kind === 'facilitator' ? FACILITATOR : this.you && this.you.id;
  }

  // Role-play time now, counted on from the last state we got.
  elapsedMs() {
    const round = this.round;
    if (!round) return 0;
    const { clock } = round;
    return clock.elapsed_ms + (clock.running ? performance.now() - this.stateAt : 0);
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
    socket.on('state', (state) => this.onState(state));
    socket.on('notice', (notice) => this.onNotice(notice));
    for (const name of MEMBERSHIP_EVENTS) socket.on(name, (payload) => this.onMember(name, payload));
    // deltas that came together (a room seating many at once), in order
    socket.on('batch', ({ events }) => {
      for (const [name, payload] of events || []) if (MEMBERSHIP_EVENTS.includes(name)) this.onMember(name, payload);
    });
    socket.on('step_marked', (payload) => {
      this.onVersion(payload);
      this.addMark(payload.mark);
    });
    socket.on('temperature_changed', (payload) => {
      this.onVersion(payload);
      this.addTemperature(payload.level, payload.t_ms);
    });
    // a fishbowl: the audience's marks and scores as counts, a few times a second
    // (it steps no version: it sums up blind facts)
    socket.on('live_aggregate', (payload) => this.putAggregate(payload));
    socket.on('step_scored', (payload) => {
      this.onVersion(payload);
      this.putScore(payload.score);
    });
    socket.on('global_rated', (payload) => {
      this.onVersion(payload);
      this.putGlobal(payload.author, payload.rating);
    });
    socket.on('reflected', (payload) => {
      this.onVersion(payload);
      this.putReflection(payload.reflection);
    });
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
        this.you = ack.you;
        return this.accept(ack.state);
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
    if (ack.ok) {
      this.token = ack.token;
      this.you = ack.you;
      rememberParticipant(this.code, { token: ack.token, name: ack.you.name });
      return this.accept(ack.state);
    }
    const { error } = ack;
    if (error.code === 'not_found') return this.set({ status: 'notFound', error });
    if (error.code === 'conflict' && !(error.fields && error.fields.name)) return this.set({ status: 'closed', error });
    return this.set({ status: 'needName', error });
  }

  accept(state) {
    this.authed = true;
    this.error = null;
    this.state = state;
    this.lastVersion = state.version;
    this.stateAt = performance.now();
    if (state.you) this.you = { id: state.you.id, name: state.you.name };
    if (state.phase === 'closed' && this.kind === 'participant') {
      markParticipantClosed(this.code);
      this.status = 'closed';
    } else {
      this.status = 'ready';
    }
    this.changed();
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
      if (ack.ok) this.onState(ack.state, true);
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
      this.addMark(ack.mark);
    } else if (!RETRYABLE.has(ack.error.code)) {
      this.outbox.delete(id);
      this.changed();
    }
    return ack;
  }

  async setTemperature(level) {
    const move = { id: newId(), level };
    this.pendingTemperature = move;
    const ack = await this.send('set_temperature', move);
    if (ack.ok) {
      if (this.pendingTemperature === move) this.pendingTemperature = null;
      this.addTemperature(ack.level, ack.t_ms);
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
    if (ack.ok) this.putScore(ack.score);
    return ack;
  }

  async rateGlobal(rating) {
    const ack = await this.send('rate_global', { rating });
    if (ack.ok) this.putGlobal(this.myId, rating);
    return ack;
  }

  async reflect(answers) {
    const ack = await this.send('reflect', answers);
    if (ack.ok && this.round) {
      this.round.my_reflection = ack.reflection;
      this.changed();
    }
    return ack;
  }

  // -- what the server tells us --------------------------------------------
  onState(state, fromSync = false) {
    if (this.state && state.version < this.lastVersion && !fromSync) return; // an older picture
    if (!this.state && !state.participants) return; // a broadcast before our join's ack: the ack's state counts
    if (!fromSync && this.authed && lostBefore(state, this.lastVersion, this.hearsAll())) this.sync();
    this.state = foldState(this.state, state, this.kind === 'facilitator' ? null : this.you && this.you.id);
    this.lastVersion = Math.max(this.lastVersion, state.version);
    this.stateAt = performance.now();
    if (state.you) this.you = { id: state.you.id, name: state.you.name };
    if (state.phase === 'closed' && this.kind === 'participant') {
      markParticipantClosed(this.code);
      this.status = 'closed';
    }
    this.changed();
  }

  // The facilitator hears of every change, but in a fishbowl the marks and
  // scores come as aggregates: then the participants' rule (`prev`) tells a
  // loss, as for everyone else.
  hearsAll() {
    const options = this.state && this.state.options;
    return this.kind === 'facilitator' && !(options && options.fishbowl);
  }

  onVersion(payload) {
    const facilitator = this.hearsAll();
    // a fishbowl facilitator's blind facts (no `prev`) are no loss either
    const blind = this.kind === 'facilitator' && !facilitator && typeof payload.prev !== 'number';
    if (this.authed && !blind && lostBefore(payload, this.lastVersion, facilitator)) this.sync();
    if (advances(payload, facilitator) && payload.version > this.lastVersion) this.lastVersion = payload.version;
    this.changed();
  }

  onMember(name, payload) {
    const wasNew = payload.version > this.lastVersion;
    this.onVersion(payload);
    if (wasNew) this.state = foldMember(this.state, name, payload);
    this.changed();
  }

  onNotice(notice) {
    if (notice.kind !== 'deleted') this.onVersion(notice); // a deleted room has nothing to sync
    this.notices = [...this.notices.slice(-4), { ...notice, seq: ++this.noticeSeq }];
    if (notice.kind === 'kicked' && this.kind === 'participant') {
      if (notice.ban) {
        markParticipantBanned(this.code);
        this.banned = true;
      } else forgetParticipant(this.code);
      this.token = null;
      this.authed = false;
      this.status = 'kicked';
      this.socket.disconnect();
    } else if (notice.kind === 'closed' && this.kind === 'participant') {
      markParticipantClosed(this.code);
      this.status = 'closed';
    } else if (notice.kind === 'deleted') {
      if (this.kind === 'participant') forgetParticipant(this.code);
      this.authed = false;
      this.status = 'deleted';
      this.socket.disconnect();
    }
    this.changed();
  }

  addMark(mark) {
    const round = this.round;
    if (!round || !mark) return;
    if (!round.marks.some((m) => m.id === mark.id && m.author === mark.author)) {
      round.marks = [...round.marks, mark];
    }
    this.changed();
  }

  addTemperature(level, tMs) {
    const round = this.round;
    if (!round) return;
    round.temperature = level;
    round.temperatures = [...(round.temperatures || []), { level, t_ms: tMs }];
    this.changed();
  }

  putScore(score) {
    const round = this.round;
    if (!round || !score) return;
    round.scores = [...round.scores.filter((s) => !(s.author === score.author && s.step === score.step)), score];
    this.changed();
  }

  putGlobal(author, rating) {
    const round = this.round;
    if (!round) return;
    round.global_ratings = { ...round.global_ratings, [author]: rating };
    this.changed();
  }

  putAggregate(payload) {
    const round = this.round;
    if (!round || round.id !== payload.round) return;
    const { version: _v, ...live } = payload;
    round.live = live;
    this.changed();
  }

  putReflection(reflection) {
    const round = this.round;
    if (!round) return;
    round.reflections = [...(round.reflections || []).filter((r) => r.author !== reflection.author), reflection];
    this.changed();
  }
}

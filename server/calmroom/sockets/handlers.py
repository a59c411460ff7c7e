"""Thin Socket.IO handlers: check size and rate, load the payload through its
schema, call one use case, emit what it says (it has committed), ack last."""
from __future__ import annotations

import json
import logging
from typing import Any, Callable

from flask_socketio import SocketIO
from marshmallow import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from ..domain import permissions
from ..domain.audiences import Audience
from ..domain.errors import RuleError
from ..protocol.base import error_body, validation_error_body
from ..protocol.events import CLIENT_EVENTS
from ..protocol.fastload import loader
from ..services.admission import Admission
from ..services.corrections import correct_mark
from ..services.guesses import GUESS_CODES, GuessLimiter
from ..services.outcome import Actor, Outcome, fac_room, part_room, person_room
from ..services.rooms import RoomService
from .aggregates import AggregateWindows
from .batcher import Batcher
from .ratelimit import ConnectionRateLimiter
from .packets import answer_malformed_packets
from .reserved import refuse_reserved_events
from .roomindex import index_rooms

# what json.dumps(payload, separators=(",", ":")) gives, without a new encoder per event
_COMPACT = json.JSONEncoder(separators=(",", ":"))
log = logging.getLogger(__name__)

Handler = Callable[[Actor, dict], Outcome]


def socket_rooms(audience: Audience) -> list[str]:
    """The one place an audience becomes Socket.IO rooms. Observers are their
    person rooms: a socket of the agent is never in one, whatever the timing."""
    rooms = [fac_room(audience.code)] if audience.facilitator else []
    if audience.participants:
        rooms.append(part_room(audience.code))
    rooms += [person_room(pid) for pid in audience.people]
    return rooms


def fail(code: str, message: str, field: str | None = None) -> dict:
    body = error_body(code, message, [(field, message.split(": ", 1)[-1])] if field else None)
    return {"ok": False, "error": body}


class SocketGateway:
    def __init__(
        self, socketio: SocketIO, service: RoomService, *, rate_limit: str, max_payload_bytes: int, guesses: GuessLimiter,
        batch_window_s: float = 0.0, admission: Admission | None = None, aggregate_window_s: float = 0.25,
    ):
        self.socketio = socketio
        self.service = service
        self.admission = admission or Admission(service)
        self.max_payload_bytes = max_payload_bytes
        self.actors: dict[str, Actor] = {}  # sid -> who this socket is, on this worker
        self.limiter = ConnectionRateLimiter(rate_limit)
        self.guesses = guesses
        self.batcher = Batcher(self._send, socketio.sleep, socketio.start_background_task, batch_window_s, self._members)
        self.aggregates = AggregateWindows(
            service.live_aggregate, lambda emits: self.perform(Outcome(emits=emits)),
            socketio.sleep, socketio.start_background_task, aggregate_window_s,
        )

    # -- wiring --------------------------------------------------------
    def register(self) -> None:
        s, door = self.service, self.admission
        anonymous: dict[str, Callable[[str, dict], Outcome]] = {
            "join_room": lambda sid, d: door.join(sid, d["room"], d["name"]),
            "rejoin": lambda sid, d: door.rejoin(sid, d["room"], d["token"]),
            "host_room": lambda sid, d: door.host(sid, d["room"], d["facilitator_token"]),
            "knock": lambda sid, d: door.knock(sid, d["room"], d["name"]),
            "claim_request": lambda sid, d: door.claim(sid, d["room"], d["request"], d["token"]),
            "cancel_request": lambda sid, d: door.cancel(sid, d["room"], d["request"], d["token"]),
            "rejoin_with_code": lambda sid, d: door.rejoin_with_code(sid, d["room"], d["code"]),
        }
        member: dict[str, Handler] = {
            "sync": lambda a, d: door.sync(a),
            "answer_request": lambda a, d: door.answer(a, d["request"], d["admit"]),
            "renew_rejoin_code": lambda a, d: door.renew_rejoin_code(a),
            "start_round": s.start_round,
            "begin_roleplay": lambda a, d: s.begin_roleplay(a),
            "pause_round": lambda a, d: s.pause_round(a),
            "resume_round": lambda a, d: s.resume_round(a),
            "call_timeout": lambda a, d: s.call_timeout(a, d.get("reason")),
            "end_roleplay": lambda a, d: s.end_roleplay(a),
            "reveal_results": lambda a, d: s.reveal_results(a),
            "mark_step": s.mark_step,
            "correct_mark": lambda a, d: correct_mark(s, a, d),
            "set_temperature": s.set_temperature,
            "score_step": s.score_step,
            "rate_global": lambda a, d: s.rate_global(a, d["rating"]),
            "reflect": s.reflect,
            "kick": lambda a, d: s.kick(a, d["participant"], ban=d.get("ban", False)),
            "lock_room": lambda a, d: s.lock_room(a, d["locked"]),
            "set_options": s.set_options,
            "close_room": lambda a, d: s.close_room(a),
            "leave_room": lambda a, d: s.leave_room(a),
        }
        assert set(anonymous) == set(permissions.DOOR) and set(member) == set(permissions.MAY) == set(CLIENT_EVENTS) - set(anonymous)
        # Registered on python-socketio itself, not through Flask-SocketIO:
        # no Flask request context (and session copy) is pushed around every
        # event (../shared/MEASURED.md: ~40 % of the framework's per-event
        # cost); nothing below needs one, the sid comes as an argument and
        # the client address from the connection's environ.
        server = self.socketio.server
        index_rooms(server.manager)  # a closing connection leaves its own rooms without a look at every room
        for name, fn in anonymous.items():
            server.on(name, self._wrap(name, fn, anonymous=True), namespace="/")
        for name, fn in member.items():
            server.on(name, self._wrap(name, fn, anonymous=False), namespace="/")
        server.on("*", self._on_unknown, namespace="/")
        server.on("connect", self._on_connect, namespace="/")
        server.on("disconnect", self._on_disconnect, namespace="/")
        refuse_reserved_events(
            self.socketio.server,
            lambda name: fail("invalid", f"{name!r} is a reserved name; a client cannot send it"),
            self.limiter.hit,
        )
        answer_malformed_packets(
            self.socketio.server,
            lambda: fail("invalid", "the packet could not be read (JSON nested too deeply, a number too long, "
                         "or not an event); nothing was done"),
            self.limiter.hit,
        )

    def _wrap(self, name: str, fn: Callable, *, anonymous: bool) -> Callable:
        load = loader(CLIENT_EVENTS[name]())  # the schema's load, valid payloads without its machinery

        def handler(sid: str, *args: Any) -> dict:
            try:
                return self._handle(sid, name, load, fn, anonymous, args)
            except Exception:  # never let one event take anything else down
                log.exception("event %s failed", name)
                return fail("unavailable", "the server could not do that just now; nothing was changed, please try again")

        handler.__name__ = f"on_{name}"
        return handler

    def _handle(self, sid: str, name: str, load: Callable[[Any], dict], fn: Callable, anonymous: bool, args: tuple) -> dict:
        if not self.limiter.hit(sid):
            return fail("rate_limited", "too many events from this connection; slow down a little")
        if len(args) > 1:
            return fail("invalid", "send one payload object per event")
        payload = args[0] if args else {}
        if payload is None:
            payload = {}
        if self._too_large(payload):
            return fail("too_large", f"the payload is larger than {self.max_payload_bytes} bytes")
        try:
            data = load(payload)
        except ValidationError as err:
            return {"ok": False, "error": validation_error_body(err)}
        actor = self.actors.get(sid)
        try:
            if anonymous:
                if actor is not None:
                    return fail("conflict", f"this connection is already in room {actor.code}; leave it or open a new connection")
                outcome = self._guarded(fn, sid, data)
            else:
                if actor is None:
                    return fail("unauthorized", "join, rejoin or host a room first")
                outcome = fn(actor, data)
        except RuleError as err:
            return {"ok": False, "error": error_body(err.code, err.message, list(err.fields.items()))}
        except SQLAlchemyError:
            log.exception("database error in %s", name)
            return fail("unavailable", "the database could not be reached; nothing was changed, please try again")
        self.perform(outcome, sid)
        return {"ok": True, **outcome.ack}

    def _guarded(self, fn: Callable, sid: str, data: dict) -> Outcome:
        """join_room, rejoin, host_room: refused at once for an address that
        guessed too often; a wrong code or token counts against it."""
        address = self._address(sid)
        wait = self.guesses.retry_after(address)
        if wait is not None:
            raise RuleError("rate_limited", f"too many failed attempts from your network; try again in {wait} s")
        try:
            return fn(sid, data)
        except RuleError as err:
            if err.code in GUESS_CODES:
                self.guesses.failed(address)
            raise

    def _too_large(self, payload: Any) -> bool:
        try:
            return len(_COMPACT.encode(payload)) > self.max_payload_bytes
        except (TypeError, ValueError):
            return False  # not JSON-able: the schema refuses it

    # -- carrying out an outcome (after its commit) ----------------------
    def perform(self, outcome: Outcome, sid: str | None = None) -> None:
        if sid is not None:
            if outcome.actor is not None:
                self.actors[sid] = outcome.actor
            for room in outcome.enter:
                self.socketio.server.enter_room(sid, room, namespace="/")
            for room in outcome.leave:
                self.socketio.server.leave_room(sid, room, namespace="/")
            if outcome.leave and sid in self.actors and outcome.actor is None:
                self.actors.pop(sid, None)
        for e in outcome.emits:
            rooms = socket_rooms(e.to)
            if rooms:  # (no `to` would be everyone on the server)
                self.batcher.emit(e.to.code, e.event, e.payload, rooms if len(rooms) > 1 else rooms[0])
        for code in outcome.aggregate:
            self.aggregates.touch(code)
        if outcome.disconnect:
            self.socketio.start_background_task(self._drop_later, list(outcome.disconnect))

    def _members(self, code: str) -> int:
        return sum(1 for _ in self.socketio.server.manager.get_participants("/", part_room(code)))

    def _send(self, event: str, payload: dict, to: str | list[str]) -> None:
        # one call per event: python-socketio encodes the packet once for all these rooms
        self.socketio.emit(event, payload, to=to, namespace="/")

    def _drop_later(self, sids: list[str]) -> None:
        # give the notice a moment to reach them before the socket closes
        self.socketio.sleep(0.3)
        for sid in sids:
            self.actors.pop(sid, None)
            try:
                self.socketio.server.disconnect(sid, namespace="/")
            except Exception:  # already gone
                log.debug("could not disconnect %s", sid, exc_info=True)

    def _address(self, sid: str) -> str | None:
        """The client's address (TrustedProxies has already put a trusted
        proxy's X-Forwarded-For into the environ)."""
        environ = self.socketio.server.get_environ(sid, namespace="/") or {}
        return environ.get("REMOTE_ADDR")

    def _on_unknown(self, event: str, sid: str, *args: Any) -> dict:
        """An event the protocol does not have still gets an answer."""
        if not self.limiter.hit(sid):
            return fail("rate_limited", "too many events from this connection; slow down a little")
        name = str(event)[:60]
        return fail("invalid", f"there is no event {name!r} in this protocol")

    def _on_connect(self, sid: str, environ: dict, auth: Any = None) -> bool:
        return True

    def _on_disconnect(self, sid: str, *args: Any) -> None:
        self.actors.pop(sid, None)
        self.limiter.forget(sid)
        try:
            self.perform(self.service.disconnected(sid))
        except Exception:
            log.exception("disconnect of %s", sid)

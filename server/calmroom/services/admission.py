"""Coming in other than by a plain join (domain/admission.py): a knock on a
locked room, a join under the name of an offline participant (both become a
pending join request the facilitator answers), and a move to another device
with a personal rejoin code.

Every change is made under the room lock and committed before anything is
emitted; requests live in the database and reach their askers and the
facilitator through audiences, so any worker can answer them."""
from __future__ import annotations

import hmac
import secrets

from ..domain import admission as rules
from ..domain import membership, permissions, phases
from ..domain.errors import RuleError, not_found
from ..domain.views import state_view
from ..protocol.text import name_key
from ..store import admission as store
from ..store import repository as repo
from ..store.headcount import membership_context as people_context
from ..store.models import ConnectionRow, JoinRequestRow, ParticipantRow, RoomRow
from . import fanout
from .base import hash_rejoin_code, hash_token, new_rejoin_code
from .outcome import Actor, Emit, Outcome, part_room, person_room
from .rooms import RoomService

MOVED_MESSAGE = "you continued in this room on another device"


class Admission:
    """The use cases of domain/admission.py, next to the room service whose
    sessions, decks and plain join it uses."""

    def __init__(self, rooms: RoomService):
        self.rooms = rooms

    # -- the commands that wrap a room command ------------------------------
    def join(self, sid: str, room: str, name: str) -> Outcome:
        """`join_room`: a name held by an offline participant becomes a
        request to take their place (a name held online is refused)."""
        try:
            return self.rooms.join_room(sid, room, name)
        except RuleError as err:
            if not (err.code == "invalid" and err.field == "name"):
                raise
        try:  # held: look again under the lock
            return self.ask(sid, room, name)
        except _PlainJoin:  # they left meanwhile: the name is free
            return self.rooms.join_room(sid, room, name)

    def rejoin(self, sid: str, room: str, token: str) -> Outcome:
        """`rejoin`: a token of a device that moved on is told so."""
        try:
            return self.rooms.rejoin(sid, room, token)
        except RuleError as err:
            if err.code == "unauthorized" and err.field == "token" and self._moved(room, token):
                raise RuleError("conflict", f"token: {MOVED_MESSAGE}", "token") from None
            raise

    def host(self, sid: str, room: str, token: str) -> Outcome:
        return self.rooms.host_room(sid, room, token, requests=self._waiting)

    def sync(self, actor: Actor) -> Outcome:
        out = self.rooms.sync(actor)
        if actor.is_facilitator:
            self._add_requests(actor.code, out)
        return out

    # -- asking -----------------------------------------------------------------
    def knock(self, sid: str, room: str, name: str) -> Outcome:
        """`knock`: ask to be let in; in a room that is open it is a join."""
        try:
            return self.ask(sid, room, name)
        except _PlainJoin:
            return self.join(sid, room, name)

    def ask(self, sid: str, room: str, name: str) -> Outcome:
        now = self.rooms.now_ms()
        with self.rooms._locked(room) as (session, row):
            phases.require_open(row.phase)
            key = name_key(name)
            holders = store.holders_of_name(session, row.id, key)
            membership.refuse_banned(p.status for p in holders)
            holder = holders[0] if holders else None
            online = None if holder is None else holder.id in repo.connected_ids(session, row.id)
            kind = rules.kind_for_name(online, row.locked)
            if kind is None:
                raise _PlainJoin()
            live = store.live_requests(session, row.id)
            waiting = [r for r in live if store.as_request(r).status_at(now) == rules.PENDING]
            store.forget_requests(session, row.id, [r.id for r in live if store.as_request(r).status_at(now) == rules.EXPIRED])
            rules.may_ask(len(waiting), any(r.name_key == key for r in waiting))
            secret = secrets.token_urlsafe(24)
            req = JoinRequestRow(
                id="r" + secrets.token_hex(8), room_id=row.id, kind=kind, name=name, name_key=key,
                participant_id=holder.id if holder is not None else None, token_hash=hash_token(secret),
                status=rules.PENDING, created_ms=now,
            )
            session.add(req)
            version = repo.bump(row, now)  # the facilitator's alone: no `prev`
            mine = store.as_request(req)
        payload = {"version": version, "request": rules.request_view(mine, now)}
        out = Outcome(emits=[fanout.emit("join_requested", payload, room)])
        out.ack = {"request": {**rules.asker_view(mine, now), "token": secret}}
        out.enter = [person_room(mine.id)]
        return out

    def _asked(self, session, row: RoomRow, request_id: str, token: str) -> JoinRequestRow:
        req = store.request_of(session, row.id, request_id)
        if req is None or not hmac.compare_digest(req.token_hash, hash_token(token)):
            raise RuleError("unauthorized", "that request does not belong to this room", "request")
        return req

    def claim(self, sid: str, room: str, request_id: str, token: str) -> Outcome:
        """`claim_request`: the asker comes in once admitted; before that it
        hears where its request stands (and listens for the answer again)."""
        now = self.rooms.now_ms()
        with self.rooms._locked(room) as (session, row):
            phases.require_open(row.phase)
            req = self._asked(session, row, request_id, token)
            mine = store.as_request(req)
            status = mine.status_at(now)
            if not rules.may_claim(status):
                out = Outcome(ack={"request": rules.asker_view(mine, now)})
                if status == rules.PENDING:
                    out.enter = [person_room(req.id)]
                return out
            p = session.get(ParticipantRow, req.participant_id)
            rules.require_place(p and p.status)
            req.status = rules.CLAIMED
            out = self._seat(session, row, p, sid, now, moved=req.kind == rules.TAKEOVER)
            out.ack["request"] = rules.asker_view(store.as_request(req), now)
        out.leave = [person_room(request_id)]
        return out

    def cancel(self, sid: str, room: str, request_id: str, token: str) -> Outcome:
        """`cancel_request`: the asker stops waiting."""
        now = self.rooms.now_ms()
        with self.rooms._locked(room) as (session, row):
            req = self._asked(session, row, request_id, token)
            rules.answerable(store.as_request(req), now)
            req.status = rules.WITHDRAWN
            req.answered_ms = now
            version = repo.bump(row, now)
            mine = store.as_request(req)
        closed = {"version": version, "request": request_id, "outcome": rules.WITHDRAWN}
        out = Outcome(ack={"request": rules.asker_view(mine, now)}, emits=[fanout.emit("join_request_closed", closed, room)])
        out.leave = [person_room(request_id)]
        return out

    # -- answering ----------------------------------------------------------------
    def answer(self, actor: Actor, request_id: str, admit: bool) -> Outcome:
        """`answer_request`: the facilitator lets the asker in, or not."""
        permissions.require_sender("answer_request", actor.is_facilitator)
        now = self.rooms.now_ms()
        emits: list[Emit] = []
        with self.rooms._locked(actor.code) as (session, row):
            phases.require_open(row.phase)
            req = store.request_of(session, row.id, request_id)
            if req is None:
                raise not_found("there is no such request in this room", "request")
            asked = store.as_request(req)
            if asked.kind == rules.TAKEOVER:
                holder = session.get(ParticipantRow, req.participant_id)
                status = rules.answer(asked, now, admit, holder_status=holder and holder.status)
            else:
                taken = bool(store.holders_of_name(session, row.id, req.name_key))
                status = rules.answer(asked, now, admit, name_taken=taken)
                if status == rules.ADMITTED:
                    emits += self._seat_newcomer(session, row, req, now)
            req.status = status
            req.answered_ms = now
            version = repo.bump(row, now)
        outcome = req.status
        emits.append(fanout.emit("join_request_closed", {"version": version, "request": request_id, "outcome": outcome}, actor.code))
        emits.append(fanout.emit("join_answered", {"version": version, "request": request_id, "outcome": outcome}, actor.code, who=request_id))
        return Outcome(ack={"request": request_id, "outcome": outcome}, emits=emits)

    def _seat_newcomer(self, session, row: RoomRow, req: JoinRequestRow, now: int) -> list[Emit]:
        """A knock admitted: the newcomer is a participant from now on (not yet
        connected; their device comes in with `claim_request`)."""
        pid = secrets.token_hex(8)
        session.add(
            ParticipantRow(
                id=pid, room_id=row.id, name=req.name, name_key=req.name_key,
                token_hash=hash_token(secrets.token_urlsafe(32)),  # nobody's until claimed
                seq=row.next_seq, status=membership.ACTIVE, joined_ms=now,
            )
        )
        row.next_seq += 1
        req.participant_id = pid
        version, prev = fanout.share(row, now)
        session.flush()
        room = repo.load_room(session, row, self.rooms.decks)
        return fanout.joined(room, pid, version, prev)

    # -- devices --------------------------------------------------------------------
    def rejoin_with_code(self, sid: str, room: str, code: str) -> Outcome:
        """`rejoin_with_code`: this device becomes the participant whose code
        it is; their other devices are told they moved and are let go."""
        now = self.rooms.now_ms()
        with self.rooms._locked(room) as (session, row):
            phases.require_open(row.phase)
            p = store.participant_by_code(session, row.id, hash_rejoin_code(row.code, code))
            if p is None:
                raise RuleError("unauthorized", "that rejoin code does not fit anyone in this room", "code")
            return self._seat(session, row, p, sid, now, moved=True)

    def renew_rejoin_code(self, actor: Actor) -> Outcome:
        """`renew_rejoin_code`: a fresh code for this participant (the old one
        stops working); told to them alone, in the ack."""
        permissions.require_sender("renew_rejoin_code", actor.is_facilitator)
        with self.rooms._locked(actor.code) as (session, row):
            p = self.rooms._participant(session, row, actor)
            code = new_rejoin_code()
            p.rejoin_code_hash = hash_rejoin_code(row.code, code)
        return Outcome(ack={"rejoin_code": rules.show_rejoin_code(code)})

    def _seat(self, session, row: RoomRow, p: ParticipantRow, sid: str, now: int, *, moved: bool) -> Outcome:
        """This socket becomes participant `p`, with a new token and a new
        rejoin code. Their other sockets (moved: on another device) are told
        so and dropped; everyone else hears of it only if `p` comes online."""
        token, code = secrets.token_urlsafe(32), new_rejoin_code()
        others = [s for s in store.sockets_of(session, p.id) if s != sid]
        if moved:
            p.moved_token_hash = p.token_hash
        p.token_hash = hash_token(token)
        p.rejoin_code_hash = hash_rejoin_code(row.code, code)
        repo.drop_connections(session, others)
        if session.get(ConnectionRow, sid) is None:
            session.add(ConnectionRow(sid=sid, room_id=row.id, participant_id=p.id, worker=self.rooms.worker_id, connected_ms=now))
        out = Outcome()
        if others:  # still online: nobody else sees a change; the facilitator is told
            version = repo.bump(row, now)
            notice = {"version": version, "kind": "moved", "message": MOVED_MESSAGE, "by": p.id}
            out.emits = [fanout.notice(row.code, notice, who=p.id)]
            out.disconnect = others
        else:
            version, prev = fanout.share(row, now)
            session.flush()
            out.emits = fanout.presence(row.code, people_context(session, row), p.id, True, version, prev)
        session.flush()
        state = state_view(repo.load_room(session, row, self.rooms.decks, viewer=p.id), p.id, now)
        out.ack = {"token": token, "you": {"id": p.id, "name": p.name}, "state": state, "rejoin_code": rules.show_rejoin_code(code)}
        out.actor = Actor(row.code, p.id, sid)
        out.enter = [part_room(row.code), person_room(p.id)]
        return out

    # -- helpers ------------------------------------------------------------------------
    def _moved(self, room: str, token: str) -> bool:
        with self.rooms.sessions() as session:
            row = repo.find_room(session, room)
            return row is not None and store.participant_moved_from(session, row.id, hash_token(token)) is not None

    @staticmethod
    def _waiting(conn, room_id: int, now: int) -> list[dict]:
        """The requests the facilitator's whole state lists (host_room's transaction)."""
        live = store.live_request_rows(conn, room_id)
        return [rules.request_view(r, now) for r in rules.waiting([store.as_request(r) for r in live], now)] if live else []

    def _add_requests(self, room: str, out: Outcome) -> None:
        """The facilitator's whole state lists the requests still waiting
        (a sync; host_room reads them in its own transaction: `_waiting`)."""
        now = self.rooms.now_ms()
        with self.rooms.sessions() as session:
            row = repo.find_room(session, room)
            views = self._waiting(session.connection(), row.id, now) if row is not None else []
        state = out.ack.get("state")
        if state is not None and views:
            state["requests"] = views


class _PlainJoin(Exception):
    """Asking where a plain join does (an open room, a free name)."""


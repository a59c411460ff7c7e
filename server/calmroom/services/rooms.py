"""Room use cases: lock the room, ask the rules, save, commit, then say what
to emit. Nothing is emitted or acked before the commit."""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from contextlib import contextmanager
from typing import Any, Callable, Iterator

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ..domain import audiences as aud
from ..domain import phases
from ..domain.anonymity import timeout_by
from ..domain.clock import Clock
from ..domain.errors import RuleError, conflict, forbidden, invalid, not_found
from ..domain.options import RoomOptions
from ..domain.room import AGENT, CUSTOMER, FACILITATOR, OBSERVER, Participant, Room
from ..domain.rotation import Seat, choose_roles, next_card_id
from ..domain.views import state_view
from ..protocol.events import CODE_ALPHABET, CODE_LENGTH
from ..protocol.text import name_key
from ..store import repository as repo
from ..store.fastpath import live_store
from ..store.models import (
    ConnectionRow,
    ParticipantRow,
    RoomRow,
    RoundRow,
    TimeoutRow,
)
from . import fanout
from .options import Options
from .outcome import Actor, Emit, Outcome, fac_room, part_room, person_room
from .roster import Rosters


BANNED = "banned"  # a participant's status after `kick {ban: true}`


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(token: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_token(token), stored_hash)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def wall_ms() -> int:
    return int(time.time() * 1000)


class RoomService(Options):
    def __init__(
        self,
        sessions: sessionmaker[Session],
        decks: repo.DeckCache,
        *,
        worker_id: str,
        now_ms: Callable[[], int] = wall_ms,
    ):
        self.sessions = sessions
        self.engine = sessions.kw["bind"]
        self.live = live_store(self.engine)  # the live events' transactions (store/fastpath.py)
        self.decks = decks
        self.worker_id = worker_id
        self.now_ms = now_ms
        self.rosters = Rosters()

    def close(self) -> None:
        """Give back the live path's connection (the server holds it until it exits)."""
        self.live.close()

    # -- plumbing -------------------------------------------------------
    @contextmanager
    def _locked(self, code: str) -> Iterator[tuple[Session, RoomRow]]:
        session = self.sessions()
        try:
            with session.begin():
                row = repo.lock_room(session, code)
                if row is None:
                    raise not_found(f"there is no room {code}", "room")
                yield session, row
        finally:
            session.close()

    def _changed(self, session: Session, row: RoomRow, now: int, *extra: Emit) -> Outcome:
        """A change everyone hears of: bump, read the room back, one `state`
        per audience (the extras, notices of this version, get its `prev`)."""
        _version, prev = fanout.share(row, now)
        session.flush()
        room = repo.load_room(session, row, self.decks)
        self.rosters.put(row.id, row.code, row.shared_version, room.participants)
        for e in extra:
            e.payload["prev"] = prev
        return Outcome(emits=[*extra, *fanout.states(room, prev, now)])

    def _participant(self, session: Session, row: RoomRow, actor: Actor) -> ParticipantRow:
        p = session.get(ParticipantRow, actor.participant_id)
        if p is None or p.room_id != row.id or p.status != "active":
            raise RuleError("unauthorized", "you are no longer in this room; join again")
        return p

    @staticmethod
    def _need_facilitator(actor: Actor, command: str) -> None:
        if not actor.is_facilitator:
            raise forbidden(f"only the facilitator can {command.replace('_', ' ')}")

    @staticmethod
    def _need_participant(actor: Actor, command: str) -> None:
        if actor.is_facilitator:
            raise forbidden(f"{command} is for participants, not the facilitator")

    def _round(self, session: Session, row: RoomRow) -> RoundRow:
        rnd = repo.current_round(session, row)
        if rnd is None:
            raise conflict("no round has been started")
        return rnd

    def _author_role(self, session: Session, row: RoomRow, rnd: RoundRow, actor: Actor) -> str:
        if actor.is_facilitator:
            return FACILITATOR
        self._participant(session, row, actor)
        if actor.participant_id == rnd.customer_id:
            return CUSTOMER
        if actor.participant_id == rnd.agent_id:
            return AGENT
        return OBSERVER

    def _author(self, actor: Actor) -> str:
        return FACILITATOR if actor.is_facilitator else actor.participant_id  # type: ignore[return-value]

    # -- rooms ----------------------------------------------------------
    def create_room(self, deck_id: str, title: str | None, duration_s: int | None, options: dict | None = None) -> dict:
        now = self.now_ms()
        token = secrets.token_urlsafe(32)
        for _ in range(20):
            session = self.sessions()
            try:
                with session.begin():
                    deck_row = repo.latest_deck(session, deck_id)
                    if deck_row is None:
                        raise not_found(f"there is no deck {deck_id!r}", "deck")
                    code = new_code()
                    session.add(
                        RoomRow(
                            code=code,
                            title=title or deck_row.title,
                            deck_pk=deck_row.pk,
                            phase=phases.LOBBY,
                            version=1,
                            locked=False,
                            facilitator_token_hash=hash_token(token),
                            duration_s=duration_s,
                            options=RoomOptions().changed(**(options or {})).as_dict(),
                            next_seq=1,
                            created_ms=now,
                            updated_ms=now,
                        )
                    )
                return {"code": code, "facilitator_token": token}
            except IntegrityError:
                continue  # the code was taken; draw another
            finally:
                session.close()
        raise RuleError("conflict", "could not find a free room code; try again")

    def summary(self, code: str) -> dict:
        with self.sessions() as session:
            row = repo.find_room(session, code)
            if row is None:
                raise not_found(f"there is no room {code}", "room")
            deck = self.decks.get(session, row.deck_pk)
            count = len(repo.active_participants(session, row.id))
            return {
                "code": row.code,
                "title": row.title,
                "phase": row.phase,
                "locked": row.locked,
                "deck": {"id": deck.id, "title": deck.title, "language": deck.language},
                "participant_count": count,
                "version": row.version,
            }

    def check_facilitator(self, code: str, token: str | None) -> int:
        """The room's id when `token` is its facilitator token."""
        with self.sessions() as session:
            row = repo.find_room(session, code)
            if row is None:
                raise not_found(f"there is no room {code}", "room")
            if not token or not token_matches(token, row.facilitator_token_hash):
                raise RuleError("unauthorized", "a valid facilitator token is needed")
            return row.id

    def delete_room(self, code: str, token: str | None) -> Outcome:
        self.check_facilitator(code, token)
        with self._locked(code) as (session, row):
            sids = list(session.scalars(select(ConnectionRow.sid).where(ConnectionRow.room_id == row.id)))
            repo.delete_room(session, row.id)
        repo.scrub_wal(self.sessions)
        notice = {"version": row.version + 1, "kind": "deleted", "message": "the facilitator deleted this room"}
        return Outcome(
            emits=[fanout.notice(code, notice)],
            disconnect=sids,
        )

    # -- membership -----------------------------------------------------
    def join_room(self, sid: str, room: str, name: str) -> Outcome:
        now = self.now_ms()
        with self._locked(room) as (session, row):
            phases.require_open(row.phase)
            if row.locked:
                raise RuleError("room_locked", "this room is locked; ask the facilitator to open it")
            key = name_key(name)
            taken = session.scalars(
                select(ParticipantRow.status).where(
                    ParticipantRow.room_id == row.id, ParticipantRow.name_key == key,
                    ParticipantRow.status.in_(("active", BANNED)),
                )
            ).all()
            if BANNED in taken:
                raise RuleError("forbidden", "the facilitator has removed this name from the room; it cannot join again", "name")
            if taken:
                raise invalid("name", "someone in this room already uses that name")
            token = secrets.token_urlsafe(32)
            pid = secrets.token_hex(8)
            session.add(
                ParticipantRow(
                    id=pid, room_id=row.id, name=name, name_key=key, token_hash=hash_token(token),
                    seq=row.next_seq, status="active", joined_ms=now,
                )
            )
            row.next_seq += 1
            session.flush()
            session.add(ConnectionRow(sid=sid, room_id=row.id, participant_id=pid, worker=self.worker_id, connected_ms=now))
            version, prev = fanout.share(row, now)
            session.flush()
            me = Participant(pid, name, row.next_seq - 1, connected=True)
            people = self.rosters.joined(row.id, row.code, prev, version, me)
            room_state = repo.load_room(session, row, self.decks, participants=people)
            if people is None:
                self.rosters.put(row.id, row.code, version, room_state.participants)
        # the joiner gets the whole room in its ack, everyone else a delta
        state = state_view(room_state, pid, now)
        out = Outcome(emits=fanout.joined(room_state, pid, version, prev))
        you = {"id": pid, "name": name}
        out.ack = {"token": token, "you": you, "state": state}
        out.actor = Actor(room, pid, sid)
        out.enter = [part_room(room), person_room(pid)]
        return out

    def rejoin(self, sid: str, room: str, token: str) -> Outcome:
        now = self.now_ms()
        with self._locked(room) as (session, row):
            phases.require_open(row.phase)
            digest = hash_token(token)
            p = session.scalars(
                select(ParticipantRow).where(ParticipantRow.room_id == row.id, ParticipantRow.token_hash == digest)
            ).first()
            if p is None or not hmac.compare_digest(p.token_hash, digest):
                raise RuleError("unauthorized", "that token does not belong to this room", "token")
            if p.status in ("kicked", BANNED):
                raise RuleError("unauthorized", "the facilitator removed you from this room", "token")
            if p.status != "active":
                raise RuleError("unauthorized", "you left this room; join again with a name", "token")
            was_online = p.id in repo.connected_ids(session, row.id)
            if session.get(ConnectionRow, sid) is None:
                session.add(ConnectionRow(sid=sid, room_id=row.id, participant_id=p.id, worker=self.worker_id, connected_ms=now))
            session.flush()
            out = Outcome()
            if not was_online:
                version, prev = fanout.share(row, now)
                out.emits = fanout.presence(row.code, p.id, True, version, prev)
            session.flush()
            state = state_view(repo.load_room(session, row, self.decks), p.id, now)
        out.ack = {"you": {"id": p.id, "name": p.name}, "state": state}
        out.actor = Actor(room, p.id, sid)
        out.enter = [part_room(room), person_room(p.id)]
        return out

    def host_room(self, sid: str, room: str, token: str) -> Outcome:
        now = self.now_ms()
        with self._locked(room) as (session, row):
            if not token_matches(token, row.facilitator_token_hash):
                raise RuleError("unauthorized", "that is not this room's facilitator token", "facilitator_token")
            if session.get(ConnectionRow, sid) is None:
                session.add(ConnectionRow(sid=sid, room_id=row.id, participant_id=None, worker=self.worker_id, connected_ms=now))
            room_state = repo.load_room(session, row, self.decks)
        out = Outcome(ack={"state": state_view(room_state, FACILITATOR, now)})
        out.actor = Actor(room, None, sid)
        out.enter = [fac_room(room)]
        return out

    def sync(self, actor: Actor) -> Outcome:
        now = self.now_ms()
        with self.sessions() as session:
            row = repo.find_room(session, actor.code)
            if row is None:
                raise not_found(f"there is no room {actor.code}", "room")
            if not actor.is_facilitator:
                self._participant(session, row, actor)
            room = repo.load_room(session, row, self.decks)
        return Outcome(ack={"state": state_view(room, self._author(actor), now)})

    def leave_room(self, actor: Actor) -> Outcome:
        self._need_participant(actor, "leave_room")
        now = self.now_ms()
        with self._locked(actor.code) as (session, row):
            p = self._participant(session, row, actor)
            p.status = "left"
            sids = list(session.scalars(select(ConnectionRow.sid).where(ConnectionRow.participant_id == p.id)))
            repo.drop_connections(session, sids)
            version, prev = fanout.share(row, now)
        out = Outcome(emits=fanout.left(actor.code, p.id, version, prev, "left"))
        out.leave = [part_room(actor.code), person_room(p.id)]
        out.disconnect = [s for s in sids if s != actor.sid]
        return out

    def kick(self, actor: Actor, participant: str, ban: bool = False) -> Outcome:
        """Remove a participant; with `ban` their name is refused in this room
        from now on (their token dies with any kick)."""
        self._need_facilitator(actor, "kick")
        now = self.now_ms()
        with self._locked(actor.code) as (session, row):
            p = session.get(ParticipantRow, participant)
            if p is None or p.room_id != row.id or p.status != "active":
                raise not_found("there is no such participant in this room", "participant")
            p.status = BANNED if ban else "kicked"
            sids = list(session.scalars(select(ConnectionRow.sid).where(ConnectionRow.participant_id == p.id)))
            repo.drop_connections(session, sids)
            message = "the facilitator removed you from this room" + ("; you cannot join it again" if ban else "")
            version, prev = fanout.share(row, now)
            payload = {"version": version, "prev": prev, "kind": "kicked", "message": message, **({"ban": True} if ban else {})}
            notice = Emit("notice", payload, aud.person(row.code, p.id))
        out = Outcome(emits=[notice, *fanout.left(actor.code, p.id, version, prev, "kicked")])
        out.disconnect = sids
        return out

    def disconnected(self, sid: str) -> Outcome:
        """A socket went away: drop its connection row; if that was the
        participant's last one, everyone sees them as not connected."""
        now = self.now_ms()
        session = self.sessions()
        try:
            with session.begin():
                conn = session.get(ConnectionRow, sid)
                if conn is None:
                    return Outcome()
                room_id, pid = conn.room_id, conn.participant_id
            if pid is None:
                with session.begin():
                    repo.drop_connections(session, [sid])
                return Outcome()
            with session.begin():
                row = session.scalars(select(RoomRow).where(RoomRow.id == room_id).with_for_update()).first()
                repo.drop_connections(session, [sid])
                if row is None:
                    return Outcome()
                session.flush()
                if pid in repo.connected_ids(session, row.id):
                    return Outcome()
                version, prev = fanout.share(row, now)
                return Outcome(emits=fanout.presence(row.code, pid, False, version, prev))
        finally:
            session.close()

    def lock_room(self, actor: Actor, locked: bool) -> Outcome:
        self._need_facilitator(actor, "lock_room")
        now = self.now_ms()
        with self._locked(actor.code) as (session, row):
            phases.require_open(row.phase)
            if row.locked == locked:
                return Outcome()
            row.locked = locked
            return self._changed(session, row, now)

    def close_room(self, actor: Actor) -> Outcome:
        self._need_facilitator(actor, "close_room")
        now = self.now_ms()
        with self._locked(actor.code) as (session, row):
            phases.require_open(row.phase)
            rnd = repo.current_round(session, row)
            if rnd is not None:
                clock = repo.clock_of(rnd)
                clock.stop(now)
                repo.save_clock(rnd, clock)
            row.phase = phases.CLOSED
            notice = {"version": row.version + 1, "kind": "closed", "message": "the facilitator closed this room"}
            return self._changed(session, row, now, fanout.notice(row.code, notice))

    # -- rounds ---------------------------------------------------------
    def start_round(self, actor: Actor, data: dict) -> Outcome:
        self._need_facilitator(actor, "start_round")
        now = self.now_ms()
        with self._locked(actor.code) as (session, row):
            target = phases.next_phase("start_round", row.phase)
            deck = self.decks.get(session, row.deck_pk)
            people = repo.active_participants(session, row.id)
            ids = {p.id for p in people}
            history = repo.rounds_of(session, row.id)

            card_id = data.get("card")
            if card_id is not None and deck.card(card_id) is None:
                raise invalid("card", f"there is no card {card_id!r} in this deck")
            if card_id is None:
                card_id = next_card_id([c.id for c in deck.cards], [r.card_id for r in history])

            customer, agent = data.get("customer"), data.get("agent")
            for field_, pid in (("customer", customer), ("agent", agent)):
                if pid is not None and pid not in ids:
                    raise invalid(field_, "is not a participant of this room")
            if customer is not None and customer == agent:
                raise invalid("agent", "must be someone other than the customer")
            if customer is None or agent is None:
                online = repo.connected_ids(session, row.id)
                seats = [
                    Seat(
                        id=p.id, seq=p.seq, connected=p.id in online,
                        times_agent=sum(r.agent_id == p.id for r in history),
                        times_customer=sum(r.customer_id == p.id for r in history),
                    )
                    for p in people
                ]
                last_agent = history[-1].agent_id if history else None
                customer, agent = choose_roles(seats, last_agent, customer=customer, agent=agent)

            rnd = RoundRow(
                room_id=row.id,
                number=(history[-1].number + 1) if history else 1,
                card_id=card_id,
                customer_id=customer,
                agent_id=agent,
                duration_s=data.get("duration_s", row.duration_s),
                accumulated_ms=0,
                running_since_ms=None,
                revealed=False,
                time_up_sent=False,
                started_ms=now,
            )
            session.add(rnd)
            session.flush()
            row.current_round_id = rnd.id
            row.phase = target
            out = self._changed(session, row, now)
            out.ack = {"round": {"id": rnd.id, "number": rnd.number}}
            return out

    def _clock_command(self, actor: Actor, command: str, start: bool | None, extra: Callable[..., list[Emit]] | None = None) -> Outcome:
        now = self.now_ms()
        with self._locked(actor.code) as (session, row):
            target = phases.next_phase(command, row.phase)
            rnd = self._round(session, row)
            emits: list[Emit] = []
            if extra is not None:
                emits = extra(session, row, rnd, now)
            clock = repo.clock_of(rnd)
            if start is True:
                clock.start(now)
            elif start is False:
                clock.stop(now)
            repo.save_clock(rnd, clock)
            if command == "reveal_results":
                rnd.revealed = True
            row.phase = target
            return self._changed(session, row, now, *emits)

    def begin_roleplay(self, actor: Actor) -> Outcome:
        self._need_facilitator(actor, "begin_roleplay")
        return self._clock_command(actor, "begin_roleplay", True)

    def pause_round(self, actor: Actor) -> Outcome:
        self._need_facilitator(actor, "pause_round")
        return self._clock_command(actor, "pause_round", False)

    def resume_round(self, actor: Actor) -> Outcome:
        self._need_facilitator(actor, "resume_round")
        return self._clock_command(actor, "resume_round", True)

    def end_roleplay(self, actor: Actor) -> Outcome:
        self._need_facilitator(actor, "end_roleplay")
        return self._clock_command(actor, "end_roleplay", False)

    def reveal_results(self, actor: Actor) -> Outcome:
        self._need_facilitator(actor, "reveal_results")
        return self._clock_command(actor, "reveal_results", None)

    def call_timeout(self, actor: Actor, reason: str | None) -> Outcome:
        self._need_participant(actor, "call_timeout")

        def record(session: Session, row: RoomRow, rnd: RoundRow, now: int) -> list[Emit]:
            p = self._participant(session, row, actor)
            t_ms = repo.clock_of(rnd).elapsed_ms(now)
            session.add(TimeoutRow(room_id=row.id, round_id=rnd.id, by=p.id, reason=reason or None, t_ms=t_ms, created_ms=now))
            base = {"version": row.version + 1, "kind": "timeout", "reason": reason or None, "t_ms": t_ms}
            said = f": {reason}" if reason else ""
            named = {**base, "message": f"{p.name} called a time-out{said}", "by": p.id}
            if timeout_by(RoomOptions.from_stored(row.options), p.id):
                return [fanout.notice(row.code, named)]
            # the facilitator learns who (to look after them); the room does not
            return [Emit("notice", named, aud.facilitator(row.code)),
                    Emit("notice", {**base, "message": f"a time-out was called{said}"}, aud.participants(row.code))]

        return self._clock_command(actor, "call_timeout", False, record)

    # -- live marks and temperatures -------------------------------------
    @contextmanager
    def _live(self, actor: Actor, command: str) -> Iterator[tuple[Any, Any]]:
        """A live event's transaction: Core, one locked read, then writes.
        Marks and temperatures are most of the traffic; this keeps them to
        three statements and a commit."""
        with self.live.begin() as conn:
            ctx = repo.live_context(conn, actor.code, actor.participant_id)
            if ctx is None:
                raise not_found(f"there is no room {actor.code}", "room")
            phases.require_phase(command, ctx.phase)
            if ctx.current_round_id is None:
                raise conflict("no round has been started")
            if not actor.is_facilitator and (ctx.sender_status != "active" or ctx.sender_room != ctx.id):
                raise RuleError("unauthorized", "you are no longer in this room; join again")
            yield conn, ctx

    @staticmethod
    def _live_role(actor: Actor, ctx: Any) -> str:
        if actor.is_facilitator:
            return FACILITATOR
        if actor.participant_id == ctx.customer_id:
            return CUSTOMER
        if actor.participant_id == ctx.agent_id:
            return AGENT
        return OBSERVER

    @staticmethod
    def _elapsed(ctx: Any, now: int) -> int:
        return Clock(ctx.accumulated_ms, ctx.running_since_ms, ctx.duration_s).elapsed_ms(now)

    def mark_step(self, actor: Actor, data: dict) -> Outcome:
        now = self.now_ms()
        author = self._author(actor)
        with self._live(actor, "mark_step") as (conn, ctx):
            if self._live_role(actor, ctx) not in (OBSERVER, FACILITATOR):
                raise forbidden("the customer and the agent play; observers and the facilitator mark")
            deck = self.decks.get(conn, ctx.deck_pk)
            self._check_step(deck, ctx.card_id, data["step"])
            self._check_rating(deck, data["rating"])
            mark = {
                "room_id": ctx.id, "round_id": ctx.current_round_id, "client_id": data["id"], "author": author,
                "step": data["step"], "rating": data["rating"], "note": data.get("note") or None,
                "t_ms": self._elapsed(ctx, now), "created_ms": now,
            }
            version = repo.write_live(conn, "mark", mark, ctx.id, now)
            if version is None:  # a retry: the same mark again, nothing changes
                return Outcome(ack={"mark": _mark_dict(repo.find_mark(conn, ctx.current_round_id, author, data["id"]))})
        mark_d = _mark_dict(mark)
        if RoomOptions.from_stored(ctx.options).fishbowl:  # the facilitator gets the aggregate, a few times a second
            return Outcome(ack={"mark": mark_d}, aggregate=[actor.code])
        return Outcome(ack={"mark": mark_d}, emits=fanout.to_facilitator(actor.code, "step_marked", {"version": version, "mark": mark_d}))

    def set_temperature(self, actor: Actor, data: dict) -> Outcome:
        now = self.now_ms()
        with self._live(actor, "set_temperature") as (conn, ctx):
            if self._live_role(actor, ctx) != CUSTOMER:
                raise forbidden("only this round's customer moves the anger meter")
            t_ms = self._elapsed(ctx, now)
            row = {"room_id": ctx.id, "round_id": ctx.current_round_id, "client_id": data["id"],
                   "level": data["level"], "t_ms": t_ms, "created_ms": now}
            if not repo.write_unversioned(conn, "temperature", row):  # a retry
                existing = repo.find_temperature(conn, ctx.current_round_id, data["id"])
                return Outcome(ack={"t_ms": existing.t_ms, "level": existing.level})
            observers = repo.observer_ids(conn, ctx.id, ctx.customer_id, ctx.agent_id)
        # No bump, and nothing to the customer and the agent: the customer has
        # its ack, and the agent must not learn that the meter moved, not even
        # from a version it could not see. The version is the last shared one:
        # an observer that had not seen it has lost an event.
        payload = {"version": ctx.shared_version, "level": data["level"], "t_ms": t_ms}
        emits = [Emit("temperature_changed", payload, aud.temperature(actor.code, observers))]
        return Outcome(ack={"t_ms": t_ms, "level": data["level"]}, emits=emits)

    # -- scoring and reflection -------------------------------------------
    def score_step(self, actor: Actor, data: dict) -> Outcome:
        now = self.now_ms()
        author = self._author(actor)
        with self._live(actor, "score_step") as (conn, ctx):
            if self._live_role(actor, ctx) not in (OBSERVER, FACILITATOR):
                raise forbidden("the customer and the agent reflect; observers and the facilitator score")
            deck = self.decks.get(conn, ctx.deck_pk)
            self._check_step(deck, ctx.card_id, data["step"])
            if data["rating"] is not None:
                self._check_rating(deck, data["rating"])
            score = {"author": author, "step": data["step"], "rating": data["rating"], "comment": data.get("comment") or None}
            version = repo.write_live(
                conn, "score", {**score, "room_id": ctx.id, "round_id": ctx.current_round_id, "updated_ms": now}, ctx.id, now
            )
        if RoomOptions.from_stored(ctx.options).fishbowl:
            return Outcome(ack={"score": score}, aggregate=[actor.code])
        return Outcome(ack={"score": score}, emits=fanout.to_facilitator(actor.code, "step_scored", {"version": version, "score": score}))

    def rate_global(self, actor: Actor, rating: int) -> Outcome:
        now = self.now_ms()
        author = self._author(actor)
        with self._live(actor, "rate_global") as (conn, ctx):
            if self._live_role(actor, ctx) not in (OBSERVER, FACILITATOR):
                raise forbidden("observers and the facilitator give the global rating")
            values = {"room_id": ctx.id, "round_id": ctx.current_round_id, "author": author, "rating": rating, "updated_ms": now}
            version = repo.write_live(conn, "global", values, ctx.id, now)
        payload = {"version": version, "author": author, "rating": rating}
        return Outcome(ack={"rating": rating}, emits=fanout.to_facilitator(actor.code, "global_rated", payload))

    def reflect(self, actor: Actor, data: dict) -> Outcome:
        self._need_participant(actor, "reflect")
        now = self.now_ms()
        with self._live(actor, "reflect") as (conn, ctx):
            role = self._live_role(actor, ctx)
            if role not in (CUSTOMER, AGENT):
                raise forbidden("only this round's customer and agent reflect")
            if role == AGENT and data.get("felt_heard") is not None:
                raise invalid("felt_heard", "is asked of the customer only")
            refl = {
                "author": actor.participant_id, "feeling": data["feeling"], "felt_heard": data.get("felt_heard"),
                "went_well": data.get("went_well") or None, "do_differently": data.get("do_differently") or None,
            }
            version = repo.write_live(
                conn, "reflection", {**refl, "room_id": ctx.id, "round_id": ctx.current_round_id, "updated_ms": now}, ctx.id, now
            )
        refl = {"author": refl["author"], "role": role, **{k: v for k, v in refl.items() if k != "author"}}
        return Outcome(
            ack={"reflection": refl}, emits=fanout.to_facilitator(actor.code, "reflected", {"version": version, "reflection": refl})
        )

    def presence_changed(self, code: str) -> list[Emit]:
        """Someone's sockets went away without a disconnect (their worker died)."""
        now = self.now_ms()
        try:
            with self._locked(code) as (session, row):
                return self._changed(session, row, now).emits
        except RuleError:
            return []

    def purge_older_than(self, cutoff_ms: int) -> Outcome:
        """Delete every room not changed since `cutoff_ms`. The outcome tells
        anyone still connected and drops their sockets; `ack["deleted"]` counts."""
        with self.sessions() as session:
            codes = [r.code for r in repo.rooms_older_than(session, cutoff_ms)]
        out = Outcome(ack={"deleted": 0})
        for code in codes:
            try:
                with self._locked(code) as (session, row):
                    if row.updated_ms >= cutoff_ms:
                        continue  # touched since we looked
                    out.disconnect += list(session.scalars(select(ConnectionRow.sid).where(ConnectionRow.room_id == row.id)))
                    repo.delete_room(session, row.id)
            except RuleError:
                continue  # deleted meanwhile
            notice = {"version": row.version + 1, "kind": "deleted", "message": "this room was deleted after the retention period"}
            out.emits.append(fanout.notice(code, notice))
            out.ack["deleted"] += 1
        if out.ack["deleted"]:
            repo.scrub_wal(self.sessions)
        return out

    def forget_connections(self, worker_id: str | None) -> None:
        """At start: sockets of a previous run of this worker (or, with one
        process, of any run) are gone; nobody stays 'connected' through them."""
        with self.sessions() as session, session.begin():
            stmt = delete(ConnectionRow)
            if worker_id is not None:
                stmt = stmt.where(ConnectionRow.worker == worker_id)
            session.execute(stmt)

    # -- checks ------------------------------------------------------------
    @staticmethod
    def _check_step(deck, card_id: str, step: str) -> None:
        if deck.step(step) is None:
            raise invalid("step", f"there is no step {step!r} in this deck")
        card = deck.card(card_id)
        if card is not None and card.steps is not None and step not in card.steps:
            raise invalid("step", f"step {step!r} is not scored on this card")

    @staticmethod
    def _check_rating(deck, rating: int) -> None:
        if not deck.scale.contains(rating):
            raise invalid("rating", f"must be between {deck.scale.min} and {deck.scale.max}")

    # -- background: the clock ---------------------------------------------
    def time_up_sweep(self) -> list[Emit]:
        """Tell a room once when its round's time is up. The flag is set under
        the room lock, so with several workers only one of them tells."""
        now = self.now_ms()
        emits: list[Emit] = []
        with self.sessions() as session:
            running = repo.set_running_rounds(session)
        for code, round_id in running:
            try:
                with self._locked(code) as (session, row):
                    rnd = session.get(RoundRow, round_id)
                    if rnd is None or rnd.time_up_sent or row.current_round_id != round_id:
                        continue
                    remaining = repo.clock_of(rnd).remaining_ms(now)
                    if remaining is None or remaining > 0:
                        continue
                    rnd.time_up_sent = True
                    version, prev = fanout.share(row, now)
                    notice = {"version": version, "prev": prev, "kind": "time_up", "message": "the time for this role-play is up"}
                    emits.append(fanout.notice(code, notice))
            except RuleError:
                continue
        return emits


def _mark_dict(m: Any) -> dict[str, Any]:
    """From a mapping of mark columns or a row of the marks table."""
    if not isinstance(m, dict):
        m = m._asdict()
    return {"id": m["client_id"], "author": m["author"], "step": m["step"], "rating": m["rating"], "note": m["note"], "t_ms": m["t_ms"]}


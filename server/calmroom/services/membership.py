"""Who is in a room: create it, join, rejoin, host, sync, leave, kick,
sockets that went away."""
from __future__ import annotations

import hmac
import secrets
from typing import Any, Callable

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ..domain import membership as rules
from ..domain import phases
from ..domain.errors import RuleError, not_found
from ..domain.options import RoomOptions
from ..domain.room import FACILITATOR, Participant
from ..domain.views import state_view
from ..protocol.text import name_key
from ..store import repository as repo
from ..store import rounds as rounds_store
from ..store import seating
from ..store.headcount import context_of_head, membership_context as people_context
from ..store.models import ConnectionRow, ParticipantRow
from ..domain.admission import show_rejoin_code
from . import fanout
from .base import ServiceBase, hash_rejoin_code, hash_token, new_code, new_rejoin_code, token_matches
from .outcome import Actor, Emit, Outcome, fac_room, part_room, person_room

Requests = Callable[[Any, int, int], list[dict]]


class Membership(ServiceBase):
    def create_room(self, deck_id: str, title: str | None, duration_s: int | None, options: dict | None = None) -> dict:
        now = self.now_ms()
        token = secrets.token_urlsafe(32)
        stored_options = RoomOptions().changed(**(options or {})).as_dict()
        for _ in range(20):
            try:
                with self.live.begin() as conn:  # in Core, as a join (store/seating.py)
                    deck = seating.latest_deck(conn, deck_id)
                    if deck is None:
                        raise not_found(f"there is no deck {deck_id!r}", "deck")
                    code = new_code()
                    seating.new_room(conn, {
                        "code": code, "title": title or deck.title, "deck_pk": deck.pk, "phase": phases.LOBBY,
                        "version": 1, "shared_version": 1, "locked": False, "options": stored_options,
                        "facilitator_token_hash": hash_token(token), "duration_s": duration_s, "next_seq": 1,
                        "created_ms": now, "updated_ms": now,
                    })
                return {"code": code, "facilitator_token": token}
            except IntegrityError:
                continue  # the code was taken; draw another
        raise RuleError("conflict", "could not find a free room code; try again")

    def join_room(self, sid: str, room: str, name: str) -> Outcome:
        now = self.now_ms()
        # Core statements on the live path's transaction (no ORM session, no
        # pool checkout: they were half a join's cost), one commit: the hot
        # path of a big room filling up (store/seating.py)
        with self.live.begin() as conn:
            row = rounds_store.read_locked(conn, room, self.live.postgres)
            if row is None:
                raise not_found(f"there is no room {room}", "room")
            key = name_key(name)
            holders = seating.name_statuses(conn, row.id, key, rules.HOLDING_A_NAME)
            status = rules.may_join(row.phase, row.locked, holders)
            token, code = secrets.token_urlsafe(32), new_rejoin_code()
            pid = secrets.token_hex(8)
            person = {"id": pid, "name": name, "name_key": key, "token_hash": hash_token(token), "status": status,
                      "rejoin_code_hash": hash_rejoin_code(row.code, code)}
            seq = row.next_seq
            version, prev = seating.seat(conn, row, person, sid, self.worker_id, now)
            me = Participant(pid, name, seq, connected=True)
            known = self.rosters.joined(row.id, row.code, prev, version, me)
            people, former = known if known is not None else repo.read_people(conn, row.id)
            # the joiner's state alone needs the round's items (its fan-out: names and roles)
            room_state = rounds_store.room_of(conn, row, self.decks.get(conn, row.deck_pk), people, former, viewer=pid)
            if known is None:
                self.rosters.put(row.id, row.code, version, room_state.participants, room_state.former)
        # the joiner gets the whole room in its ack, everyone else a delta
        state = state_view(room_state, pid, now)
        out = Outcome(emits=fanout.joined(room_state, pid, version, prev, state.get("headcount")))
        you = {"id": pid, "name": name}
        out.ack = {"token": token, "you": you, "state": state, "rejoin_code": show_rejoin_code(code)}
        out.actor = Actor(room, pid, sid)
        out.enter = [part_room(room), person_room(pid)]
        return out

    def rejoin(self, sid: str, room: str, token: str) -> Outcome:
        now = self.now_ms()
        with self._locked(room) as (session, row):
            digest = hash_token(token)
            p = session.scalars(
                select(ParticipantRow).where(ParticipantRow.room_id == row.id, ParticipantRow.token_hash == digest)
            ).first()
            found = p is not None and hmac.compare_digest(p.token_hash, digest)
            rules.may_rejoin(row.phase, p.status if found else None)
            was_online = p.id in repo.connected_ids(session, row.id)
            if session.get(ConnectionRow, sid) is None:
                session.add(ConnectionRow(sid=sid, room_id=row.id, participant_id=p.id, worker=self.worker_id, connected_ms=now))
            session.flush()
            seen = row.shared_version  # the list does not change with presence: the roster's at this version serves
            out = Outcome()
            if not was_online:
                version, prev = fanout.share(row, now)
                session.flush()
                out.emits = fanout.presence(row.code, people_context(session, row), p.id, True, version, prev)
            session.flush()
            people, former = self._known_people(session, row, seen)
            room_state = repo.load_room(session, row, self.decks, participants=people, former=former, viewer=p.id)
            state = state_view(room_state, p.id, now)
        out.ack = {"you": {"id": p.id, "name": p.name}, "state": state}
        out.actor = Actor(room, p.id, sid)
        out.enter = [part_room(room), person_room(p.id)]
        return out

    def host_room(self, sid: str, room: str, token: str, requests: Requests | None = None) -> Outcome:
        """`requests(conn, room_id, now)`: the join requests the
        facilitator's state lists, read in the same transaction (the live
        path's, in Core, as a join)."""
        now = self.now_ms()
        with self.live.begin() as conn:
            found = rounds_store.read_for_host(conn, room, self.live.postgres)
            if found is None:
                raise not_found(f"there is no room {room}", "room")
            row, token_hash = found
            rules.may_host(token_matches(token, token_hash))
            seating.add_connection(conn, sid, row.id, None, self.worker_id, now)
            known = self.rosters.get(row.id, row.code, row.shared_version)
            people, former = rounds_store.people(conn, row, known)
            room_state = rounds_store.room_of(conn, row, self.decks.get(conn, row.deck_pk), people, former)
            if known is None:
                self.rosters.put(row.id, row.code, row.shared_version, people, former)
            waiting = requests(conn, row.id, now) if requests is not None else []
        state = state_view(room_state, FACILITATOR, now)
        if waiting:
            state["requests"] = waiting
        out = Outcome(ack={"state": state})
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
            people, former = self._known_people(session, row, row.shared_version)
            room = repo.load_room(session, row, self.decks, participants=people, former=former, viewer=self._author(actor))
        return Outcome(ack={"state": state_view(room, self._author(actor), now)})

    def leave_room(self, actor: Actor) -> Outcome:
        self._may(actor, "leave_room")
        now = self.now_ms()
        with self._locked(actor.code) as (session, row):
            p = session.get(ParticipantRow, actor.participant_id)
            p.status = rules.leave(p and p.status, p is not None and p.room_id == row.id)
            sids = list(session.scalars(select(ConnectionRow.sid).where(ConnectionRow.participant_id == p.id)))
            repo.drop_connections(session, sids)
            version, prev = fanout.share(row, now)
            session.flush()
            context = people_context(session, row)
        out = Outcome(emits=fanout.left(actor.code, context, p.id, version, prev, rules.LEFT))
        out.leave = [part_room(actor.code), person_room(p.id)]
        out.disconnect = [s for s in sids if s != actor.sid]
        return out

    def kick(self, actor: Actor, participant: str, ban: bool = False) -> Outcome:
        """Remove a participant; with `ban` their name is refused in this room
        from now on (their token dies with any kick)."""
        self._may(actor, "kick")
        now = self.now_ms()
        with self._locked(actor.code) as (session, row):
            p = session.get(ParticipantRow, participant)
            removal = rules.kick(participant, p and p.status, p is not None and p.room_id == row.id, ban)
            p.status = removal.status
            sids = list(session.scalars(select(ConnectionRow.sid).where(ConnectionRow.participant_id == p.id)))
            repo.drop_connections(session, sids)
            version, prev = fanout.share(row, now)
            session.flush()
            context = people_context(session, row)
        out = Outcome(emits=fanout.kicked(actor.code, context, p.id, version, prev, removal.message, removal.ban))
        out.disconnect = sids
        return out

    def disconnected(self, sid: str) -> Outcome:
        """A socket went away: drop its connection row; if that was the
        participant's last one, everyone sees them as not connected. Core
        statements on the live path's transaction, as a join (a fishbowl's
        audience leaving, a workshop day's drops and rejoins)."""
        now = self.now_ms()
        with self.live.begin() as conn:
            found = seating.connection_of(conn, sid)
            if found is None:
                return Outcome()
            room_id, pid = found
            head = rounds_store.read_locked_by_id(conn, room_id, self.live.postgres) if pid is not None else None
            seating.drop_connection(conn, sid)
            if head is None or seating.still_connected(conn, room_id, pid):
                return Outcome()
            version, prev = rounds_store.share(conn, head, head.phase, now)
            context = context_of_head(conn, head)
        self.rosters.presence(head.id, head.code, prev, version, pid, False)
        return Outcome(emits=fanout.presence(head.code, context, pid, False, version, prev))

    def presence_changed(self, code: str) -> list[Emit]:
        """Someone's sockets went away without a disconnect (their worker died)."""
        now = self.now_ms()
        try:
            with self._locked(code) as (session, row):
                return self._changed(session, row, now).emits
        except RuleError:
            return []

    def forget_connections(self, worker_id: str | None) -> None:
        """At start: sockets of a previous run of this worker (or, with one
        process, of any run) are gone; nobody stays 'connected' through them."""
        with self.sessions() as session, session.begin():
            stmt = delete(ConnectionRow)
            if worker_id is not None:
                stmt = stmt.where(ConnectionRow.worker == worker_id)
            session.execute(stmt)

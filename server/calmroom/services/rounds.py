"""Rounds and their clock: start a round, begin, pause, resume, end the
role-play, reveal, time-outs, and the time-up sweep."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Callable, Iterator

from ..domain import membership, phases
from ..domain.anonymity import timeout_by
from ..domain.headcount import hidden_author
from ..domain.clock import time_up
from ..domain.errors import RuleError, conflict, not_found
from ..domain.options import RoomOptions
from ..domain.planning import Person, plan_round
from ..domain.room import Participant
from ..store import repository as repo
from ..store import rounds as store
from ..store.models import RoundRow
from . import fanout
from .base import ServiceBase
from .outcome import Actor, Emit, Outcome


class RoundTx:
    """A round command's transaction (store/rounds.py): the connection, the
    room and its round as read under the lock, and the people the change
    saw (the roster remembers them once the commit went through)."""

    __slots__ = ("conn", "head", "seen")

    def __init__(self, conn: Any, head: store.Head):
        self.conn, self.head = conn, head
        self.seen: tuple | None = None


class Rounds(ServiceBase):
    @contextmanager
    def _round_tx(self, code: str) -> Iterator[RoundTx]:
        """The room locked, in Core on the live path's transaction; the
        roster is told what the change saw after its commit."""
        with self.live.begin() as conn:
            head = store.read_locked(conn, code, self.live.postgres)
            if head is None:
                raise not_found(f"there is no room {code}", "room")
            tx = RoundTx(conn, head)
            yield tx
        if tx.seen is not None:
            self.rosters.put(*tx.seen)

    def _people(self, tx: RoundTx) -> tuple[list[Participant], dict[str, str]]:
        """Who is in the room (presence read now); the list itself from the
        roster when this worker knows it at the room's shared version."""
        head = tx.head
        return store.people(tx.conn, head, self.rosters.get(head.id, head.code, head.shared_version))

    def _shared(self, tx: RoundTx, phase: str, now: int, *extra: Emit, people=None, new_round: int | None = None,
                details: bool = True) -> Outcome:
        """The room moves to `phase`, a change everyone hears of: bump, one
        `state` per audience (the extras, notices of this version, get its
        `prev`). As ServiceBase._changed, with what the command holds."""
        head, conn = tx.head, tx.conn
        people = people if people is not None else self._people(tx)
        version, prev = store.share(conn, head, phase, now, new_round=new_round)
        room = store.room_of(conn, head, self.decks.get(conn, head.deck_pk), *people, details=details)
        tx.seen = (head.id, head.code, version, *people)
        for e in extra:
            e.payload["prev"] = prev
        return Outcome(emits=[*extra, *fanout.states(room, prev, now)])

    def start_round(self, actor: Actor, data: dict) -> Outcome:
        self._may(actor, "start_round")
        now = self.now_ms()
        with self._round_tx(actor.code) as tx:
            head = tx.head
            target = phases.next_phase("start_round", head.phase)
            deck = self.decks.get(tx.conn, head.deck_pk)
            people = self._people(tx)
            persons = [Person(p.id, p.seq, p.connected) for p in people[0]]
            plan = plan_round(deck, persons, store.history(tx.conn, head.id), data, head.duration_s)
            round_id = store.add_round(tx.conn, head, plan, now)
            # a round just made has no marks, scores or time-outs to read
            out = self._shared(tx, target, now, people=people, new_round=round_id, details=False)
            out.ack = {"round": {"id": round_id, "number": plan.number}}
            return out

    def _clock_command(self, actor: Actor, command: str, start: bool | None,
                       extra: Callable[[RoundTx, int], list[Emit]] | None = None) -> Outcome:
        now = self.now_ms()
        with self._round_tx(actor.code) as tx:
            head = tx.head
            target = phases.next_phase(command, head.phase)
            if head.number is None:  # no current round (or no such round row)
                raise conflict("no round has been started")
            emits: list[Emit] = []
            if extra is not None:
                emits = extra(tx, now)
            clock = head.clock()
            if start is True:
                clock.start(now)
            elif start is False:
                clock.stop(now)
            revealed = bool(head.revealed) or command == "reveal_results"
            store.save_clock(tx.conn, head.round_id, clock, revealed)
            head.accumulated_ms, head.running_since_ms, head.revealed = clock.accumulated_ms, clock.running_since_ms, revealed
            return self._shared(tx, target, now, *emits)

    def begin_roleplay(self, actor: Actor) -> Outcome:
        self._may(actor, "begin_roleplay")
        return self._clock_command(actor, "begin_roleplay", True)

    def pause_round(self, actor: Actor) -> Outcome:
        self._may(actor, "pause_round")
        return self._clock_command(actor, "pause_round", False)

    def resume_round(self, actor: Actor) -> Outcome:
        self._may(actor, "resume_round")
        return self._clock_command(actor, "resume_round", True)

    def end_roleplay(self, actor: Actor) -> Outcome:
        self._may(actor, "end_roleplay")
        return self._clock_command(actor, "end_roleplay", False)

    def reveal_results(self, actor: Actor) -> Outcome:
        self._may(actor, "reveal_results")
        return self._clock_command(actor, "reveal_results", None)

    def call_timeout(self, actor: Actor, reason: str | None) -> Outcome:
        self._may(actor, "call_timeout")

        def record(tx: RoundTx, now: int) -> list[Emit]:
            head = tx.head
            p = store.person(tx.conn, actor.participant_id)
            membership.require_member(p and p.status, p is not None and p.room_id == head.id)
            t_ms = head.clock().elapsed_ms(now)
            store.add_timeout(tx.conn, head, p.id, reason or None, t_ms, now)
            base = {"version": head.version + 1, "kind": "timeout", "reason": reason or None, "t_ms": t_ms}
            said = f": {reason}" if reason else ""
            named = {**base, "message": f"{p.name} called a time-out{said}", "by": p.id}
            unnamed = {**base, "message": f"a time-out was called{said}"}
            options = RoomOptions.from_stored(head.options)
            # a fishbowl's or an anonymous room's participants never learn an observer's name
            names = timeout_by(options, p.id) is not None and not hidden_author(options, p.id, "", (head.customer_id, head.agent_id))
            return fanout.timeout(head.code, named, unnamed, names)

        return self._clock_command(actor, "call_timeout", False, record)

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
                    if rnd is None or row.current_round_id != round_id:
                        continue
                    if not time_up(repo.clock_of(rnd), rnd.time_up_sent, now):
                        continue
                    rnd.time_up_sent = True
                    version, prev = fanout.share(row, now)
                    notice = {"version": version, "prev": prev, "kind": "time_up", "message": "the time for this role-play is up"}
                    emits.append(fanout.notice(code, notice))
            except RuleError:
                continue
        return emits

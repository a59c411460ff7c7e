"""Rounds and their clock: start a round, begin, pause, resume, end the
role-play, reveal, time-outs, and the time-up sweep."""
from __future__ import annotations

from typing import Callable

from sqlalchemy.orm import Session

from ..domain import phases
from ..domain.anonymity import timeout_by
from ..domain.headcount import hidden_author
from ..domain.clock import time_up
from ..domain.errors import RuleError
from ..domain.options import RoomOptions
from ..domain.planning import PastRound, Person, plan_round
from ..store import repository as repo
from ..store.models import RoomRow, RoundRow, TimeoutRow
from . import fanout
from .base import ServiceBase
from .outcome import Actor, Emit, Outcome


class Rounds(ServiceBase):
    def start_round(self, actor: Actor, data: dict) -> Outcome:
        self._may(actor, "start_round")
        now = self.now_ms()
        with self._locked(actor.code) as (session, row):
            target = phases.next_phase("start_round", row.phase)
            deck = self.decks.get(session, row.deck_pk)
            online = repo.connected_ids(session, row.id)
            people = [Person(p.id, p.seq, p.id in online) for p in repo.active_participants(session, row.id)]
            history = [PastRound(r.number, r.card_id, r.customer_id, r.agent_id) for r in repo.rounds_of(session, row.id)]
            plan = plan_round(deck, people, history, data, row.duration_s)
            rnd = RoundRow(
                room_id=row.id,
                number=plan.number,
                card_id=plan.card_id,
                customer_id=plan.customer,
                agent_id=plan.agent,
                duration_s=plan.duration_s,
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

        def record(session: Session, row: RoomRow, rnd: RoundRow, now: int) -> list[Emit]:
            p = self._participant(session, row, actor)
            t_ms = repo.clock_of(rnd).elapsed_ms(now)
            session.add(TimeoutRow(room_id=row.id, round_id=rnd.id, by=p.id, reason=reason or None, t_ms=t_ms, created_ms=now))
            base = {"version": row.version + 1, "kind": "timeout", "reason": reason or None, "t_ms": t_ms}
            said = f": {reason}" if reason else ""
            named = {**base, "message": f"{p.name} called a time-out{said}", "by": p.id}
            unnamed = {**base, "message": f"a time-out was called{said}"}
            options = RoomOptions.from_stored(row.options)
            # a fishbowl's or an anonymous room's participants never learn an observer's name
            names = timeout_by(options, p.id) is not None and not hidden_author(options, p.id, "", (rnd.customer_id, rnd.agent_id))
            return fanout.timeout(row.code, named, unnamed, names)

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

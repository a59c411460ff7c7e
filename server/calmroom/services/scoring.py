"""Live scoring: marks, the anger meter, scores, the global rating and
reflections. These are most of the traffic; they go through the live path.
Each one: one locked read, the rules (domain/entries.py) decide, one write."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from ..domain import audiences as aud
from ..domain import entries, phases
from ..domain.clock import Clock
from ..domain.errors import RuleError, conflict, not_found
from ..domain.room import role_of
from ..store import repository as repo
from . import fanout
from .base import ServiceBase
from .outcome import Actor, Emit, Outcome


class LiveScoring(ServiceBase):
    @contextmanager
    def _live(self, actor: Actor, command: str) -> Iterator[tuple[Any, Any, str]]:
        """A live event's transaction: Core, one locked read, then writes.
        Marks and temperatures are most of the traffic; this keeps them to
        three statements and a commit. Yields the sender's round role too."""
        self._may(actor, command)
        with self.live.begin() as conn:
            ctx = repo.live_context(conn, actor.code, actor.participant_id)
            if ctx is None:
                raise not_found(f"there is no room {actor.code}", "room")
            phases.require_phase(command, ctx.phase)
            if ctx.current_round_id is None:
                raise conflict("no round has been started")
            if not actor.is_facilitator and (ctx.sender_status != "active" or ctx.sender_room != ctx.id):
                raise RuleError("unauthorized", "you are no longer in this room; join again")
            yield conn, ctx, role_of(actor.participant_id, ctx.customer_id, ctx.agent_id)

    @staticmethod
    def _elapsed(ctx: Any, now: int) -> int:
        return Clock(ctx.accumulated_ms, ctx.running_since_ms, ctx.duration_s).elapsed_ms(now)

    def mark_step(self, actor: Actor, data: dict) -> Outcome:
        now = self.now_ms()
        author = self._author(actor)
        with self._live(actor, "mark_step") as (conn, ctx, role):
            mark = entries.mark(self.decks.get(conn, ctx.deck_pk), ctx.card_id, role, author, data, self._elapsed(ctx, now))
            values = {
                "room_id": ctx.id, "round_id": ctx.current_round_id, "client_id": mark.id, "author": author,
                "step": mark.step, "rating": mark.rating, "note": mark.note, "t_ms": mark.t_ms, "created_ms": now,
            }
            version = repo.write_live(conn, "mark", values, ctx.id, now)
            if version is None:  # a retry: the same mark again, nothing changes
                return Outcome(ack={"mark": _mark_dict(repo.find_mark(conn, ctx.current_round_id, author, data["id"]))})
        mark_d = mark.as_dict()
        return Outcome(ack={"mark": mark_d}, emits=fanout.to_facilitator(actor.code, "step_marked", {"version": version, "mark": mark_d}))

    def set_temperature(self, actor: Actor, data: dict) -> Outcome:
        now = self.now_ms()
        with self._live(actor, "set_temperature") as (conn, ctx, role):
            temp = entries.temperature(role, data, self._elapsed(ctx, now))
            row = {"room_id": ctx.id, "round_id": ctx.current_round_id, "client_id": data["id"],
                   "level": temp.level, "t_ms": temp.t_ms, "created_ms": now}
            if not repo.write_unversioned(conn, "temperature", row):  # a retry
                existing = repo.find_temperature(conn, ctx.current_round_id, data["id"])
                return Outcome(ack={"t_ms": existing.t_ms, "level": existing.level})
            observers = repo.observer_ids(conn, ctx.id, ctx.customer_id, ctx.agent_id)
        # No bump, and nothing to the customer and the agent: the customer has
        # its ack, and the agent must not learn that the meter moved, not even
        # from a version it could not see. The version is the last shared one:
        # an observer that had not seen it has lost an event.
        payload = {"version": ctx.shared_version, "level": temp.level, "t_ms": temp.t_ms}
        emits = [Emit("temperature_changed", payload, aud.temperature(actor.code, observers))]
        return Outcome(ack={"t_ms": temp.t_ms, "level": temp.level}, emits=emits)

    # -- scoring and reflection -------------------------------------------
    def score_step(self, actor: Actor, data: dict) -> Outcome:
        now = self.now_ms()
        author = self._author(actor)
        with self._live(actor, "score_step") as (conn, ctx, role):
            score = entries.score(self.decks.get(conn, ctx.deck_pk), ctx.card_id, role, author, data).as_dict()
            version = repo.write_live(
                conn, "score", {**score, "room_id": ctx.id, "round_id": ctx.current_round_id, "updated_ms": now}, ctx.id, now
            )
        return Outcome(ack={"score": score}, emits=fanout.to_facilitator(actor.code, "step_scored", {"version": version, "score": score}))

    def rate_global(self, actor: Actor, rating: int) -> Outcome:
        now = self.now_ms()
        author = self._author(actor)
        with self._live(actor, "rate_global") as (conn, ctx, role):
            rating = entries.global_rating(role, rating)
            values = {"room_id": ctx.id, "round_id": ctx.current_round_id, "author": author, "rating": rating, "updated_ms": now}
            version = repo.write_live(conn, "global", values, ctx.id, now)
        payload = {"version": version, "author": author, "rating": rating}
        return Outcome(ack={"rating": rating}, emits=fanout.to_facilitator(actor.code, "global_rated", payload))

    def reflect(self, actor: Actor, data: dict) -> Outcome:
        now = self.now_ms()
        with self._live(actor, "reflect") as (conn, ctx, role):
            refl = entries.reflection(role, actor.participant_id, data).as_dict()
            version = repo.write_live(
                conn, "reflection", {**refl, "room_id": ctx.id, "round_id": ctx.current_round_id, "updated_ms": now}, ctx.id, now
            )
        refl = {"author": refl["author"], "role": role, **{k: v for k, v in refl.items() if k != "author"}}
        return Outcome(
            ack={"reflection": refl}, emits=fanout.to_facilitator(actor.code, "reflected", {"version": version, "reflection": refl})
        )


def _mark_dict(m: Any) -> dict[str, Any]:
    """From a row of the marks table."""
    m = m._asdict()
    return {"id": m["client_id"], "author": m["author"], "step": m["step"], "rating": m["rating"], "note": m["note"], "t_ms": m["t_ms"]}

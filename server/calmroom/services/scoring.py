"""Live scoring: marks, the anger meter, scores, the global rating and
reflections. These are most of the traffic; they go through the live path.
Each one: one locked read, the rules (domain/entries.py) decide, one write."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from ..domain import entries, membership, phases
from ..domain.clock import Clock
from ..domain.errors import conflict, not_found
from ..domain.options import RoomOptions
from ..domain.room import role_of
from ..store.live import LiveTx
from . import fanout
from .base import ServiceBase
from .outcome import Actor, Outcome


class LiveScoring(ServiceBase):
    @contextmanager
    def _live(self, actor: Actor, command: str, now: int) -> Iterator[tuple[LiveTx, Any, str]]:
        """A live event's transaction (store/live.py): one locked read, the
        rules, one write. Yields the sender's round role too."""
        self._may(actor, command)
        with self.live.transaction(actor.code, actor.participant_id, now) as tx:
            ctx = tx.context
            if ctx is None:
                raise not_found(f"there is no room {actor.code}", "room")
            phases.require_phase(command, ctx.phase)
            if ctx.current_round_id is None:
                raise conflict("no round has been started")
            if not actor.is_facilitator:
                membership.require_member(ctx.sender_status, ctx.sender_room == ctx.id)
            yield tx, ctx, role_of(actor.participant_id, ctx.customer_id, ctx.agent_id)

    @staticmethod
    def _elapsed(ctx: Any, now: int) -> int:
        return Clock(ctx.accumulated_ms, ctx.running_since_ms, ctx.duration_s).elapsed_ms(now)

    def mark_step(self, actor: Actor, data: dict) -> Outcome:
        now = self.now_ms()
        author = self._author(actor)
        with self._live(actor, "mark_step", now) as (tx, ctx, role):
            mark = entries.mark(self.decks.get(tx.conn, ctx.deck_pk), ctx.card_id, role, author, data, self._elapsed(ctx, now))
            version = tx.record("mark", {
                "client_id": mark.id, "author": author, "step": mark.step, "rating": mark.rating, "note": mark.note, "t_ms": mark.t_ms,
            })
            if version is None:  # a retry: the same mark again, nothing changes
                return Outcome(ack={"mark": _mark_dict(tx.find_mark(author, data["id"]))})
        mark_d = mark.as_dict()
        if RoomOptions.from_stored(ctx.options).fishbowl:  # the facilitator gets the aggregate, a few times a second
            return Outcome(ack={"mark": mark_d}, aggregate=[actor.code])
        return Outcome(ack={"mark": mark_d}, emits=fanout.to_facilitator(actor.code, "step_marked", {"version": version, "mark": mark_d}))

    def set_temperature(self, actor: Actor, data: dict) -> Outcome:
        now = self.now_ms()
        with self._live(actor, "set_temperature", now) as (tx, ctx, role):
            temp = entries.temperature(role, data, self._elapsed(ctx, now))
            if tx.record("temperature", {"client_id": data["id"], "level": temp.level, "t_ms": temp.t_ms}) is None:  # a retry
                existing = tx.find_temperature(data["id"])
                return Outcome(ack={"t_ms": existing.t_ms, "level": existing.level})
            observers = tx.observer_ids()
        # No bump, and nothing to the customer and the agent: the customer has
        # its ack, and the agent must not learn that the meter moved, not even
        # from a version it could not see. The version is the last shared one:
        # an observer that had not seen it has lost an event.
        payload = {"version": ctx.shared_version, "level": temp.level, "t_ms": temp.t_ms}
        emits = [fanout.emit("temperature_changed", payload, actor.code, observers=observers)]
        return Outcome(ack={"t_ms": temp.t_ms, "level": temp.level}, emits=emits)

    # -- scoring and reflection -------------------------------------------
    def score_step(self, actor: Actor, data: dict) -> Outcome:
        now = self.now_ms()
        author = self._author(actor)
        with self._live(actor, "score_step", now) as (tx, ctx, role):
            score = entries.score(self.decks.get(tx.conn, ctx.deck_pk), ctx.card_id, role, author, data).as_dict()
            version = tx.record("score", score)
        if RoomOptions.from_stored(ctx.options).fishbowl:
            return Outcome(ack={"score": score}, aggregate=[actor.code])
        return Outcome(ack={"score": score}, emits=fanout.to_facilitator(actor.code, "step_scored", {"version": version, "score": score}))

    def rate_global(self, actor: Actor, rating: int) -> Outcome:
        now = self.now_ms()
        author = self._author(actor)
        with self._live(actor, "rate_global", now) as (tx, ctx, role):
            rating = entries.global_rating(role, rating)
            version = tx.record("global", {"author": author, "rating": rating})
        payload = {"version": version, "author": author, "rating": rating}
        return Outcome(ack={"rating": rating}, emits=fanout.to_facilitator(actor.code, "global_rated", payload))

    def reflect(self, actor: Actor, data: dict) -> Outcome:
        now = self.now_ms()
        with self._live(actor, "reflect", now) as (tx, ctx, role):
            refl = entries.reflection(role, actor.participant_id, data).as_dict()
            version = tx.record("reflection", refl)
        refl = {"author": refl["author"], "role": role, **{k: v for k, v in refl.items() if k != "author"}}
        return Outcome(
            ack={"reflection": refl}, emits=fanout.to_facilitator(actor.code, "reflected", {"version": version, "reflection": refl})
        )


def _mark_dict(m: Any) -> dict[str, Any]:
    """From a row of the marks table."""
    m = m._asdict()
    return {"id": m["client_id"], "author": m["author"], "step": m["step"], "rating": m["rating"], "note": m["note"], "t_ms": m["t_ms"]}

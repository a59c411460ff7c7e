"""Live scoring: marks, the anger meter, scores, the global rating and
reflections. These are most of the traffic; they go through the live path."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from ..domain import audiences as aud
from ..domain import phases
from ..domain.clock import Clock
from ..domain.errors import RuleError, conflict, forbidden, invalid, not_found
from ..domain.options import RoomOptions
from ..domain.room import AGENT, CUSTOMER, FACILITATOR, OBSERVER
from ..store import repository as repo
from . import fanout
from .base import ServiceBase
from .outcome import Actor, Emit, Outcome


class LiveScoring(ServiceBase):
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


def _mark_dict(m: Any) -> dict[str, Any]:
    """From a mapping of mark columns or a row of the marks table."""
    if not isinstance(m, dict):
        m = m._asdict()
    return {"id": m["client_id"], "author": m["author"], "step": m["step"], "rating": m["rating"], "note": m["note"], "t_ms": m["t_ms"]}

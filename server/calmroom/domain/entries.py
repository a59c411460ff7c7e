"""What the people of a round enter while it runs: marks, the anger meter,
scores, the global rating and reflections. Each check takes the sender's
round role (room.role_of), the deck and the payload, and returns the new
fact, or raises RuleError (forbidden for the wrong role, invalid with the
field for input the deck does not allow). The phase is checked before
(phases.require_phase); the payload's shape by its schema (protocol/)."""
from __future__ import annotations

from .deck import Deck
from .errors import invalid
from .permissions import require_role
from .room import AGENT, Mark, Reflection, Score, Temperature


def check_step(deck: Deck, card_id: str | None, step: str) -> None:
    """`step` is a step of the deck's rubric that the round's card scores."""
    if deck.step(step) is None:
        raise invalid("step", f"there is no step {step!r} in this deck")
    card = deck.card(card_id) if card_id is not None else None
    if card is not None and card.steps is not None and step not in card.steps:
        raise invalid("step", f"step {step!r} is not scored on this card")


def check_rating(deck: Deck, rating: int) -> None:
    if not deck.scale.contains(rating):
        raise invalid("rating", f"must be between {deck.scale.min} and {deck.scale.max}")


def mark(deck: Deck, card_id: str | None, role: str, author: str, data: dict, t_ms: int) -> Mark:
    """A live mark of one step, at `t_ms` into the role-play."""
    require_role("mark_step", role)
    check_step(deck, card_id, data["step"])
    check_rating(deck, data["rating"])
    return Mark(id=data["id"], author=author, step=data["step"], rating=data["rating"], note=data.get("note") or None, t_ms=t_ms)


def temperature(role: str, data: dict, t_ms: int) -> Temperature:
    """The customer moved the anger meter (0–10, its schema's range)."""
    require_role("set_temperature", role)
    return Temperature(level=data["level"], t_ms=t_ms)


def score(deck: Deck, card_id: str | None, role: str, author: str, data: dict) -> Score:
    """A final score of one step; a rating of None means "not applicable"."""
    require_role("score_step", role)
    check_step(deck, card_id, data["step"])
    if data["rating"] is not None:
        check_rating(deck, data["rating"])
    return Score(author=author, step=data["step"], rating=data["rating"], comment=data.get("comment") or None)


def global_rating(role: str, rating: int) -> int:
    """The overall rating of the round (1–5, its schema's range)."""
    require_role("rate_global", role)
    return rating


def reflection(role: str, author: str, data: dict) -> Reflection:
    """The customer's or the agent's reflection; only the customer is asked
    whether they felt heard."""
    require_role("reflect", role)
    if role == AGENT and data.get("felt_heard") is not None:
        raise invalid("felt_heard", "is asked of the customer only")
    return Reflection(
        author=author, feeling=data["feeling"], felt_heard=data.get("felt_heard"),
        went_well=data.get("went_well") or None, do_differently=data.get("do_differently") or None,
    )

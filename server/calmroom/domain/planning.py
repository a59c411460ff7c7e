"""Planning the next round: its number, card, customer, agent and duration,
from the deck, the people in the room and the rounds played before. The
facilitator may fix the card and either role; the rest comes from rotation.py."""
from __future__ import annotations

from dataclasses import dataclass

from .deck import Deck
from .errors import invalid
from .rotation import Seat, choose_roles, next_card_id


@dataclass(frozen=True)
class Person:
    id: str
    seq: int           # join order
    connected: bool


@dataclass(frozen=True)
class PastRound:
    number: int
    card_id: str
    customer: str
    agent: str


@dataclass(frozen=True)
class RoundPlan:
    number: int
    card_id: str
    customer: str
    agent: str
    duration_s: int | None


def plan_round(
    deck: Deck, people: list[Person], history: list[PastRound], data: dict, default_duration_s: int | None
) -> RoundPlan:
    """`data` is the start_round payload (card, customer, agent, duration_s,
    each optional); `people` the active participants in join order; `history`
    the room's rounds in order. Raises RuleError: invalid for a card or a
    person not in the room, conflict when there are fewer than two people."""
    card_id = data.get("card")
    if card_id is not None and deck.card(card_id) is None:
        raise invalid("card", f"there is no card {card_id!r} in this deck")
    if card_id is None:
        card_id = next_card_id([c.id for c in deck.cards], [r.card_id for r in history])

    customer, agent = data.get("customer"), data.get("agent")
    ids = {p.id for p in people}
    for field_, pid in (("customer", customer), ("agent", agent)):
        if pid is not None and pid not in ids:
            raise invalid(field_, "is not a participant of this room")
    if customer is not None and customer == agent:
        raise invalid("agent", "must be someone other than the customer")
    if customer is None or agent is None:
        seats = [
            Seat(
                id=p.id, seq=p.seq, connected=p.connected,
                times_agent=sum(r.agent == p.id for r in history),
                times_customer=sum(r.customer == p.id for r in history),
            )
            for p in people
        ]
        last_agent = history[-1].agent if history else None
        customer, agent = choose_roles(seats, last_agent, customer=customer, agent=agent)
    return RoundPlan(
        number=(history[-1].number + 1) if history else 1,
        card_id=card_id,
        customer=customer,
        agent=agent,
        duration_s=data.get("duration_s", default_duration_s),
    )

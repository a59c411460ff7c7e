"""Who plays customer and agent next.

Everyone plays agent once before anyone plays it twice, in join order. The
customer is whoever has played least in either role, then been customer
least, and is never the new agent: in a room of five, five rounds give each
person one turn as agent and one as customer, instead of swapping the same
two in round two. People present now come before
people whose connection dropped; on a tie the customer is preferably who has
just been agent (they know the card's other side), then whoever joined first.
Late joiners start at zero, so they come up soon; people who left are not
counted. The facilitator can always choose both by hand."""
from __future__ import annotations

from dataclasses import dataclass

from .errors import conflict


@dataclass(frozen=True)
class Seat:
    id: str
    seq: int               # join order
    connected: bool = True
    times_agent: int = 0
    times_customer: int = 0

    @property
    def plays(self) -> int:
        return self.times_agent + self.times_customer


def choose_roles(
    seats: list[Seat], last_agent: str | None = None, *, customer: str | None = None, agent: str | None = None
) -> tuple[str, str]:
    """Return (customer_id, agent_id), keeping whichever the facilitator fixed."""
    if len(seats) < 2:
        raise conflict("a round needs at least two participants (a customer and an agent)")
    if agent is None:
        agent = min(
            (s for s in seats if s.id != customer),
            key=lambda s: (s.times_agent, not s.connected, s.seq),
        ).id
    if customer is None:
        customer = min(
            (s for s in seats if s.id != agent),
            key=lambda s: (s.plays, s.times_customer, not s.connected, s.id != last_agent, s.seq),
        ).id
    return customer, agent


def next_card_id(card_ids: list[str], played: list[str]) -> str:
    """The first card of the deck not yet played in this room; when all have
    been played, the one played least (and longest ago)."""
    counts = {cid: 0 for cid in card_ids}
    last_played: dict[str, int] = {}
    for i, cid in enumerate(played):
        if cid in counts:
            counts[cid] += 1
            last_played[cid] = i
    return min(card_ids, key=lambda cid: (counts[cid], last_played.get(cid, -1), card_ids.index(cid)))

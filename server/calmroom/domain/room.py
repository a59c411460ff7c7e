"""A room as the rules see it: plain data, loaded by the store, read by views."""
from __future__ import annotations

from dataclasses import dataclass, field

from .clock import Clock
from .deck import Card, Deck
from .options import RoomOptions

FACILITATOR = "facilitator"  # author key of marks and scores made by the facilitator

CUSTOMER = "customer"
AGENT = "agent"
OBSERVER = "observer"


def role_of(who: str | None, customer: str | None, agent: str | None) -> str:
    """The one answer to "who is this in the round": `who` is a participant
    id, or FACILITATOR (None too: the facilitator's sockets have no id)."""
    if who is None or who == FACILITATOR:
        return FACILITATOR
    if who == customer:
        return CUSTOMER
    if who == agent:
        return AGENT
    return OBSERVER


@dataclass
class Participant:
    id: str
    name: str
    seq: int
    connected: bool = False


@dataclass
class Mark:
    id: str
    author: str
    step: str
    rating: int
    note: str | None
    t_ms: int

    def as_dict(self) -> dict:
        return {"id": self.id, "author": self.author, "step": self.step, "rating": self.rating, "note": self.note, "t_ms": self.t_ms}


@dataclass
class Correction:
    """An author's correction of their own mark `mark` (its client id):
    `rating` None withdraws it, otherwise the mark now reads step, rating,
    note (all three, as the author left them)."""
    id: str
    author: str
    mark: str
    step: str | None
    rating: int | None
    note: str | None
    t_ms: int

    @property
    def withdraws(self) -> bool:
        return self.rating is None

    def as_dict(self) -> dict:
        return {"id": self.id, "author": self.author, "mark": self.mark, "undo": self.withdraws, "step": self.step, "rating": self.rating,
                "note": self.note, "t_ms": self.t_ms}


@dataclass
class Score:
    author: str
    step: str
    rating: int | None  # None: not applicable
    comment: str | None = None

    def as_dict(self) -> dict:
        return {"author": self.author, "step": self.step, "rating": self.rating, "comment": self.comment}


@dataclass
class Temperature:
    level: int
    t_ms: int


@dataclass
class Timeout:
    by: str
    reason: str | None
    t_ms: int


@dataclass
class Reflection:
    author: str
    feeling: int
    felt_heard: int | None = None
    went_well: str | None = None
    do_differently: str | None = None

    def as_dict(self) -> dict:
        return {
            "author": self.author,
            "feeling": self.feeling,
            "felt_heard": self.felt_heard,
            "went_well": self.went_well,
            "do_differently": self.do_differently,
        }


@dataclass
class Round:
    id: int
    number: int
    card: Card
    customer: str
    agent: str
    clock: Clock
    revealed: bool = False
    marks: list[Mark] = field(default_factory=list)  # as corrected by their authors (domain/corrections.py)
    # the marks a correction replaced or withdrew, each with its last correction
    superseded: list[tuple[Mark, Correction]] = field(default_factory=list)
    scores: list[Score] = field(default_factory=list)
    global_ratings: dict[str, int] = field(default_factory=dict)
    reflections: list[Reflection] = field(default_factory=list)
    temperatures: list[Temperature] = field(default_factory=list)
    timeouts: list[Timeout] = field(default_factory=list)

    def role_of(self, who: str | None) -> str:
        return role_of(who, self.customer, self.agent)


@dataclass
class Room:
    code: str
    title: str
    phase: str
    version: int
    locked: bool
    deck: Deck
    participants: list[Participant]
    round: Round | None = None
    # people who left or were sent away, id -> name: their marks and scores
    # stay theirs, so every screen can still say who made them
    former: dict[str, str] = field(default_factory=dict)
    options: RoomOptions = field(default_factory=RoomOptions)

    def participant(self, pid: str) -> Participant | None:
        # newest first: the one asked for is most often the one who just joined
        for p in reversed(self.participants):
            if p.id == pid:
                return p
        return None

"""A deck as the rules see it: the rubric (steps on a scale) and the cards."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Scale:
    min: int
    max: int
    labels: dict[int, str] = field(default_factory=dict)

    def contains(self, value: int) -> bool:
        return self.min <= value <= self.max


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    look_for: tuple[str, ...]
    critical: bool = False
    description: str | None = None


@dataclass(frozen=True)
class CustomerBrief:
    persona: str
    situation: str
    opening_line: str
    start_temperature: int
    escalates_when: tuple[str, ...]
    calms_when: tuple[str, ...]
    wants: str


@dataclass(frozen=True)
class AgentBrief:
    briefing: str
    may_offer: tuple[str, ...]
    may_not: tuple[str, ...]


@dataclass(frozen=True)
class Card:
    id: str
    title: str
    difficulty: int
    setting: str
    customer: CustomerBrief
    agent: AgentBrief
    steps: tuple[str, ...] | None = None  # None: every rubric step applies


@dataclass(frozen=True)
class Deck:
    id: str
    title: str
    language: str
    scale: Scale
    steps: tuple[Step, ...]
    cards: tuple[Card, ...]
    description: str | None = None

    def step(self, key: str) -> Step | None:
        return next((s for s in self.steps if s.key == key), None)

    def card(self, card_id: str) -> Card | None:
        return next((c for c in self.cards if c.id == card_id), None)

    def steps_for(self, card: Card) -> tuple[Step, ...]:
        if card.steps is None:
            return self.steps
        wanted = set(card.steps)
        return tuple(s for s in self.steps if s.key in wanted)

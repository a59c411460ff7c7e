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


CHANNELS = (
    "phone", "counter", "chat", "email", "review", "social", "home",
    "shop_floor", "hospitality", "street", "transport", "other",
)


@dataclass(frozen=True)
class CardNotes:
    """For the facilitator only: what the card trains and how to run it."""

    learning_goal: str | None = None
    turning_point: str | None = None
    model_phrases: tuple[str, ...] | None = None
    meter: str | None = None
    scene_ends: str | None = None


@dataclass(frozen=True)
class Variant:
    """Another way the customer player may play the card, chosen by the facilitator."""

    id: str
    title: str
    customer: str


@dataclass(frozen=True)
class Card:
    id: str
    title: str
    difficulty: int
    setting: str
    customer: CustomerBrief
    agent: AgentBrief
    steps: tuple[str, ...] | None = None  # None: every rubric step applies
    channel: str | None = None
    play_minutes: int | None = None
    facilitator: CardNotes | None = None
    variants: tuple[Variant, ...] | None = None
    # per step: look-fors that replace the rubric's general ones on this card
    look_fors: dict[str, tuple[str, ...]] | None = None

    def look_for(self, step: Step) -> tuple[str, ...]:
        if self.look_fors and step.key in self.look_fors:
            return self.look_fors[step.key]
        return step.look_for


@dataclass(frozen=True)
class Aftercare:
    check_in: tuple[str, ...] | None = None
    guidance: tuple[str, ...] | None = None
    when_shaken: str | None = None


@dataclass(frozen=True)
class DeckNotes:
    """The deck's facilitator page: never shown to participants."""

    introduction: str | None = None
    aftercare: Aftercare | None = None


@dataclass(frozen=True)
class Deck:
    id: str
    title: str
    language: str
    scale: Scale
    steps: tuple[Step, ...]
    cards: tuple[Card, ...]
    description: str | None = None
    facilitator: DeckNotes | None = None

    def step(self, key: str) -> Step | None:
        return next((s for s in self.steps if s.key == key), None)

    def card(self, card_id: str) -> Card | None:
        return next((c for c in self.cards if c.id == card_id), None)

    def steps_for(self, card: Card) -> tuple[Step, ...]:
        if card.steps is None:
            return self.steps
        wanted = set(card.steps)
        return tuple(s for s in self.steps if s.key in wanted)

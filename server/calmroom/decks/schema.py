"""The deck format of PROTOCOL.md as marshmallow schemas.

Field rules live on the fields; rules that look across fields (scale bounds,
unique keys, card steps naming rubric steps) run on the original input so that
every error is reported at once with the index the author wrote."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any

from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from ..domain.deck import AgentBrief, Card, CustomerBrief, Deck, Scale, Step
from ..protocol.base import Bool, Dict, Int, List, Nested, Str, StrictSchema

DECK_ID = r"^[a-z0-9-]{3,60}$"
STEP_KEY = r"^[a-z0-9_]{2,40}$"
CARD_ID = r"^[a-z0-9-]{2,60}$"
LANGUAGE = r"^[a-z]{2}(-[A-Z]{2})?$"

SCALE_BOUND = 100  # a scale is a handful of points; this only stops absurd input
TEMPERATURE_MIN, TEMPERATURE_MAX = 0, 10


def _pattern(regex: str, what: str) -> validate.Regexp:
    return validate.Regexp(regex, error=f"must be {what}")


class LabelKey(fields.Integer):
    """Scale label keys: integers in YAML, strings like "0" in JSON."""

    default_error_messages = {"invalid": "label keys must be whole numbers"}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise self.make_error("invalid")
        if isinstance(value, int):
            return value
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value.strip())
        raise self.make_error("invalid")


class ScaleSchema(StrictSchema):
    min = Int(required=True, low=-SCALE_BOUND, high=SCALE_BOUND)
    max = Int(required=True, low=-SCALE_BOUND, high=SCALE_BOUND)
    labels = Dict(keys=LabelKey(), values=Str(max_len=60), load_default=dict)

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def _bounds(self, data: dict, original: Any, **_: Any) -> None:
        if not isinstance(original, dict):
            return
        lo, hi = original.get("min"), original.get("max")
        if not (_is_int(lo) and _is_int(hi)):
            return
        errors: dict[str, list[str]] = {}
        if lo >= hi:
            errors["max"] = [f"must be greater than min ({lo})"]
        labels = original.get("labels")
        if isinstance(labels, dict):
            outside = []
            for key in labels:
                value = key if _is_int(key) else (int(key) if isinstance(key, str) and key.strip().lstrip("-").isdigit() else None)
                if value is not None and not lo <= value <= hi:
                    outside.append(str(key))
            if outside:
                errors["labels"] = [f"label for {k}, which is outside the scale {lo}–{hi}" for k in outside]
        if errors:
            raise ValidationError(errors)

    @post_load
    def _make(self, data: dict, **_: Any) -> Scale:
        return Scale(min=data["min"], max=data["max"], labels=dict(sorted(data["labels"].items())))


class StepSchema(StrictSchema):
    key = Str(required=True, max_len=40, validate=[_pattern(STEP_KEY, "2–40 of a-z, 0-9 and _")])
    label = Str(required=True, max_len=80)
    description = Str(max_len=600)
    look_for = List(Str(max_len=200), min_items=1, max_items=12, required=True)
    critical = Bool(load_default=False)

    @post_load
    def _make(self, data: dict, **_: Any) -> Step:
        return Step(
            key=data["key"],
            label=data["label"],
            look_for=tuple(data["look_for"]),
            critical=data["critical"],
            description=data.get("description"),
        )


class CustomerSchema(StrictSchema):
    persona = Str(required=True, max_len=600)
    situation = Str(required=True, max_len=1000)
    opening_line = Str(required=True, max_len=300)
    start_temperature = Int(required=True, low=TEMPERATURE_MIN, high=TEMPERATURE_MAX)
    escalates_when = List(Str(max_len=200), min_items=1, max_items=10, required=True)
    calms_when = List(Str(max_len=200), min_items=1, max_items=10, required=True)
    wants = Str(required=True, max_len=600)

    @post_load
    def _make(self, data: dict, **_: Any) -> CustomerBrief:
        return CustomerBrief(
            persona=data["persona"],
            situation=data["situation"],
            opening_line=data["opening_line"],
            start_temperature=data["start_temperature"],
            escalates_when=tuple(data["escalates_when"]),
            calms_when=tuple(data["calms_when"]),
            wants=data["wants"],
        )


class AgentSchema(StrictSchema):
    briefing = Str(required=True, max_len=1000)
    may_offer = List(Str(max_len=200), min_items=0, max_items=10, required=True)
    may_not = List(Str(max_len=200), min_items=0, max_items=10, required=True)

    @post_load
    def _make(self, data: dict, **_: Any) -> AgentBrief:
        return AgentBrief(
            briefing=data["briefing"], may_offer=tuple(data["may_offer"]), may_not=tuple(data["may_not"])
        )


class CardSchema(StrictSchema):
    id = Str(required=True, max_len=60, validate=[_pattern(CARD_ID, "2–60 of a-z, 0-9 and -")])
    title = Str(required=True, max_len=120)
    difficulty = Int(required=True, low=1, high=3)
    steps = List(Str(max_len=40), min_items=1, max_items=50)
    setting = Str(required=True, max_len=600)
    customer = Nested(CustomerSchema, required=True)
    agent = Nested(AgentSchema, required=True)

    @post_load
    def _make(self, data: dict, **_: Any) -> Card:
        steps = data.get("steps")
        return Card(
            id=data["id"],
            title=data["title"],
            difficulty=data["difficulty"],
            setting=data["setting"],
            customer=data["customer"],
            agent=data["agent"],
            steps=tuple(steps) if steps is not None else None,
        )


class DeckSchema(StrictSchema):
    id = Str(required=True, max_len=60, validate=[_pattern(DECK_ID, "3–60 of a-z, 0-9 and -")])
    title = Str(required=True, max_len=120)
    language = Str(required=True, max_len=5, validate=[_pattern(LANGUAGE, "a language code such as nl or en")])
    description = Str(max_len=2000)
    scale = Nested(ScaleSchema, required=True)
    steps = List(Nested(StepSchema), min_items=1, max_items=20, required=True)
    cards = List(Nested(CardSchema), min_items=1, max_items=200, required=True)

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def _cross_rules(self, data: dict, original: Any, **_: Any) -> None:
        if not isinstance(original, dict):
            return
        errors: dict[str, Any] = {}
        steps = original.get("steps")
        step_keys: set[str] = set()
        if isinstance(steps, list):
            seen: dict[str, int] = {}
            for i, step in enumerate(steps):
                key = step.get("key") if isinstance(step, dict) else None
                if not isinstance(key, str):
                    continue
                key = key.strip()
                if key in seen:
                    errors.setdefault("steps", {})[i] = {"key": [f"repeats the key '{key}' of steps[{seen[key]}]"]}
                else:
                    seen[key] = i
            step_keys = set(seen)
        cards = original.get("cards")
        if isinstance(cards, list):
            seen_ids: dict[str, int] = {}
            for i, card in enumerate(cards):
                if not isinstance(card, dict):
                    continue
                card_errors: dict[str, Any] = {}
                cid = card.get("id")
                if isinstance(cid, str):
                    cid = cid.strip()
                    if cid in seen_ids:
                        card_errors["id"] = [f"repeats the id '{cid}' of cards[{seen_ids[cid]}]"]
                    else:
                        seen_ids[cid] = i
                card_steps = card.get("steps")
                if isinstance(card_steps, list) and isinstance(steps, list):
                    for j, key in enumerate(card_steps):
                        if isinstance(key, str) and key.strip() not in step_keys:
                            card_errors.setdefault("steps", {})[j] = [f"'{key.strip()}' is not a step of this deck's rubric"]
                if card_errors:
                    errors.setdefault("cards", {})[i] = card_errors
        if errors:
            raise ValidationError(errors)

    @post_load
    def _make(self, data: dict, **_: Any) -> Deck:
        return Deck(
            id=data["id"],
            title=data["title"],
            language=data["language"],
            description=data.get("description"),
            scale=data["scale"],
            steps=tuple(data["steps"]),
            cards=tuple(data["cards"]),
        )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def deck_to_dict(deck: Deck) -> dict:
    """A deck as plain JSON-ready data in the format it was loaded from."""
    return _plain(asdict(deck))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k) if isinstance(k, int) else k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value

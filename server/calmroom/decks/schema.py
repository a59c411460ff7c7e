"""The deck format of PROTOCOL.md as marshmallow schemas.

Field rules live on the fields; rules that look across fields (scale bounds,
unique keys, card steps naming rubric steps) run on the original input so that
every error is reported at once with the index the author wrote."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any

from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from ..domain.deck import (
    CHANNELS,
    Aftercare,
    AgentBrief,
    Card,
    CardNotes,
    CustomerBrief,
    Deck,
    DeckNotes,
    Scale,
    Step,
    Variant,
)
from ..protocol.base import Bool, Dict, Int, List, Nested, Str, StrictSchema
from ..protocol.problems import Coded
from .bounds import label_number

DECK_ID = r"^[a-z0-9-]{3,60}$"
STEP_KEY = r"^[a-z0-9_]{2,40}$"
CARD_ID = r"^[a-z0-9-]{2,60}$"
VARIANT_ID = CARD_ID
LANGUAGE = r"^[a-z]{2}(-[A-Z]{2})?$"

SCALE_BOUND = 100  # a scale is a handful of points; this only stops absurd input
TEMPERATURE_MIN, TEMPERATURE_MAX = 0, 10


def _pattern(regex: str, error: Coded) -> validate.Regexp:
    return validate.Regexp(regex, error=error)


def _id_form(lo: int) -> validate.Regexp:
    regex = DECK_ID if lo == 3 else CARD_ID
    return _pattern(regex, Coded("id_form", f"must be {lo}–60 of a-z, 0-9 and -", min=lo, max=60))


def _key_form() -> validate.Regexp:
    return _pattern(STEP_KEY, Coded("key_form", "must be 2–40 of a-z, 0-9 and _", min=2, max=40))


class LabelKey(fields.Integer):
    """Scale label keys: integers in YAML, strings like "0" in JSON."""

    default_error_messages = {"invalid": Coded("label_key", "label keys must be whole numbers")}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise self.make_error("invalid")
        if isinstance(value, int):
            return value
        number = label_number(value)
        if number is not None:
            return number
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
            errors["max"] = [Coded("scale_order", f"must be greater than min ({lo})", min=lo)]
        labels = original.get("labels")
        if isinstance(labels, dict):
            outside = []
            for key in labels:
                value = key if _is_int(key) else label_number(key)
                if value is not None and not lo <= value <= hi:
                    outside.append((str(key), value))
            if outside:
                errors["labels"] = [
                    Coded("label_outside", f"label for {k}, which is outside the scale {lo}–{hi}", point=v, min=lo, max=hi)
                    for k, v in outside
                ]
        if errors:
            raise ValidationError(errors)

    @post_load
    def _make(self, data: dict, **_: Any) -> Scale:
        return Scale(min=data["min"], max=data["max"], labels=dict(sorted(data["labels"].items())))


class StepSchema(StrictSchema):
    key = Str(required=True, max_len=40, validate=[_key_form()])
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


class NotEmptySchema(StrictSchema):
    """An optional block whose fields are all optional: written at all, it must
    say something, so that a stray `facilitator: {}` is caught."""

    @validates_schema(pass_original=True)
    def _not_empty(self, data: dict, original: Any, **_: Any) -> None:
        if isinstance(original, dict) and not original:
            raise ValidationError(Coded("empty_block", "must have at least one field"))


class CardNotesSchema(NotEmptySchema):
    learning_goal = Str(max_len=300)
    turning_point = Str(max_len=400)
    model_phrases = List(Str(max_len=200), min_items=0, max_items=6)
    meter = Str(max_len=400)
    scene_ends = Str(max_len=300)

    @post_load
    def _make(self, data: dict, **_: Any) -> CardNotes:
        phrases = data.get("model_phrases")
        return CardNotes(
            learning_goal=data.get("learning_goal"),
            turning_point=data.get("turning_point"),
            model_phrases=tuple(phrases) if phrases is not None else None,
            meter=data.get("meter"),
            scene_ends=data.get("scene_ends"),
        )


class VariantSchema(StrictSchema):
    id = Str(required=True, max_len=60, validate=[_id_form(2)])
    title = Str(required=True, max_len=120)
    customer = Str(required=True, max_len=600)

    @post_load
    def _make(self, data: dict, **_: Any) -> Variant:
        return Variant(id=data["id"], title=data["title"], customer=data["customer"])


class AftercareSchema(NotEmptySchema):
    check_in = List(Str(max_len=300), min_items=1, max_items=6)
    guidance = List(Str(max_len=300), min_items=1, max_items=12)
    when_shaken = Str(max_len=1000)

    @post_load
    def _make(self, data: dict, **_: Any) -> Aftercare:
        check_in, guidance = data.get("check_in"), data.get("guidance")
        return Aftercare(
            check_in=tuple(check_in) if check_in is not None else None,
            guidance=tuple(guidance) if guidance is not None else None,
            when_shaken=data.get("when_shaken"),
        )


class DeckNotesSchema(NotEmptySchema):
    introduction = Str(max_len=3000)
    aftercare = Nested(AftercareSchema)

    @post_load
    def _make(self, data: dict, **_: Any) -> DeckNotes:
        return DeckNotes(introduction=data.get("introduction"), aftercare=data.get("aftercare"))


class CardSchema(StrictSchema):
    id = Str(required=True, max_len=60, validate=[_id_form(2)])
    title = Str(required=True, max_len=120)
    difficulty = Int(required=True, low=1, high=3)
    steps = List(Str(max_len=40), min_items=1, max_items=50)
    setting = Str(required=True, max_len=600)
    customer = Nested(CustomerSchema, required=True)
    agent = Nested(AgentSchema, required=True)
    channel = Str(max_len=20, validate=[validate.OneOf(CHANNELS, error=Coded("one_of", "must be one of: " + ", ".join(CHANNELS), allowed=list(CHANNELS)))])
    play_minutes = Int(low=1, high=30)
    facilitator = Nested(CardNotesSchema)
    variants = List(Nested(VariantSchema), min_items=0, max_items=4)
    # which keys are steps is a cross rule of the deck (DeckSchema._cross_rules)
    look_fors = Dict(
        keys=Str(max_len=40, validate=[_key_form()]),
        values=List(Str(max_len=200), min_items=2, max_items=8),
    )

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def _unique_variants(self, data: dict, original: Any, **_: Any) -> None:
        variants = original.get("variants") if isinstance(original, dict) else None
        if not isinstance(variants, list):
            return
        seen: dict[str, int] = {}
        errors: dict[int, Any] = {}
        for i, variant in enumerate(variants):
            vid = variant.get("id") if isinstance(variant, dict) else None
            if not isinstance(vid, str):
                continue
            vid = vid.strip()
            if vid in seen:
                errors[i] = {"id": [Coded("repeated_id", f"repeats the id '{vid}' of variants[{seen[vid]}]", value=vid, other=f"variants[{seen[vid]}]")]}
            else:
                seen[vid] = i
        if errors:
            raise ValidationError({"variants": errors})

    @post_load
    def _make(self, data: dict, **_: Any) -> Card:
        steps = data.get("steps")
        variants = data.get("variants")
        look_fors = data.get("look_fors")
        return Card(
            id=data["id"],
            title=data["title"],
            difficulty=data["difficulty"],
            setting=data["setting"],
            customer=data["customer"],
            agent=data["agent"],
            steps=tuple(steps) if steps is not None else None,
            channel=data.get("channel"),
            play_minutes=data.get("play_minutes"),
            facilitator=data.get("facilitator"),
            variants=tuple(variants) if variants is not None else None,
            look_fors={k: tuple(v) for k, v in look_fors.items()} if look_fors is not None else None,
        )


class DeckSchema(StrictSchema):
    id = Str(required=True, max_len=60, validate=[_id_form(3)])
    title = Str(required=True, max_len=120)
    language = Str(required=True, max_len=5, validate=[_pattern(LANGUAGE, Coded("language_form", "must be a language code such as nl or en"))])
    description = Str(max_len=2000)
    scale = Nested(ScaleSchema, required=True)
    steps = List(Nested(StepSchema), min_items=1, max_items=20, required=True)
    cards = List(Nested(CardSchema), min_items=1, max_items=200, required=True)
    facilitator = Nested(DeckNotesSchema)

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
                    errors.setdefault("steps", {})[i] = {"key": [Coded("repeated_key", f"repeats the key '{key}' of steps[{seen[key]}]", value=key, other=f"steps[{seen[key]}]")]}
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
                        card_errors["id"] = [Coded("repeated_id", f"repeats the id '{cid}' of cards[{seen_ids[cid]}]", value=cid, other=f"cards[{seen_ids[cid]}]")]
                    else:
                        seen_ids[cid] = i
                card_steps = card.get("steps")
                if isinstance(card_steps, list) and isinstance(steps, list):
                    for j, key in enumerate(card_steps):
                        if isinstance(key, str) and key.strip() not in step_keys:
                            card_errors.setdefault("steps", {})[j] = [_not_a_step(key.strip())]
                look_fors = card.get("look_fors")
                if isinstance(look_fors, dict) and isinstance(steps, list):
                    scored = {k.strip() for k in card_steps if isinstance(k, str)} if isinstance(card_steps, list) else None
                    for key in look_fors:
                        if not isinstance(key, str):
                            continue
                        if key.strip() not in step_keys:
                            problem = _not_a_step(key.strip())
                        elif scored is not None and key.strip() not in scored:
                            problem = Coded("not_card_step", f"'{key.strip()}' is not one of this card's steps", value=key.strip())
                        else:
                            continue
                        card_errors.setdefault("look_fors", {})[key] = [problem]
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
            facilitator=data.get("facilitator"),
        )


def _not_a_step(key: str) -> Coded:
    return Coded("not_a_step", f"'{key}' is not a step of this deck's rubric", value=key)


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

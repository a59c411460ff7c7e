"""A JSON Schema of the deck format, generated from the marshmallow schemas by
apispec, so editors can complete and check deck files without a second source
of truth."""
from __future__ import annotations

import json

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from .schema import STEP_KEY, DeckSchema


def deck_json_schema() -> dict:
    spec = APISpec(title="Calmroom deck", version="1", openapi_version="3.1.0", plugins=[MarshmallowPlugin()])
    spec.components.schema("Deck", schema=DeckSchema)
    defs = spec.to_dict()["components"]["schemas"]
    text = json.dumps(defs).replace("#/components/schemas/", "#/$defs/")
    defs = json.loads(text)
    # YAML writes label keys as numbers, JSON as strings; both must be digits.
    defs["Scale"]["properties"]["labels"]["propertyNames"] = {"pattern": "^-?[0-9]+$"}
    defs["Card"]["properties"]["look_fors"]["propertyNames"] = {"pattern": STEP_KEY}
    # written at all, these blocks must say something (NotEmptySchema)
    for name in ("CardNotes", "Aftercare", "DeckNotes"):
        defs[name]["minProperties"] = 1
    for name in ("CardNotes", "DeckNotes"):
        defs[name]["description"] = "For the facilitator: never shown to participants."
    deck = defs.pop("Deck")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Calmroom deck",
        "description": "A rubric (the de-escalation steps observers score) and scenario cards. "
        "Validate with `calmroom decks validate FILE`; it also checks what a JSON Schema cannot "
        "(unique keys and ids, card steps and look_fors keys that exist in the rubric and on the card, "
        "labels inside the scale).",
        **deck,
        "$defs": defs,
    }


def deck_json_schema_text() -> str:
    return json.dumps(deck_json_schema(), indent=2, ensure_ascii=False) + "\n"

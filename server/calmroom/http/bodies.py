"""Reading request bodies with their size, encoding and nesting bounded before
they are parsed, so a malformed body is a 4xx that says what is wrong, never
a 500 (5,000-deep JSON used to raise RecursionError, a 5,000-digit number
ValueError)."""
from __future__ import annotations

import json
from typing import Any, Callable

from flask import Request

from ..decks import MAX_DECK_BYTES, load_deck_text
from ..decks.bounds import BoundError, loads_json
from ..domain.deck import Deck
from ..domain.errors import RuleError

# A room or other small JSON request is a few hundred bytes; the same bound
# as one socket event (Config.max_payload_bytes' default).
MAX_JSON_BODY_BYTES = 16_384
# A JSON request object is flat or one level deep; decks have their own bound.
MAX_JSON_DEPTH = 8

Offload = Callable[..., Any]  # offload(fn, *args) -> fn(*args), run where it cannot stall the loop


def _raw(request: Request, limit: int) -> bytes:
    # Flask's MAX_CONTENT_LENGTH (the deck limit) already stops bigger bodies
    # with 413 while they are read; this is the tighter bound per endpoint.
    raw = request.get_data(cache=True)
    if len(raw) > limit:
        raise RuleError("too_large", f"the body is {len(raw):,} bytes; at most {limit:,} are allowed here")
    return raw


def json_object(request: Request, limit: int = MAX_JSON_BODY_BYTES) -> dict:
    """The body as a JSON object, or RuleError invalid / too_large."""
    if not request.is_json:
        raise RuleError("invalid", "the body must be JSON, sent with Content-Type: application/json")
    raw = _raw(request, limit)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RuleError("invalid", f"the body is not UTF-8 text (byte {exc.start})") from None
    if not text.strip():
        raise RuleError("invalid", "the body is empty; it must be a JSON object")
    try:
        data = loads_json(text, MAX_JSON_DEPTH)
    except BoundError as exc:
        raise RuleError("invalid", f"the body {exc}") from None
    except json.JSONDecodeError as exc:
        raise RuleError("invalid", f"the body is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    if not isinstance(data, dict):
        raise RuleError("invalid", f"the body must be a JSON object, not {_kind(data)}")
    return data


def deck(request: Request, offload: Offload) -> Deck:
    """The body as a deck, read and validated by offload (off the event
    loop); DeckError lists the problems, RuleError too_large a body over the
    deck limit."""
    raw = _raw(request, MAX_DECK_BYTES)
    filename = "deck.json" if request.mimetype == "application/json" else "deck.yaml"
    return offload(load_deck_text, raw, filename)


def _kind(value) -> str:
    return {list: "a list", str: "a string", bool: "true or false", type(None): "null"}.get(type(value), "a number")


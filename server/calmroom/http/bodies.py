"""Reading request bodies with their size, encoding and nesting bounded before
they are parsed, so a malformed body is a 4xx that says what is wrong, never
a 500 (5,000-deep JSON used to raise RecursionError, a 5,000-digit number
ValueError)."""
from __future__ import annotations

import json
from typing import Any, Callable

from flask import Request

from ..decks import MAX_DECK_BYTES, DeckError, Problem, read_json_request
from ..decks.bounds import BoundError, loads_json
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


def deck_bytes(request: Request) -> bytes:
    """A deck file sent as the body (YAML or JSON), or RuleError too_large."""
    return _raw(request, MAX_DECK_BYTES)


def deck_filename(request: Request) -> str:
    """What the deck reader takes the body for: JSON by its type, else YAML."""
    return "deck.json" if request.mimetype == "application/json" else "deck.yaml"


def with_deck(request: Request, offload: Offload, optional: tuple[str, ...] = (), required: tuple[str, ...] = ()) -> dict:
    """A studio request `{deck: {...}, ...}`: JSON of up to a deck's size,
    read off the loop with the deck bounds (values, nesting, keys). The deck
    itself is checked later by the validator; a limit crossed inside it is a
    DeckError at its path in the deck (`cards[3]...`)."""
    if not request.is_json:
        raise RuleError("invalid", "the body must be JSON, sent with Content-Type: application/json")
    raw = _raw(request, MAX_DECK_BYTES)
    try:
        data = offload(read_json_request, raw)
    except DeckError as err:
        if any(p.path.startswith("deck") for p in err.problems):
            raise DeckError([Problem(_in_deck(p.path), p.message) for p in err.problems]) from None
        raise RuleError("invalid", f"the body {err.problems[0].message}") from None
    if not isinstance(data, dict):
        raise RuleError("invalid", f"the body must be a JSON object, not {_kind(data)}")
    unknown = sorted(set(data) - {"deck", *optional, *required})
    if unknown:
        raise RuleError("invalid", f"{unknown[0]}: unknown field", str(unknown[0]))
    for name in ("deck", *required):
        if name not in data:
            raise RuleError("invalid", f"{name}: required", name)
    if not isinstance(data["deck"], dict):
        raise RuleError("invalid", "deck: must be an object (a deck in the deck format)", "deck")
    return data


def _in_deck(path: str) -> str:
    return path[len("deck."):] if path.startswith("deck.") else ("" if path == "deck" else path)


def _kind(value) -> str:
    return {list: "a list", str: "a string", bool: "true or false", type(None): "null"}.get(type(value), "a number")


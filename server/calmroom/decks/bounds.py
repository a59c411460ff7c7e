"""How much work one untrusted deck (or JSON body) may cost, and the cheap
checks that enforce it before or while it is parsed.

One eventlet loop serves every room, so a parse must be refused after bounded
work, not after it has built whatever a hostile file describes. The numbers
leave a wide margin over real decks: the default decks are ~44 KB with 12
cards, ~900 values, nesting depth 5 and at most 6 keys in one mapping."""
from __future__ import annotations

import json
import re
from typing import Any

# 256 KiB: about six times the largest default deck (~70 cards written as
# fully as those), far under the 1 MB that let a 900 KB list stall the
# server. One constant for the CLI, the HTTP routes and Flask's
# MAX_CONTENT_LENGTH (config), so a file the CLI accepts uploads too.
MAX_DECK_BYTES = 256 * 1024
MAX_NODES = 10_000        # scalars, aliases, lists and mappings: twice what 256 KB of deck-like text holds
MAX_DEPTH = 20            # lists and mappings inside each other
MAX_KEYS = 200            # keys in one mapping (a deck mapping has a dozen)
MAX_KEY_CHARS = 200       # a key is repeated in the path of every problem under it
MAX_NUMBER_CHARS = 50     # Python refuses ints over 4,300 digits with a ValueError; no deck needs 50
MAX_PROBLEMS = 100        # problems reported for one deck; the rest are counted
MAX_MESSAGE_CHARS = 300   # one problem's path or message, as echoed back


class BoundError(ValueError):
    """The input is over one of the limits; message says which."""


# a string (escapes included; unrolled, about 4x faster than an alternation
# per character on a deck of long texts) or a bracket
_JSON_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]')


def check_json_depth(text: str, max_depth: int = MAX_DEPTH) -> None:
    """Refuse nesting deeper than max_depth by scanning brackets outside
    strings, before json.loads, whose C scanner recurses per level."""
    depth = 0
    for m in _JSON_TOKENS.finditer(text):
        tok = m.group()
        if tok in "[{":
            depth += 1
            if depth > max_depth:
                raise BoundError(f"is nested deeper than {max_depth} levels (at character {m.start() + 1})")
        elif tok in "]}":
            depth -= 1


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_NUMBER_CHARS:
        raise BoundError(f"has a number with {len(digits):,} digits; at most {MAX_NUMBER_CHARS} are allowed")
    return int(digits)


def _bounded_float(digits: str) -> float:
    if len(digits) > MAX_NUMBER_CHARS:
        raise BoundError(f"has a number with {len(digits):,} characters; at most {MAX_NUMBER_CHARS} are allowed")
    return float(digits)


def _no_constant(name: str) -> Any:
    raise BoundError(f"has {name}, which is not a JSON number")


def loads_json(text: str, max_depth: int = MAX_DEPTH, pairs_hook: Any = None) -> Any:
    """json.loads with nesting and number length bounded (and NaN and
    Infinity refused). Raises BoundError for a limit, json.JSONDecodeError
    for broken JSON. `pairs_hook` is json's object_pairs_hook."""
    check_json_depth(text, max_depth)
    try:
        return json.loads(text, parse_int=_bounded_int, parse_float=_bounded_float, parse_constant=_no_constant,
                          object_pairs_hook=pairs_hook)
    except RecursionError:  # the scan above makes this unreachable; kept as a 4xx, not a crash
        raise BoundError(f"is nested deeper than {max_depth} levels") from None

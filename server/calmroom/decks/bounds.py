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

from ..protocol.problems import Coded

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


TOO_MANY_VALUES = Coded("too_many_values", f"the deck has more than {MAX_NODES:,} values; a deck needs far fewer", max=MAX_NODES)
TOO_MANY_KEYS = Coded("too_many_keys", f"has more than {MAX_KEYS} keys; a deck mapping needs a dozen", max=MAX_KEYS)


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
                raise BoundError(Coded("too_deep", f"is nested deeper than {max_depth} levels (at character {m.start() + 1})", max=max_depth))
        elif tok in "]}":
            depth -= 1


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_NUMBER_CHARS:
        raise BoundError(Coded("number_too_long", f"has a number with {len(digits):,} digits; at most {MAX_NUMBER_CHARS} are allowed", max=MAX_NUMBER_CHARS))
    return int(digits)


def _bounded_float(digits: str) -> float:
    if len(digits) > MAX_NUMBER_CHARS:
        raise BoundError(Coded("number_too_long", f"has a number with {len(digits):,} characters; at most {MAX_NUMBER_CHARS} are allowed", max=MAX_NUMBER_CHARS))
    return float(digits)


def label_number(key: Any) -> int | None:
    """A label key written as text ("3", "-1": JSON has only string keys) as
    its number. ASCII digits only: str.isdigit() is also true for "²" and
    "١", which int() refuses or reads as another digit."""
    if not isinstance(key, str):
        return None
    text = key.strip()
    digits = text[1:] if text.startswith("-") else text
    if not (digits.isascii() and digits.isdigit()):
        return None
    return int(text)


def _no_constant(name: str) -> Any:
    raise BoundError(f"has {name}, which is not a JSON number")


# \ud800-\udfff written as an escape: half of a character, fine in a pair
# (json joins \ud83d\ude00 into one emoji), not alone
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
HALF_CHARACTER = Coded("half_character", "has half a character (a \\u escape of a lone UTF-16 surrogate), which is not text")


def _check_whole_characters(text: str, data: Any) -> None:
    """A lone surrogate decodes to a str that cannot be written as UTF-8:
    the database, the hash of a token and the answer that echoes a key
    failed on it with a 500. Only a text with such an escape is checked
    (one more encoding of the data it made, as cheap as the parse)."""
    if "\\u" not in text or not _SURROGATE_ESCAPE.search(text):
        return
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise BoundError(HALF_CHARACTER) from None


def loads_json(text: str, max_depth: int = MAX_DEPTH, pairs_hook: Any = None) -> Any:
    """json.loads with nesting and number length bounded (NaN, Infinity and
    lone surrogates refused). Raises BoundError for a limit, json.JSONDecodeError
    for broken JSON. `pairs_hook` is json's object_pairs_hook."""
    check_json_depth(text, max_depth)
    try:
        data = json.loads(text, parse_int=_bounded_int, parse_float=_bounded_float, parse_constant=_no_constant,
                          object_pairs_hook=pairs_hook)
    except RecursionError:  # the scan above makes this unreachable; kept as a 4xx, not a crash
        raise BoundError(Coded("too_deep", f"is nested deeper than {max_depth} levels", max=max_depth)) from None
    _check_whole_characters(text, data)
    return data

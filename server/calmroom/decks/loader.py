"""Reading a deck from YAML or JSON text, with bounded work (see bounds.py).

The text is read once, by yamlread's event walk, which reports repeated keys,
aliases and merge keys with their path and refuses a file over a limit at
the event that crosses it; only then is it validated against the schema.
JSON is first checked by json.loads (depth and numbers bounded) for JSON's
own error messages, and then read as YAML like any deck."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from marshmallow import ValidationError

from ..domain.deck import Deck
from ..protocol.base import flatten_errors
from ..protocol.problems import Coded, code_of
from .bounds import MAX_DECK_BYTES, MAX_MESSAGE_CHARS, MAX_NODES, MAX_PROBLEMS, BoundError, loads_json
from .jsonread import read_json
from .schema import DeckSchema, deck_to_dict
from .yamlwrite import deck_yaml
from .yamlread import YamlSyntaxError, read_yaml

_LIMIT_TEXT = f"{MAX_DECK_BYTES // 1024} KB"


@dataclass(frozen=True)
class Problem:
    """One problem at its path: the English `message`, and when the message
    is a `Coded` one its `code` and `params` (protocol/problems.py), which
    the studio says in the trainer's language."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message

    def as_dict(self) -> dict:
        code, params = code_of(self.message)
        out: dict = {"path": self.path, "message": str(self.message)}
        if code:
            out["code"], out["params"] = code, params
        return out


def _clip(text: str) -> str:
    if len(text) <= MAX_MESSAGE_CHARS:
        return text
    clipped = text[: MAX_MESSAGE_CHARS - 1] + "…"
    code, params = code_of(text)
    return Coded(code, clipped, **params) if code else clipped


def _too_large(message: str) -> Problem:
    return Problem("", Coded("too_large", message, limit_kb=MAX_DECK_BYTES // 1024))


def _not_utf8(exc: UnicodeDecodeError) -> Problem:
    return Problem("", Coded("not_utf8", f"is not UTF-8 text (byte {exc.start})", byte=exc.start))


_EMPTY = Coded("empty", "is empty")


class DeckError(Exception):
    """The problems found in one deck text, each with its path: the first
    MAX_PROBLEMS of them, then one more saying how many were left out (a file
    of 70,000 unknown keys once answered with a 4.8 MB list)."""

    def __init__(self, problems: list[Problem]):
        shown = [Problem(_clip(p.path), _clip(p.message)) for p in problems[:MAX_PROBLEMS]]
        self.omitted = max(0, len(problems) - MAX_PROBLEMS)
        if self.omitted:
            shown.append(Problem("", Coded("more_problems", f"and {self.omitted:,} more problems; fix these first", omitted=self.omitted)))
        self.problems = shown
        super().__init__("; ".join(str(p) for p in shown))


def load_deck_file(path: str | Path) -> Deck:
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_DECK_BYTES:
            raise DeckError([_too_large(f"file is {size:,} bytes; a deck may be at most {_LIMIT_TEXT}")])
        raw = p.read_bytes()
    except IsADirectoryError:
        raise DeckError([Problem("", Coded("not_a_file", "is a directory, not a deck file"))]) from None
    except FileNotFoundError:
        raise DeckError([Problem("", Coded("no_file", "no such file"))]) from None
    except OSError as exc:
        raise DeckError([Problem("", f"cannot be read: {exc.strerror or exc}")]) from None
    return load_deck_text(raw, filename=p.name)


def load_deck_text(raw: bytes | str, filename: str = "") -> Deck:
    return check_deck(parse_deck_text(raw, filename))


def check_deck(data: Any) -> Deck:
    """The one validator of the deck format (the CLI, uploads, the studio):
    plain data to a Deck, or DeckError with every problem and its path."""
    try:
        deck = DeckSchema().load(data)
    except ValidationError as err:
        raise DeckError([Problem(path, msg) for path, msg in flatten_errors(err.messages)]) from None
    _exports_under_the_limit(data, deck)
    return deck


# Written as YAML, a deck is its JSON plus at most a few spaces of indentation
# per value (MAX_NODES of them), and 6 bytes more for each character libyaml
# writes as an escape where JSON does not (\U0001F600 for an emoji, \uFEFF):
# under this many bytes of that, it always fits.
_EXPORT_SURE_BYTES = MAX_DECK_BYTES - 12 * MAX_NODES
_ESCAPED_IN_YAML = re.compile("[\U00010000-\U0010FFFF\uFEFF]")


def _exports_under_the_limit(data: Any, deck: Deck) -> None:
    """A deck is accepted only when its export (yamlwrite) is a file that is
    accepted too: near the limit, a compact JSON body can write out larger."""
    text = json.dumps(data, ensure_ascii=False, default=str)
    if len(text.encode("utf-8", "surrogatepass")) + 6 * len(_ESCAPED_IN_YAML.findall(text)) < _EXPORT_SURE_BYTES:
        return
    size = len(deck_yaml(deck_to_dict(deck)).encode("utf-8"))
    if size > MAX_DECK_BYTES:
        raise DeckError([Problem("", Coded(
            "export_too_large",
            f"written as a YAML file the deck would be {size:,} bytes, over the {_LIMIT_TEXT} a deck file may be; "
            "shorten some texts or split the deck", limit_kb=MAX_DECK_BYTES // 1024))])


def read_json_request(raw: bytes) -> Any:
    """A JSON request that carries a deck (the studio's), read with the deck
    bounds by jsonread (faster than the YAML walk deck files take), or
    DeckError with the path of each problem."""
    if len(raw) > MAX_DECK_BYTES:
        raise DeckError([_too_large(f"is {len(raw):,} bytes; at most {_LIMIT_TEXT}")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DeckError([_not_utf8(exc)]) from None
    if not text.strip():
        raise DeckError([Problem("", _EMPTY)])
    problems: list[Problem] = []
    try:
        data = read_json(text, lambda path, message: problems.append(Problem(path, message)))
    except BoundError as exc:
        raise _over_a_bound(exc) from None
    except json.JSONDecodeError as exc:
        raise _broken_json(exc) from None
    if problems:
        raise DeckError(problems)
    return data


def _over_a_bound(exc: BoundError) -> DeckError:
    path, message = exc.args[0] if isinstance(exc.args[0], tuple) else ("", exc.args[0])
    return DeckError([Problem(path, message)])


def _broken_json(exc: json.JSONDecodeError) -> DeckError:
    return DeckError([Problem("", Coded("not_json", f"is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}", line=exc.lineno, column=exc.colno))])


def parse_deck_text(raw: bytes | str, filename: str = "") -> Any:
    """Bytes or text to plain data, or DeckError with one clear reason (or
    every repeated key and alias, with its path)."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_DECK_BYTES:
            raise DeckError([_too_large(f"file is {len(raw):,} bytes; a deck may be at most {_LIMIT_TEXT}")])
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DeckError([_not_utf8(exc)]) from None
    else:
        text = raw
        if len(text) > MAX_DECK_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_DECK_BYTES:
            raise DeckError([_too_large(f"text is larger than {_LIMIT_TEXT}; a deck may be at most {_LIMIT_TEXT}")])
    if "\x00" in text:
        raise DeckError([Problem("", Coded("binary", "is a binary file, not YAML or JSON"))])
    if not text.strip():
        raise DeckError([Problem("", _EMPTY)])

    looks_json = filename.lower().endswith(".json") or text.lstrip()[:1] in ("{", "[")
    try:
        if looks_json:
            try:
                loads_json(text)
            except json.JSONDecodeError as exc:
                raise _broken_json(exc) from None
        problems: list[Problem] = []
        data = read_yaml(text, lambda path, message: problems.append(Problem(path, message)))
    except BoundError as exc:
        raise _over_a_bound(exc) from None
    except YamlSyntaxError as exc:
        raise DeckError([Problem("", Coded("not_yaml", f"is not valid YAML: {exc}"))]) from None
    if problems:
        raise DeckError(problems)
    if data is None:
        raise DeckError([Problem("", _EMPTY)])
    if not isinstance(data, dict):
        raise DeckError([Problem("", Coded("not_deck", "must be a mapping with id, title, scale, steps and cards at the top"))])
    return data

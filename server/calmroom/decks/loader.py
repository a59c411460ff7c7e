"""Reading a deck from YAML or JSON text, with bounded work (see bounds.py).

The text is read once, by yamlread's event walk, which reports repeated keys,
aliases and merge keys with their path and refuses a file over a limit at
the event that crosses it; only then is it validated against the schema.
JSON is first checked by json.loads (depth and numbers bounded) for JSON's
own error messages, and then read as YAML like any deck."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from marshmallow import ValidationError

from ..domain.deck import Deck
from ..protocol.base import flatten_errors
from .bounds import MAX_DECK_BYTES, MAX_MESSAGE_CHARS, MAX_PROBLEMS, BoundError, loads_json
from .jsonread import read_json
from .schema import DeckSchema
from .yamlread import YamlSyntaxError, read_yaml

_LIMIT_TEXT = f"{MAX_DECK_BYTES // 1024} KB"


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message

    def as_dict(self) -> dict:
        return {"path": self.path, "message": self.message}


def _clip(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE_CHARS else text[: MAX_MESSAGE_CHARS - 1] + "…"


class DeckError(Exception):
    """The problems found in one deck text, each with its path: the first
    MAX_PROBLEMS of them, then one more saying how many were left out (a file
    of 70,000 unknown keys once answered with a 4.8 MB list)."""

    def __init__(self, problems: list[Problem]):
        shown = [Problem(_clip(p.path), _clip(p.message)) for p in problems[:MAX_PROBLEMS]]
        self.omitted = max(0, len(problems) - MAX_PROBLEMS)
        if self.omitted:
            shown.append(Problem("", f"and {self.omitted:,} more problems; fix these first"))
        self.problems = shown
        super().__init__("; ".join(str(p) for p in shown))


def load_deck_file(path: str | Path) -> Deck:
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_DECK_BYTES:
            raise DeckError([Problem("", f"file is {size:,} bytes; a deck may be at most {_LIMIT_TEXT}")])
        raw = p.read_bytes()
    except IsADirectoryError:
        raise DeckError([Problem("", "is a directory, not a deck file")]) from None
    except FileNotFoundError:
        raise DeckError([Problem("", "no such file")]) from None
    except OSError as exc:
        raise DeckError([Problem("", f"cannot be read: {exc.strerror or exc}")]) from None
    return load_deck_text(raw, filename=p.name)


def load_deck_text(raw: bytes | str, filename: str = "") -> Deck:
    return check_deck(parse_deck_text(raw, filename))


def check_deck(data: Any) -> Deck:
    """The one validator of the deck format (the CLI, uploads, the studio):
    plain data to a Deck, or DeckError with every problem and its path."""
    try:
        return DeckSchema().load(data)
    except ValidationError as err:
        raise DeckError([Problem(path, msg) for path, msg in flatten_errors(err.messages)]) from None


def read_json_request(raw: bytes) -> Any:
    """A JSON request that carries a deck (the studio's), read with the deck
    bounds by jsonread (faster than the YAML walk deck files take), or
    DeckError with the path of each problem."""
    if len(raw) > MAX_DECK_BYTES:
        raise DeckError([Problem("", f"is {len(raw):,} bytes; at most {_LIMIT_TEXT}")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DeckError([Problem("", f"is not UTF-8 text (byte {exc.start})")]) from None
    if not text.strip():
        raise DeckError([Problem("", "is empty")])
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
    return DeckError([Problem("", f"is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}")])


def parse_deck_text(raw: bytes | str, filename: str = "") -> Any:
    """Bytes or text to plain data, or DeckError with one clear reason (or
    every repeated key and alias, with its path)."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_DECK_BYTES:
            raise DeckError([Problem("", f"file is {len(raw):,} bytes; a deck may be at most {_LIMIT_TEXT}")])
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DeckError([Problem("", f"is not UTF-8 text (byte {exc.start})")]) from None
    else:
        text = raw
        if len(text) > MAX_DECK_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_DECK_BYTES:
            raise DeckError([Problem("", f"text is larger than {_LIMIT_TEXT}; a deck may be at most {_LIMIT_TEXT}")])
    if "\x00" in text:
        raise DeckError([Problem("", "is a binary file, not YAML or JSON")])
    if not text.strip():
        raise DeckError([Problem("", "is empty")])

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
        raise DeckError([Problem("", f"is not valid YAML: {exc}")]) from None
    if problems:
        raise DeckError(problems)
    if data is None:
        raise DeckError([Problem("", "is empty")])
    if not isinstance(data, dict):
        raise DeckError([Problem("", "must be a mapping with id, title, scale, steps and cards at the top")])
    return data

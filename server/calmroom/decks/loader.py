"""Reading a deck from YAML or JSON text.

PyYAML keeps the last of two equal keys without a word, so the text is first
composed into nodes and walked: repeated keys and aliases are reported with the
path they sit at, and only then is the tree constructed and validated."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from marshmallow import ValidationError

from ..domain.deck import Deck
from ..protocol.base import flatten_errors
from .schema import DeckSchema

MAX_DECK_BYTES = 1_000_000


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message

    def as_dict(self) -> dict:
        return {"path": self.path, "message": self.message}


class DeckError(Exception):
    """Every problem found in one deck text, each with its path."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def load_deck_file(path: str | Path) -> Deck:
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_DECK_BYTES:
            raise DeckError([Problem("", f"file is {size:,} bytes; a deck may be at most 1 MB")])
        raw = p.read_bytes()
    except IsADirectoryError:
        raise DeckError([Problem("", "is a directory, not a deck file")]) from None
    except FileNotFoundError:
        raise DeckError([Problem("", "no such file")]) from None
    except OSError as exc:
        raise DeckError([Problem("", f"cannot be read: {exc.strerror or exc}")]) from None
    return load_deck_text(raw, filename=p.name)


def load_deck_text(raw: bytes | str, filename: str = "") -> Deck:
    data = parse_deck_text(raw, filename)
    try:
        return DeckSchema().load(data)
    except ValidationError as err:
        raise DeckError([Problem(path, msg) for path, msg in flatten_errors(err.messages)]) from None


def parse_deck_text(raw: bytes | str, filename: str = "") -> Any:
    """Bytes or text to plain data, or DeckError with one clear reason."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_DECK_BYTES:
            raise DeckError([Problem("", f"file is {len(raw):,} bytes; a deck may be at most 1 MB")])
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DeckError([Problem("", f"is not UTF-8 text (byte {exc.start})")]) from None
    else:
        text = raw
        if len(text.encode("utf-8")) > MAX_DECK_BYTES:
            raise DeckError([Problem("", "text is larger than 1 MB; a deck may be at most 1 MB")])
    if "\x00" in text:
        raise DeckError([Problem("", "is a binary file, not YAML or JSON")])
    if not text.strip():
        raise DeckError([Problem("", "is empty")])

    looks_json = filename.lower().endswith(".json") or text.lstrip()[:1] in ("{", "[")
    if looks_json:
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            raise DeckError([Problem("", f"is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}")]) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        where = ""
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            where = f" at line {mark.line + 1}, column {mark.column + 1}"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise DeckError([Problem("", f"is not valid YAML: {problem}{where}")]) from None
    if node is None:
        raise DeckError([Problem("", "is empty")])
    problems: list[Problem] = []
    _check_nodes(node, "", problems, set())
    if problems:
        raise DeckError(problems)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:  # e.g. a tag PyYAML's safe loader refuses
        raise DeckError([Problem("", f"is not valid YAML: {str(exc).splitlines()[0]}")]) from None
    if not isinstance(data, dict):
        raise DeckError([Problem("", "must be a mapping with id, title, scale, steps and cards at the top")])
    return data


def _check_nodes(node: yaml.Node, path: str, problems: list[Problem], seen: set[int]) -> None:
    if id(node) in seen:
        problems.append(Problem(path, "YAML anchors and aliases (&name, *name) are not supported; write the value out"))
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        first_line: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(Problem(path, f"a key at line {key_node.start_mark.line + 1} is not a plain value"))
                continue
            if key_node.tag == "tag:yaml.org,2002:merge":
                problems.append(Problem(path, "YAML merge keys (<<) are not supported"))
                continue
            key = key_node.value
            child = f"{path}.{key}" if path else str(key)
            line = key_node.start_mark.line + 1
            if key in first_line:
                problems.append(Problem(child, f"repeated key at line {line} (first at line {first_line[key]}); each key may appear once"))
            else:
                first_line[key] = line
            _check_nodes(value_node, child, problems, seen)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _check_nodes(item, f"{path}[{i}]", problems, seen)

"""JSON text to plain data with the deck bounds, for the studio's requests
(`{deck: {...}}`, sent on every pause in typing): the limits and messages of
yamlread's walk (values, keys in one mapping, key length, repeated keys,
with the path where), in a fraction of its time: json's C scanner builds
the data (nesting and numbers bounded before, bounds.loads_json), then one
walk over it counts. Deck files (YAML or JSON) are read by yamlread."""
from __future__ import annotations

from typing import Any, Callable

from .bounds import MAX_KEY_CHARS, MAX_KEYS, MAX_NODES, BoundError, loads_json


class _Pairs:
    """object_pairs_hook: a dict, and the keys each one repeated."""

    def __init__(self) -> None:
        self.repeated: dict[int, list[str]] = {}
        self._dropped: list[Any] = []  # kept alive, so no later dict gets the id of one that repeated keys

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict:
        out: dict = {}
        for key, value in pairs:
            if key in out:
                self.repeated.setdefault(id(out), []).append(key)
                self._dropped.append(value)
                continue  # the first one counts; the repeat is reported
            out[key] = value
        return out


def read_json(text: str, report: Callable[[str, str], None]) -> Any:
    """The JSON value in text. report(path, message) gets every repeated or
    over-long key; a limit raises BoundError as (path, message) at once;
    json.JSONDecodeError for broken JSON."""
    pairs = _Pairs()
    data = loads_json(text, pairs_hook=pairs)
    nodes = 0
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, value = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise BoundError((path, f"the deck has more than {MAX_NODES:,} values; a deck needs far fewer"))
        if isinstance(value, dict):
            if len(value) > MAX_KEYS:
                raise BoundError((path, f"has more than {MAX_KEYS} keys; a deck mapping needs a dozen"))
            for key in pairs.repeated.get(id(value), ()):
                report(_key_path(path, key), "repeated key; each key may appear once")
            for key, child in value.items():
                if len(key) > MAX_KEY_CHARS:
                    report(path, f"a key is {len(key):,} characters long; at most {MAX_KEY_CHARS}")
                    continue
                stack.append((_key_path(path, key), child))
        elif isinstance(value, list):
            stack.extend((f"{path}[{i}]", child) for i, child in enumerate(value))
    return data


def _key_path(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key

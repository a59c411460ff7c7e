"""Looking at two decks (or two versions of one) side by side, on the plain
data of the deck format (deck_to_dict), with the validator's paths
(`cards[2].customer.start_temperature`, `scale.labels.0`):

- texts: every path of a text to translate (not ids, keys, the language or channels);
- stable_path / position_path: a path by ids and keys, that moving a card keeps;
- diff: what changed between two versions, field by field;
- parity: whether a deck and its translation have the same structure."""
from __future__ import annotations

import re
from typing import Any, Iterator

from ..protocol.problems import Coded
from .bounds import label_number

# strings that are names, not texts: they stay the same in every language
NOT_TEXT = frozenset({"id", "key", "language", "channel"})
# lists of names: a card's `steps` are rubric keys
NAME_LISTS = frozenset({"steps"})


def _join(prefix: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{prefix}[{key}]"
    return f"{prefix}.{key}" if prefix else str(key)


def texts(body: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(path, text) of every text in a deck."""
    if isinstance(body, dict):
        for key, value in body.items():
            if key in NOT_TEXT and isinstance(value, str):
                continue
            if key in NAME_LISTS and isinstance(value, list) and all(isinstance(v, str) for v in value):
                continue
            yield from texts(value, _join(prefix, key))
    elif isinstance(body, list):
        for i, value in enumerate(body):
            yield from texts(value, _join(prefix, i))
    elif isinstance(body, str):
        yield prefix, body


# -- stable paths -----------------------------------------------------------------------
# A path that survives inserting and moving items: steps by key, cards and
# variants by id (`cards[id=late-parcel].customer.opening_line`), as the diff
# matches them; lists of texts (`look_for[1]`) stay positions.
_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]|\[(id|key)=([^\]]*)\]")


def stable_path(body: Any, path: str) -> str | None:
    """`path` (a position or stable) in `body` as a stable path; None when
    there is nothing at it."""
    return _walk(body, path, stable=True)


def position_path(body: Any, path: str) -> str | None:
    """`path` (stable or a position) as the validator's path in `body`;
    None when there is nothing at it."""
    return _walk(body, path, stable=False)


def _walk(body: Any, path: str, *, stable: bool) -> str | None:
    value, out = body, ""
    for m in _PART.finditer(path):
        name, index, ident_name, ident = m.groups()
        if name is not None:
            number = label_number(name)
            if isinstance(value, dict) and name not in value and number is not None:
                name = number if number in value else name  # scale labels, read from YAML
            if not isinstance(value, dict) or name not in value:
                return None
            value, out = value[name], _join(out, str(name))
            continue
        if not isinstance(value, list):
            return None
        keyed = _keyed(value)
        if index is not None:
            n = int(index)
        elif keyed is None or ident not in keyed or _ident_name(value[keyed[ident]]) != ident_name:
            return None
        else:
            n = keyed[ident]
        if n >= len(value):
            return None
        item = value[n]
        out += f"[{_ident_name(item)}={_ident(item)}]" if stable and keyed is not None else f"[{n}]"
        value = item
    return out or None


def stable_texts(body: Any) -> dict[str, str]:
    """{stable path: text} of every text in a deck."""
    return {stable_path(body, path) or path: text for path, text in texts(body)}


def positions(body: Any, paths: list[str] | None) -> list[str]:
    """Stable paths (or, stored before they were stable, positions) as the
    validator's paths in `body`, leaving out those with nothing there."""
    found = (position_path(body, p) for p in paths or ())
    return [p for p in found if p is not None]


def _ident_name(item: dict) -> str:
    return "id" if isinstance(item.get("id"), str) else "key"


# -- diff -------------------------------------------------------------------------------
def _ident(item: Any) -> str | None:
    if isinstance(item, dict):
        for name in ("id", "key"):
            if isinstance(item.get(name), str):
                return item[name]
    return None


def _keyed(items: list) -> dict[str, int] | None:
    """Position by id (or key) when every item of a list of mappings has a distinct one."""
    if not items or not all(isinstance(i, dict) for i in items):
        return None
    idents = [_ident(i) for i in items]
    if None in idents or len(set(idents)) != len(idents):
        return None
    return {ident: n for n, ident in enumerate(idents)}  # type: ignore[misc]


def diff(before: Any, after: Any, path: str = "") -> list[dict]:
    """Changes from `before` to `after`: [{path, kind, before, after}]. Mappings
    by key; lists of mappings with ids or keys by id (path in `after`, in
    `before` for what was removed); any other list is one value."""
    if isinstance(before, dict) and isinstance(after, dict):
        out: list[dict] = []
        for key in before:
            if key not in after:
                out.append(_change(_join(path, key), "removed", before[key], None))
        for key, value in after.items():
            if key not in before:
                out.append(_change(_join(path, key), "added", None, value))
            else:
                out.extend(diff(before[key], value, _join(path, key)))
        return out
    if isinstance(before, list) and isinstance(after, list):
        old, new = _keyed(before), _keyed(after)
        if old is not None and new is not None:
            return _diff_keyed(before, after, old, new, path)
    if before == after:
        return []
    return [_change(path, "changed", before, after)]


def _diff_keyed(before: list, after: list, old: dict[str, int], new: dict[str, int], path: str) -> list[dict]:
    out: list[dict] = []
    kept_before = [i for i in old if i in new]
    kept_after = [i for i in new if i in old]
    if kept_before != kept_after:
        out.append(_change(path, "changed", kept_before, kept_after))
    for ident, n in old.items():
        if ident not in new:
            out.append(_change(_join(path, n), "removed", before[n], None))
    for ident, n in new.items():
        if ident not in old:
            out.append(_change(_join(path, n), "added", None, after[n]))
        else:
            out.extend(diff(before[old[ident]], after[n], _join(path, n)))
    return out


def _change(path: str, kind: str, before: Any, after: Any) -> dict:
    return {"path": path, "kind": kind, "before": before, "after": after}


# -- parity -----------------------------------------------------------------------------
CARD_FIELDS = ("steps", "channel", "difficulty", "play_minutes")


def parity(deck: dict, other: dict) -> list[dict]:
    """Problems [{path, message, code, params}] where `other` (a translation) has another
    structure than `deck`: scale, step keys and critical flags, card ids,
    and per card its steps, channel, difficulty, minutes, start temperature,
    variant ids and look_fors keys. Paths are in `deck`."""
    name = other.get("id", "the other deck")
    problems: list[dict] = []

    def differ(path: str, mine: Any, theirs: Any, what: str) -> None:
        if mine != theirs:
            said = Coded("parity", f"{what} is {_show(mine)} here but {_show(theirs)} in {name}",
                         here=mine, there=theirs, other=name)
            problems.append({"path": path, "message": str(said), "code": said.code, "params": said.params})

    scale, other_scale = deck.get("scale", {}), other.get("scale", {})
    for bound in ("min", "max"):
        differ(f"scale.{bound}", scale.get(bound), other_scale.get(bound), bound)
    differ("scale.labels", sorted(scale.get("labels", {})), sorted(other_scale.get("labels", {})), "the labelled points")

    steps, other_steps = deck.get("steps", []), other.get("steps", [])
    differ("steps", [s.get("key") for s in steps], [s.get("key") for s in other_steps], "the step keys")
    theirs_by_key = {s.get("key"): s for s in other_steps}
    for i, step in enumerate(steps):
        twin = theirs_by_key.get(step.get("key"))
        if twin is not None:
            differ(f"steps[{i}].critical", bool(step.get("critical")), bool(twin.get("critical")), "critical")

    cards, other_cards = deck.get("cards", []), other.get("cards", [])
    differ("cards", [c.get("id") for c in cards], [c.get("id") for c in other_cards], "the card ids")
    theirs_by_id = {c.get("id"): c for c in other_cards}
    for i, card in enumerate(cards):
        twin = theirs_by_id.get(card.get("id"))
        if twin is None:
            continue
        at = f"cards[{i}]"
        for field in CARD_FIELDS:
            differ(f"{at}.{field}", card.get(field), twin.get(field), field)
        differ(f"{at}.customer.start_temperature", card.get("customer", {}).get("start_temperature"),
               twin.get("customer", {}).get("start_temperature"), "start_temperature")
        differ(f"{at}.variants", [v.get("id") for v in card.get("variants", [])],
               [v.get("id") for v in twin.get("variants", [])], "the variant ids")
        differ(f"{at}.look_fors", sorted(card.get("look_fors", {})), sorted(twin.get("look_fors", {})), "the look_fors steps")
    return problems


def _show(value: Any) -> str:
    if value is None:
        return "not set"
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)

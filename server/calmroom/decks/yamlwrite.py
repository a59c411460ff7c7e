"""A deck as YAML text a person can read and `calmroom decks validate`
accepts: load_deck_text(deck_yaml(deck_to_dict(deck))) == deck.

A deck near the size limit can be larger written out than it came in (a
compact JSON body, or YAML with less indentation): then the texts are
written one per line and short lists inline, which is smaller; the
validator refuses a deck even that form cannot write under the limit
(loader.check_deck), so every deck it accepts exports to a file it accepts."""
from __future__ import annotations

from typing import Any

import yaml

from .bounds import MAX_DECK_BYTES, label_number

Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
TOP_ORDER = ("id", "title", "language", "description", "scale", "steps", "cards", "facilitator")
_NO_FOLDS = 2**30  # libyaml's "no line width"


def deck_yaml(body: dict) -> str:
    """`body` in the deck format (deck_to_dict); keys in the order the format
    lists them, scale labels as the numbers they are."""
    ordered: dict[str, Any] = {k: body[k] for k in TOP_ORDER if k in body}
    ordered.update({k: v for k, v in body.items() if k not in ordered})
    scale = ordered.get("scale")
    if isinstance(scale, dict) and isinstance(scale.get("labels"), dict):
        labels = {k if label_number(k) is None else label_number(k): v for k, v in scale["labels"].items()}
        ordered["scale"] = {**scale, "labels": labels}
    text = _dump(ordered, width=100, default_flow_style=False)
    if len(text.encode("utf-8")) <= MAX_DECK_BYTES:
        return text
    return _dump(ordered, width=_NO_FOLDS, default_flow_style=None)


def _dump(data: dict, **style: Any) -> str:
    return yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, **style)

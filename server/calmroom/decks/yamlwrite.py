"""A deck as YAML text a person can read and `calmroom decks validate`
accepts: load_deck_text(deck_yaml(deck_to_dict(deck))) == deck."""
from __future__ import annotations

from typing import Any

import yaml

Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
TOP_ORDER = ("id", "title", "language", "description", "scale", "steps", "cards", "facilitator")


def deck_yaml(body: dict) -> str:
    """`body` in the deck format (deck_to_dict); keys in the order the format
    lists them, scale labels as the numbers they are."""
    ordered: dict[str, Any] = {k: body[k] for k in TOP_ORDER if k in body}
    ordered.update({k: v for k, v in body.items() if k not in ordered})
    scale = ordered.get("scale")
    if isinstance(scale, dict) and isinstance(scale.get("labels"), dict):
        labels = {int(k) if isinstance(k, str) and k.lstrip("-").isdigit() else k: v for k, v in scale["labels"].items()}
        ordered["scale"] = {**scale, "labels": labels}
    return yaml.dump(ordered, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)

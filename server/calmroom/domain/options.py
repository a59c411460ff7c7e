"""A room's options, set when it is made and changed by the facilitator.

- `anonymous`: participants and the projector never learn which observer
  wrote, scored or rated what (the facilitator still does). In what a
  participant gets, an observer is an alias per round (`observer-1`, ...),
  never an id that the room's list of people would turn into a name; a
  time-out names nobody.
- `name_timeouts`: a time-out says who called it. Off by default: a time-out
  is a safety valve that needs no explanation, and being named keeps people
  from pulling it. An anonymous room never names, whatever this says. The
  facilitator always learns who called it (to look after them).
- `fishbowl`: audience mode for big rooms. The facilitator (and the projector)
  get the observers' live marks and scores as aggregates per step, sent a few
  times a second at most, instead of one event per mark.
- `projector_live`: the projector shows those aggregates during the
  role-play (the facilitator's toggle; off by default, so the players on
  stage are not watching their own scores come in)."""
from __future__ import annotations

from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class RoomOptions:
    anonymous: bool = False
    name_timeouts: bool = False
    fishbowl: bool = False
    projector_live: bool = False

    @classmethod
    def from_stored(cls, value: dict | None) -> "RoomOptions":
        """From the stored JSON (None for a room from before options): known
        keys only, so an option added later reads as its default."""
        if not value:
            return cls()
        known = {k: bool(v) for k, v in value.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def changed(self, **values: bool) -> "RoomOptions":
        return replace(self, **values)

    def as_dict(self) -> dict:
        # flat booleans: no deep copy (dataclasses.asdict) in every state rendered
        return {name: getattr(self, name) for name in _NAMES}

    @property
    def names_timeouts(self) -> bool:
        return self.name_timeouts and not self.anonymous


_NAMES = tuple(f.name for f in fields(RoomOptions))

OBSERVER_ALIAS = "observer-"  # an alias is never a participant id (16 hex) or FACILITATOR


def observer_aliases(authors: list[str], keep: set[str]) -> dict[str, str]:
    """Each author, in order of first appearance, to `observer-<n>`, but
    those in `keep` (the facilitator, the players: they are not observers).
    The order is the order of their marks and scores, not of joining, so the
    room's list of people (join order) does not give the aliases away."""
    out: dict[str, str] = {}
    for author in authors:
        if author in keep or author in out:
            continue
        out[author] = f"{OBSERVER_ALIAS}{len(out) + 1}"
    return out


def is_alias(author: str) -> bool:
    return author.startswith(OBSERVER_ALIAS)

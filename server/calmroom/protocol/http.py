"""Schemas of the HTTP API's request bodies."""
from __future__ import annotations

from .base import Bool, Int, Nested, StrictSchema, Str
from .events import RoomOptionsIn
from .text import VisibleText

HTTP_STATUS = {
    "invalid": 400,
    "unauthorized": 401,
    "forbidden": 403,
    "not_found": 404,
    "conflict": 409,
    "too_large": 413,
    "room_locked": 423,
    "rate_limited": 429,
    "unavailable": 503,
}


class CreateRoom(StrictSchema):
    deck = Str(required=True, max_len=60)
    title = VisibleText(max_len=120)
    duration_s = Int(low=30, high=3600)
    options = Nested(RoomOptionsIn)


# -- the deck studio (docs/studio-api.md) ------------------------------------------
class StudioCopy(StrictSchema):
    """A copy of a deck under a new id (checked by the deck validator)."""

    id = Str(required=True, max_len=60)
    title = VisibleText(max_len=120)


class StudioTranslate(StrictSchema):
    id = Str(required=True, max_len=60)
    language = Str(required=True, max_len=5)


class StudioRestore(StrictSchema):
    version = Int(required=True, low=1, high=1_000_000)


class StudioArchive(StrictSchema):
    archived = Bool(required=True)


class StudioPreview(StrictSchema):
    """Besides `deck`."""

    card = Str(required=True, max_len=60)


class StudioTestRoom(StrictSchema):
    """Besides `deck`; as POST /api/rooms."""

    title = VisibleText(max_len=120)
    duration_s = Int(low=30, high=3600)

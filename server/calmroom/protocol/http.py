"""Schemas of the HTTP API's request bodies."""
from __future__ import annotations

from .base import Int, Nested, StrictSchema, Str
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

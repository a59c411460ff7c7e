"""One schema per client event (PROTOCOL.md, "Client → server"). Unknown
fields are refused; strings are trimmed; lengths and ranges are the contract's."""
from __future__ import annotations

from marshmallow import ValidationError, validate, validates_schema

from ..domain.admission import REJOIN_ALPHABET, REJOIN_CODE_LENGTH, clean_rejoin_code
from .base import Bool, Int, StrictSchema, Str
from .text import FreeText, VisibleText

PROTOCOL_VERSION = 1

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
CODE_LENGTH = 6
NAME_MAX = 40
NOTE_MAX = 500
REASON_MAX = 200
TEXT_MAX = 500
TOKEN_MAX = 128
CLIENT_ID = r"^[A-Za-z0-9_-]{1,64}$"


class RoomCode(Str):
    """Room codes are case-insensitive for people typing them."""

    def __init__(self, **kw):
        super().__init__(
            max_len=CODE_LENGTH,
            min_len=CODE_LENGTH,
            validate=[validate.Regexp(f"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$", error="must be a 6-character room code")],
            **kw,
        )

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).upper()


def _client_id() -> Str:
    return Str(required=True, max_len=64, validate=[validate.Regexp(CLIENT_ID, error="must be 1–64 of A-Z, a-z, 0-9, _ and - (a UUID fits)")])


class Empty(StrictSchema):
    pass


class JoinRoom(StrictSchema):
    room = RoomCode(required=True)
    name = VisibleText(required=True, max_len=NAME_MAX)


class Rejoin(StrictSchema):
    room = RoomCode(required=True)
    token = Str(required=True, max_len=TOKEN_MAX)


class HostRoom(StrictSchema):
    room = RoomCode(required=True)
    facilitator_token = Str(required=True, max_len=TOKEN_MAX)


class StartRound(StrictSchema):
    card = Str(max_len=60)
    customer = Str(max_len=32)
    agent = Str(max_len=32)
    duration_s = Int(low=30, high=3600)


class CallTimeout(StrictSchema):
    reason = FreeText(max_len=REASON_MAX, min_len=0)


class MarkStep(StrictSchema):
    id = _client_id()
    step = Str(required=True, max_len=40)
    rating = Int(required=True)
    note = FreeText(max_len=NOTE_MAX, min_len=0)


class CorrectMark(StrictSchema):
    """Undo (`undo: true`) or change (`rating`, and `step`, `note` if they
    change too) one of your own live marks, `mark` being its id."""

    id = _client_id()  # the correction's own id: the same id twice is one correction
    mark = _client_id()
    undo = Bool()
    step = Str(max_len=40)
    rating = Int()
    note = FreeText(max_len=NOTE_MAX, min_len=0)

    @validates_schema
    def _undo_or_change(self, data: dict, **kwargs) -> None:
        if data.get("undo"):
            extra = sorted(k for k in ("step", "rating", "note") if k in data)
            if extra:
                raise ValidationError({k: ["leave it out: an undo takes the whole mark back"] for k in extra})
        elif "rating" not in data:
            raise ValidationError({"rating": ["required to change a mark (or undo: true to take it back)"]})


class SetTemperature(StrictSchema):
    id = _client_id()
    level = Int(required=True, low=0, high=10)


class ScoreStep(StrictSchema):
    step = Str(required=True, max_len=40)
    rating = Int(required=True, allow_none=True)
    comment = FreeText(max_len=NOTE_MAX, min_len=0)


class RateGlobal(StrictSchema):
    rating = Int(required=True, low=1, high=5)


class Reflect(StrictSchema):
    feeling = Int(required=True, low=1, high=5)
    felt_heard = Int(low=1, high=5)
    went_well = FreeText(max_len=TEXT_MAX, min_len=0)
    do_differently = FreeText(max_len=TEXT_MAX, min_len=0)


class Kick(StrictSchema):
    participant = Str(required=True, max_len=32)
    ban = Bool()  # also refuse this name and this person's token in this room from now on


class LockRoom(StrictSchema):
    locked = Bool(required=True)


# -- coming in other than by a plain join (services/admission.py) --------------
class RejoinCode(Str):
    """A personal rejoin code as people type it: case, spaces and dashes do
    not matter (`abcd-efgh` is `ABCDEFGH`)."""

    def __init__(self, **kw):
        pattern = f"^[{REJOIN_ALPHABET}]{{{REJOIN_CODE_LENGTH}}}$"
        error = f"must be the {REJOIN_CODE_LENGTH}-character rejoin code shown on your other device"
        super().__init__(max_len=20, validate=[validate.Regexp(pattern, error=error)], **kw)

    def _deserialize(self, value, attr, data, **kwargs):
        return clean_rejoin_code(super()._deserialize(value, attr, data, **kwargs))


class RejoinWithCode(StrictSchema):
    room = RoomCode(required=True)
    code = RejoinCode(required=True)


class AskedRequest(StrictSchema):
    """The asker about its own request, with the secret it got when asking."""

    room = RoomCode(required=True)
    request = Str(required=True, max_len=32)
    token = Str(required=True, max_len=TOKEN_MAX)


class AnswerRequest(StrictSchema):
    request = Str(required=True, max_len=32)
    admit = Bool(required=True)
class RoomOptionsIn(StrictSchema):
    """A room's options (domain/options.py): at creation (POST /api/rooms
    `options`) any of them; `set_options` the ones to change."""

    anonymous = Bool()
    name_timeouts = Bool()
    fishbowl = Bool()
    projector_live = Bool()


class SetOptions(RoomOptionsIn):
    @validates_schema
    def _something(self, data, **kwargs):
        if not data:
            raise ValidationError("name at least one option to change", "_")


CLIENT_EVENTS: dict[str, type[StrictSchema]] = {
    "join_room": JoinRoom,
    "rejoin": Rejoin,
    "host_room": HostRoom,
    "sync": Empty,
    "start_round": StartRound,
    "begin_roleplay": Empty,
    "pause_round": Empty,
    "resume_round": Empty,
    "call_timeout": CallTimeout,
    "end_roleplay": Empty,
    "reveal_results": Empty,
    "mark_step": MarkStep,
    "correct_mark": CorrectMark,
    "set_temperature": SetTemperature,
    "score_step": ScoreStep,
    "rate_global": RateGlobal,
    "reflect": Reflect,
    "kick": Kick,
    "lock_room": LockRoom,
    "set_options": SetOptions,
    "close_room": Empty,
    "leave_room": Empty,
    "knock": JoinRoom,
    "claim_request": AskedRequest,
    "cancel_request": AskedRequest,
    "answer_request": AnswerRequest,
    "rejoin_with_code": RejoinWithCode,
    "renew_rejoin_code": Empty,
}

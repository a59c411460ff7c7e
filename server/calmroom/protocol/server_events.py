"""One schema per server event (PROTOCOL.md, "Server → client"). Used by the
tests to check every event that goes out; unknown fields are refused, so
nothing reaches a client that is not declared here."""
from __future__ import annotations

from marshmallow import fields, validate

from .base import StrictSchema

ROLES = ("customer", "agent", "observer")
PHASES = ("lobby", "briefing", "roleplay", "paused", "scoring", "review", "closed")


def _str(**kw):
    return fields.String(**kw)


def _int(**kw):
    return fields.Integer(strict=True, **kw)


class MarkOut(StrictSchema):
    id = _str(required=True)
    author = _str(required=True)
    step = _str(required=True)
    rating = _int(required=True)
    note = _str(required=True, allow_none=True)
    t_ms = _int(required=True)


class ScoreOut(StrictSchema):
    author = _str(required=True)
    step = _str(required=True)
    rating = _int(required=True, allow_none=True)
    comment = _str(required=True, allow_none=True)


class ReflectionOut(StrictSchema):
    author = _str(required=True)
    role = _str(validate=validate.OneOf(("customer", "agent")))
    feeling = _int(required=True)
    felt_heard = _int(required=True, allow_none=True)
    went_well = _str(required=True, allow_none=True)
    do_differently = _str(required=True, allow_none=True)


class StepOut(StrictSchema):
    key = _str(required=True)
    label = _str(required=True)
    look_for = fields.List(fields.String(), required=True)
    critical = fields.Boolean(required=True)
    description = _str(required=True, allow_none=True)


class ScaleOut(StrictSchema):
    min = _int(required=True)
    max = _int(required=True)
    labels = fields.Dict(keys=fields.String(), values=fields.String(), required=True)


class DeckOut(StrictSchema):
    id = _str(required=True)
    title = _str(required=True)
    language = _str(required=True)
    scale = fields.Nested(ScaleOut, required=True)
    steps = fields.List(fields.Nested(StepOut), required=True)


class ParticipantOut(StrictSchema):
    id = _str(required=True)
    name = _str(required=True)
    connected = fields.Boolean(required=True)
    role = _str(required=True, allow_none=True, validate=validate.OneOf(ROLES))


class FormerOut(StrictSchema):
    id = _str(required=True)
    name = _str(required=True)


class YouOut(StrictSchema):
    id = _str(required=True)
    name = _str(required=True)
    role = _str(required=True, allow_none=True, validate=validate.OneOf(ROLES))


class CustomerBriefOut(StrictSchema):
    persona = _str(required=True)
    situation = _str(required=True)
    opening_line = _str(required=True)
    start_temperature = _int(required=True)
    escalates_when = fields.List(fields.String(), required=True)
    calms_when = fields.List(fields.String(), required=True)
    wants = _str(required=True)


class AgentBriefOut(StrictSchema):
    briefing = _str(required=True)
    may_offer = fields.List(fields.String(), required=True)
    may_not = fields.List(fields.String(), required=True)


class CardNotesOut(StrictSchema):
    learning_goal = _str()
    turning_point = _str()
    model_phrases = fields.List(fields.String())
    meter = _str()
    scene_ends = _str()


class VariantOut(StrictSchema):
    id = _str(required=True)
    title = _str(required=True)
    customer = _str(required=True)


class CardOut(StrictSchema):
    id = _str(required=True)
    title = _str(required=True)
    setting = _str(required=True)
    difficulty = _int(required=True)
    steps = fields.List(fields.String(), required=True)
    customer = fields.Nested(CustomerBriefOut)
    agent = fields.Nested(AgentBriefOut)
    channel = _str()
    play_minutes = _int()
    facilitator = fields.Nested(CardNotesOut)  # the facilitator only
    variants = fields.List(fields.Nested(VariantOut))  # the facilitator only
    look_fors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))  # facilitator and observers


class ClockOut(StrictSchema):
    running = fields.Boolean(required=True)
    elapsed_ms = _int(required=True)
    duration_s = _int(required=True, allow_none=True)


class TemperatureOut(StrictSchema):
    level = _int(required=True, validate=validate.Range(0, 10))
    t_ms = _int(required=True)


class TimeoutOut(StrictSchema):
    by = _str(required=True, allow_none=True)  # null: the room does not name who called it (to this viewer)
    reason = _str(required=True, allow_none=True)
    t_ms = _int(required=True)


class StepResultOut(StrictSchema):
    """One step of domain/scoring.py round_result: the observers' final scores."""

    step = _str(required=True)
    label = _str(required=True)
    critical = fields.Boolean(required=True)
    applies = fields.Boolean(required=True)
    n = _int(required=True)
    na = _int(required=True)
    mean = fields.Float(required=True, allow_none=True)
    median = fields.Float(required=True, allow_none=True)
    min = _int(required=True, allow_none=True)
    max = _int(required=True, allow_none=True)
    facilitator = _int(required=True, allow_none=True)
    disagreement = fields.Boolean(required=True)


class RoundResultOut(StrictSchema):
    steps = fields.List(fields.Nested(StepResultOut), required=True)
    overall = fields.Float(required=True, allow_none=True)
    capped_by = fields.List(fields.String(), required=True)
    disagreements = fields.List(fields.String(), required=True)
    global_rating = fields.Float(required=True, allow_none=True)  # the observers' mean overall rating
    global_count = _int(required=True)  # how many observers gave one


class StepLiveOut(StrictSchema):
    step = _str(required=True)
    marks = _int(required=True)
    markers = _int(required=True)
    mark_counts = fields.List(fields.Integer(strict=True), required=True)  # per scale point, from scale.min
    score_counts = fields.List(fields.Integer(strict=True), required=True)
    na = _int(required=True)


class LiveAggregateOut(StrictSchema):
    """domain/aggregate.py: counts only, never who."""

    round = _int(required=True)
    observers = _int(required=True)
    marks = _int(required=True)
    scored = _int(required=True)
    scoring = _int(required=True)  # observers who began their final scores but have not finished
    steps = fields.List(fields.Nested(StepLiveOut), required=True)


class OptionsOut(StrictSchema):
    anonymous = fields.Boolean(required=True)
    name_timeouts = fields.Boolean(required=True)
    fishbowl = fields.Boolean(required=True)
    projector_live = fields.Boolean(required=True)


class RoundOut(StrictSchema):
    id = _int(required=True)
    number = _int(required=True)
    card = fields.Nested(CardOut, required=True)
    customer = _str(required=True)
    agent = _str(required=True)
    clock = fields.Nested(ClockOut, required=True)
    revealed = fields.Boolean(required=True)
    timeouts = fields.List(fields.Nested(TimeoutOut), required=True)
    marks = fields.List(fields.Nested(MarkOut), required=True)
    scores = fields.List(fields.Nested(ScoreOut), required=True)
    global_ratings = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    temperatures = fields.List(fields.Nested(TemperatureOut))
    temperature = _int()
    reflections = fields.List(fields.Nested(ReflectionOut))
    my_reflection = fields.Nested(ReflectionOut)
    check_in = fields.List(fields.String())  # the players and the facilitator, in scoring and review
    results = fields.Nested(RoundResultOut)  # the facilitator; everyone once revealed
    live = fields.Nested(LiveAggregateOut)  # the facilitator of a fishbowl


class RequestOut(StrictSchema):
    """A pending join request, as the facilitator sees it (domain/admission.py)."""

    id = _str(required=True)
    kind = _str(required=True, validate=validate.OneOf(("knock", "takeover")))
    name = _str(required=True)
    participant = _str(required=True, allow_none=True)  # takeover: whose place
    expires_in_ms = _int(required=True)


class HeadcountOut(StrictSchema):
    """A fishbowl's or an anonymous room's participants: counts, not names
    (domain/headcount.py)."""

    people = _int(required=True)
    observers = _int(required=True)
    online = _int(required=True)


class StateOut(StrictSchema):
    version = _int(required=True)
    prev = _int()  # broadcast after a change: the version of the previous shared change (not in acks)
    code = _str(required=True)
    title = _str(required=True)
    phase = _str(required=True, validate=validate.OneOf(PHASES))
    locked = fields.Boolean(required=True)
    options = fields.Nested(OptionsOut, required=True)
    # in every ack; not in a broadcast after a change (docs/protocol.md `state`)
    deck = fields.Nested(DeckOut)
    participants = fields.List(fields.Nested(ParticipantOut))
    headcount = fields.Nested(HeadcountOut)  # a fishbowl's or an anonymous room's participants
    you = fields.Nested(YouOut)
    round = fields.Nested(RoundOut)
    former = fields.List(fields.Nested(FormerOut))  # with a round: people who left, named in it
    requests = fields.List(fields.Nested(RequestOut))  # the facilitator's whole state: join requests waiting


class StepMarked(StrictSchema):
    version = _int(required=True)
    mark = fields.Nested(MarkOut, required=True)


class CorrectionOut(StrictSchema):
    id = _str(required=True)
    author = _str(required=True)
    mark = _str(required=True)
    undo = fields.Boolean(required=True)
    step = _str(required=True, allow_none=True)
    rating = _int(required=True, allow_none=True)
    note = _str(required=True, allow_none=True)
    t_ms = _int(required=True)


class MarkCorrected(StrictSchema):
    """To the facilitator: an author corrected one of their live marks;
    `mark` is the mark as it now reads, null when it was withdrawn."""

    version = _int(required=True)
    correction = fields.Nested(CorrectionOut, required=True)
    mark = fields.Nested(MarkOut, required=True, allow_none=True)


class TemperatureChanged(StrictSchema):
    version = _int(required=True)
    level = _int(required=True, validate=validate.Range(0, 10))
    t_ms = _int(required=True)


class Notice(StrictSchema):
    version = _int(required=True)
    prev = _int()  # not with `deleted`: the room is gone
    kind = _str(required=True, validate=validate.OneOf(("timeout", "kicked", "closed", "deleted", "time_up", "moved")))
    message = _str(required=True)
    ban = fields.Boolean()  # with kind=kicked: this person may not come back to this room
    by = _str()
    reason = _str(allow_none=True)
    t_ms = _int()


class ParticipantJoined(StrictSchema):
    version = _int(required=True)
    prev = _int(required=True)
    participant = fields.Nested(ParticipantOut, required=True)


class ParticipantLeft(StrictSchema):
    version = _int(required=True)
    prev = _int(required=True)
    participant = _str(required=True)
    reason = _str(required=True, validate=validate.OneOf(("left", "kicked")))


class Headcount(HeadcountOut):
    """Observers came, went or changed presence (one or a run of them):
    covers the shared changes after `prev` up to `version`."""

    version = _int(required=True)
    prev = _int(required=True)


class PresenceChanged(StrictSchema):
    version = _int(required=True)
    prev = _int(required=True)
    participant = _str(required=True)
    connected = fields.Boolean(required=True)


class StepScored(StrictSchema):
    version = _int(required=True)
    score = fields.Nested(ScoreOut, required=True)


class GlobalRated(StrictSchema):
    version = _int(required=True)
    author = _str(required=True)
    rating = _int(required=True, validate=validate.Range(1, 5))


class Reflected(StrictSchema):
    version = _int(required=True)
    reflection = fields.Nested(ReflectionOut, required=True)


class JoinRequested(StrictSchema):
    version = _int(required=True)
    request = fields.Nested(RequestOut, required=True)


class JoinRequestClosed(StrictSchema):
    """To the facilitator: a request is answered (by any of its tabs) or withdrawn."""

    version = _int(required=True)
    request = _str(required=True)
    outcome = _str(required=True, validate=validate.OneOf(("admitted", "declined", "withdrawn")))


class JoinAnswered(StrictSchema):
    """To the asker: the facilitator's answer (admitted: `claim_request` now)."""

    version = _int(required=True)
    request = _str(required=True)
    outcome = _str(required=True, validate=validate.OneOf(("admitted", "declined")))
class LiveAggregate(LiveAggregateOut):
    """A fishbowl's live aggregate, to the facilitator (sockets/aggregates.py:
    a few times a second at most, whatever the number of marks)."""

    version = _int(required=True)


class Batch(StrictSchema):
    """Membership deltas that came within one short window, in order; each
    item is `[name, payload]` of one of the three or `headcount`
    (sockets/batcher.py)."""

    version = _int(required=True)
    events = fields.List(fields.List(fields.Raw(), validate=validate.Length(equal=2)), required=True)


SERVER_EVENTS: dict[str, type[StrictSchema]] = {
    "state": StateOut,
    "step_marked": StepMarked,
    "mark_corrected": MarkCorrected,
    "temperature_changed": TemperatureChanged,
    "notice": Notice,
    "participant_joined": ParticipantJoined,
    "participant_left": ParticipantLeft,
    "presence_changed": PresenceChanged,
    "step_scored": StepScored,
    "global_rated": GlobalRated,
    "reflected": Reflected,
    "batch": Batch,
    "headcount": Headcount,
    "join_requested": JoinRequested,
    "join_request_closed": JoinRequestClosed,
    "join_answered": JoinAnswered,
    "live_aggregate": LiveAggregate,
}

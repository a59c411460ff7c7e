"""Who sees what (PROTOCOL.md): the exact keys each viewer's `state` holds.

Roles: the facilitator, the round's customer, the round's agent, an observer,
and a participant while the room is in the lobby."""
from __future__ import annotations

import json

import pytest

from calmroom.decks import load_deck_file
from calmroom.domain import phases
from calmroom.domain.clock import Clock
from dataclasses import replace

from calmroom.domain.deck import Aftercare, AgentBrief, Card, CardNotes, CustomerBrief, Deck, DeckNotes, Scale, Step, Variant
from calmroom.domain.room import (
    FACILITATOR,
    Mark,
    Participant,
    Reflection,
    Room,
    Round,
    Score,
    Temperature,
    Timeout,
)
from calmroom.domain.views import deck_view, role_in, round_view, sees_live_marks, sees_temperature, state_view

NOW = 1_700_000_100_000
BEGAN = NOW - 90_000

CUSTOMER_BRIEF = CustomerBrief(
    persona="Busy parent of three",
    situation="The sofa did not come on Saturday, again.",
    opening_line="Where on earth is my sofa?",
    start_temperature=7,
    escalates_when=("being told to calm down", "hearing policy"),
    calms_when=("being heard",),
    wants="A firm delivery date",
)
AGENT_BRIEF = AgentBrief(
    briefing="The delivery truck broke down on the motorway.",
    may_offer=("a new date", "free assembly"),
    may_not=("a refund",),
)
CARD = Card(
    id="sofa",
    title="The sofa that never came",
    difficulty=2,
    setting="Phone, furniture shop",
    customer=CUSTOMER_BRIEF,
    agent=AGENT_BRIEF,
    steps=("listen", "empathy"),
)
OTHER_CARD = Card(
    id="parcel",
    title="Lost parcel",
    difficulty=1,
    setting="Counter, post office",
    customer=CustomerBrief("Student", "The parcel is missing.", "You lost it!", 4, ("shrugging",), ("a trace",), "The parcel"),
    agent=AgentBrief("Tracking says delivered.", ("a trace request",), ()),
)
DECK = Deck(
    id="test-deck",
    title="Test deck",
    language="en",
    scale=Scale(0, 3, {0: "not done", 1: "weak", 2: "adequate", 3: "skilled"}),
    steps=(
        Step("listen", "Let them vent", ("does not interrupt",)),
        Step("empathy", "Show understanding", ("names the feeling",)),
        Step("stay_calm", "Stay calm", ("no sarcasm",), critical=True, description="Tone of voice"),
    ),
    cards=(CARD, OTHER_CARD),
)

CUST, AGENT, OBS1, OBS2 = "p-cust", "p-agent", "p-obs1", "p-obs2"

TOP_KEYS = {"version", "code", "title", "phase", "locked", "options", "deck", "participants"}
ROUND_KEYS = {"id", "number", "card", "customer", "agent", "clock", "revealed", "timeouts", "marks", "scores", "global_ratings"}
TEMP_KEYS = {"temperatures", "temperature"}
CARD_KEYS = {"id", "title", "setting", "difficulty", "steps"}

MARKS = [
    Mark("m1", OBS1, "listen", 2, "good pause", 5_000),
    Mark("m2", OBS2, "listen", 1, None, 6_000),
    Mark("m3", FACILITATOR, "empathy", 3, "named it", 7_000),
    Mark("m4", OBS1, "empathy", 3, None, 8_000),
]
SCORES = [
    Score(OBS1, "listen", 2, "fine"),
    Score(OBS2, "listen", 1),
    Score(FACILITATOR, "listen", 3),
    Score(OBS2, "empathy", None, "n/a for me"),
]
GLOBAL = {OBS1: 4, OBS2: 2, FACILITATOR: 5}
REFLECTIONS = [
    Reflection(CUST, feeling=3, felt_heard=4, went_well="they listened", do_differently=None),
    Reflection(AGENT, feeling=2, went_well=None, do_differently="slow down"),
]
TEMPS = [Temperature(7, 0), Temperature(9, 20_000), Temperature(4, 60_000)]
TIMEOUTS = [Timeout(by=CUST, reason="too real", t_ms=30_000)]

# what exists in the round by phase: (marks/temps/timeouts, scores/global, reflections)
DATA_BY_PHASE = {
    phases.BRIEFING: (False, False, False),
    phases.ROLEPLAY: (True, False, False),
    phases.PAUSED: (True, False, False),
    phases.SCORING: (True, True, True),
    phases.REVIEW: (True, True, True),
}


def people(late_joiner: bool = False) -> list[Participant]:
    out = [
        Participant(CUST, "Cas", 0, connected=True),
        Participant(AGENT, "Ada", 1, connected=True),
        Participant(OBS1, "Olu", 2, connected=True),
        Participant(OBS2, "Oki", 3, connected=False),
    ]
    if late_joiner:
        out.append(Participant("p-late", "Lee", 4, connected=True))
    return out


def make_round(phase: str, revealed: bool | None = None, *, with_reflections: bool | None = None) -> Round:
    live, scored, reflected = DATA_BY_PHASE.get(phase, (True, True, True))
    if with_reflections is not None:
        reflected = with_reflections
    running = phase == phases.ROLEPLAY
    clock = Clock(accumulated_ms=0 if phase == phases.BRIEFING else 60_000, duration_s=600)
    if running:
        clock.accumulated_ms = 40_000
        clock.running_since_ms = NOW - 20_000
    return Round(
        id=11,
        number=3,
        card=CARD,
        customer=CUST,
        agent=AGENT,
        clock=clock,
        revealed=(phase == phases.REVIEW) if revealed is None else revealed,
        marks=list(MARKS) if live else [],
        scores=list(SCORES) if scored else [],
        global_ratings=dict(GLOBAL) if scored else {},
        reflections=list(REFLECTIONS) if reflected else [],
        temperatures=list(TEMPS) if live else [],
        timeouts=list(TIMEOUTS) if live else [],
    )


def make_room(phase: str, rnd: Round | None = None, *, late_joiner: bool = False) -> Room:
    if rnd is None and phase in phases.IN_ROUND:
        rnd = make_round(phase)
    return Room(
        code="KXMP42",
        title="Tuesday team",
        phase=phase,
        version=17,
        locked=False,
        deck=DECK,
        participants=people(late_joiner),
        round=rnd,
    )


def all_keys(value) -> set[str]:
    found: set[str] = set()
    if isinstance(value, dict):
        for k, v in value.items():
            found.add(str(k))
            found |= all_keys(v)
    elif isinstance(value, list):
        for v in value:
            found |= all_keys(v)
    return found


CUSTOMER_BRIEF_DICT = {
    "persona": "Busy parent of three",
    "situation": "The sofa did not come on Saturday, again.",
    "opening_line": "Where on earth is my sofa?",
    "start_temperature": 7,
    "escalates_when": ["being told to calm down", "hearing policy"],
    "calms_when": ["being heard"],
    "wants": "A firm delivery date",
}
AGENT_BRIEF_DICT = {
    "briefing": "The delivery truck broke down on the motorway.",
    "may_offer": ["a new date", "free assembly"],
    "may_not": ["a refund"],
}


# -- the lobby -----------------------------------------------------------------


def test_participant_in_the_lobby_sees_the_room_but_no_round():
    room = make_room(phases.LOBBY)
    view = state_view(room, OBS1, NOW)
    assert set(view) == TOP_KEYS | {"you"}
    assert view["you"] == {"id": OBS1, "name": "Olu", "role": None}
    assert view["phase"] == "lobby"
    assert view["version"] == 17 and view["code"] == "KXMP42" and view["title"] == "Tuesday team"
    assert view["locked"] is False
    assert view["participants"] == [
        {"id": CUST, "name": "Cas", "connected": True, "role": None},
        {"id": AGENT, "name": "Ada", "connected": True, "role": None},
        {"id": OBS1, "name": "Olu", "connected": True, "role": None},
        {"id": OBS2, "name": "Oki", "connected": False, "role": None},
    ]


def test_facilitator_in_the_lobby_has_no_you_and_no_round():
    view = state_view(make_room(phases.LOBBY), FACILITATOR, NOW)
    assert set(view) == TOP_KEYS
    assert role_in(make_room(phases.LOBBY), FACILITATOR) == FACILITATOR


def test_every_lobby_participant_gets_the_same_view_but_their_own_you():
    room = make_room(phases.LOBBY)
    views = {p.id: state_view(room, p.id, NOW) for p in room.participants}
    for pid, v in views.items():
        assert v["you"]["id"] == pid and v["you"]["role"] is None
        assert "round" not in v
        assert {k: x for k, x in v.items() if k != "you"} == {k: x for k, x in views[OBS1].items() if k != "you"}


def test_deck_view_has_rubric_but_no_cards():
    view = state_view(make_room(phases.LOBBY), OBS1, NOW)
    assert view["deck"] == deck_view(make_room(phases.LOBBY))
    assert view["deck"] == {
        "id": "test-deck",
        "title": "Test deck",
        "language": "en",
        "scale": {"min": 0, "max": 3, "labels": {"0": "not done", "1": "weak", "2": "adequate", "3": "skilled"}},
        "steps": [
            {"key": "listen", "label": "Let them vent", "look_for": ["does not interrupt"], "critical": False, "description": None},
            {"key": "empathy", "label": "Show understanding", "look_for": ["names the feeling"], "critical": False, "description": None},
            {"key": "stay_calm", "label": "Stay calm", "look_for": ["no sarcasm"], "critical": True, "description": "Tone of voice"},
        ],
    }
    assert "cards" not in view["deck"]


# -- roles in a round --------------------------------------------------------


@pytest.mark.parametrize("phase", sorted(phases.IN_ROUND))
def test_roles_of_the_viewers(phase):
    room = make_room(phase, late_joiner=True)
    assert role_in(room, FACILITATOR) == "facilitator"
    assert role_in(room, CUST) == "customer"
    assert role_in(room, AGENT) == "agent"
    assert role_in(room, OBS1) == "observer"
    assert role_in(room, "p-late") == "observer"
    view = state_view(room, FACILITATOR, NOW)
    assert {p["id"]: p["role"] for p in view["participants"]} == {
        CUST: "customer",
        AGENT: "agent",
        OBS1: "observer",
        OBS2: "observer",
        "p-late": "observer",
    }


def test_you_carries_the_viewers_role():
    room = make_room(phases.ROLEPLAY)
    assert state_view(room, CUST, NOW)["you"] == {"id": CUST, "name": "Cas", "role": "customer"}
    assert state_view(room, AGENT, NOW)["you"] == {"id": AGENT, "name": "Ada", "role": "agent"}
    assert state_view(room, OBS2, NOW)["you"] == {"id": OBS2, "name": "Oki", "role": "observer"}
    assert "you" not in state_view(room, FACILITATOR, NOW)


# -- exact keys per viewer, before reveal -----------------------------------

UNREVEALED = [phases.BRIEFING, phases.ROLEPLAY, phases.PAUSED, phases.SCORING]


def _reflected(phase: str) -> bool:
    return DATA_BY_PHASE[phase][2]


@pytest.mark.parametrize("phase", UNREVEALED)
def test_facilitator_keys_before_reveal(phase):
    view = state_view(make_room(phase), FACILITATOR, NOW)
    assert set(view) == TOP_KEYS | {"round"}
    rnd = view["round"]
    assert rnd["revealed"] is False
    assert set(rnd) == ROUND_KEYS | TEMP_KEYS | {"reflections", "results"}  # the facilitator sees all, live
    assert set(rnd["card"]) == CARD_KEYS | {"customer", "agent"}
    assert rnd["card"]["customer"] == CUSTOMER_BRIEF_DICT
    assert rnd["card"]["agent"] == AGENT_BRIEF_DICT


@pytest.mark.parametrize("phase", UNREVEALED)
def test_customer_keys_before_reveal(phase):
    view = state_view(make_room(phase), CUST, NOW)
    assert set(view) == TOP_KEYS | {"round", "you"}
    rnd = view["round"]
    expected = ROUND_KEYS | TEMP_KEYS | ({"my_reflection"} if _reflected(phase) else set())
    assert set(rnd) == expected
    assert set(rnd["card"]) == CARD_KEYS | {"customer"}
    assert rnd["card"]["customer"] == CUSTOMER_BRIEF_DICT


@pytest.mark.parametrize("phase", UNREVEALED)
def test_agent_keys_before_reveal(phase):
    view = state_view(make_room(phase), AGENT, NOW)
    assert set(view) == TOP_KEYS | {"round", "you"}
    rnd = view["round"]
    expected = ROUND_KEYS | ({"my_reflection"} if _reflected(phase) else set())
    assert set(rnd) == expected  # no temperatures, no reflections
    assert set(rnd["card"]) == CARD_KEYS | {"agent"}
    assert rnd["card"]["agent"] == AGENT_BRIEF_DICT


@pytest.mark.parametrize("phase", UNREVEALED)
def test_observer_keys_before_reveal(phase):
    view = state_view(make_room(phase), OBS1, NOW)
    assert set(view) == TOP_KEYS | {"round", "you"}
    rnd = view["round"]
    assert set(rnd) == ROUND_KEYS | TEMP_KEYS
    assert set(rnd["card"]) == CARD_KEYS | {"customer", "agent"}
    assert rnd["card"]["customer"] == CUSTOMER_BRIEF_DICT
    assert rnd["card"]["agent"] == AGENT_BRIEF_DICT


# -- exact keys per viewer, after reveal -------------------------------------


def test_facilitator_keys_after_reveal():
    rnd = state_view(make_room(phases.REVIEW), FACILITATOR, NOW)["round"]
    assert rnd["revealed"] is True
    assert set(rnd) == ROUND_KEYS | TEMP_KEYS | {"reflections", "results"}
    assert set(rnd["card"]) == CARD_KEYS | {"customer", "agent"}


def test_customer_keys_after_reveal():
    rnd = state_view(make_room(phases.REVIEW), CUST, NOW)["round"]
    assert set(rnd) == ROUND_KEYS | TEMP_KEYS | {"my_reflection", "results"}
    assert set(rnd["card"]) == CARD_KEYS | {"customer"}  # still never the agent's brief


def test_agent_keys_after_reveal():
    rnd = state_view(make_room(phases.REVIEW), AGENT, NOW)["round"]
    assert set(rnd) == ROUND_KEYS | TEMP_KEYS | {"my_reflection", "results"}  # the anger meter, now
    assert set(rnd["card"]) == CARD_KEYS | {"agent"}  # still never the customer's brief


def test_observer_keys_after_reveal():
    rnd = state_view(make_room(phases.REVIEW), OBS1, NOW)["round"]
    assert set(rnd) == ROUND_KEYS | TEMP_KEYS | {"results"}
    assert set(rnd["card"]) == CARD_KEYS | {"customer", "agent"}


# -- the briefs never cross ------------------------------------------------------


@pytest.mark.parametrize("phase", sorted(phases.IN_ROUND))
def test_agent_view_holds_nothing_of_the_customer_brief(phase):
    text = json.dumps(state_view(make_room(phase), AGENT, NOW))
    for secret in ("Busy parent of three", "did not come on Saturday", "Where on earth", "A firm delivery date", "hearing policy"):
        assert secret not in text


@pytest.mark.parametrize("phase", sorted(phases.IN_ROUND))
def test_customer_view_holds_nothing_of_the_agent_brief(phase):
    text = json.dumps(state_view(make_room(phase), CUST, NOW))
    for secret in ("truck broke down", "free assembly", "a refund"):
        assert secret not in text


def test_public_card_fields_are_the_same_for_everyone():
    room = make_room(phases.ROLEPLAY)
    expected = {"id": "sofa", "title": "The sofa that never came", "setting": "Phone, furniture shop", "difficulty": 2, "steps": ["listen", "empathy"]}
    for viewer in (FACILITATOR, CUST, AGENT, OBS1):
        card = state_view(room, viewer, NOW)["round"]["card"]
        assert {k: card[k] for k in CARD_KEYS} == expected


NOTED_CARD = replace(
    CARD,
    channel="phone",
    play_minutes=6,
    facilitator=CardNotes(learning_goal="goal: name the delay", model_phrases=("phrase: I see it",), meter="meter: -1 per date"),
    variants=(Variant("no-date", "variant: no date at all", "variant play: refuses every date"),),
    look_fors={"listen": ("narrowed: lets the parent finish", "narrowed: notes the Saturday")},
)


@pytest.mark.parametrize("phase", [*UNREVEALED, phases.REVIEW])
def test_facilitator_notes_and_variants_reach_the_facilitator_only(phase):
    rnd = make_round(phase)
    rnd.card = NOTED_CARD
    room = make_room(phase, rnd)
    public = {"channel": "phone", "play_minutes": 6}
    fac = state_view(room, FACILITATOR, NOW)["round"]["card"]
    assert set(fac) == CARD_KEYS | {"customer", "agent", "channel", "play_minutes", "facilitator", "variants", "look_fors"}
    assert fac["facilitator"] == {"learning_goal": "goal: name the delay", "model_phrases": ["phrase: I see it"], "meter": "meter: -1 per date"}
    assert fac["variants"] == [{"id": "no-date", "title": "variant: no date at all", "customer": "variant play: refuses every date"}]
    obs = state_view(room, OBS1, NOW)["round"]["card"]
    assert set(obs) == CARD_KEYS | {"customer", "agent", "channel", "play_minutes", "look_fors"}
    assert obs["look_fors"] == {"listen": ["narrowed: lets the parent finish", "narrowed: notes the Saturday"]}
    for viewer, brief in ((CUST, "customer"), (AGENT, "agent")):
        card = state_view(room, viewer, NOW)["round"]["card"]
        assert set(card) == CARD_KEYS | {brief, "channel", "play_minutes"}
        assert {k: card[k] for k in public} == public
        text = json.dumps(state_view(room, viewer, NOW))
        for secret in ("goal:", "phrase:", "meter:", "variant", "narrowed:"):
            assert secret not in text, (viewer, secret)


CARED_DECK = replace(
    DECK,
    facilitator=DeckNotes(
        introduction="intro: we are all customers",
        aftercare=Aftercare(check_in=("How are you now?", "Anything to say to the other player?"), guidance=("guidance: ask first",), when_shaken="shaken: sit with them"),
    ),
)


@pytest.mark.parametrize("phase", [phases.BRIEFING, phases.ROLEPLAY, phases.PAUSED, phases.SCORING, phases.REVIEW, phases.CLOSED])
def test_check_in_questions_go_to_the_players_and_the_facilitator_while_they_reflect(phase):
    # a room closed after the reveal still shows its last round
    room = replace(make_room(phase, make_round(phases.REVIEW if phase == phases.CLOSED else phase)), deck=CARED_DECK)
    reflecting = phase in (phases.SCORING, phases.REVIEW)
    for viewer in (FACILITATOR, CUST, AGENT):
        rnd = state_view(room, viewer, NOW)["round"]
        assert rnd.get("check_in") == (["How are you now?", "Anything to say to the other player?"] if reflecting else None), viewer
    for viewer in (OBS1, OBS2):
        assert "check_in" not in state_view(room, viewer, NOW)["round"]
    for viewer in (FACILITATOR, CUST, AGENT, OBS1):
        text = json.dumps(state_view(room, viewer, NOW))
        assert "intro:" not in text and "guidance:" not in text and "shaken:" not in text


def test_no_check_in_without_questions():
    room = replace(make_room(phases.SCORING), deck=replace(DECK, facilitator=DeckNotes(introduction="intro only")))
    assert "check_in" not in state_view(room, CUST, NOW)["round"]


def test_card_without_steps_lists_every_rubric_step():
    rnd = make_round(phases.ROLEPLAY)
    rnd.card = OTHER_CARD
    card = state_view(make_room(phases.ROLEPLAY, rnd), OBS1, NOW)["round"]["card"]
    assert card["steps"] == ["listen", "empathy", "stay_calm"]


# -- blind marks, scores and global ratings --------------------------------------


@pytest.mark.parametrize("phase", [phases.ROLEPLAY, phases.PAUSED, phases.SCORING])
def test_observer_sees_only_its_own_marks_before_reveal(phase):
    room = make_room(phase)
    assert [m["id"] for m in state_view(room, OBS1, NOW)["round"]["marks"]] == ["m1", "m4"]
    assert [m["id"] for m in state_view(room, OBS2, NOW)["round"]["marks"]] == ["m2"]


@pytest.mark.parametrize("phase", [phases.ROLEPLAY, phases.PAUSED, phases.SCORING])
def test_players_see_no_marks_before_reveal(phase):
    room = make_room(phase)
    assert state_view(room, CUST, NOW)["round"]["marks"] == []
    assert state_view(room, AGENT, NOW)["round"]["marks"] == []


@pytest.mark.parametrize("phase", [phases.ROLEPLAY, phases.PAUSED, phases.SCORING])
def test_facilitator_sees_all_marks_live(phase):
    marks = state_view(make_room(phase), FACILITATOR, NOW)["round"]["marks"]
    assert marks == [m.as_dict() for m in MARKS]
    assert sees_live_marks(FACILITATOR) is True
    for role in ("customer", "agent", "observer", None):
        assert sees_live_marks(role) is False


def test_mark_fields():
    mark = state_view(make_room(phases.ROLEPLAY), OBS1, NOW)["round"]["marks"][0]
    assert mark == {"id": "m1", "author": OBS1, "step": "listen", "rating": 2, "note": "good pause", "t_ms": 5_000}


def test_scores_and_global_ratings_are_blind_before_reveal():
    room = make_room(phases.SCORING)
    obs1 = state_view(room, OBS1, NOW)["round"]
    obs2 = state_view(room, OBS2, NOW)["round"]
    assert obs1["scores"] == [{"author": OBS1, "step": "listen", "rating": 2, "comment": "fine"}]
    assert obs2["scores"] == [
        {"author": OBS2, "step": "listen", "rating": 1, "comment": None},
        {"author": OBS2, "step": "empathy", "rating": None, "comment": "n/a for me"},
    ]
    assert obs1["global_ratings"] == {OBS1: 4}
    assert obs2["global_ratings"] == {OBS2: 2}
    for player in (CUST, AGENT):
        rnd = state_view(room, player, NOW)["round"]
        assert rnd["scores"] == [] and rnd["global_ratings"] == {}
    fac = state_view(room, FACILITATOR, NOW)["round"]
    assert fac["scores"] == [s.as_dict() for s in SCORES]
    assert fac["global_ratings"] == GLOBAL


@pytest.mark.parametrize("viewer", [FACILITATOR, CUST, AGENT, OBS1, OBS2])
def test_everyone_sees_all_marks_scores_and_ratings_after_reveal(viewer):
    rnd = state_view(make_room(phases.REVIEW), viewer, NOW)["round"]
    assert rnd["marks"] == [m.as_dict() for m in MARKS]
    assert rnd["scores"] == [s.as_dict() for s in SCORES]
    assert rnd["global_ratings"] == GLOBAL


# -- reflections -----------------------------------------------------------------


@pytest.mark.parametrize("phase", [phases.SCORING, phases.REVIEW])
def test_reflections_go_to_the_facilitator_only(phase):
    room = make_room(phase)
    fac = state_view(room, FACILITATOR, NOW)["round"]
    assert fac["reflections"] == [r.as_dict() for r in REFLECTIONS]
    assert "my_reflection" not in fac
    for viewer in (CUST, AGENT, OBS1, OBS2):
        assert "reflections" not in state_view(room, viewer, NOW)["round"]


@pytest.mark.parametrize("phase", [phases.SCORING, phases.REVIEW])
def test_each_author_sees_only_their_own_reflection(phase):
    room = make_room(phase)
    cust = state_view(room, CUST, NOW)["round"]
    agent = state_view(room, AGENT, NOW)["round"]
    assert cust["my_reflection"] == {
        "author": CUST, "feeling": 3, "felt_heard": 4, "went_well": "they listened", "do_differently": None,
    }
    assert agent["my_reflection"] == {
        "author": AGENT, "feeling": 2, "felt_heard": None, "went_well": None, "do_differently": "slow down",
    }
    assert "slow down" not in json.dumps(state_view(room, CUST, NOW))
    assert "they listened" not in json.dumps(state_view(room, AGENT, NOW))
    for obs in (OBS1, OBS2):
        text = json.dumps(state_view(room, obs, NOW))
        assert "my_reflection" not in text and "slow down" not in text and "they listened" not in text


def test_no_my_reflection_before_writing_one():
    room = make_room(phases.SCORING, make_round(phases.SCORING, with_reflections=False))
    assert "my_reflection" not in state_view(room, CUST, NOW)["round"]
    assert "my_reflection" not in state_view(room, AGENT, NOW)["round"]
    assert state_view(room, FACILITATOR, NOW)["round"]["reflections"] == []


# -- the anger meter -------------------------------------------------------------


@pytest.mark.parametrize("phase", [phases.ROLEPLAY, phases.PAUSED, phases.SCORING])
def test_temperatures_before_reveal(phase):
    room = make_room(phase)
    for viewer in (FACILITATOR, CUST, OBS1, OBS2):
        rnd = state_view(room, viewer, NOW)["round"]
        assert rnd["temperatures"] == [{"level": 7, "t_ms": 0}, {"level": 9, "t_ms": 20_000}, {"level": 4, "t_ms": 60_000}]
        assert rnd["temperature"] == 4
    agent = state_view(room, AGENT, NOW)["round"]
    assert "temperatures" not in agent and "temperature" not in agent


def test_temperature_starts_at_the_cards_start_temperature():
    room = make_room(phases.BRIEFING)
    rnd = state_view(room, OBS1, NOW)["round"]
    assert rnd["temperatures"] == []
    assert rnd["temperature"] == 7


def test_agent_gets_the_anger_meter_after_reveal():
    rnd = state_view(make_room(phases.REVIEW), AGENT, NOW)["round"]
    assert rnd["temperature"] == 4
    assert [t["level"] for t in rnd["temperatures"]] == [7, 9, 4]


def test_sees_temperature_helper():
    assert sees_temperature(FACILITATOR) and sees_temperature("observer") and sees_temperature("customer")
    assert not sees_temperature("agent")
    assert not sees_temperature(None)


# -- clock, timeouts, tokens -------------------------------------------------------


def test_round_header_and_clock():
    rnd = state_view(make_room(phases.ROLEPLAY), AGENT, NOW)["round"]
    assert rnd["id"] == 11 and rnd["number"] == 3
    assert rnd["customer"] == CUST and rnd["agent"] == AGENT
    assert rnd["clock"] == {"running": True, "elapsed_ms": 60_000, "duration_s": 600}
    # who called it is the facilitator's to know, unless the room names time-outs
    assert rnd["timeouts"] == [{"by": None, "reason": "too real", "t_ms": 30_000}]
    assert state_view(make_room(phases.ROLEPLAY), FACILITATOR, NOW)["round"]["timeouts"][0]["by"] == CUST


def test_paused_clock_view():
    rnd = state_view(make_room(phases.PAUSED), OBS1, NOW + 500_000)["round"]
    assert rnd["clock"] == {"running": False, "elapsed_ms": 60_000, "duration_s": 600}


@pytest.mark.parametrize("phase", [phases.LOBBY, *sorted(phases.IN_ROUND)])
@pytest.mark.parametrize("viewer", [FACILITATOR, CUST, AGENT, OBS1])
def test_no_view_carries_a_token(phase, viewer):
    keys = all_keys(state_view(make_room(phase), viewer, NOW))
    assert not any("token" in k.lower() for k in keys)


def test_round_view_matches_state_view_round():
    room = make_room(phases.SCORING)
    for viewer in (FACILITATOR, CUST, AGENT, OBS1):
        assert round_view(room, viewer, NOW) == state_view(room, viewer, NOW)["round"]


def test_late_joiner_mid_round_is_an_observer_with_a_blind_view():
    room = make_room(phases.ROLEPLAY, late_joiner=True)
    view = state_view(room, "p-late", NOW)
    assert view["you"]["role"] == "observer"
    rnd = view["round"]
    assert set(rnd) == ROUND_KEYS | TEMP_KEYS
    assert rnd["marks"] == []


# -- a closed room that still holds its last round -----------------------------------


@pytest.mark.parametrize("revealed", [False, True])
def test_closed_room_agent_still_never_gets_the_customer_brief(revealed):
    """close_room keeps the room's current round, so the closing `state`
    still carries it; the agent must not get the customer's brief then either."""
    room = make_room(phases.CLOSED, make_round(phases.ROLEPLAY, revealed=revealed))
    rnd = state_view(room, AGENT, NOW)["round"]
    assert "customer" not in rnd["card"]


@pytest.mark.parametrize("revealed", [False, True])
def test_closed_room_customer_still_never_gets_the_agent_brief(revealed):
    room = make_room(phases.CLOSED, make_round(phases.ROLEPLAY, revealed=revealed))
    rnd = state_view(room, CUST, NOW)["round"]
    assert "agent" not in rnd["card"]


def test_closed_room_before_reveal_agent_gets_no_anger_meter():
    room = make_room(phases.CLOSED, make_round(phases.ROLEPLAY, revealed=False))
    rnd = state_view(room, AGENT, NOW)["round"]
    assert "temperatures" not in rnd and "temperature" not in rnd


def test_closed_room_before_reveal_marks_stay_blind():
    room = make_room(phases.CLOSED, make_round(phases.ROLEPLAY, revealed=False))
    assert [m["id"] for m in state_view(room, OBS1, NOW)["round"]["marks"]] == ["m1", "m4"]
    assert state_view(room, AGENT, NOW)["round"]["marks"] == []


# -- with the minimal deck file -----------------------------------------------------


def test_views_with_the_minimal_deck_file(data_dir):
    deck = load_deck_file(data_dir / "minimal-deck.yaml")
    card = deck.card("sofa")
    rnd = Round(id=1, number=1, card=card, customer=CUST, agent=AGENT, clock=Clock())
    room = Room("ABCDEF", "t", phases.BRIEFING, 3, True, deck, people(), rnd)
    agent = state_view(room, AGENT, NOW)
    cust = state_view(room, CUST, NOW)
    assert agent["locked"] is True
    assert agent["round"]["card"]["agent"]["briefing"] == "The truck broke down."
    assert "customer" not in agent["round"]["card"] and "temperature" not in agent["round"]
    assert cust["round"]["card"]["customer"]["opening_line"] == "Where is my sofa?"
    assert cust["round"]["temperature"] == 7
    assert "agent" not in cust["round"]["card"]
    assert agent["round"]["card"]["steps"] == ["listen", "empathy"]
    assert agent["round"]["clock"] == {"running": False, "elapsed_ms": 0, "duration_s": None}

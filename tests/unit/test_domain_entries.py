"""What the people of a round enter (domain/entries.py): marks, the anger
meter, scores, the global rating and reflections. Each either returns the
new fact or is refused with the right code and field, before anything is
written."""
from __future__ import annotations

import pytest

from calmroom.domain import entries
from calmroom.domain.deck import AgentBrief, Card, CustomerBrief, Deck, Scale, Step
from calmroom.domain.errors import RuleError
from calmroom.domain.room import AGENT, CUSTOMER, FACILITATOR, OBSERVER, Mark, Reflection, Score, Temperature

LISTEN = Step("listen", "Let them vent", ("does not interrupt",))
EMPATHY = Step("empathy", "Show understanding", ("names the feeling",))
CALM = Step("stay_calm", "Stay calm", ("no sarcasm",), critical=True)


def card(cid: str, steps=None) -> Card:
    return Card(id=cid, title=cid, difficulty=1, setting="s", customer=CustomerBrief("p", "s", "o", 5, (), (), "w"),
                agent=AgentBrief("b", (), ()), steps=steps)


DECK = Deck(id="d", title="D", language="en", scale=Scale(0, 3), steps=(LISTEN, EMPATHY, CALM),
            cards=(card("sofa", ("listen", "empathy")), card("parcel")))


def refused(fn, *args, code: str, field: str | None = None) -> RuleError:
    with pytest.raises(RuleError) as err:
        fn(*args)
    assert err.value.code == code
    assert err.value.fields == ({field: err.value.message.split(": ", 1)[-1]} if field else {})
    return err.value


# -- marks ----------------------------------------------------------------------------------
@pytest.mark.parametrize("role,author", [(OBSERVER, "obs1"), (FACILITATOR, FACILITATOR)])
def test_a_mark_is_the_new_fact(role, author):
    got = entries.mark(DECK, "sofa", role, author, {"id": "m1", "step": "listen", "rating": 3, "note": "good"}, 12_500)
    assert got == Mark(id="m1", author=author, step="listen", rating=3, note="good", t_ms=12_500)


def test_an_empty_note_is_no_note():
    assert entries.mark(DECK, "sofa", OBSERVER, "o", {"id": "m", "step": "listen", "rating": 0, "note": ""}, 0).note is None


@pytest.mark.parametrize("role", [CUSTOMER, AGENT])
def test_the_players_do_not_mark(role):
    refused(entries.mark, DECK, "sofa", role, "p", {"id": "m", "step": "listen", "rating": 1}, 0, code="forbidden")


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"id": "m", "step": "nonsense", "rating": 1}, "step"),
        ({"id": "m", "step": "stay_calm", "rating": 1}, "step"),  # a rubric step the card does not score
        ({"id": "m", "step": "listen", "rating": 4}, "rating"),
        ({"id": "m", "step": "listen", "rating": -1}, "rating"),
    ],
)
def test_a_mark_the_deck_does_not_allow_is_invalid(payload, field):
    refused(entries.mark, DECK, "sofa", OBSERVER, "o", payload, 0, code="invalid", field=field)


def test_a_card_without_its_own_steps_scores_every_rubric_step():
    assert entries.mark(DECK, "parcel", OBSERVER, "o", {"id": "m", "step": "stay_calm", "rating": 0}, 0).step == "stay_calm"


def test_the_role_is_refused_before_the_step():
    refused(entries.mark, DECK, "sofa", AGENT, "a", {"id": "m", "step": "nonsense", "rating": 9}, 0, code="forbidden")


# -- the anger meter ------------------------------------------------------------------------
def test_the_customer_moves_the_meter():
    assert entries.temperature(CUSTOMER, {"id": "t", "level": 8}, 4_000) == Temperature(level=8, t_ms=4_000)


@pytest.mark.parametrize("role", [AGENT, OBSERVER, FACILITATOR])
def test_nobody_else_moves_the_meter(role):
    refused(entries.temperature, role, {"id": "t", "level": 8}, 0, code="forbidden")


# -- final scores and the global rating ---------------------------------------------------
def test_a_score_is_the_new_fact():
    got = entries.score(DECK, "sofa", OBSERVER, "o", {"step": "empathy", "rating": 2, "comment": ""})
    assert got == Score(author="o", step="empathy", rating=2, comment=None)


def test_not_applicable_is_a_score_without_a_rating():
    assert entries.score(DECK, "sofa", FACILITATOR, FACILITATOR, {"step": "listen", "rating": None}).rating is None


@pytest.mark.parametrize(
    "role,payload,code,field",
    [
        (CUSTOMER, {"step": "listen", "rating": 1}, "forbidden", None),
        (AGENT, {"step": "listen", "rating": 1}, "forbidden", None),
        (OBSERVER, {"step": "stay_calm", "rating": 1}, "invalid", "step"),
        (OBSERVER, {"step": "listen", "rating": 7}, "invalid", "rating"),
    ],
)
def test_scores_refused(role, payload, code, field):
    refused(entries.score, DECK, "sofa", role, "x", payload, code=code, field=field)


@pytest.mark.parametrize("role,allowed", [(OBSERVER, True), (FACILITATOR, True), (CUSTOMER, False), (AGENT, False)])
def test_the_global_rating(role, allowed):
    if allowed:
        assert entries.global_rating(role, 4) == 4
    else:
        refused(entries.global_rating, role, 4, code="forbidden")


# -- reflections ----------------------------------------------------------------------------
def test_the_customer_reflects_and_says_whether_they_felt_heard():
    got = entries.reflection(CUSTOMER, "c", {"feeling": 2, "felt_heard": 4, "went_well": "calm voice", "do_differently": ""})
    assert got == Reflection(author="c", feeling=2, felt_heard=4, went_well="calm voice", do_differently=None)


def test_the_agent_reflects_without_felt_heard():
    assert entries.reflection(AGENT, "a", {"feeling": 3}) == Reflection(author="a", feeling=3)
    refused(entries.reflection, AGENT, "a", {"feeling": 3, "felt_heard": 2}, code="invalid", field="felt_heard")


@pytest.mark.parametrize("role", [OBSERVER, FACILITATOR])
def test_only_the_players_reflect(role):
    refused(entries.reflection, role, "x", {"feeling": 3}, code="forbidden")


# -- as the socket suite once sent them: the deck's scale and the card's steps, from either marker
@pytest.mark.parametrize(
    "check,role,payload,field",
    [
        ("mark", FACILITATOR, {"id": "m", "step": "listen", "rating": 5}, "rating"),
        ("mark", FACILITATOR, {"id": "m", "step": "stay_calm", "rating": 1}, "step"),
        ("score", OBSERVER, {"step": "listen", "rating": 4}, "rating"),
        ("score", FACILITATOR, {"step": "listen", "rating": -1}, "rating"),
        ("score", OBSERVER, {"step": "shout", "rating": 1}, "step"),
        ("score", OBSERVER, {"step": "stay_calm", "rating": None}, "step"),  # "not applicable" of a step the card lacks
        ("score", FACILITATOR, {"step": "shout", "rating": None}, "step"),
    ],
)
def test_what_the_deck_does_not_allow_from_any_marker(check, role, payload, field):
    author = FACILITATOR if role == FACILITATOR else "o"
    if check == "mark":
        refused(entries.mark, DECK, "sofa", role, author, payload, 0, code="invalid", field=field)
    else:
        refused(entries.score, DECK, "sofa", role, author, payload, code="invalid", field=field)

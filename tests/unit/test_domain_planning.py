"""Planning a round (domain/planning.py): the card, the customer and the
agent the facilitator fixed or rotation chose, the round's number and
duration; refusals name the field."""
from __future__ import annotations

import pytest

from calmroom.domain.deck import AgentBrief, Card, CustomerBrief, Deck, Scale, Step
from calmroom.domain.errors import RuleError
from calmroom.domain.planning import PastRound, Person, RoundPlan, plan_round


def card(cid: str) -> Card:
    return Card(id=cid, title=cid, difficulty=1, setting="s", customer=CustomerBrief("p", "s", "o", 5, (), (), "w"),
                agent=AgentBrief("b", (), ()))


DECK = Deck(id="d", title="D", language="en", scale=Scale(0, 3), steps=(Step("listen", "L", ()),),
            cards=(card("sofa"), card("parcel")))
ANN, BOB, CAS = Person("ann", 1, True), Person("bob", 2, True), Person("cas", 3, True)


def test_the_first_round_takes_the_first_card_and_rotation_chooses():
    plan = plan_round(DECK, [ANN, BOB, CAS], [], {}, 300)
    # the first to join plays agent first; the customer is the next who has played least
    assert plan == RoundPlan(number=1, card_id="sofa", customer="bob", agent="ann", duration_s=300)


def test_the_next_round_takes_the_next_card_and_a_new_agent():
    plan = plan_round(DECK, [ANN, BOB, CAS], [PastRound(1, "sofa", "bob", "ann")], {}, None)
    # bob has not been agent yet; cas has played least of the others
    assert (plan.number, plan.card_id, plan.agent, plan.customer) == (2, "parcel", "bob", "cas")
    assert plan.duration_s is None


def test_the_facilitator_fixes_card_roles_and_duration():
    plan = plan_round(DECK, [ANN, BOB, CAS], [], {"card": "parcel", "customer": "cas", "agent": "bob", "duration_s": 90}, 300)
    assert plan == RoundPlan(number=1, card_id="parcel", customer="cas", agent="bob", duration_s=90)


def test_one_fixed_role_and_rotation_chooses_the_other():
    plan = plan_round(DECK, [ANN, BOB, CAS], [], {"agent": "ann"}, None)
    assert plan.agent == "ann" and plan.customer in ("bob", "cas")


def test_someone_away_is_chosen_after_those_present():
    plan = plan_round(DECK, [Person("ann", 1, False), BOB, CAS], [], {}, None)
    assert plan.agent == "bob"


@pytest.mark.parametrize(
    "data,field",
    [
        ({"card": "nonsense"}, "card"),
        ({"customer": "eve"}, "customer"),
        ({"agent": "eve"}, "agent"),
        ({"customer": "ann", "agent": "ann"}, "agent"),
    ],
)
def test_refusals_name_the_field(data, field):
    with pytest.raises(RuleError) as err:
        plan_round(DECK, [ANN, BOB, CAS], [], data, None)
    assert err.value.code == "invalid" and field in err.value.fields


def test_a_round_needs_two_people():
    with pytest.raises(RuleError) as err:
        plan_round(DECK, [ANN], [], {}, None)
    assert err.value.code == "conflict"

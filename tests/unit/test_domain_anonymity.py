"""An anonymous room in the views (domain/anonymity.py, domain/options.py):
participants see observers as per-round aliases, time-outs name nobody unless
the room says so, the facilitator sees everything."""
from __future__ import annotations

import json

from calmroom.domain import phases
from calmroom.domain.clock import Clock
from calmroom.domain.deck import AgentBrief, Card, CustomerBrief, Deck, Scale, Step
from calmroom.domain.options import RoomOptions, is_alias, observer_aliases
from calmroom.domain.room import FACILITATOR, Mark, Participant, Room, Round, Score, Timeout
from calmroom.domain.audiences import OBSERVERS_VIEW, state_views
from calmroom.domain.views import state_view

NOW = 1_700_000_000_000
CARD = Card(
    id="sofa", title="Sofa", difficulty=1, setting="Phone",
    customer=CustomerBrief("P", "S", "O", 5, (), (), "W"), agent=AgentBrief("B", (), ()), steps=("listen", "empathy"),
)
DECK = Deck(
    id="d", title="D", language="en", scale=Scale(0, 3, {}),
    steps=(Step("listen", "Listen", ()), Step("empathy", "Empathy", ()), Step("calm", "Calm", (), critical=True)),
    cards=(CARD,),
)
CUST, AGENT, OLU, OKI = "c0ffee0000000001", "c0ffee0000000002", "c0ffee0000000003", "c0ffee0000000004"
NAMES = {CUST: "Cas", AGENT: "Ada", OLU: "Olu", OKI: "Oki"}


def room(options: RoomOptions, *, revealed: bool = True) -> Room:
    rnd = Round(
        id=7, number=1, card=CARD, customer=CUST, agent=AGENT, clock=Clock(60_000), revealed=revealed,
        # Oki marks first, Olu joined first: aliases follow the marks, not the join order
        marks=[Mark("m1", OKI, "listen", 1, "he interrupted", 1_000), Mark("m2", OLU, "listen", 3, None, 2_000),
               Mark("m3", FACILITATOR, "empathy", 2, None, 3_000)],
        scores=[Score(OLU, "listen", 3, "well done"), Score(OKI, "listen", None), Score(FACILITATOR, "listen", 2)],
        global_ratings={OLU: 4, OKI: 2},
        timeouts=[Timeout(OLU, "too loud", 1_500)],
    )
    people = [Participant(pid, NAMES[pid], i, True) for i, pid in enumerate((CUST, AGENT, OLU, OKI))]
    return Room("ABCDEF", "T", phases.REVIEW if revealed else phases.SCORING, 9, False, DECK, people, rnd, options=options)


def round_text(view: dict) -> str:
    return json.dumps(view["round"])


def test_aliases_follow_first_appearance_and_skip_players_and_the_facilitator():
    got = observer_aliases(["b", FACILITATOR, "a", "b", "p"], {FACILITATOR, "p"})
    assert got == {"b": "observer-1", "a": "observer-2"}
    assert all(is_alias(v) for v in got.values()) and not is_alias(FACILITATOR)


def test_players_see_aliases_instead_of_observer_ids_in_an_anonymous_room():
    r = room(RoomOptions(anonymous=True))
    for viewer in (CUST, AGENT, OBSERVERS_VIEW):
        rnd = state_view(r, viewer, NOW)["round"]
        assert OLU not in round_text({"round": rnd}) and OKI not in round_text({"round": rnd})
        assert [m["author"] for m in rnd["marks"]] == ["observer-1", "observer-2", FACILITATOR]
        assert {s["author"] for s in rnd["scores"]} == {"observer-1", "observer-2", FACILITATOR}
        assert rnd["global_ratings"] == {"observer-2": 4, "observer-1": 2}
        assert rnd["timeouts"] == [{"by": None, "reason": "too loud", "t_ms": 1_500}]


def test_an_observer_keeps_its_own_id_and_sees_the_others_as_aliases():
    rnd = state_view(room(RoomOptions(anonymous=True)), OLU, NOW)["round"]
    assert [m["author"] for m in rnd["marks"]] == ["observer-1", OLU, FACILITATOR]
    assert OKI not in json.dumps(rnd)


def test_the_facilitator_sees_every_id_and_who_called_the_time_out():
    rnd = state_view(room(RoomOptions(anonymous=True)), FACILITATOR, NOW)["round"]
    assert [m["author"] for m in rnd["marks"]] == [OKI, OLU, FACILITATOR]
    assert rnd["timeouts"][0]["by"] == OLU


def test_every_broadcast_view_but_the_facilitators_is_anonymous():
    for audience, view in state_views(room(RoomOptions(anonymous=True)), NOW):
        text = round_text(view)
        assert (OLU in text) == audience.facilitator


def test_a_room_that_names_time_outs_names_them_unless_it_is_anonymous():
    named = state_view(room(RoomOptions(name_timeouts=True)), CUST, NOW)["round"]
    assert named["timeouts"][0]["by"] == OLU
    assert [m["author"] for m in named["marks"]][:2] == [OKI, OLU]  # not anonymous: ids as always
    both = state_view(room(RoomOptions(name_timeouts=True, anonymous=True)), CUST, NOW)["round"]
    assert both["timeouts"][0]["by"] is None


def test_no_former_entry_names_an_aliased_observer():
    r = room(RoomOptions(anonymous=True))
    r.participants = [p for p in r.participants if p.id != OKI]
    r.former = {OKI: "Oki"}
    assert "former" not in state_view(r, CUST, NOW)
    assert state_view(r, FACILITATOR, NOW)["former"] == [{"id": OKI, "name": "Oki"}]


def test_options_from_storage_ignore_unknown_keys_and_default_missing_ones():
    assert RoomOptions.from_stored(None) == RoomOptions()
    assert RoomOptions.from_stored({"anonymous": True, "gone": True}) == RoomOptions(anonymous=True)
    assert RoomOptions(anonymous=True, name_timeouts=True).names_timeouts is False


def test_results_go_with_the_reveal_and_never_count_the_facilitator_or_na():
    r = room(RoomOptions())
    listen = state_view(r, CUST, NOW)["round"]["results"]["steps"][0]
    assert (listen["step"], listen["n"], listen["na"], listen["mean"], listen["facilitator"]) == ("listen", 1, 1, 3, 2)
    assert "results" not in state_view(room(RoomOptions(), revealed=False), CUST, NOW)["round"]
    assert "results" in state_view(room(RoomOptions(), revealed=False), FACILITATOR, NOW)["round"]


def test_the_fishbowl_facilitator_gets_the_live_aggregate_and_nobody_else():
    r = room(RoomOptions(fishbowl=True), revealed=False)
    live = state_view(r, FACILITATOR, NOW)["round"]["live"]
    assert live["round"] == 7 and live["observers"] == 2 and live["marks"] == 2
    assert "live" not in state_view(r, OLU, NOW)["round"]
    assert "live" not in state_view(room(RoomOptions(), revealed=False), FACILITATOR, NOW)["round"]


def test_a_revealed_fishbowl_gives_its_observers_the_figures_and_the_players_everything():
    r = room(RoomOptions(fishbowl=True))
    for audience, view in state_views(r, NOW):
        rnd = view["round"]
        if audience.people == (CUST,) or audience.people == (AGENT,) or audience.facilitator:
            assert len(rnd["marks"]) == 3, audience
        else:  # the observers' one view
            assert rnd["marks"] == [] and rnd["scores"] == [] and rnd["global_ratings"] == {}
            assert rnd["results"]["global_count"] == 2 and rnd["results"]["steps"][0]["n"] == 1
    own = state_view(r, OLU, NOW)["round"]
    assert [m["author"] for m in own["marks"]] == [OLU]

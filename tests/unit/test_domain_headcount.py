"""A fishbowl's or an anonymous room's list of people (domain/headcount.py):
a participant sees the players of the round, itself and counts; the
facilitator sees everyone; a plain room lists everyone to everyone."""
from __future__ import annotations

import json

from calmroom.domain.audiences import state_views
from calmroom.domain.headcount import headcount, people_view
from calmroom.domain.options import RoomOptions
from calmroom.domain.room import FACILITATOR, Participant
from calmroom.domain.views import state_view

from test_domain_anonymity import CUST, NAMES, NOW, OKI, OLU, room

FISHBOWL = RoomOptions(fishbowl=True)


def _big(options: RoomOptions, watchers: int = 200):
    r = room(options, revealed=True)
    r.participants += [Participant(f"{i:016x}", f"Watcher {i}", 10 + i, i % 3 != 0) for i in range(watchers)]
    return r


def test_a_participant_sees_the_players_itself_and_counts():
    r = _big(FISHBOWL)
    view = state_view(r, OLU, NOW)
    assert [p["name"] for p in view["participants"]] == ["Cas", "Ada", "Olu"]
    # 204 people: two players, 202 observers, of whom Olu, Oki and 133 of the watchers are online
    assert view["headcount"] == {"people": 204, "observers": 202, "online": 2 + 133}
    text = json.dumps(view)
    assert "Watcher" not in text and NAMES[OKI] not in text and OKI not in text


def test_the_join_state_does_not_grow_with_the_room():
    small, big = _big(FISHBOWL, 10), _big(FISHBOWL, 1000)
    a, b = (len(json.dumps(state_view(r, OLU, NOW))) for r in (small, big))
    assert abs(a - b) < 10  # only the digits of the counts differ


def test_the_facilitator_and_a_plain_room_list_everyone():
    r = _big(FISHBOWL, 5)
    assert len(state_view(r, FACILITATOR, NOW)["participants"]) == 9
    assert "headcount" not in state_view(r, FACILITATOR, NOW)
    plain = _big(RoomOptions(), 5)
    view = state_view(plain, OLU, NOW)
    assert len(view["participants"]) == 9 and "headcount" not in view


def test_an_anonymous_room_cuts_the_list_too():
    view = people_view(_big(RoomOptions(anonymous=True), 3), OKI)
    assert [p["name"] for p in view["participants"]] == ["Cas", "Ada", "Oki"]
    assert view["headcount"]["people"] == 7


def test_a_phase_change_tells_the_observers_the_players_and_counts_only():
    r = _big(FISHBOWL, 50)
    views = dict((a.people or ("fac" if a.facilitator else "?",), v) for a, v in state_views(r, NOW))
    fac = views[("fac",)]
    assert "participants" not in fac  # the facilitator has everyone, kept current by deltas
    shared = next(v for k, v in views.items() if len(k) > 2)
    assert [p["name"] for p in shared["participants"]] == ["Cas", "Ada"]
    assert shared["headcount"] == headcount(r)


def test_fishbowl_players_see_observers_as_aliases_after_the_reveal():
    view = state_view(_big(FISHBOWL, 0), CUST, NOW)["round"]
    authors = {m["author"] for m in view["marks"]} | {s["author"] for s in view["scores"]}
    assert OLU not in authors and OKI not in authors
    assert view["timeouts"][0]["by"] is None
    named = state_view(_big(RoomOptions(fishbowl=True, name_timeouts=True), 0), CUST, NOW)["round"]
    assert named["timeouts"][0]["by"] is None  # an observer, whom the player's list leaves out
    own = state_view(_big(RoomOptions(fishbowl=True, name_timeouts=True), 0), OLU, NOW)["round"]
    assert own["timeouts"][0]["by"] == OLU

"""Who hears of what (domain/audiences.py): one `state` per audience, the
observers' one view holds nothing personal, and each audience is the right
people."""
from __future__ import annotations

import pytest

from calmroom.domain import audiences as aud
from calmroom.domain.room import FACILITATOR
from calmroom.domain.views import state_view

from test_domain_views import AGENT as AGT, CUST, NOW, OBS1, OBS2, make_room


def test_a_round_has_four_audiences_whatever_the_room_size():
    room = make_room("roleplay")
    views = aud.state_views(room, NOW)
    audiences = [a for a, _ in views]
    assert audiences[0] == aud.facilitator(room.code)
    assert aud.person(room.code, CUST) in audiences and aud.person(room.code, AGT) in audiences
    watching = audiences[-1]
    assert set(watching.people) == {p.id for p in room.participants} - {CUST, AGT}
    assert not watching.facilitator and not watching.participants
    assert len(views) == 4


def test_the_observers_view_is_an_observers_state_without_anything_personal():
    room = make_room("scoring")
    shared = dict(aud.state_views(room, NOW))[aud.observers(room)]
    own = state_view(room, OBS1, NOW, whole=False)
    assert "you" not in shared
    assert shared["round"]["card"] == own["round"]["card"]  # both briefs, the look-fors
    for key in ("marks", "scores"):
        assert shared["round"][key] == [], key
        assert own["round"][key], key  # OBS1's own are in its personal view
    assert shared["round"]["global_ratings"] == {}
    assert OBS2 not in str(shared["round"]["global_ratings"])


def test_the_players_get_their_own_view_and_no_one_elses_brief():
    room = make_room("briefing")
    views = dict(aud.state_views(room, NOW))
    assert "customer" not in views[aud.person(room.code, AGT)]["round"]["card"]
    assert "agent" not in views[aud.person(room.code, CUST)]["round"]["card"]
    assert views[aud.person(room.code, CUST)]["you"]["role"] == "customer"


def test_broadcast_views_leave_out_the_deck_and_the_people():
    for _, view in aud.state_views(make_room("roleplay"), NOW):
        assert "deck" not in view and "participants" not in view


def test_before_the_first_round_the_participants_are_one_audience():
    room = make_room("lobby")
    views = aud.state_views(room, NOW)
    assert [a for a, _ in views] == [aud.facilitator(room.code), aud.participants(room.code)]
    assert "you" not in views[1][1]


def test_a_player_who_left_gets_nothing_and_is_no_observer():
    room = make_room("roleplay")
    room.participants = [p for p in room.participants if p.id != AGT]
    audiences = [a for a, _ in aud.state_views(room, NOW)]
    assert aud.person(room.code, AGT) not in audiences
    assert AGT not in audiences[-1].people


def test_the_anger_meter_goes_to_the_facilitator_and_the_observers_named():
    a = aud.temperature("KXMP42", [OBS1, OBS2])
    assert a.facilitator and not a.participants and a.people == (OBS1, OBS2)
    assert FACILITATOR not in a.people


def test_every_server_event_and_notice_kind_has_its_audience_in_the_one_table():
    from calmroom.protocol.server_events import SERVER_EVENTS, Notice

    assert set(aud.EVENTS) == set(SERVER_EVENTS) - {"batch"}  # a batch carries the events above
    assert set(aud.NOTICES) == set(Notice().fields["kind"].validate.choices)


def test_audience_of_each_kind_of_event():
    code = "ABCDEF"
    assert aud.audience_of("participant_joined", code) == aud.everyone(code)
    assert aud.audience_of("step_marked", code) == aud.facilitator(code)
    assert aud.audience_of("join_requested", code) == aud.facilitator(code)
    assert aud.audience_of("temperature_changed", code, observers=["o1", "o2"]) == aud.people(code, ("o1", "o2"), with_facilitator=True)
    assert aud.audience_of("join_answered", code, who="r1") == aud.asker(code, "r1")
    assert aud.audience_of("notice", code, kind="closed") == aud.everyone(code)
    assert aud.audience_of("notice", code, kind="kicked", who="p1") == aud.person(code, "p1")
    moved = aud.audience_of("notice", code, kind="moved", who="p1")
    assert moved.people == ("p1",) and moved.facilitator and not moved.participants


def test_a_personal_event_must_say_whom_and_state_goes_per_audience():
    for event, kind in (("notice", "kicked"), ("notice", "moved"), ("join_answered", None)):
        with pytest.raises(ValueError):
            aud.audience_of(event, "ABCDEF", kind=kind)
    with pytest.raises(ValueError):
        aud.audience_of("state", "ABCDEF")


def test_no_service_names_an_audience_itself():
    """Who sees what is decided in one place: services build their events
    through services/fanout.py, which asks domain/audiences.py; the gateway
    only maps audiences to Socket.IO rooms."""
    import pathlib
    import re

    import calmroom.services

    folder = pathlib.Path(calmroom.services.__file__).parent
    for path in sorted(folder.glob("*.py")):
        if path.name in ("fanout.py", "outcome.py"):
            continue
        text = path.read_text(encoding="utf-8")
        assert "Emit(" not in text and not re.search(r"import audiences|domain\.audiences|\baud\.", text), path.name


def test_a_time_out_names_its_caller_to_the_facilitator_and_to_the_room_only_when_it_names_them():
    named, unnamed = {"message": "Ann called a time-out", "by": "p1"}, {"message": "a time-out was called"}
    assert aud.timeout_notices("ABCDEF", named, unnamed, True) == [(aud.everyone("ABCDEF"), named)]
    assert aud.timeout_notices("ABCDEF", named, unnamed, False) == [
        (aud.facilitator("ABCDEF"), named), (aud.participants("ABCDEF"), unnamed)]

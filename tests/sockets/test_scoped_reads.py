"""A rejoin, a sync and a join during a round read the round only as far as
the one state they answer needs (domain/views.round_scope): the state is the
same as from the whole room, for every viewer, room kind and phase."""
from __future__ import annotations

import pytest

from calmroom.domain.room import FACILITATOR
from calmroom.domain.views import state_view
from calmroom.store import repository as repo

NOW = 1_700_000_000_000


def states_both_ways(app, code: str, viewer: str) -> tuple[dict, dict]:
    services = app.extensions["calmroom"]
    with services.sessions() as session:
        row = repo.find_room(session, code)
        whole = repo.load_room(session, row, services.rooms.decks)
        scoped = repo.load_room(session, row, services.rooms.decks, viewer=viewer)
    return state_view(whole, viewer, NOW), state_view(scoped, viewer, NOW)


def check_every_viewer(app, room) -> None:
    for viewer in [FACILITATOR, *(m.id for m in room.people.values())]:
        whole, scoped = states_both_ways(app, room.code, viewer)
        assert scoped == whole, viewer


@pytest.mark.parametrize("options", [{}, {"fishbowl": True}, {"anonymous": True}])
def test_a_scoped_read_gives_every_viewer_the_state_of_the_whole_room(make_room, app, options):
    room = make_room(options=options)
    for name in ("Ann", "Bob", "Cas", "Dee", "Eve"):
        room.join(name)
    state = room.facilitator.ok("start_round", {"customer": room.people["Ann"].id, "agent": room.people["Bob"].id})
    assert state
    room.facilitator.ok("begin_roleplay")
    observers = [room.people[n] for n in ("Cas", "Dee", "Eve")]
    for i, m in enumerate(observers):
        m.ok("mark_step", {"id": f"m{i}", "step": "listen", "rating": i % 4, "note": f"note {i}"})
        m.ok("mark_step", {"id": f"n{i}", "step": "empathy", "rating": 2})
    observers[0].ok("correct_mark", {"id": "c0", "mark": "m0", "rating": 3})
    check_every_viewer(app, room)
    room.facilitator.ok("end_roleplay")
    for i, m in enumerate(observers):
        m.ok("score_step", {"step": "listen", "rating": i % 4, "comment": f"why {i}"})
        m.ok("rate_global", {"rating": 1 + i})
    room.people["Ann"].ok("reflect", {"feeling": 3, "felt_heard": 2, "went_well": "calm", "do_differently": "less"})
    check_every_viewer(app, room)
    room.facilitator.ok("reveal_results")
    check_every_viewer(app, room)


def test_a_rejoin_in_a_fishbowl_round_answers_the_observers_own_state(make_room):
    room = make_room(options={"fishbowl": True})
    for name in ("Ann", "Bob", "Cas", "Dee"):
        room.join(name)
    room.facilitator.ok("start_round", {"customer": room.people["Ann"].id, "agent": room.people["Bob"].id})
    room.facilitator.ok("begin_roleplay")
    cas, dee = room.people["Cas"], room.people["Dee"]
    cas.ok("mark_step", {"id": "a", "step": "listen", "rating": 1})
    dee.ok("mark_step", {"id": "b", "step": "listen", "rating": 3})
    cas.client.disconnect()
    again = room.connect("Cas")
    ack = again.ok("rejoin", {"room": room.code, "token": cas.token})
    assert [m["id"] for m in ack["state"]["round"]["marks"]] == ["a"]
    synced = again.ok("sync")["state"]
    assert synced["round"]["marks"] == ack["state"]["round"]["marks"]

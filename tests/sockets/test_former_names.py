"""Someone who left is still named where their marks are (issue 14, bug 2):
the state carries `former`, the names of people who left that appear in
what its viewer sees of the round, and nobody else's (no key when none)."""
from __future__ import annotations

from calmroom.protocol.server_events import StateOut


def test_a_kicked_observer_is_named_with_their_marks_and_nowhere_else(make_room):
    room = make_room()
    ann, bob, cas, dee = (room.join(n) for n in ("Ann", "Bob", "Cas", "Dee"))
    fac = room.facilitator
    fac.ok("start_round", {"card": "parcel", "customer": ann.id, "agent": bob.id})
    fac.ok("begin_roleplay")
    cas.ok("mark_step", {"id": "m1", "step": "listen", "rating": 2, "note": "let her finish"})
    fac.ok("kick", {"participant": cas.id})  # Cas marked; Dee did not
    fac.ok("kick", {"participant": dee.id})

    st = fac.call("sync")["state"]  # the server's own view: only those who appear in what it shows
    assert StateOut().validate(st) == {}
    assert [p["name"] for p in st["participants"]] == ["Ann", "Bob"]
    assert st["former"] == [{"id": cas.id, "name": "Cas"}]
    assert [m["author"] for m in st["round"]["marks"]] == [cas.id]
    # the others learn of the kicks as deltas and keep the names they knew
    assert {f["name"] for f in fac.view()["former"]} == {"Cas", "Dee"}

    # blind until the reveal: the server names nobody to the players whose marks they cannot see
    assert "former" not in ann.call("sync")["state"]
    fac.ok("end_roleplay")
    fac.ok("reveal_results")
    assert ann.last_state()["former"] == [{"id": cas.id, "name": "Cas"}]


def test_a_kicked_player_stays_named_as_the_customer(make_room):
    room = make_room()
    ann, bob, cas = (room.join(n) for n in ("Ann", "Bob", "Cas"))
    fac = room.facilitator
    fac.ok("start_round", {"card": "parcel", "customer": ann.id, "agent": bob.id})
    fac.ok("kick", {"participant": ann.id})
    for m in (fac, bob, cas):
        assert m.call("sync")["state"]["former"] == [{"id": ann.id, "name": "Ann"}], m.name
        assert m.view()["former"] == [{"id": ann.id, "name": "Ann"}], m.name


def test_the_lobby_state_has_no_former_list(make_room):
    room = make_room()
    a = room.join("Ann")
    room.facilitator.ok("kick", {"participant": a.id})
    assert "former" not in room.facilitator.call("sync")["state"]

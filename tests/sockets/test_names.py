"""Names are compared by what they look like, on both back ends."""
from __future__ import annotations


def test_lookalike_spellings_of_a_taken_name_clash(make_room):
    room = make_room()
    room.join("Bram")
    for lookalike in ("Ｂｒａｍ", "Bram\u200b", "\u202eBRAM", "bram "):
        ack = room.connect("x").call("join_room", {"room": room.code, "name": lookalike})
        assert ack["ok"] is False and ack["error"]["code"] == "invalid", lookalike
        assert ack["error"]["fields"] == {"name": "someone in this room already uses that name"}
    assert [p["name"] for p in room.facilitator.view()["participants"]] == ["Bram"]


def test_an_invisible_name_is_refused_and_changes_nothing(make_room):
    room = make_room()
    room.facilitator.clear()
    ack = room.connect("ghost").call("join_room", {"room": room.code, "name": "\u200b\u200b\u200b"})
    assert ack["ok"] is False and ack["error"]["code"] == "invalid"
    assert ack["error"]["fields"] == {"name": "must contain a visible character"}
    assert room.facilitator.events("state") == []


def test_the_stored_name_is_the_normalised_one(make_room, http):
    room = make_room()
    m = room.connect("wide")
    ack = m.ok("join_room", {"room": room.code, "name": "Ｚｏë\u200b  Ｖｏｓ"})
    assert ack["you"]["name"] == "Zoë Vos"
    assert {p["name"] for p in room.facilitator.view()["participants"]} == {"Zoë Vos"}


def test_a_long_casefolded_name_and_control_characters_do_not_break_the_store(make_room):
    """`ß` casefolds to `ss`, past the key column's 40 characters; PostgreSQL
    refuses NUL in text. Neither may turn a join or a note into an error."""
    room = make_room()
    a = room.join("ß" * 40)
    again = room.connect("again").call("join_room", {"room": room.code, "name": "ẞ" * 20 + "ß" * 20})
    assert again["ok"] is False and again["error"]["fields"] == {"name": "someone in this room already uses that name"}
    b, c = room.join("Ann\x00"), room.join("Cas")
    assert b.id and room.people["Ann\x00"].client.is_connected()
    fac = room.facilitator
    fac.ok("start_round", {"card": "parcel", "customer": a.id, "agent": b.id})
    fac.ok("begin_roleplay")
    mark = c.ok("mark_step", {"id": "m1", "step": "listen", "rating": 2, "note": "nul\x00here"})
    assert mark["mark"]["note"] == "nulhere"

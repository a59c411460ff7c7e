"""An event the protocol does not have is answered, not ignored."""


def test_unknown_event_gets_an_invalid_ack(make_room):
    room = make_room()
    before = room.facilitator.ok("sync")["state"]["version"]
    ack = room.facilitator.call("drop_tables", {"all": True})
    assert ack == {"ok": False, "error": {"code": "invalid", "message": "there is no event 'drop_tables' in this protocol"}}
    stranger = room.connect("x")
    assert stranger.call("hello")["error"]["code"] == "invalid"
    assert room.facilitator.ok("sync")["state"]["version"] == before

"""A join reads the room's participants from this worker's roster when it is
current, and afresh when another worker changed the room meanwhile."""
from __future__ import annotations

from calmroom.services.rooms import RoomService


def names(ack_state: dict) -> list[str]:
    return [p["name"] for p in ack_state["participants"]]


def test_a_join_after_another_workers_change_reads_the_room_afresh(make_room, app):
    services = app.extensions["calmroom"]
    here = services.rooms
    there = RoomService(services.sessions, here.decks, worker_id="elsewhere", now_ms=here.now_ms)  # a second worker, its own roster
    room = make_room()
    room.join("Ann")
    room.join("Bob")  # here knows Ann and Bob now
    there.join_room("sid-cas", room.code, "Cas")
    out = there.join_room("sid-dee", room.code, "Dee")
    assert names(out.ack["state"]) == ["Ann", "Bob", "Cas", "Dee"]
    eve = room.join("Eve")
    assert names(eve.snapshots[-1][1]) == ["Ann", "Bob", "Cas", "Dee", "Eve"]
    # Cas's last socket closes over there: here must not show her connected
    there.disconnected("sid-cas")
    fay = room.join("Fay")
    state = fay.snapshots[-1][1]
    assert {p["name"]: p["connected"] for p in state["participants"]}["Cas"] is False
    assert names(state) == ["Ann", "Bob", "Cas", "Dee", "Eve", "Fay"]
    there.close()


def test_joins_in_a_row_keep_the_order_and_the_presence(make_room):
    room = make_room()
    ann = room.join("Ann")
    for n in ("Bob", "Cas", "Dee"):
        room.join(n)
    ann.client.disconnect()
    last = room.join("Eve").snapshots[-1][1]
    assert [(p["name"], p["connected"]) for p in last["participants"]] == [
        ("Ann", False), ("Bob", True), ("Cas", True), ("Dee", True), ("Eve", True)]
    assert last == room.people["Eve"].ok("sync")["state"] | {"version": last["version"]}


def test_a_round_command_after_another_workers_join_reads_the_room_afresh(make_room, app):
    """The round commands take the participants from the roster too (store/rounds.py)."""
    services = app.extensions["calmroom"]
    here = services.rooms
    there = RoomService(services.sessions, here.decks, worker_id="elsewhere", now_ms=here.now_ms)
    room = make_room()
    room.join("Ann")
    room.join("Bob")
    there.join_room("sid-cas", room.code, "Cas")
    room.facilitator.ok("start_round", {})
    room.facilitator.ok("begin_roleplay")
    dee = room.join("Dee")  # after two round commands here: the roster they left has Cas
    assert names(dee.snapshots[-1][1]) == ["Ann", "Bob", "Cas", "Dee"]
    there.close()


def test_start_round_reads_who_is_connected_now(make_room, app):
    """Sockets can go without a shared change (a restarted worker forgets its
    own: server.py); the roster's list is current, its presence is read afresh."""
    from sqlalchemy import delete

    from calmroom.store.models import ConnectionRow

    services = app.extensions["calmroom"]
    room = make_room()
    people = [room.join(n) for n in ("Ann", "Bob", "Cas", "Dee")]
    with services.sessions() as session, session.begin():
        session.execute(delete(ConnectionRow).where(ConnectionRow.participant_id.in_([people[0].id, people[1].id])))
    rnd = room.facilitator.ok("start_round", {})["round"]
    state = room.facilitator.last_state()
    assert state["round"]["id"] == rnd["id"]
    # the agent and the customer are drawn from those connected: Cas, then Dee
    assert (state["round"]["agent"], state["round"]["customer"]) == (people[2].id, people[3].id)


def test_a_participant_with_two_sockets_goes_offline_with_the_last(make_room, app):
    """The socket that went away is dropped in Core on the live path
    (services/membership.py `disconnected`): while another of the person's
    sockets is open nobody hears of it; the last one makes them offline, the
    roster moves along (the next join shows it without reading the room
    afresh) and a socket of no one (the facilitator's) changes nothing."""
    room = make_room()
    ann = room.join("Ann")
    bob = room.join("Bob")
    second = room.connect("Ann's phone")
    second.ok("rejoin", {"room": room.code, "token": ann.token})
    room.clear()
    ann.client.disconnect()
    assert bob.events("presence_changed") == [] and room.facilitator.events("presence_changed") == []
    assert {p["name"]: p["connected"] for p in bob.ok("sync")["state"]["participants"]}["Ann"] is True
    v = bob.ok("sync")["state"]["version"]
    second.client.disconnect()
    assert bob.wait_for("presence_changed") == [{"version": v + 1, "prev": v, "participant": ann.id, "connected": False}]
    rosters = app.extensions["calmroom"].rooms.rosters
    room_id = next(key[0] for key in rosters._rooms if key[1] == room.code)
    known = rosters.get(room_id, room.code, v + 1)
    assert known is not None and [(p.name, p.connected) for p in known[0]] == [("Ann", False), ("Bob", True)]
    cas = room.join("Cas").snapshots[-1][1]
    assert [(p["name"], p["connected"]) for p in cas["participants"]] == [("Ann", False), ("Bob", True), ("Cas", True)]
    before = bob.ok("sync")["state"]["version"]
    room.facilitator.client.disconnect()
    assert bob.ok("sync")["state"]["version"] == before

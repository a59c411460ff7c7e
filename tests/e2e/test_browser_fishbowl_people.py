"""A fishbowl's people list on a participant's phone (domain/headcount.py):
the players of the round, yourself, and "N observers", never another
observer's name; in Dutch and in English. The rooms are driven by real
Socket.IO clients; the screens are real Chromium pages."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from helpers.sio import Client

from test_browser_options import browser_join, host, make_room, sio_join

pytestmark = pytest.mark.browser
expect.set_options(timeout=10_000)

WATCHERS = [f"Watcher{i:02d}" for i in range(12)]


def test_a_fishbowl_participant_sees_the_players_and_a_count(people, server):
    room = make_room(server, "Fishbowl", {"fishbowl": True})
    code = room["code"]
    fac = host(server, room)
    clients: list[Client] = [fac]
    try:
        ann = people("ann-observer-nl", phone=True, locale="nl-NL")
        browser_join(ann, code, "Ann")
        eve = people("eve-observer-en", phone=True)
        browser_join(eve, code, "Eve")
        bob, cas = sio_join(server, code, "Bob"), sio_join(server, code, "Cas")
        clients += [bob, cas]
        clients += [sio_join(server, code, n) for n in WATCHERS]
        count_nl = ann.page.get_by_test_id("observer-count")
        expect(count_nl).to_contain_text("16 observatoren")
        expect(ann.page.get_by_test_id("lobby")).to_contain_text("16 mensen in de ruimte")
        expect(ann.page.get_by_test_id("participant")).to_have_count(1)  # only Ann herself
        expect(eve.page.get_by_test_id("observer-count")).to_contain_text("16 observers")
        for page in (ann.page, eve.page):
            expect(page.locator("body")).not_to_contain_text("Watcher")
            expect(page.locator("body")).not_to_contain_text("Bob")
        ann.shot("fishbowl-people-nl")
        # one leaves: the count follows
        clients.pop().call("leave_room")
        expect(count_nl).to_contain_text("15 observatoren")
        expect(eve.page.get_by_test_id("observer-count")).to_contain_text("15 observers")
        eve.shot("fishbowl-people-en")
        # the facilitator's console still lists everyone
        names = {p["name"] for p in fac.call("sync")["state"]["participants"]}
        assert set(WATCHERS[:-1]) <= names and {"Ann", "Eve", "Bob", "Cas"} <= names
    finally:
        for c in clients:
            c.close()
    people.check()

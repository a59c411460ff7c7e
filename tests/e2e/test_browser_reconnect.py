"""A dropped connection: the server goes away in the middle of a role-play
and comes back. Every browser gets back in by itself, in the same place and
role, and a mark made while the server was away is delivered afterwards."""
from __future__ import annotations

import pytest
import requests
from playwright.sync_api import expect

from helpers.server import ServerProcess

pytestmark = pytest.mark.browser


@pytest.fixture
def own_server(tmp_path, client_dist):
    srv = ServerProcess(
        tmp_path, env={"CALMROOM_RATE_LIMIT": "200/second", "CALMROOM_CLIENT_DIR": str(client_dist.resolve())}
    ).start()
    yield srv
    srv.stop()


def test_dropped_connection_resumes(people, own_server):
    room = requests.post(own_server.url + "/api/rooms", json={"deck": "angry-customer-nl"}, timeout=10).json()
    fac = people("facilitator", server=own_server, locale="nl-NL")
    fac.page.goto(f"/host/{room['code']}#key={room['facilitator_token']}")
    expect(fac.page.get_by_test_id("room-code")).to_have_text(room["code"])
    crowd = {}
    for name, phone in (("Ann", False), ("Cas", True), ("Dee", False)):
        p = people(name.lower(), server=own_server, phone=phone, locale="nl-NL")
        p.page.goto(f"/join/{room['code']}")
        p.page.locator("input[name=name]").fill(name)
        p.page.locator("form button[type=submit]").click()
        expect(p.page.get_by_test_id("lobby")).to_be_visible()
        crowd[name] = p
    fac.page.locator('input[name=mode][value="choose"]').check()
    fac.page.locator("select[name=customer]").select_option(label="Ann")
    fac.page.locator("select[name=agent]").select_option(label="Dee")
    fac.page.get_by_test_id("start-button").click()
    fac.page.get_by_test_id("begin").click()
    cas = crowd["Cas"]
    expect(cas.page.get_by_test_id("observer-panel")).to_be_visible()

    # the server goes away: the pages say so, and keep what they show
    people.allow(r"ERR_CONNECTION_REFUSED|ERR_CONNECTION_RESET|WebSocket connection to|ERR_EMPTY_RESPONSE|ERR_NETWORK_CHANGED")
    own_server.stop()
    expect(cas.page.get_by_text("Verbinding verbroken")).to_be_visible(timeout=15_000)
    expect(cas.page.get_by_test_id("observer-panel")).to_be_visible()
    cas.page.locator(".step-btn").first.tap()
    cas.page.locator('[data-testid=rate-bar] .scale-btn[data-rating="3"]').tap()
    expect(cas.page.locator("[data-testid=my-marks] li.pending")).to_have_count(1)
    expect(cas.page.get_by_test_id("mark-flash")).to_contain_text("zodra de verbinding terug is")
    cas.shot("offline-mark-waiting")

    # it comes back: everyone rejoins without being asked, the mark goes out
    own_server.start()
    for p in (fac, *crowd.values()):
        expect(p.page.get_by_text("Verbinding verbroken")).to_have_count(0, timeout=20_000)
    expect(cas.page.locator("[data-testid=my-marks] li.pending")).to_have_count(0)
    expect(cas.page.locator("[data-testid=my-marks] li")).to_have_count(1)
    expect(fac.page.locator("[data-testid=feed] li")).to_have_count(1)
    expect(crowd["Ann"].page.get_by_test_id("anger-meter")).to_be_visible()
    expect(fac.page.get_by_test_id("participant").filter(has_text="online")).to_have_count(3)
    for p in crowd.values():
        expect(p.page.locator("input[name=name]")).to_have_count(0)
    cas.shot("back-online")
    people.check()

"""Things that got in the way on a workshop day (issue 14, bugs 7-10): a
closed room that still invited people, a join form that lost the typed name
and blamed the wrong field, toasts over the name card and the projector's
title, a language pick that did not reach the projector tab, and a join link
to 127.0.0.1 that no phone can open."""
from __future__ import annotations

import pytest
import requests
from playwright.sync_api import expect

from calmroom.http.network import machine_addresses
from helpers.server import ServerProcess

pytestmark = pytest.mark.browser


def new_room(server, title: str, deck: str = "angry-customer-en") -> dict:
    r = requests.post(server.url + "/api/rooms", json={"deck": deck, "title": title}, timeout=10)
    assert r.status_code == 201, r.text
    return r.json()


def host(person, room: dict) -> None:
    person.page.goto(f"/host/{room['code']}#key={room['facilitator_token']}")
    expect(person.page.get_by_test_id("room-code")).to_have_text(room["code"])


def tab(people, person, label: str, size: dict | None = None):
    """Another tab of the same browser (same storage), watched for errors too."""
    page = person.context.new_page()
    if size:
        page.set_viewport_size(size)
    other = type(person)(label, person.context, page, people.shots, people.prefix, people.counter)
    people.made.append(other)
    return other


def join(person, code: str, name: str) -> None:
    person.page.goto(f"/join/{code}")
    person.page.locator("input[name=name]").fill(name)
    person.page.locator("form button[type=submit]").click()
    expect(person.page.get_by_test_id("lobby")).to_be_visible()


def overlaps(a: dict, b: dict) -> bool:
    return a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]


def test_closed_room_invites_nobody(people, server):
    room = new_room(server, "Closing time")
    fac = people("facilitator")
    host(fac, room)
    proj = tab(people, fac, "projector", {"width": 1920, "height": 1080})
    proj.page.goto(f"/host/{room['code']}?projector")
    expect(proj.page.get_by_test_id("join-info")).to_contain_text(room["code"])
    board = tab(people, fac, "dashboard")
    board.page.goto("/host")
    card = board.page.get_by_test_id("room-card").filter(has_text="Closing time")
    expect(card.locator(".room-card-code")).to_contain_text(room["code"])

    fac.page.get_by_test_id("close-room").click()
    fac.page.get_by_test_id("close-room-yes").click()
    expect(fac.page.get_by_test_id("console-closed")).to_be_visible()

    # console: no code to type, no QR, no link, and it says why
    for page in (fac.page, proj.page):
        expect(page.get_by_test_id("closed-info")).to_be_visible()
        expect(page.get_by_test_id("join-info")).to_have_count(0)
        expect(page.get_by_test_id("qr")).to_have_count(0)
        expect(page.get_by_test_id("join-url")).to_have_count(0)
        expect(page.get_by_text("Join at")).to_have_count(0)
        assert room["code"] not in page.locator("main").inner_text()
    expect(fac.page.get_by_test_id("closed-info")).to_contain_text("Nobody can join any more")
    expect(proj.page.get_by_test_id("closed-info")).to_contain_text("This room is closed")
    fac.shot("console-closed")
    proj.shot("projector-closed", full=False)

    # the dashboard card says closed and shows no code to join with
    expect(card.get_by_test_id("room-closed")).to_contain_text(f"Room {room['code']} is closed: nobody can join")
    expect(card.locator(".room-card-code")).to_have_count(0)
    board.shot("dashboard-closed")
    people.check()


def test_join_form_keeps_the_name_and_points_at_the_cause(people, server):
    room = new_room(server, "Locked door")
    code = room["code"]
    fac = people("facilitator")
    host(fac, room)
    fac.page.get_by_test_id("lock").click()
    expect(fac.page.get_by_test_id("lock")).to_have_attribute("aria-pressed", "true")

    # locked: the message is about the room, the name stays, a retry gets in once it is open
    anna = people("anna-phone", phone=True)
    anna.page.goto(f"/join/{code}")
    name = anna.page.locator("input[name=name]")
    name.fill("Anna")
    anna.page.locator("form button[type=submit]").tap()
    problem = anna.page.get_by_test_id("join-room-problem")
    expect(problem).to_contain_text("This room is locked")
    expect(name).to_have_value("Anna")
    expect(name).to_have_attribute("aria-invalid", "false")
    anna.shot("join-locked")
    fac.page.get_by_test_id("lock").click()
    expect(fac.page.get_by_test_id("lock")).to_have_attribute("aria-pressed", "false")
    anna.page.get_by_test_id("join-retry").tap()
    expect(anna.page.get_by_test_id("lobby")).to_be_visible()

    # a taken name: the name field is marked, and keeps what was typed
    twin = people("second-anna", phone=True)
    twin.page.goto(f"/join/{code}")
    name = twin.page.locator("input[name=name]")
    name.fill("Anna")
    twin.page.locator("form button[type=submit]").tap()
    expect(twin.page.locator("#join-error")).to_contain_text("already uses that name")
    expect(name).to_have_value("Anna")
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(twin.page.get_by_test_id("join-room-problem")).to_have_count(0)
    twin.shot("join-name-taken")
    name.fill("Anna B")
    twin.page.locator("form button[type=submit]").tap()
    expect(twin.page.get_by_test_id("lobby")).to_be_visible()

    # a wrong code on the start page: still on the form, the code marked and editable
    cor = people("cor")
    # the browser logs every 404 answer; this one is the expected "no such room"
    people.allow(r"status of 404 .*/api/rooms/[A-Z0-9]{6}'")
    cor.page.goto("/")
    form = cor.page.get_by_test_id("code-join")
    form.locator("input[name=code]").fill("ZZZZZZ" if code != "ZZZZZZ" else "YYYYYY")
    form.locator("input[name=name]").fill("Cor")
    form.locator("button[type=submit]").click()
    expect(form.get_by_test_id("code-join-error")).to_contain_text("There is no room")
    assert cor.page.url.rstrip("/") == server.url
    code_input = form.locator("input[name=code]")
    expect(code_input).to_have_attribute("aria-invalid", "true")
    expect(code_input).to_be_editable()
    expect(form.locator("input[name=name]")).to_have_value("Cor")
    cor.shot("landing-wrong-code")
    code_input.fill(code.lower())
    form.locator("button[type=submit]").click()
    expect(cor.page.get_by_test_id("lobby")).to_be_visible()
    expect(cor.page.get_by_role("heading", name="Welcome, Cor")).to_be_visible()
    people.check()


def test_toasts_cover_nothing_and_the_language_reaches_every_tab(people, server):
    room = new_room(server, "Busy morning")
    fac = people("facilitator")
    host(fac, room)
    proj = tab(people, fac, "projector", {"width": 1920, "height": 1080})
    proj.page.goto(f"/host/{room['code']}?projector")
    expect(proj.page.get_by_test_id("projector-view")).to_be_visible()
    ann = people("ann-phone", phone=True)
    join(ann, room["code"], "Ann")
    ben = people("ben-phone", phone=True)
    join(ben, room["code"], "Ben")
    fac.page.get_by_test_id("start-button").click()
    fac.page.get_by_test_id("begin").click()
    expect(ann.page.get_by_test_id("roleplay")).to_be_visible()
    ann.page.get_by_test_id("timeout-button").tap()

    notice = ben.page.get_by_test_id("notice-timeout")
    expect(notice).to_contain_text("A time-out was called")  # by nobody's name: the room does not name them
    card = ben.page.get_by_test_id("room-bar")
    assert not overlaps(notice.bounding_box(), card.bounding_box()), "the toast covers the name and role card"
    ben.shot("toast-phone", full=False)

    shown = proj.page.get_by_test_id("notice-timeout")
    expect(shown).to_contain_text("A time-out was called")
    title = proj.page.locator(".projector-top")
    assert not overlaps(shown.bounding_box(), title.bounding_box()), "the toast covers the projector's title"
    assert not overlaps(shown.bounding_box(), proj.page.locator(".projector .clock").bounding_box())
    proj.shot("toast-projector", full=False)

    # Dutch in the console tab: the open projector tab follows without a reload
    fac.page.get_by_role("button", name="Nederlands").click()
    expect(fac.page.locator("html")).to_have_attribute("lang", "nl")
    expect(proj.page.locator("html")).to_have_attribute("lang", "nl")
    expect(proj.page.get_by_test_id("projector-exit")).to_have_text("Terug naar het overzicht")
    proj.shot("projector-nl", full=False)
    # and back: the projector has no language buttons of its own (presentation mode)
    expect(proj.page.get_by_role("button", name="English")).to_have_count(0)
    fac.page.get_by_role("button", name="English").click()
    expect(proj.page.locator("html")).to_have_attribute("lang", "en")
    expect(proj.page.get_by_test_id("projector-exit")).to_have_text("Back to console")
    people.check()


def test_console_warns_when_the_join_link_is_for_this_computer_only(people, server):
    room = new_room(server, "Laptop workshop")
    assert room["join_url"].startswith("http://127.0.0.1:")
    fac = people("facilitator")
    host(fac, room)
    warning = fac.page.get_by_test_id("loopback-warning")
    expect(warning).to_contain_text(f"no phone can open 127.0.0.1:{server.port}")
    # the test server listens on 127.0.0.1 only: the way on is to restart on the network
    expect(warning).to_contain_text('make run SERVE_ARGS="--lan"')
    expect(warning.get_by_test_id("use-lan")).to_have_count(0)
    fac.shot("console-loopback-warning")
    # the projector is for the room, not for this advice
    proj = tab(people, fac, "projector", {"width": 1920, "height": 1080})
    proj.page.goto(f"/host/{room['code']}?projector")
    expect(proj.page.get_by_test_id("join-info")).to_be_visible()
    expect(proj.page.get_by_test_id("loopback-warning")).to_have_count(0)
    people.check()


@pytest.fixture(scope="module")
def lan_server(tmp_path_factory, client_dist):
    """`serve` on every address (as `--lan`); the tests still reach it only
    through 127.0.0.1, and nothing is sent to the machine's other addresses:
    they are only shown."""
    srv = ServerProcess(
        tmp_path_factory.mktemp("lan"),
        env={"CALMROOM_HOST": "0.0.0.0", "CALMROOM_RATE_LIMIT": "200/second", "CALMROOM_CLIENT_DIR": str(client_dist.resolve())},
    ).start()
    yield srv
    srv.stop()


def test_on_the_network_serve_and_console_offer_the_address_phones_can_use(people, lan_server):
    addresses = machine_addresses()
    log = lan_server.log.read_text()
    for a in addresses:
        assert f"Network: http://{a}:{lan_server.port}" in log
    if not addresses:
        assert "this machine has none on a network yet" in log

    room = new_room(lan_server, "Network workshop")
    fac = people("facilitator", server=lan_server)
    host(fac, room)
    warning = fac.page.get_by_test_id("loopback-warning")
    expect(warning).to_contain_text("no phone can open 127.0.0.1")
    if not addresses:
        expect(warning).to_contain_text("this computer has no network address")
        fac.shot("console-no-network")
        people.check()
        return
    lan = f"{addresses[0]}:{lan_server.port}"
    expect(warning).to_contain_text(f"Phones on your network can use http://{lan}")
    fac.shot("console-lan-offer")
    warning.get_by_test_id("use-lan").click()
    expect(fac.page.get_by_test_id("join-url")).to_have_text(f"{lan}/join/{room['code']}")
    expect(fac.page.get_by_test_id("join-link")).to_have_value(f"http://{lan}/join/{room['code']}")
    expect(fac.page.get_by_test_id("qr")).to_have_attribute("alt", f"QR code for http://{lan}/join/{room['code']}")
    expect(fac.page.get_by_test_id("loopback-warning")).to_have_count(0)
    # remembered: the projector window shows the same link
    proj = tab(people, fac, "projector", {"width": 1920, "height": 1080})
    proj.page.goto(f"/host/{room['code']}?projector")
    expect(proj.page.get_by_test_id("join-url")).to_have_text(f"{lan}/join/{room['code']}")
    fac.shot("console-lan-link")
    people.check()

"""A participant moves devices mid-round and stays one person; people at a
locked room knock and are let in or not (issue 14, bug 1 and "knock on a
locked room")."""
from __future__ import annotations

import pytest
import requests
from playwright.sync_api import expect

from helpers.sio import Client
from test_browser_screens import host, join, new_room

pytestmark = pytest.mark.browser


def _console_driver(server, room: dict) -> Client:
    """A second facilitator connection that moves the round on (the console's
    own buttons are tested elsewhere); the console page answers the requests."""
    fac = Client(server.url, "facilitator driver")
    fac.call("host_room", {"room": room["code"], "facilitator_token": room["facilitator_token"]})
    return fac


def _my_code(person) -> str:
    person.page.get_by_test_id("my-rejoin-code").locator("summary").click()
    code = person.page.get_by_test_id("rejoin-code").inner_text().strip()
    assert len(code.replace("-", "")) == 8
    return code


def _mark_first_step(person, rating: int, count: int) -> None:
    person.page.locator(".step-btn").first.click()
    person.page.locator(f'[data-testid=rate-bar] .scale-btn[data-rating="{rating}"]').click()
    expect(person.page.locator("[data-testid=my-marks] li")).to_have_count(count)


def test_bram_moves_to_a_laptop_by_code_and_to_a_tablet_by_approval(people, server):
    room = new_room(server, title="Device check")
    code = room["code"]
    fac = people("facilitator")
    host(fac, room)
    driver = _console_driver(server, room)
    others = {}
    for name in ("Ann", "Cas", "Dee", "Eli"):
        c = others[name] = Client(server.url, name)
        c.id = c.call("join_room", {"room": code, "name": name})["you"]["id"]
    phone = people("bram-phone", phone=True)
    join(phone, room, "Bram")
    phone_code = _my_code(phone)
    phone.shot("rejoin-code")
    # the code is Bram's alone: the console does not show it
    expect(fac.page.locator("body")).not_to_contain_text(phone_code)

    driver.call("start_round", {"customer": others["Ann"].id, "agent": others["Cas"].id})
    driver.call("begin_roleplay")
    expect(phone.page.get_by_test_id("observer-panel")).to_be_visible()
    _mark_first_step(phone, 2, 1)
    phone.context.close()  # the phone dies mid-round

    # a laptop takes his place with the code from the phone
    laptop = people("bram-laptop")
    laptop.page.goto(f"/join/{code}")
    laptop.page.get_by_test_id("was-here").click()
    laptop.page.locator("input[name=rejoin_code]").fill(phone_code.lower())
    laptop.shot("rejoin-code-typed")
    laptop.page.get_by_test_id("rejoin-code-submit").click()
    expect(laptop.page.get_by_test_id("observer-panel")).to_be_visible()
    expect(laptop.page.get_by_test_id("room-bar")).to_contain_text("Bram")
    expect(laptop.page.locator("[data-testid=my-marks] li")).to_have_count(1)  # the phone's mark is his
    _mark_first_step(laptop, 3, 2)
    laptop.shot("bram-on-laptop")
    assert _my_code(laptop) != phone_code  # a used code is replaced
    laptop.context.close()  # and the laptop goes too

    # a tablet joins under his name: the facilitator lets it take Bram's place
    bram_row = fac.page.get_by_test_id("participant").filter(has_text="Bram")
    expect(bram_row).to_contain_text("away")
    tablet = people("bram-tablet", size={"width": 820, "height": 1100})
    tablet.page.goto(f"/join/{code}")
    tablet.page.locator("input[name=name]").fill("Bram")
    tablet.page.locator("form button[type=submit]").click()
    expect(tablet.page.get_by_test_id("waiting")).to_contain_text("take Bram's place")
    tablet.shot("waiting-for-approval")
    expect(bram_row.get_by_test_id("takeover-request")).to_be_visible()
    fac.shot("takeover-request")
    bram_row.get_by_test_id("takeover-admit").click()
    expect(tablet.page.get_by_test_id("observer-panel")).to_be_visible()
    expect(tablet.page.locator("[data-testid=my-marks] li")).to_have_count(2)
    expect(bram_row).to_contain_text("online")
    expect(fac.page.get_by_test_id("participant")).to_have_count(5)

    driver.call("end_roleplay")
    scores = tablet.page.get_by_test_id("final-scores")
    first = scores.locator("fieldset.score-step").first
    expect(first).to_contain_text("2, 3")  # his marks from both devices, to score from
    first.locator('.scale-btn[data-rating="3"]').click()
    expect(first.locator('.scale-btn[data-rating="3"]')).to_have_attribute("aria-pressed", "true")
    tablet.shot("bram-scores-on-tablet")
    driver.call("reveal_results")

    body = requests.get(f"{server.url}/api/rooms/{code}/results",
                        headers={"Authorization": f"Bearer {room['facilitator_token']}"}, timeout=10).json()
    assert sorted(p["name"] for p in body["participants"]) == ["Ann", "Bram", "Cas", "Dee", "Eli"]  # 5, not 6
    bram = next(p for p in body["participants"] if p["name"] == "Bram")
    assert bram["marks_given"] == 2 and bram["scores_given"] == 1
    marks = [m for m in body["rounds"][0]["marks"] if m["author"] == bram["id"]]
    assert sorted(m["rating"] for m in marks) == [2, 3]
    for c in (driver, *others.values()):
        c.close()
    people.check()


def test_knockers_at_a_locked_room_are_let_in_or_not(people, server):
    room = new_room(server, title="Knock check")
    code = room["code"]
    fac = people("facilitator")
    host(fac, room)
    ann = people("ann", phone=True)
    join(ann, room, "Ann")
    fac.page.get_by_test_id("lock").click()
    expect(fac.page.get_by_test_id("lock-state")).to_have_class("lock-state is-locked")

    fay, gus = people("fay", phone=True, locale="nl-NL"), people("gus", phone=True)
    for person, name in ((fay, "Fay"), (gus, "Gus")):
        person.page.goto(f"/join/{code}")
        person.page.locator("input[name=name]").fill(name)
        person.page.locator("form button[type=submit]").click()
        expect(person.page.get_by_test_id("knock")).to_be_visible()
    fay.shot("locked-nl")
    fay.page.get_by_test_id("knock").click()
    gus.page.get_by_test_id("knock").click()
    expect(fay.page.get_by_test_id("waiting")).to_contain_text("Fay")
    expect(gus.page.get_by_test_id("waiting")).to_be_visible()
    fay.shot("waiting-nl")

    door = fac.page.get_by_test_id("at-door")
    expect(door.get_by_test_id("knock-request")).to_have_count(2)
    fac.page.reload()  # the requests are kept on the server
    expect(door.get_by_test_id("knock-request")).to_have_count(2)
    fac.shot("at-the-door")
    door.get_by_test_id("knock-request").filter(has_text="Fay").get_by_test_id("admit").click()
    expect(fay.page.get_by_test_id("lobby")).to_be_visible()
    expect(fay.page.get_by_test_id("room-bar")).to_contain_text("Fay")
    door.get_by_test_id("knock-request").filter(has_text="Gus").get_by_test_id("decline").click()
    expect(gus.page.get_by_test_id("declined")).to_contain_text("did not let you in")
    gus.shot("declined")
    expect(fac.page.get_by_test_id("at-door")).to_have_count(0)
    expect(fac.page.get_by_test_id("participant")).to_have_count(2)
    expect(ann.page.get_by_test_id("participant")).to_have_count(2)

    # Fay moves to a laptop by her code while the phone is still open: the phone is told
    fay_code = _my_code(fay)
    laptop = people("fay-laptop", locale="nl-NL")
    laptop.page.goto(f"/join/{code}")
    laptop.page.get_by_test_id("was-here").click()
    laptop.page.locator("input[name=rejoin_code]").fill(fay_code)
    laptop.page.get_by_test_id("rejoin-code-submit").click()
    expect(laptop.page.get_by_test_id("lobby")).to_be_visible()
    expect(fay.page.get_by_test_id("end-screen")).to_contain_text("ander apparaat")
    expect(fac.page.get_by_test_id("notice-moved")).to_contain_text("Fay continued on another device")
    fay.shot("moved-nl")
    fay.page.reload()  # the phone stays out
    expect(fay.page.locator("input[name=name]")).to_be_visible()
    expect(fac.page.get_by_test_id("participant")).to_have_count(2)
    people.check()

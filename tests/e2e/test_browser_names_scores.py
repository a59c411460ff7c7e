"""Issue 14, bugs 2 and 5: someone who was sent away is named by their name
on every screen (live screens add "(left)"), and the facilitator can give
their own scores in the console, which the debrief shows in its column."""
from __future__ import annotations

import uuid

import pytest
import requests
import socketio
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
expect.set_options(timeout=10_000)  # a phase change on a busy two-core machine can take seconds


def join(person, code: str, name: str) -> None:
    person.page.goto(f"/join/{code}")
    person.page.locator("input[name=name]").fill(name)
    person.page.locator("form button[type=submit]").click()
    expect(person.page.get_by_test_id("lobby")).to_be_visible()


def socket_join(server, code: str, name: str):
    sio = socketio.Client(reconnection=False)
    sio.connect(server.url, transports=["websocket"], wait_timeout=10)
    ack = sio.call("join_room", {"room": code, "name": name}, timeout=10)
    assert ack["ok"] is True, ack
    return sio


def test_a_kicked_observer_keeps_their_name_and_the_facilitator_scores(people, server):
    r = requests.post(server.url + "/api/rooms", json={"deck": "angry-customer-en", "title": "Names and scores"}, timeout=10)
    assert r.status_code == 201, r.text
    room = r.json()
    code = room["code"]
    fac = people("facilitator")
    fac.page.goto(f"/host/{code}#key={room['facilitator_token']}")
    expect(fac.page.get_by_test_id("room-code")).to_have_text(code)
    ann, bob = people("ann"), people("bob")
    join(ann, code, "Ann")
    join(bob, code, "Bob")
    cas = people("cas-observer-phone", phone=True)
    join(cas, code, "Cas")
    dee = socket_join(server, code, "Dee")
    try:
        expect(fac.page.get_by_test_id("participant")).to_have_count(4)
        fac.page.locator("select[name=card]").select_option("double-debit")
        fac.page.locator('input[name=mode][value="choose"]').check()
        fac.page.locator("select[name=customer]").select_option(label="Ann")
        fac.page.locator("select[name=agent]").select_option(label="Bob")
        fac.page.get_by_test_id("start-button").click()
        fac.page.get_by_test_id("begin").click()
        expect(fac.page.get_by_test_id("console-live")).to_be_visible()
        note = "kept calm when she raised her voice"
        ack = dee.call("mark_step", {"id": uuid.uuid4().hex, "step": "listen", "rating": 3, "note": note}, timeout=10)
        assert ack["ok"] is True, ack
        expect(fac.page.get_by_test_id("feed")).to_contain_text("Dee")

        # Dee is sent away: the console still says whose mark it was
        fac.page.get_by_test_id("people").get_by_test_id("participant").filter(has_text="Dee").get_by_test_id("kick").click()
        fac.page.get_by_test_id("kick-yes").click()
        expect(fac.page.get_by_test_id("participant")).to_have_count(3)
        expect(fac.page.get_by_test_id("feed")).to_contain_text("Dee (left)")
        expect(fac.page.get_by_test_id("feed")).not_to_contain_text("someone who left")
        fac.shot("console-feed-left")

        # the facilitator's own scores, in the console
        fac.page.get_by_test_id("end").click()
        own = fac.page.get_by_test_id("facilitator-scores")
        expect(own).to_contain_text("Your own scores as facilitator")
        pick = own.locator('[data-step="listen"] [data-rating="1"]')
        pick.click()
        expect(pick).to_have_attribute("aria-pressed", "true")
        own.locator('[data-step="empathy"] [data-rating="na"]').click()
        expect(own).to_contain_text("2 of")
        fac.shot("console-facilitator-scores")

        fac.page.get_by_test_id("reveal").click()
        if fac.page.get_by_test_id("reveal-yes").count():
            fac.page.get_by_test_id("reveal-yes").click()
        expect(fac.page.get_by_test_id("console-review")).to_be_visible()

        # the phone after the reveal: Dee's note, with Dee's name
        expect(cas.page.locator("main")).to_contain_text(note)
        expect(cas.page.locator("main")).to_contain_text("Dee (left)")
        expect(cas.page.locator("main")).not_to_contain_text("someone who left")
        cas.shot("review-left")

        # the debrief: the facilitator column holds the score given in the console
        fac.page.get_by_test_id("open-debrief").click()
        row = fac.page.get_by_test_id("step-table").first.locator('tr[data-step="listen"]')
        expect(row.locator("td").nth(5)).to_have_text("1")
        expect(fac.page.locator("main")).not_to_contain_text("someone who left")
        fac.shot("debrief-facilitator-column")
    finally:
        dee.disconnect()
    people.check()

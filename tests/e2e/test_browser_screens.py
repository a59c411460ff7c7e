"""The screens around a round: a hostile name shown as text, Dutch and
English and the switch between them, the keyboard, the multi-room dashboard,
the console on a phone, and a room that does not exist."""
from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import expect

from helpers.axe import axe_violations

pytestmark = pytest.mark.browser

XSS_NAME = "<img src=x onerror=alert(1)>"


def new_room(server, deck: str = "angry-customer-en", title: str | None = None) -> dict:
    body = {"deck": deck, **({"title": title} if title else {})}
    r = requests.post(server.url + "/api/rooms", json=body, timeout=10)
    assert r.status_code == 201, r.text
    return r.json()


def host(person, room: dict) -> None:
    """Open the console with the facilitator key in the link's fragment."""
    person.page.goto(f"/host/{room['code']}#key={room['facilitator_token']}")
    expect(person.page.get_by_test_id("room-code")).to_have_text(room["code"])
    assert "key=" not in person.page.url  # the key leaves the address bar


def join(person, room: dict, name: str) -> None:
    person.page.goto(f"/join/{room['code']}")
    person.page.locator("input[name=name]").fill(name)
    person.page.locator("form button[type=submit]").click()
    expect(person.page.get_by_test_id("lobby")).to_be_visible()


def test_hostile_name_is_shown_as_text(people, server):
    room = new_room(server, title="XSS check")
    fac = people("facilitator")
    host(fac, room)
    eve = people("eve-phone", phone=True)
    join(eve, room, XSS_NAME)
    other = people("olga")
    join(other, room, "Olga")

    # the name is text everywhere it appears, and no image element came of it
    expect(eve.page.get_by_role("heading", name=f"Welcome, {XSS_NAME}")).to_be_visible()
    expect(fac.page.get_by_test_id("participant").filter(has_text=XSS_NAME)).to_have_count(1)
    expect(other.page.get_by_test_id("participant").filter(has_text=XSS_NAME)).to_have_count(1)
    for p in (fac, eve, other):
        assert p.page.locator("img[src='x']").count() == 0
    eve.shot("lobby")
    fac.shot("console")

    # in a round (roles by rotation) the name shows up in the cast lines too
    fac.page.get_by_test_id("start-button").click()
    expect(fac.page.get_by_test_id("console-briefing")).to_contain_text(XSS_NAME)
    expect(other.page.get_by_test_id("briefing")).to_contain_text(XSS_NAME)
    for p in (fac, eve, other):
        assert p.page.locator("img[src='x']").count() == 0
    fac.shot("console-briefing")
    people.check()  # includes: no dialog was opened by alert(1)


def test_languages_and_keyboard(people, server):
    room = new_room(server, deck="angry-customer-nl", title="Teamdag")
    nl = people("dutch-phone", phone=True, locale="nl-NL")
    nl.page.goto("/")
    expect(nl.page.locator("html")).to_have_attribute("lang", "nl")
    expect(nl.page.get_by_role("heading", level=1)).to_have_text("Oefen rustig blijven bij boze klanten")
    expect(nl.page.get_by_role("button", name="Ruimte maken")).to_be_visible()
    nl.shot("landing-nl")

    # switch to English; it is remembered over a reload
    nl.page.get_by_role("button", name="English").click()
    expect(nl.page.locator("html")).to_have_attribute("lang", "en")
    expect(nl.page.get_by_role("heading", level=1)).to_have_text("Practise staying calm with angry customers")
    nl.page.reload()
    expect(nl.page.locator("html")).to_have_attribute("lang", "en")
    nl.shot("landing-en")
    nl.page.get_by_role("button", name="Nederlands").click()
    expect(nl.page.locator("html")).to_have_attribute("lang", "nl")

    # keyboard only: the skip link comes first; the join form works with Tab and Enter
    kb = people("keyboard", locale="en-GB")
    kb.page.goto("/")
    expect(kb.page.locator("input[name=deck]").first).to_be_visible()
    kb.page.keyboard.press("Tab")
    expect(kb.page.locator(".skip-link")).to_be_focused()
    kb.page.locator("input[name=code]").focus()
    kb.page.keyboard.type(room["code"].lower())
    kb.page.keyboard.press("Tab")
    kb.page.keyboard.type("Kim")
    kb.page.keyboard.press("Enter")
    expect(kb.page.get_by_test_id("lobby")).to_be_visible()
    expect(kb.page).to_have_url(re.compile(f"/join/{room['code']}$"))
    kb.shot("lobby-by-keyboard")

    # the Dutch participant joins in Dutch; a taken name is refused in Dutch
    nl.page.goto(f"/join/{room['code']}")
    nl.page.locator("input[name=name]").fill("kim")
    nl.page.locator("form button[type=submit]").click()
    expect(nl.page.get_by_role("alert")).to_contain_text("gebruikt die naam al")
    nl.shot("join-name-taken-nl")
    nl.page.locator("input[name=name]").fill("Noor")
    nl.page.locator("form button[type=submit]").click()
    expect(nl.page.get_by_role("heading", name="Welkom, Noor")).to_be_visible()
    nl.shot("lobby-nl")
    people.check()


def test_dashboard_and_phone_console(people, server):
    fac = people("facilitator")
    codes = []
    for title in ("Morning group", "Afternoon group"):
        fac.page.goto("/")
        fac.page.locator('input[name=deck][value="aggressive-customer-en"]').check()
        fac.page.locator("input[name=title]").fill(title)
        fac.page.locator("input[name=minutes]").fill("5")
        fac.page.get_by_test_id("create-room").click()
        expect(fac.page).to_have_url(re.compile(r"/host/[A-Z2-9]{6}$"))
        codes.append(fac.page.get_by_test_id("room-code").inner_text().strip())
    afternoon = {"code": codes[1]}
    a, b = people("amir"), people("bea")
    join(a, afternoon, "Amir")
    join(b, afternoon, "Bea")
    fac.page.get_by_test_id("start-button").click()
    expect(fac.page.get_by_test_id("console-briefing")).to_be_visible()
    fac.page.get_by_test_id("begin").click()
    expect(fac.page.get_by_test_id("console-live")).to_be_visible()
    expect(fac.page.locator(".clock-time").first).to_contain_text(re.compile(r"^4:5\d|^5:00"))  # counts down from 5 minutes

    fac.page.get_by_role("link", name="Your rooms").click()
    cards = fac.page.get_by_test_id("room-card")
    expect(cards).to_have_count(2)
    morning = cards.filter(has_text=codes[0])
    noon = cards.filter(has_text=codes[1])
    expect(morning).to_contain_text("Lobby")
    expect(noon).to_contain_text("Role-play")
    expect(noon).to_contain_text("2 of 2 online")
    expect(noon.get_by_test_id("room-progress")).to_contain_text("0 live marks")
    fac.shot("dashboard")
    noon.get_by_role("link", name="Open console").click()
    expect(fac.page.get_by_test_id("console-live")).to_be_visible()

    # the same console on a phone (the facilitator link carries the key over)
    link = fac.page.locator(".host-link input").input_value()
    phone = people("facilitator-phone", phone=True)
    phone.page.goto(link)
    expect(phone.page.get_by_test_id("console-live")).to_be_visible()
    phone.shot("console-live-phone")
    phone.page.get_by_test_id("pause").click()
    expect(a.page.get_by_test_id("paused-banner")).to_contain_text("paused")
    expect(fac.page.get_by_test_id("resume")).to_be_visible()
    a.shot("paused-by-facilitator")

    # a locked room refuses newcomers, with a message in their language
    fac.page.get_by_test_id("lock").click()
    expect(fac.page.get_by_test_id("lock")).to_have_attribute("aria-pressed", "true")
    late = people("late-nl", locale="nl-NL")
    late.page.goto(f"/join/{codes[1]}")
    late.page.locator("input[name=name]").fill("Laat")
    late.page.locator("form button[type=submit]").click()
    expect(late.page.get_by_role("alert")).to_contain_text("op slot")
    late.shot("join-locked-nl")
    fac.page.get_by_test_id("lock").click()
    expect(fac.page.get_by_test_id("lock")).to_have_attribute("aria-pressed", "false")

    # projector view before a round, in its own window
    proj = fac.context.new_page()
    proj.set_viewport_size({"width": 1920, "height": 1080})
    proj.goto(f"/host/{codes[0]}?projector")
    expect(proj.get_by_test_id("projector-view")).to_be_visible()
    proj.screenshot(path=str(fac._shots / f"{fac._prefix}-99-projector-lobby-1920.png"))
    assert axe_violations(proj) == []
    proj.close()
    people.check()


def test_unknown_room(people):
    p = people("visitor", phone=True)
    p.page.goto("/join/ZZZZZZ")
    p.page.locator("input[name=name]").fill("Vic")
    p.page.locator("form button[type=submit]").tap()
    # no dead end: the code is marked and editable, the name is kept
    wrong = p.page.get_by_test_id("wrong-code")
    expect(wrong).to_contain_text("Room not found")
    expect(wrong.locator("input[name=code]")).to_have_attribute("aria-invalid", "true")
    expect(wrong.locator("input[name=code]")).to_have_value("ZZZZZZ")
    expect(wrong.locator("input[name=name]")).to_have_value("Vic")
    p.shot("room-not-found")
    people.check()

"""A facilitator and an observer on the keyboard alone (issue 14,
accessibility): focus goes to the next thing to do after every phase
command and after the projector view, the rating sheet keeps focus inside
itself and gives it back, and participants hear the phase change."""
from __future__ import annotations

import pytest
import requests
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
expect.set_options(timeout=10_000)  # a phase change on a busy two-core machine can take seconds


def new_room(server, title: str) -> dict:
    r = requests.post(server.url + "/api/rooms", json={"deck": "angry-customer-en", "title": title}, timeout=10)
    assert r.status_code == 201, r.text
    return r.json()


def join(person, code: str, name: str) -> None:
    person.page.goto(f"/join/{code}")
    person.page.locator("input[name=name]").fill(name)
    person.page.locator("form button[type=submit]").click()
    expect(person.page.get_by_test_id("lobby")).to_be_visible()


def inside_sheet(page) -> bool:
    return page.evaluate("() => !!document.activeElement.closest('[data-testid=rate-bar]')")


def test_keyboard_only_round(people, server):
    room = new_room(server, "Keys only")
    code = room["code"]
    fac = people("facilitator")
    fac.page.goto(f"/host/{code}#key={room['facilitator_token']}")
    expect(fac.page.get_by_test_id("room-code")).to_have_text(code)
    ann = people("ann-customer")
    bob = people("bob-agent")
    cas = people("cas-observer-phone", phone=True)
    join(ann, code, "Ann")
    join(bob, code, "Bob")
    join(cas, code, "Cas")
    expect(fac.page.get_by_test_id("participant")).to_have_count(3)
    announcer = ann.page.get_by_test_id("phase-announcer")
    expect(announcer).to_have_attribute("role", "status")
    expect(announcer).to_have_text("")  # nothing said on arrival

    key = fac.page.keyboard
    fac.page.locator('input[name=mode][value="choose"]').check()
    fac.page.locator("select[name=customer]").select_option(label="Ann")
    fac.page.locator("select[name=agent]").select_option(label="Bob")
    fac.page.get_by_test_id("start-button").focus()
    key.press("Enter")
    expect(fac.page.get_by_test_id("console-briefing")).to_be_visible()
    expect(fac.page.get_by_test_id("begin")).to_be_focused()
    expect(announcer).to_have_text("Now: Briefing")

    # begin, then pause and resume with Enter alone
    key.press("Enter")
    expect(fac.page.get_by_test_id("console-live")).to_be_visible()
    expect(fac.page.get_by_test_id("pause")).to_be_focused()
    expect(announcer).to_have_text("Now: Role-play")
    key.press("Enter")
    expect(fac.page.get_by_test_id("resume")).to_be_focused()
    expect(announcer).to_have_text("Now: Paused")
    fac.shot("console-paused-focus")
    key.press("Enter")
    expect(fac.page.get_by_test_id("pause")).to_be_focused()
    expect(fac.page.locator(".console")).to_have_attribute("data-phase", "roleplay")
    expect(announcer).to_have_text("Now: Role-play")

    # the projector view and back: focus on the way back each time
    fac.page.get_by_test_id("projector").focus()
    key.press("Enter")
    expect(fac.page.get_by_test_id("projector-exit")).to_be_focused()
    key.press("Escape")
    expect(fac.page.get_by_test_id("projector")).to_be_focused()
    fac.page.get_by_test_id("projector").focus()
    key.press("Enter")
    expect(fac.page.get_by_test_id("projector-exit")).to_be_focused()
    key.press("Enter")
    expect(fac.page.get_by_test_id("console-live")).to_be_visible()
    expect(fac.page.get_by_test_id("projector")).to_be_focused()

    # the observer's rating sheet on a phone: Tab and Shift+Tab stay inside
    steps = cas.page.locator("[data-testid=observer-panel] .step-btn")
    third = steps.nth(2)
    third.focus()
    cas.page.keyboard.press("Enter")
    sheet = cas.page.get_by_test_id("rate-bar")
    expect(sheet).to_be_visible()
    expect(sheet.locator(".scale-btn").first).to_be_focused()
    for _ in range(8):
        cas.page.keyboard.press("Shift+Tab")
        assert inside_sheet(cas.page), "Shift+Tab left the open rating sheet"
    for _ in range(12):
        cas.page.keyboard.press("Tab")
        assert inside_sheet(cas.page), "Tab left the open rating sheet"
    cas.shot("rating-sheet-focus", full=False)
    cas.page.keyboard.press("Escape")
    expect(sheet).to_have_count(0)
    expect(third).to_be_focused()
    # a rating closes the sheet and returns focus too
    third.press("Enter")
    expect(sheet.locator(".scale-btn").first).to_be_focused()
    cas.page.keyboard.press("Enter")
    expect(sheet).to_have_count(0)
    expect(third).to_be_focused()
    expect(cas.page.get_by_test_id("mark-flash")).to_contain_text("Saved")

    # end: the reveal is next; reveal (confirming who has not checked in): the debrief is next
    fac.page.get_by_test_id("end").focus()
    key.press("Enter")
    expect(fac.page.get_by_test_id("console-scoring")).to_be_visible()
    expect(fac.page.get_by_test_id("reveal")).to_be_focused()
    expect(announcer).to_have_text("Now: Scoring")
    key.press("Enter")
    expect(fac.page.get_by_test_id("reveal-yes")).to_be_focused()
    key.press("Enter")
    expect(fac.page.get_by_test_id("console-review")).to_be_visible()
    expect(fac.page.get_by_test_id("open-debrief")).to_be_focused()
    expect(announcer).to_have_text("Now: Review")
    fac.shot("console-review-focus")

    # closing the room: focus on what it says now
    fac.page.get_by_test_id("close-room").click()
    fac.page.get_by_test_id("close-room-yes").focus()
    key.press("Enter")
    expect(fac.page.get_by_test_id("console-closed").locator("h2")).to_be_focused()
    people.check()

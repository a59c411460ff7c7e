"""Issue 14, "Correcting a live mark": an observer on a phone marks, undoes
the last mark from the keyboard, changes another, and the facilitator's live
feed follows; the final scoring sheet then starts from the corrected live
marks as a suggestion that is saved only once the observer confirms it."""
from __future__ import annotations

import pytest
import requests
from playwright.sync_api import expect

from helpers.sio import Client

pytestmark = pytest.mark.browser
expect.set_options(timeout=10_000)  # a phase change on a busy two-core machine can take seconds


def results(server, room) -> dict:
    res = requests.get(f"{server.url}/api/rooms/{room['code']}/results",
                       headers={"Authorization": f"Bearer {room['facilitator_token']}"}, timeout=10)
    assert res.status_code == 200
    return res.json()


def test_an_observer_undoes_and_changes_live_marks_and_confirms_the_prefilled_scores(people, server):
    r = requests.post(server.url + "/api/rooms", json={"deck": "angry-customer-en", "title": "Corrections"}, timeout=10)
    assert r.status_code == 201, r.text
    room = r.json()
    code = room["code"]
    fac = people("facilitator")
    fac.page.goto(f"/host/{code}#key={room['facilitator_token']}")
    expect(fac.page.get_by_test_id("room-code")).to_have_text(code)
    ann, bob = Client(server.url, "Ann"), Client(server.url, "Bob")
    try:
        ann.call("join_room", {"room": code, "name": "Ann"})
        bob.call("join_room", {"room": code, "name": "Bob"})
        cas = people("cas-observer-phone", phone=True)
        page = cas.page
        page.goto(f"/join/{code}")
        page.locator("input[name=name]").fill("Cas")
        page.locator("form button[type=submit]").click()
        expect(page.get_by_test_id("lobby")).to_be_visible()
        expect(fac.page.get_by_test_id("participant")).to_have_count(3)

        fac.page.locator("select[name=card]").select_option("double-debit")
        fac.page.locator('input[name=mode][value="choose"]').check()
        fac.page.locator("select[name=customer]").select_option(label="Ann")
        fac.page.locator("select[name=agent]").select_option(label="Bob")
        fac.page.get_by_test_id("start-button").click()
        fac.page.get_by_test_id("begin").click()
        panel = page.get_by_test_id("observer-panel")
        expect(panel).to_be_visible()

        def mark(step: str, rating: int, flash: str) -> None:
            panel.locator(f'.step-btn[data-step="{step}"]').click()
            page.get_by_test_id("rate-bar").locator(f'[data-rating="{rating}"]').click()
            expect(page.get_by_test_id("mark-flash")).to_have_text(flash)

        mark("listen", 1, "Saved: Listen and let them vent – 1 · weak")
        mark("empathy", 3, "Saved: Show understanding, briefly – 3 · skilled")
        mark("stay_calm", 0, "Saved: Stay calm and respectful, don’t take it personally – 0 · not done")
        marks = page.get_by_test_id("my-marks").locator(".mark")
        expect(marks).to_have_count(3)
        expect(page.get_by_test_id("mark-undo")).to_have_count(3)
        cas.shot("marks-with-undo-and-change")

        # "Undo last mark" from the keyboard: the last mark goes, focus stays on the button
        undo_last = page.get_by_test_id("undo-last")
        undo_last.focus()
        page.keyboard.press("Enter")
        expect(page.get_by_test_id("mark-flash")).to_have_text("Taken back: Stay calm and respectful, don’t take it personally – 0 · not done")
        expect(marks).to_have_count(2)
        expect(undo_last).to_be_focused()

        # change the first mark: the sheet opens on its step, the rating is the only thing to tap
        listen = page.get_by_test_id("my-marks").locator(".mark").filter(has_text="Listen and let them vent")
        listen.get_by_test_id("mark-change").click()
        sheet = page.get_by_test_id("rate-bar")
        expect(sheet).to_contain_text("Change your mark: Listen and let them vent?")
        expect(sheet.locator('[data-rating="1"]')).to_have_attribute("aria-pressed", "true")
        expect(sheet.locator('[data-rating="0"]')).to_be_focused()
        cas.shot("change-sheet", full=False)
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        expect(sheet.locator('[data-rating="2"]')).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.get_by_test_id("mark-flash")).to_have_text("Changed: Listen and let them vent – 2 · adequate")
        expect(listen.locator(".mark-rating")).to_have_text("2 · adequate")
        expect(listen.get_by_test_id("mark-change")).to_be_focused()
        expect(marks).to_have_count(2)

        # the facilitator's live feed shows the corrected picture
        feed = fac.page.get_by_test_id("feed")
        expect(feed.locator(".mark")).to_have_count(2)
        expect(feed).not_to_contain_text("Stay calm")
        expect(feed.locator(".mark").filter(has_text="Listen and let them vent")).to_contain_text("adequate")

        # the final scoring sheet starts from the corrected marks, nothing saved yet
        fac.page.get_by_test_id("end").click()
        sheet = page.get_by_test_id("final-scores")
        expect(sheet).to_be_visible()
        expect(page.get_by_test_id("prefill")).to_contain_text("Nothing is saved until you confirm")
        listen_step, empathy_step = sheet.locator('[data-step="listen"]'), sheet.locator('[data-step="empathy"]')
        expect(listen_step.locator('[data-suggested="true"]')).to_have_attribute("data-rating", "2")
        expect(empathy_step.locator('[data-suggested="true"]')).to_have_attribute("data-rating", "3")
        expect(sheet.locator('[data-step="stay_calm"] [data-suggested="true"]')).to_have_count(0)  # taken back
        expect(listen_step.get_by_test_id("suggestion")).to_have_text(
            "Suggested from your live marks: 2 · adequate. Confirm it, or tap another score.")
        expect(sheet.locator('[aria-pressed="true"]')).to_have_count(0)
        expect(sheet).to_contain_text("0 of 8 steps scored")
        assert results(server, room)["rounds"][0]["scores"] == []
        cas.shot("final-scores-prefilled")

        confirm = page.get_by_test_id("confirm-prefill")
        expect(confirm).to_have_text("Confirm the suggested scores (2 steps)")
        confirm.click()
        expect(sheet).to_contain_text("2 of 8 steps scored")
        expect(listen_step.locator('[data-rating="2"]')).to_have_attribute("aria-pressed", "true")
        expect(empathy_step.locator('[data-rating="3"]')).to_have_attribute("aria-pressed", "true")
        expect(page.get_by_test_id("prefill")).to_have_count(0)
        cas.shot("final-scores-confirmed")

        rnd = results(server, room)["rounds"][0]
        assert sorted((s["step"], s["rating"]) for s in rnd["scores"]) == [("empathy", 3), ("listen", 2)]
        assert sorted((m["step"], m["rating"]) for m in rnd["marks"]) == [("empathy", 3), ("listen", 2)]
        assert sorted((m["step"], m["rating"], m["withdrawn"]) for m in rnd["corrected_marks"]) == [
            ("listen", 1, False), ("stay_calm", 0, True)]
    finally:
        ann.close()
        bob.close()

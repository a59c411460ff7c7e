"""Issue 14, "Confirm the irreversible": the console asks before it ends a
role-play that still has time left (saying how much), and before it reveals
while someone is not done (naming the players who have not checked in and the
observers who have not finished scoring), in English and in Dutch. The
question is in the page; Cancel puts the focus back on the button; once
nobody is missing, the reveal asks nothing."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests
import yaml
from playwright.sync_api import expect

from helpers.sio import Client

pytestmark = pytest.mark.browser
expect.set_options(timeout=10_000)  # a phase change on a busy two-core machine can take seconds

ROOT = Path(__file__).resolve().parents[2]
DECK = yaml.safe_load((ROOT / "decks" / "angry-customer-en.yaml").read_text(encoding="utf-8"))
CARD = next(c for c in DECK["cards"] if c["id"] == "bar-tab")
STEPS = CARD["steps"]


def progress(fac, name: str):
    """The console's row of one person in the scoring progress table."""
    return fac.page.locator(".progress-table tbody tr").filter(has=fac.page.get_by_role("rowheader", name=name, exact=True))


def test_ending_early_and_revealing_early_ask_first_and_name_who_is_missing(people, server):
    r = requests.post(server.url + "/api/rooms", json={"deck": "angry-customer-en", "title": "Confirm", "duration_s": 600}, timeout=10)
    assert r.status_code == 201, r.text
    room = r.json()
    code, token = room["code"], room["facilitator_token"]
    host = Client(server.url, "host")
    members: dict[str, Client] = {}
    try:
        host.call("host_room", {"room": code, "facilitator_token": token})
        for name in ("Ann", "Bob", "Cas", "Dee"):
            c = Client(server.url, name)
            c.id = c.call("join_room", {"room": code, "name": name})["you"]["id"]
            members[name] = c
        en = people("facilitator")
        nl = people("facilitator-nl", locale="nl-NL")
        for fac in (en, nl):
            fac.page.goto(f"/host/{code}#key={token}")
            expect(fac.page.get_by_test_id("participant")).to_have_count(4)
        host.call("start_round", {"card": CARD["id"], "customer": members["Ann"].id, "agent": members["Bob"].id})
        host.call("begin_roleplay")
        for fac in (en, nl):
            expect(fac.page.get_by_test_id("console-live")).to_be_visible()

        # -- "End role-play" with time left asks, saying how much is left -------------
        end = en.page.get_by_test_id("end")
        end.click()
        question = en.page.get_by_test_id("end-confirm")
        expect(question).to_contain_text(re.compile(r"(9:\d\d|10:00) of role-play time is left\. End the role-play now\?"))
        expect(en.page.get_by_test_id("end-yes")).to_be_focused()
        expect(en.page.get_by_test_id("end-yes")).to_have_text("End now")
        en.shot("console-end-confirm")
        en.page.get_by_test_id("end-cancel").click()
        expect(question).to_have_count(0)
        expect(end).to_be_focused()
        expect(en.page.locator(".console")).to_have_attribute("data-phase", "roleplay")

        nl.page.get_by_test_id("end").click()
        expect(nl.page.get_by_test_id("end-confirm")).to_contain_text(
            re.compile(r"Er is nog (9:\d\d|10:00) speeltijd over\. Het rollenspel nu beëindigen\?")
        )
        nl.shot("console-end-confirm-nl")
        nl.page.get_by_test_id("end-yes").click()
        for fac in (en, nl):
            expect(fac.page.get_by_test_id("console-scoring")).to_be_visible()

        # -- "Reveal" while someone is not done asks, naming them ------------------------
        for step in STEPS:
            members["Cas"].call("score_step", {"step": step, "rating": 2})
        members["Dee"].call("score_step", {"step": STEPS[0], "rating": 1})
        members["Ann"].call("reflect", {"feeling": 4, "felt_heard": 3})
        expect(en.page.get_by_test_id("check-in").locator('[data-status="missing"]')).to_have_count(1)
        expect(progress(en, "Cas")).to_contain_text(f"{len(STEPS)} of {len(STEPS)} steps scored")
        expect(progress(en, "Dee")).to_contain_text(f"1 of {len(STEPS)} steps scored")
        reveal = en.page.get_by_test_id("reveal")
        reveal.click()
        question = en.page.get_by_test_id("reveal-confirm")
        expect(question.locator(".confirm-q")).to_have_text("Bob has not checked in yet. Dee has not finished scoring. Reveal the results anyway?")
        expect(en.page.get_by_test_id("reveal-yes")).to_be_focused()
        expect(en.page.get_by_test_id("reveal-cancel")).to_have_text("Wait")
        en.shot("console-reveal-confirm-names")
        en.page.get_by_test_id("reveal-cancel").click()
        expect(reveal).to_be_focused()
        expect(en.page.locator(".console")).to_have_attribute("data-phase", "scoring")

        members["Bob"].call("reflect", {"feeling": 4})
        nl.page.get_by_test_id("reveal").click()
        expect(nl.page.get_by_test_id("reveal-confirm").locator(".confirm-q")).to_have_text("Dee is nog niet klaar met scoren. Toch de resultaten tonen?")
        nl.shot("console-reveal-confirm-nl")
        nl.page.get_by_test_id("reveal-cancel").click()
        expect(nl.page.get_by_test_id("reveal")).to_be_focused()

        # -- nobody missing: the reveal asks nothing ----------------------------------
        for step in STEPS[1:]:
            members["Dee"].call("score_step", {"step": step, "rating": None if step == "apology" else 2})
        expect(progress(en, "Dee")).to_contain_text(f"{len(STEPS)} of {len(STEPS)} steps scored")
        reveal.click()
        for fac in (en, nl):
            expect(fac.page.get_by_test_id("console-review")).to_be_visible()
        expect(en.page.get_by_test_id("reveal-confirm")).to_have_count(0)
    finally:
        for c in (host, *members.values()):
            c.close()
    people.check()

"""What a participant takes home, in the browser: a round played and
revealed, the room closed; the agent opens their summary from the link on
their phone and sees their results, an observer's note about them and their
own reflection, not the customer's; then opens it on another device, in
Dutch, from the link the QR code carries (#key= in the fragment, gone from the
address bar once read). Every screenshot is an axe check."""
from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import requests
import yaml
from playwright.sync_api import expect

from helpers.sio import Client

ROOT = Path(__file__).resolve().parents[2]
DECK = yaml.safe_load((ROOT / "decks" / "angry-customer-en.yaml").read_text(encoding="utf-8"))
CARD = next(c for c in DECK["cards"] if (c.get("facilitator") or {}).get("learning_goal"))
STEP = (CARD.get("steps") or [s["key"] for s in DECK["steps"]])[0]
NOTE = "Bob let her finish before answering"
OWN = "I kept my voice low"
OTHERS = "Dee felt rushed by the agent"

pytestmark = pytest.mark.browser


def test_agent_takes_home_their_summary(people, server):
    r = requests.post(server.url + "/api/rooms", json={"deck": DECK["id"], "title": "Take-home"}, timeout=10)
    assert r.status_code == 201, r.text
    room = r.json()
    code = room["code"]
    fac, cas, dee = Client(server.url, "facilitator"), Client(server.url, "Cas"), Client(server.url, "Dee")
    bob = people("bob-agent", phone=True)
    try:
        fac.call("host_room", {"room": code, "facilitator_token": room["facilitator_token"]})
        bob.page.goto(f"/join/{code}")
        bob.page.locator("input[name=name]").fill("Bob")
        bob.page.locator("form button[type=submit]").click()
        expect(bob.page.get_by_test_id("lobby")).to_be_visible()
        for c in (cas, dee):
            c.id = c.call("join_room", {"room": code, "name": c.label})["you"]["id"]
        token = bob.page.evaluate(f"JSON.parse(localStorage.getItem('calmroom.participants'))['{code}'].token")
        bob_id = fac.call("sync")["state"]["participants"]
        bob_id = next(p["id"] for p in bob_id if p["name"] == "Bob")

        fac.call("start_round", {"card": CARD["id"], "customer": dee.id, "agent": bob_id})
        fac.call("begin_roleplay")
        dee.call("set_temperature", {"id": uuid.uuid4().hex, "level": 8})
        cas.call("mark_step", {"id": uuid.uuid4().hex, "step": STEP, "rating": 3, "note": NOTE})
        dee.call("set_temperature", {"id": uuid.uuid4().hex, "level": 3})
        fac.call("end_roleplay")
        cas.call("score_step", {"step": STEP, "rating": 2, "comment": "a calm opening"})
        cas.call("rate_global", {"rating": 4})
        dee.call("reflect", {"feeling": 3, "felt_heard": 2, "went_well": OTHERS})
        # Bob's reflection through a second connection of his own (his token, as a reload would)
        bob_socket = Client(server.url, "Bob")
        bob_socket.call("rejoin", {"room": code, "token": token})
        bob_socket.call("reflect", {"feeling": 4, "went_well": OWN, "do_differently": "name a date sooner"})
        bob_socket.close()
        fac.call("reveal_results")

        expect(bob.page.get_by_test_id("review")).to_be_visible()
        expect(bob.page.get_by_test_id("summary-link")).to_be_visible()
        bob.shot("review-summary-link")
        fac.call("close_room")
        end = bob.page.get_by_test_id("end-screen")
        expect(end).to_be_visible()
        expect(end.get_by_test_id("summary-link").get_by_test_id("qr")).to_be_visible()
        bob.shot("closed-summary-link-qr")
        # the token stays in this browser for the summary only
        seat = bob.page.evaluate(f"JSON.parse(localStorage.getItem('calmroom.participants'))['{code}']")
        assert seat.get("closed") is True and "token" not in seat and seat["summary_token"] == token

        end.get_by_test_id("summary-open").click()
        summary = bob.page.get_by_test_id("summary")
        expect(summary).to_be_visible()
        expect(summary.locator("h1")).to_have_text("Summary for Bob")
        rnd = summary.get_by_test_id("summary-round")
        expect(rnd).to_have_count(1)
        expect(rnd).to_contain_text(CARD["title"])
        expect(rnd.get_by_test_id("overall")).to_contain_text("2")
        expect(rnd.get_by_test_id("summary-notes")).to_contain_text(NOTE)
        expect(rnd.get_by_test_id("summary-notes")).to_contain_text("Cas")
        expect(rnd.get_by_test_id("summary-reflection")).to_contain_text(OWN)
        expect(rnd.get_by_test_id("timeline").locator("canvas[data-rendered=true]")).to_have_count(1)
        goal = " ".join(CARD["facilitator"]["learning_goal"].split())[:40]
        expect(summary.get_by_test_id("summary-takeaways")).to_contain_text(goal)
        assert OTHERS not in bob.page.locator("body").inner_text()
        bob.shot("summary-en")

        # another device, in Dutch: the link from the QR code
        laptop = people("bob-laptop-nl", locale="nl-NL")
        laptop.page.goto(f"/me/{code}#key={token}")
        summary = laptop.page.get_by_test_id("summary")
        expect(summary.locator("h1")).to_have_text("Overzicht voor Bob")
        assert "#" not in laptop.page.url and token not in laptop.page.url
        expect(summary.get_by_test_id("summary-reflection")).to_contain_text(OWN)
        assert OTHERS not in laptop.page.locator("body").inner_text()
        laptop.shot("summary-nl")
        laptop.page.emulate_media(media="print")
        expect(laptop.page.locator(".site-header")).to_be_hidden()
        laptop.shot("summary-nl-print")

        # a stranger's browser without the key gets an explanation, not someone's summary
        stranger = people("stranger")
        stranger.page.goto(f"/me/{code}")
        expect(stranger.page.get_by_test_id("summary-problem")).to_contain_text("No summary on this device")
        stranger.shot("summary-no-key")
    finally:
        for c in (fac, cas, dee):
            c.close()

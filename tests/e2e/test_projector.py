"""The projector as a presentation (issue 14): a room played through every
phase by real Socket.IO clients (the facilitator and five participants), with
two projector windows open on it, 1920×1080 in English and 1280×720 in Dutch.
In every phase both fit their window without scrolling and without clipping,
show the join code and QR in the lobby only (a small corner code in a round,
none once closed), show the phase and the clock large, count the observers
who are done while they score, reveal the results (with a short transition,
none for a reader who asked for reduced motion), fit every step of the card
on one screen, end with a thank-you slide, and never show an observer's name
or the app's header. Every screenshot is also an axe-core check."""
from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

import pytest
import requests
import yaml
from playwright.sync_api import expect

from helpers.sio import Client

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
DECK = yaml.safe_load((ROOT / "decks" / "angry-customer-en.yaml").read_text(encoding="utf-8"))
CARDS = {c["id"]: c for c in DECK["cards"]}
LABELS = {s["key"]: s["label"] for s in DECK["steps"]}
ROUND_CARDS = ["chat-loop", "review-reply"]  # a long setting and all 8 steps; then 6 steps
PLAYERS = ("Ann", "Bob")
OBSERVERS = ("Cas", "Dee", "Eli")
LOCALES = {lang: json.loads((ROOT / "client" / "src" / "locales" / f"{lang}.json").read_text(encoding="utf-8")) for lang in ("en", "nl")}
PHASE = {lang: texts["phase"] for lang, texts in LOCALES.items()}
DONE = {"en": "{done} of {count} observers done", "nl": "{done} van {count} observatoren klaar"}


class Screen:
    """One projector window and what it must show."""

    def __init__(self, person, size: dict, lang: str):
        self.person = person
        self.page = person.page
        self.width = size["width"]
        self.lang = lang

    def check(self, phase: str, code: str) -> None:
        page = self.page
        view = page.get_by_test_id("projector-view")
        expect(view).to_have_attribute("data-phase", phase)
        expect(page.get_by_test_id("projector-phase")).to_have_text(PHASE[self.lang][phase])
        # the whole window, nothing to scroll and nothing cut off inside a slide
        fit = page.evaluate(
            """() => {
                const d = document.documentElement;
                const slide = document.querySelector('.projector-slide');
                return {
                    sh: d.scrollHeight, sw: d.scrollWidth, ih: window.innerHeight, iw: window.innerWidth,
                    slideH: slide.scrollHeight, slideCH: slide.clientHeight, slideW: slide.scrollWidth, slideCW: slide.clientWidth,
                };
            }"""
        )
        assert fit["sh"] <= fit["ih"] and fit["sw"] <= fit["iw"], (self.width, phase, fit)
        assert fit["slideH"] <= fit["slideCH"] + 1 and fit["slideW"] <= fit["slideCW"] + 1, ("clipped", self.width, phase, fit)
        # presentation mode: no app header, no language buttons
        expect(page.locator(".site-header")).to_be_hidden()
        expect(page.locator(".lang-btn").first).to_be_hidden()
        # the phase is readable from the back of the room
        assert self.font_px(".projector-phase .badge") >= 0.03 * fit["ih"], phase
        # the code and QR invite people in the lobby only; a round shows a small code
        if phase == "lobby":
            expect(page.get_by_test_id("qr")).to_be_visible()
            expect(page.get_by_test_id("room-code")).to_have_text(code)
            assert self.font_px('[data-testid="room-code"]') >= 0.12 * fit["ih"]
            expect(page.get_by_test_id("corner-code")).to_have_count(0)
        else:
            expect(page.get_by_test_id("qr")).to_have_count(0)
            expect(page.get_by_test_id("room-code")).to_have_count(0)
            expect(page.get_by_test_id("join-url")).to_have_count(0)
            if phase == "closed":
                expect(page.get_by_test_id("corner-code")).to_have_count(0)
                assert code not in page.locator("main").inner_text()
            else:
                expect(page.get_by_test_id("corner-code")).to_contain_text(code)
                assert self.font_px(".projector-corner-value") < self.font_px(".projector-title")
        # the clock, large, while the role-play is on
        if phase in ("roleplay", "paused"):
            clock = page.locator(".projector .clock-time")
            expect(clock).to_be_visible()
            assert self.font_px(".projector .clock-time") >= 0.15 * fit["ih"], phase
        else:
            expect(page.locator(".projector .clock-time")).to_have_count(0)
        # counts, never an observer's name
        text = page.get_by_test_id("projector-view").inner_text()
        for name in OBSERVERS:
            assert name not in text, (phase, name)

    def font_px(self, selector: str) -> float:
        return self.page.locator(selector).first.evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)")

    def shot(self, phase: str) -> None:
        # after any transition, so that axe sees the slide as it stays
        self.page.wait_for_function("() => document.getAnimations().every((a) => a.playState !== 'running')")
        self.person.shot(phase, full=False)


def test_the_projector_fits_every_phase_at_both_sizes(people, server):
    # a room that names time-outs: the projector still names no observer
    body = {"deck": DECK["id"], "title": "Thursday: the angry customer", "options": {"name_timeouts": True}}
    r = requests.post(server.url + "/api/rooms", json=body, timeout=10)
    assert r.status_code == 201, r.text
    room = r.json()
    code = room["code"]
    fac = Client(server.url, "facilitator")
    fac.call("host_room", {"room": code, "facilitator_token": room["facilitator_token"]})
    clients = [fac]
    try:
        screens = []
        for size, lang, locale in (({"width": 1920, "height": 1080}, "en", "en-GB"), ({"width": 1280, "height": 720}, "nl", "nl-NL")):
            person = people(f"projector-{size['width']}", size=size, locale=locale)
            person.page.goto(f"/host/{code}?projector#key={room['facilitator_token']}")
            expect(person.page.get_by_test_id("projector-view")).to_be_visible()
            screens.append(Screen(person, size, lang))
        big, small = screens
        # the Dutch window has asked for no motion: the results come without the reveal's transition
        small.page.emulate_media(reduced_motion="reduce")

        def all_screens(phase: str) -> None:
            for s in screens:
                s.check(phase, code)
                s.shot(phase)

        expect(big.page.get_by_test_id("projector-people")).to_have_text("Nobody is here yet")
        people_by_name: dict[str, Client] = {}
        for name in (*PLAYERS, *OBSERVERS):
            c = Client(server.url, name)
            c.id = c.call("join_room", {"room": code, "name": name})["you"]["id"]
            people_by_name[name] = c
            clients.append(c)
        expect(big.page.get_by_test_id("projector-people")).to_have_text("5 people are here")
        expect(small.page.get_by_test_id("projector-people")).to_have_text("5 mensen zijn er")
        all_screens("lobby")

        ann, bob = people_by_name["Ann"], people_by_name["Bob"]
        observers = [people_by_name[n] for n in OBSERVERS]
        for number, (card_id, customer, agent) in enumerate(zip(ROUND_CARDS, (bob, ann), (ann, bob)), start=1):
            card = CARDS[card_id]
            steps = card.get("steps") or [s["key"] for s in DECK["steps"]]
            fac.call("start_round", {"card": card_id, "customer": customer.id, "agent": agent.id, "duration_s": 300})
            first = number == 1
            for s in screens:
                expect(s.page.get_by_test_id("projector-round")).to_contain_text(card["title"])
                expect(s.page.get_by_test_id("projector-round")).to_contain_text(customer.label)
            if first:
                all_screens("briefing")
            fac.call("begin_roleplay")
            observers[0].call("mark_step", {"id": uuid.uuid4().hex, "step": steps[0], "rating": 2})
            if first:
                time.sleep(1.2)  # the clock runs
                all_screens("roleplay")
                observers[1].call("call_timeout", {"reason": "too fast"})
                for s in screens:
                    expect(s.page.get_by_test_id("paused-banner")).to_be_visible()
                    expect(s.page.get_by_test_id("notice-timeout")).to_be_visible()
                expect(big.page.get_by_test_id("paused-banner")).to_contain_text("An observer called a time-out: too fast")
                expect(big.page.get_by_test_id("notice-timeout")).to_contain_text("An observer called a time-out")
                expect(small.page.get_by_test_id("paused-banner")).to_contain_text("Een observator heeft een time-out genomen")
                all_screens("paused")
                fac.call("resume_round")
            fac.call("end_roleplay")

            # scoring: the observers' progress, in numbers
            for s in screens:
                expect(s.page.get_by_test_id("projector-progress")).to_have_text(DONE[s.lang].format(done=0, count=3))
            for step in steps:
                observers[0].call("score_step", {"step": step, "rating": 2})
            # the second observer: every step but one in round 1 (not done yet);
            # in round 2 the last one as n/a, which is a score too
            for step in steps[:-1]:
                observers[1].call("score_step", {"step": step, "rating": 1})
            if not first:
                observers[1].call("score_step", {"step": steps[-1], "rating": None})
            done = 1 if first else 2
            for s in screens:
                expect(s.page.get_by_test_id("projector-progress")).to_have_text(DONE[s.lang].format(done=done, count=3))
            if first:
                customer.call("reflect", {"feeling": 3})
                expect(big.page.get_by_test_id("projector-reflected")).to_have_text("Customer and agent: 1 of 2 reflected")
                all_screens("scoring")
            for step in steps:
                observers[2].call("score_step", {"step": step, "rating": {"stay_calm": 0, "listen": 3}.get(step, 2)})
            if first:
                observers[1].call("score_step", {"step": steps[-1], "rating": 2})
            for s in screens:
                expect(s.page.get_by_test_id("projector-progress")).to_have_text(DONE[s.lang].format(done=3, count=3))

            fac.call("reveal_results")
            # the reveal: a moment's title card where motion is welcome, none where it is not
            expect(big.page.get_by_test_id("projector-curtain")).to_be_visible()
            if first:
                # a picture of the moment itself (no axe check: it is mid-transition, and aria-hidden)
                big.page.wait_for_timeout(500)
                big.page.screenshot(path=str(big.person._shots / f"{big.person._prefix}-00-projector-1920-reveal.png"))
            for s in screens:
                results = s.page.get_by_test_id("projector-results")
                expect(results).to_have_attribute("data-reveal", "done")
                expect(s.page.get_by_test_id("projector-curtain")).to_have_count(0)
                # every step of the card, with the deck's labels
                expect(results.get_by_test_id("projector-step")).to_have_count(len(steps))
                for step in steps:
                    expect(results.locator(f'[data-step="{step}"]')).to_contain_text(LABELS[step])
                expect(s.page.get_by_test_id("projector-legend")).to_contain_text("0 not done")
            assert small.page.evaluate("() => document.getAnimations().length") == 0
            # 2, 1 and 0 on the critical step: the observers disagree (the server says so)
            expect(big.page.locator('[data-step="stay_calm"] .pj-disagree')).to_have_text("observers disagree")
            expect(big.page.locator('[data-step="empathy"] .pj-disagree')).to_have_count(0)
            # the critical step at 0 from one observer of three: its median is not 0, no cap
            expect(big.page.get_by_test_id("projector-overall")).to_contain_text("out of 3")
            expect(big.page.locator(".pj-capped")).to_have_count(0)
            if first:
                all_screens("review")

        fac.call("close_room")
        for s in screens:
            expect(s.page.get_by_test_id("closed-info")).to_be_visible()
        expect(big.page.get_by_test_id("closed-info")).to_contain_text("This room is closed")
        expect(big.page.get_by_test_id("projector-rounds")).to_contain_text("2 rounds played")
        expect(big.page.get_by_test_id("projector-rounds")).to_contain_text(CARDS[ROUND_CARDS[1]]["title"])
        expect(small.page.get_by_test_id("projector-rounds")).to_contain_text("2 rondes gespeeld")
        expect(big.page.get_by_test_id("projector-takeaway")).to_contain_text("one thing you will keep doing")
        all_screens("closed")
    finally:
        for c in clients:
            c.close()
    people.check()

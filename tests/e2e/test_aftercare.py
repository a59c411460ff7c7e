"""Issue 15 in the browser: the facilitator's notes for a card in the console
(briefing and role-play), never on a participant's page; the deck's
introduction in the lobby; observers scoring with the card's narrowed
look-fors; the after-care check-in between scoring and the reveal (the
players' check-in questions, a shaken player's guidance in the console, a
reveal that names who has not checked in); the learning goal in the
debrief's guide. Screenshots (each one an axe check) go to
test-artifacts/screenshots/."""
from __future__ import annotations

from pathlib import Path

import pytest
import requests
import yaml
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
DECK = yaml.safe_load((ROOT / "decks" / "aggressive-customer-en.yaml").read_text(encoding="utf-8"))
CARD = next(c for c in DECK["cards"] if c["id"] == "bank-card-blocked")
NOTES = CARD["facilitator"]
AFTERCARE = DECK["facilitator"]["aftercare"]
GENERAL = {s["key"]: s["look_for"] for s in DECK["steps"]}

pytestmark = pytest.mark.browser


def snippet(text: str, n: int = 40) -> str:
    return " ".join(text.split())[:n]


def body_text(person) -> str:
    return " ".join(person.page.locator("body").inner_text(timeout=5000).split())


def secrets() -> list[str]:
    """Texts of the card's notes and variants, and of the deck's facilitator page."""
    out = [NOTES["learning_goal"], NOTES["turning_point"], NOTES["meter"], NOTES["scene_ends"], *NOTES["model_phrases"]]
    out += [v["title"] for v in CARD["variants"]] + [v["customer"] for v in CARD["variants"]]
    out += [DECK["facilitator"]["introduction"], AFTERCARE["when_shaken"], *AFTERCARE["guidance"]]
    return [snippet(s) for s in out]


def assert_no_notes(person) -> None:
    text = body_text(person)
    leaked = [s for s in secrets() if s in text]
    assert not leaked, f"{person.label} sees facilitator notes: {leaked}"


def join(person, code: str, name: str) -> None:
    person.page.goto(f"/join/{code}")
    person.page.locator("input[name=name]").fill(name)
    person.page.locator("form button[type=submit]").click()
    expect(person.page.get_by_test_id("lobby")).to_be_visible()


def test_notes_check_in_and_learning_goal(people, server):
    assert CARD["variants"] and CARD["look_fors"]["distance"] != GENERAL["distance"]
    r = requests.post(server.url + "/api/rooms", json={"deck": DECK["id"], "title": "After-care"}, timeout=10)
    assert r.status_code == 201, r.text
    room = r.json()
    code = room["code"]
    fac = people("facilitator")
    ann = people("ann-customer")
    bob = people("bob-agent-nl", locale="nl-NL")
    cas = people("cas-observer", phone=True)

    # -- the lobby: the deck's introduction and after-care page, folded --------
    fac.page.goto(f"/host/{code}#key={room['facilitator_token']}")
    intro = fac.page.get_by_test_id("deck-introduction")
    expect(intro).to_be_visible()
    intro.locator("summary").click()
    expect(intro).to_contain_text(snippet(DECK["facilitator"]["introduction"]))
    expect(fac.page.get_by_test_id("aftercare-page")).to_be_visible()
    fac.shot("console-lobby-introduction")
    for p, name in ((ann, "Ann"), (bob, "Bob"), (cas, "Cas")):
        join(p, code, name)
    expect(fac.page.get_by_test_id("participant")).to_have_count(3)

    # -- briefing: the notes in the console only --------------------------------
    fac.page.locator("select[name=card]").select_option(CARD["id"])
    fac.page.locator('input[name=mode][value="choose"]').check()
    fac.page.locator("select[name=customer]").select_option(label="Ann")
    fac.page.locator("select[name=agent]").select_option(label="Bob")
    fac.page.get_by_test_id("start-button").click()
    notes = fac.page.get_by_test_id("card-notes")
    expect(notes).to_be_visible()
    for key in ("learning_goal", "turning_point", "meter", "scene_ends"):
        expect(notes.locator(f'[data-note="{key}"]')).to_contain_text(snippet(NOTES[key]))
    expect(notes).to_contain_text(snippet(NOTES["model_phrases"][0]))
    expect(fac.page.get_by_test_id("card-variants")).to_contain_text(snippet(CARD["variants"][0]["title"]))
    fac.shot("console-briefing-notes")
    for p in (ann, bob, cas):
        expect(p.page.get_by_test_id("briefing")).to_be_visible()
        assert_no_notes(p)
    # the observer's rubric has the card's own look-fors for `distance`
    text = body_text(cas)
    assert snippet(CARD["look_fors"]["distance"][0], 30) in text
    assert not any(snippet(lf, 30) in text for lf in GENERAL["distance"] if lf not in CARD["look_fors"]["distance"])
    cas.shot("briefing-observer-narrowed")

    # -- role-play: still there for the facilitator, nowhere else -----------------
    fac.page.get_by_test_id("begin").click()
    expect(fac.page.get_by_test_id("console-live")).to_be_visible()
    expect(fac.page.get_by_test_id("card-notes")).to_contain_text(snippet(NOTES["turning_point"]))
    for p in (ann, bob, cas):
        expect(p.page.get_by_test_id("roleplay")).to_be_visible()
        assert_no_notes(p)
    fac.shot("console-live-notes")

    # -- scoring: the players step out of their roles ------------------------------
    fac.page.get_by_test_id("end").click()
    panel = fac.page.get_by_test_id("check-in")
    expect(panel).to_be_visible()
    expect(panel.locator('[data-status="missing"]')).to_have_count(2)
    expect(fac.page.get_by_test_id("when-shaken")).to_contain_text("Not checked in yet: Ann, Bob")
    for p in (ann, bob):
        questions = p.page.get_by_test_id("check-in-questions")
        expect(questions).to_contain_text(snippet(AFTERCARE["check_in"][0]))
        assert_no_notes(p)
    expect(cas.page.get_by_test_id("final-scores")).to_be_visible()
    expect(cas.page.get_by_test_id("check-in-questions")).to_have_count(0)
    assert snippet(AFTERCARE["check_in"][0]) not in body_text(cas)
    expect(bob.page.get_by_test_id("check-in-questions")).to_contain_text("je bent weer jezelf")
    ann.shot("scoring-customer-check-in")
    bob.shot("scoring-agent-check-in-nl")

    form = ann.page.get_by_test_id("reflection-form")
    form.get_by_label("2 · bad").check()
    form.locator("button[type=submit]").click()
    expect(form.locator(".saved")).to_have_text("Saved.")
    row = panel.locator('[data-role="customer"]')
    expect(row).to_have_attribute("data-status", "shaken")
    expect(row).to_contain_text("2 · bad")
    shaken = fac.page.get_by_test_id("when-shaken")
    expect(shaken).to_contain_text("Check in with Ann")
    expect(shaken).to_contain_text(snippet(AFTERCARE["when_shaken"]))
    fac.shot("console-check-in-shaken")

    # the reveal asks first, naming who has not checked in
    fac.page.get_by_test_id("reveal").click()
    confirm = fac.page.get_by_test_id("reveal-confirm")
    expect(confirm).to_contain_text("Bob has not checked in yet")
    assert "Ann" not in confirm.inner_text()
    fac.shot("console-reveal-confirm")
    fac.page.get_by_test_id("reveal-cancel").click()
    expect(fac.page.get_by_test_id("console-scoring")).to_be_visible()
    fac.page.get_by_test_id("reveal").click()
    fac.page.get_by_test_id("reveal-yes").click()
    expect(fac.page.get_by_test_id("console-review")).to_be_visible()
    for p in (ann, bob, cas):
        expect(p.page.get_by_test_id("results")).to_be_visible()
        assert_no_notes(p)

    # -- the debrief: the after-care page, and the guide starts from the learning goal --
    fac.page.get_by_test_id("open-debrief").click()
    expect(fac.page.get_by_test_id("debrief")).to_be_visible()
    expect(fac.page.get_by_test_id("aftercare-page")).to_be_visible()
    goal = fac.page.get_by_test_id("guide-learning-goal")
    expect(goal).to_contain_text(snippet(NOTES["learning_goal"]))
    first = fac.page.locator("[data-testid=guide-take-aways] .prompts li").first
    expect(first).to_have_attribute("data-testid", "guide-learning-goal")
    # Ann checked in at 2: the guide sends the facilitator to her first
    expect(fac.page.get_by_test_id("guide-shaken")).to_contain_text("Ann checked in as not doing well")
    fac.shot("debrief-guide-goal")
    people.check()


def test_a_deck_without_an_after_care_page_still_checks_in(people, server):
    """A trainer's own deck with no `facilitator` page: the round still has its check-in between
    scoring and the reveal, with general questions for the players and general when-shaken
    guidance for the facilitator."""
    import re

    links = re.findall(r"http://\S+/studio#key=(\S+)", server.log.read_text())
    assert links, "the server printed no studio sign-in link"
    deck = yaml.safe_load((ROOT / "tests" / "data" / "minimal-deck.yaml").read_text(encoding="utf-8"))
    deck["id"] = "no-aftercare-page"
    assert "facilitator" not in deck
    r = requests.post(server.url + "/api/decks", data=yaml.safe_dump(deck).encode(), timeout=10,
                      headers={"Authorization": "Bearer " + links[0], "Content-Type": "application/yaml"})
    assert r.status_code in (200, 201), r.text
    r = requests.post(server.url + "/api/rooms", json={"deck": deck["id"], "title": "Own deck"}, timeout=10)
    assert r.status_code == 201, r.text
    room = r.json()
    code = room["code"]
    fac = people("facilitator-own-deck")
    dee = people("dee-customer")
    eli = people("eli-agent")
    fac.page.goto(f"/host/{code}#key={room['facilitator_token']}")
    expect(fac.page.get_by_test_id("aftercare-page")).to_have_count(0)
    for p, name in ((dee, "Dee"), (eli, "Eli")):
        join(p, code, name)
    expect(fac.page.get_by_test_id("participant")).to_have_count(2)
    fac.page.locator("select[name=card]").select_option("sofa")
    fac.page.locator('input[name=mode][value="choose"]').check()
    fac.page.locator("select[name=customer]").select_option(label="Dee")
    fac.page.locator("select[name=agent]").select_option(label="Eli")
    fac.page.get_by_test_id("start-button").click()
    fac.page.get_by_test_id("begin").click()
    fac.page.get_by_test_id("end").click()

    panel = fac.page.get_by_test_id("check-in")
    expect(panel).to_contain_text("How are you now, apart from the role?")
    expect(fac.page.get_by_test_id("when-shaken-default")).to_contain_text("Take the player aside")
    for p in (dee, eli):
        expect(p.page.get_by_test_id("check-in-questions")).to_contain_text("How are you now, apart from the role?")
    form = eli.page.get_by_test_id("reflection-form")
    form.get_by_label("1 · very bad").check()
    form.locator("button[type=submit]").click()
    expect(panel.locator('[data-role="agent"]')).to_have_attribute("data-status", "shaken")
    expect(fac.page.get_by_test_id("when-shaken")).to_contain_text("Check in with Eli")
    fac.shot("console-check-in-own-deck")
    eli.shot("scoring-agent-check-in-own-deck")
    people.check()

"""A whole workshop round from browsers alone: a facilitator on a laptop and
four participants (one on a 360-pixel phone, one in Dutch), each in a browser
context of their own. Screenshots of every screen go to
test-artifacts/screenshots/."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
DECK = yaml.safe_load((ROOT / "decks" / "angry-customer-en.yaml").read_text(encoding="utf-8"))
CARD = next(c for c in DECK["cards"] if c["id"] == "double-debit")
STEPS = {s["key"]: s for s in DECK["steps"]}
CARD_STEPS = CARD.get("steps") or list(STEPS)

pytestmark = pytest.mark.browser


def snippet(text: str, n: int = 45) -> str:
    """The first words of a deck text, as a browser shows it."""
    return " ".join(text.split())[:n]


def body_text(person) -> str:
    return " ".join(person.page.locator("body").inner_text(timeout=5000).split())


def join(person, link: str, name: str) -> None:
    person.page.goto(link)
    person.page.locator("input[name=name]").fill(name)
    person.page.locator("form button[type=submit]").click()
    expect(person.page.get_by_test_id("lobby")).to_be_visible()


def test_full_round(people):
    fac = people("facilitator")
    ann = people("ann-customer")
    bob = people("bob-agent-nl", locale="nl-NL")
    cas = people("cas-observer-phone", phone=True)
    dee = people("dee-observer")

    # -- the facilitator opens a room from the landing page ----------------
    fac.page.goto("/")
    expect(fac.page.locator("html")).to_have_attribute("lang", "en")
    expect(fac.page.locator("input[name=deck]").first).to_be_visible()
    fac.shot("landing")
    fac.page.locator('input[name=deck][value="angry-customer-en"]').check()
    fac.page.locator("input[name=title]").fill("Service desk, Tuesday")
    fac.page.get_by_test_id("create-room").click()
    expect(fac.page).to_have_url(re.compile(r"/host/[A-Z2-9]{6}$"))
    code = fac.page.get_by_test_id("room-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{6}", code)
    link = fac.page.get_by_test_id("join-link").input_value()
    assert link.endswith(f"/join/{code}")
    expect(fac.page.get_by_test_id("qr")).to_be_visible()
    fac.shot("console-lobby-empty")

    # -- four people join by the link -------------------------------------
    cas.page.goto(link)
    expect(cas.page.locator("input[name=name]")).to_be_visible()
    cas.shot("join-form")
    cas.page.locator("input[name=name]").fill("Cas")
    cas.page.locator("form button[type=submit]").tap()
    expect(cas.page.get_by_test_id("lobby")).to_be_visible()
    join(ann, link, "Ann")
    join(bob, link, "Bob")
    join(dee, link, "Dee")
    expect(bob.page.locator("html")).to_have_attribute("lang", "nl")
    expect(bob.page.get_by_text("Welkom, Bob")).to_be_visible()
    expect(fac.page.get_by_test_id("participant")).to_have_count(4)
    expect(cas.page.get_by_test_id("participant")).to_have_count(4)
    cas.shot("lobby")
    bob.shot("lobby")
    fac.shot("console-lobby")

    # -- the facilitator chooses the card and the roles ---------------------
    fac.page.locator("select[name=card]").select_option(CARD["id"])
    fac.page.locator('input[name=mode][value="choose"]').check()
    fac.page.locator("select[name=customer]").select_option(label="Ann")
    fac.page.locator("select[name=agent]").select_option(label="Bob")
    fac.page.get_by_test_id("start-button").click()
    expect(fac.page.get_by_test_id("console-briefing")).to_be_visible()
    fac.shot("console-briefing")

    # -- briefs: each page shows only what its role may see -----------------
    customer, agent = CARD["customer"], CARD["agent"]
    for p in (ann, bob, cas, dee):
        expect(p.page.get_by_test_id("briefing")).to_be_visible()
    expect(ann.page.get_by_test_id("customer-brief")).to_be_visible()
    expect(ann.page.get_by_test_id("agent-brief")).to_have_count(0)
    text = body_text(ann)
    assert snippet(customer["opening_line"]) in text
    assert snippet(customer["persona"]) in text
    assert snippet(agent["briefing"]) not in text
    assert not any(snippet(o, 30) in text for o in agent["may_offer"])

    expect(bob.page.get_by_test_id("agent-brief")).to_be_visible()
    expect(bob.page.get_by_test_id("customer-brief")).to_have_count(0)
    text = body_text(bob)
    assert snippet(agent["briefing"]) in text
    assert snippet(agent["may_not"][0], 30) in text
    assert snippet(customer["opening_line"]) not in text
    assert snippet(customer["persona"]) not in text
    assert snippet(customer["wants"]) not in text

    for p in (cas, dee):
        expect(p.page.get_by_test_id("customer-brief")).to_be_visible()
        expect(p.page.get_by_test_id("agent-brief")).to_be_visible()
        expect(p.page.get_by_test_id("rubric")).to_be_visible()
        text = body_text(p)
        assert snippet(customer["opening_line"]) in text and snippet(agent["briefing"]) in text
        look_for = STEPS[CARD_STEPS[0]]["look_for"][0]
        assert snippet(look_for, 30) in text
    ann.shot("briefing-customer")
    bob.shot("briefing-agent")
    cas.shot("briefing-observer")

    # -- role-play --------------------------------------------------------------
    fac.page.get_by_test_id("begin").click()
    expect(fac.page.get_by_test_id("console-live")).to_be_visible()
    for p in (ann, bob, cas, dee):
        expect(p.page.get_by_test_id("roleplay")).to_be_visible()
    expect(bob.page.get_by_test_id("anger-meter")).to_have_count(0)
    expect(bob.page.get_by_test_id("observer-panel")).to_have_count(0)

    # the anger meter: a drag to 8, then one tap up to 9
    start = customer["start_temperature"]
    expect(ann.page.get_by_test_id("anger-value")).to_have_text(str(start))
    ann.page.get_by_test_id("anger-range").fill("8")
    expect(ann.page.get_by_test_id("anger-value")).to_have_text("8")
    expect(fac.page.get_by_test_id("console-anger")).to_have_text("8")
    ann.page.get_by_role("button", name="Angrier (one step up)").click()
    expect(ann.page.get_by_test_id("anger-value")).to_have_text("9")
    expect(fac.page.get_by_test_id("console-anger")).to_have_text("9")
    expect(cas.page.get_by_test_id("observer-anger")).to_contain_text("9/10")
    ann.shot("roleplay-customer")
    bob.shot("roleplay-agent")

    # observers mark steps: Cas on the phone by touch, Dee with the mouse
    first, second = CARD_STEPS[0], CARD_STEPS[1]
    cas.page.locator(f'.step-btn[data-step="{first}"]').tap()
    expect(cas.page.get_by_test_id("rate-bar")).to_be_visible()
    cas.page.get_by_test_id("mark-note").fill("let her finish")
    cas.shot("roleplay-observer-rating", full=False)
    cas.page.locator('[data-testid=rate-bar] .scale-btn[data-rating="2"]').tap()
    expect(cas.page.get_by_test_id("mark-flash")).to_contain_text("Saved")
    expect(cas.page.locator("[data-testid=my-marks] li")).to_have_count(1)
    dee.page.locator(f'.step-btn[data-step="{second}"]').click()
    dee.page.get_by_test_id("mark-note").fill("dee secret note")
    dee.page.locator('[data-testid=rate-bar] .scale-btn[data-rating="3"]').click()
    expect(dee.page.locator("[data-testid=my-marks] li")).to_have_count(1)
    dee.page.locator(f'.step-btn[data-step="{first}"]').click()
    dee.page.locator('[data-testid=rate-bar] .scale-btn[data-rating="1"]').click()
    expect(dee.page.locator("[data-testid=my-marks] li")).to_have_count(2)
    # blind: Cas sees only her own mark; the facilitator sees them all, live
    expect(cas.page.locator("[data-testid=my-marks] li")).to_have_count(1)
    assert "dee secret note" not in body_text(cas)
    expect(fac.page.locator("[data-testid=feed] li")).to_have_count(3)
    expect(fac.page.get_by_test_id("feed")).to_contain_text("dee secret note")
    expect(fac.page.get_by_test_id("feed")).to_contain_text("let her finish")
    cas.shot("roleplay-observer")
    fac.shot("console-live")

    # -- a time-out by the agent pauses everyone ------------------------------
    bob.page.get_by_test_id("timeout-button").click()
    for p in (fac, ann, bob, cas, dee):
        expect(p.page.get_by_test_id("paused-banner")).to_be_visible()
    # the room hears of it without a name (the default); the facilitator sees who
    expect(cas.page.get_by_test_id("notice-timeout")).to_contain_text("A time-out was called")
    expect(cas.page.get_by_test_id("notice-timeout")).not_to_contain_text("Bob")
    # whoever called it is told it was them (in Dutch: Bob's phone speaks Dutch)
    expect(bob.page.get_by_test_id("notice-timeout")).to_contain_text("Je hebt een time-out genomen")
    expect(bob.page.get_by_test_id("paused-banner")).to_contain_text("Je hebt een time-out genomen")
    expect(fac.page.get_by_test_id("notice-timeout")).to_contain_text("Bob called a time-out")
    expect(ann.page.get_by_test_id("anger-range")).to_be_disabled()
    cas.shot("paused-observer")
    bob.shot("paused-agent")
    fac.shot("console-paused")

    # -- reload and resume: back in place and role without asking -------------
    cas.page.reload()
    expect(cas.page.get_by_test_id("observer-panel")).to_be_visible()
    expect(cas.page.locator("input[name=name]")).to_have_count(0)
    expect(cas.page.locator("[data-testid=my-marks] li")).to_have_count(1)
    expect(cas.page.get_by_test_id("paused-banner")).to_be_visible()
    ann.page.reload()
    expect(ann.page.get_by_test_id("anger-value")).to_have_text("9")
    cas.shot("after-reload")

    fac.page.get_by_test_id("resume").click()
    expect(fac.page.get_by_test_id("pause")).to_be_visible()
    expect(cas.page.get_by_test_id("paused-banner")).to_have_count(0)
    ann.page.get_by_test_id("anger-range").fill("4")
    expect(fac.page.get_by_test_id("console-anger")).to_have_text("4")
    # a mark after the reload goes out on the new connection
    cas.page.locator(f'.step-btn[data-step="{second}"]').tap()
    cas.page.locator('[data-testid=rate-bar] .scale-btn[data-rating="3"]').tap()
    expect(cas.page.locator("[data-testid=my-marks] li")).to_have_count(2)
    expect(fac.page.locator("[data-testid=feed] li")).to_have_count(4)

    # -- scoring and reflection -------------------------------------------------
    fac.page.get_by_test_id("end").click()
    expect(fac.page.get_by_test_id("console-scoring")).to_be_visible()
    for p, rating in ((cas, "2"), (dee, "3")):
        panel = p.page.get_by_test_id("final-scores")
        expect(panel).to_be_visible()
        for i, key in enumerate(CARD_STEPS):
            value = "na" if i == len(CARD_STEPS) - 1 else rating
            button = panel.locator(f'fieldset[data-step="{key}"] .scale-btn[data-rating="{value}"]')
            button.tap() if p is cas else button.click()
            expect(button).to_have_attribute("aria-pressed", "true")
        globals_ = p.page.locator('[data-testid=global-rating] .scale-btn[data-rating="4"]')
        globals_.tap() if p is cas else globals_.click()
        expect(globals_).to_have_attribute("aria-pressed", "true")
    cas.shot("scoring-observer")

    form = ann.page.get_by_test_id("reflection-form")
    form.get_by_label("4 · good").check()
    form.get_by_label("3 · partly").check()
    form.locator("textarea[name=went_well]").fill("ann private reflection: she apologised")
    form.locator("textarea[name=do_differently]").fill("less sarcasm")
    ann.shot("scoring-customer")
    form.locator("button[type=submit]").click()
    expect(form.locator(".saved")).to_have_text("Saved.")
    bform = bob.page.get_by_test_id("reflection-form")
    expect(bform.locator("input[name=felt_heard]")).to_have_count(0)  # asked of the customer only
    bform.get_by_label("3 · gaat wel").check()
    bform.locator("textarea[name=went_well]").fill("rustig gebleven")
    bform.locator("button[type=submit]").click()
    expect(bform.locator(".saved")).to_have_text("Opgeslagen.")
    bob.shot("scoring-agent")
    n = len(CARD_STEPS)
    expect(fac.page.locator(".progress-table")).to_contain_text(f"{n} of {n} steps scored")
    fac.shot("console-scoring")

    # -- reveal ---------------------------------------------------------------------
    fac.page.get_by_test_id("reveal").click()
    expect(fac.page.get_by_test_id("console-review")).to_be_visible()
    for p in (ann, bob, cas, dee):
        expect(p.page.get_by_test_id("results")).to_be_visible()
    # after the reveal everyone sees every mark and the anger curve
    expect(cas.page.get_by_test_id("results")).to_contain_text("dee secret note")
    expect(bob.page.get_by_test_id("anger-curve")).to_be_visible()
    # reflections stay with the facilitator
    expect(fac.page.get_by_test_id("reflections")).to_contain_text("ann private reflection")
    for p in (bob, cas, dee):
        assert "ann private reflection" not in body_text(p)
    cas.shot("review-observer")
    bob.shot("review-agent")
    ann.shot("review-customer")
    fac.shot("console-review")

    fac.page.get_by_test_id("projector").click()
    expect(fac.page.get_by_test_id("projector-view")).to_be_visible()
    expect(fac.page.get_by_test_id("reflections")).to_have_count(0)
    fac.shot("projector-review")
    fac.page.get_by_test_id("projector-exit").click()

    # -- kick and close -----------------------------------------------------------------
    row = fac.page.get_by_test_id("participant").filter(has_text="Dee")
    row.get_by_test_id("kick").click()
    row.get_by_test_id("kick-yes").click()
    expect(dee.page.get_by_test_id("end-screen")).to_contain_text("removed")
    expect(fac.page.get_by_test_id("participant")).to_have_count(3)
    dee.shot("kicked")
    fac.page.get_by_test_id("close-room").click()
    fac.page.get_by_test_id("close-room-yes").click()
    expect(cas.page.get_by_test_id("end-screen")).to_contain_text("closed")
    expect(bob.page.get_by_test_id("end-screen")).to_contain_text("gesloten")
    expect(fac.page.get_by_test_id("console-closed")).to_be_visible()
    cas.shot("closed")
    # a closed room forgets the participant's place: a reload does not get back in
    cas.page.reload()
    expect(cas.page.get_by_test_id("end-screen")).to_be_visible()

    people.check()

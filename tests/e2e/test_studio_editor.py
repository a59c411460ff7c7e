"""The deck studio's editor in a real browser, with a Dutch trainer: a copy
of the default Dutch angry-customer deck, a step renamed (its key kept) and
moved by keyboard and by drag, a new card with a mistake that its field
shows and that stops the save, fixed; the customer's and the agent's preview
(the agent's never shows the customer's brief); unsaved work that survives a
new tab; saved; a test room on the draft played to review by real sockets;
the export accepted by `calmroom decks validate`; the diff and a restore of
the first version; leaving with unsaved changes asks; the same editor in
English."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import requests
import yaml
from playwright.sync_api import expect

from helpers.sio import Client

ROOT = Path(__file__).resolve().parents[2]
SOURCE = yaml.safe_load((ROOT / "decks" / "angry-customer-nl.yaml").read_text(encoding="utf-8"))
NEW_ID = "boze-klant-balie"
NEW_TITLE = "De boze klant aan onze servicebalie"
LABEL = "Laten uitrazen, niet onderbreken"
CARD = {
    "title": "De kapotte koffiemachine",
    "id": "kapotte-koffiemachine",
    "setting": "De servicebalie van een elektronicawinkel, zaterdagochtend.",
    "customer.persona": "Henk, 58, komt voor de derde keer met dezelfde machine.",
    "customer.situation": "De koffiemachine lekt weer, twee weken na de reparatie.",
    "customer.opening_line": "Dit is nu al de derde keer dat ik hier sta!",
    "customer.wants": "Een machine die werkt, of zijn geld terug.",
    "agent.briefing": "De reparatie valt onder de garantie; een nieuwe machine kan na twee reparaties.",
}

pytestmark = pytest.mark.browser


def sign_in_link(server) -> str:
    links = re.findall(r"(http://\S+/studio#key=\S+)", server.log.read_text())
    assert links, server.log.read_text()
    return links[0]


def trainer_key(server) -> str:
    return sign_in_link(server).split("#key=", 1)[1]


def field(page, path: str):
    """The form field of a validator path (ids as client/src/studio/paths.js makes them)."""
    parts = [p for p in re.split(r"[.\[\]]+", path) if p]
    return page.locator("#sf-" + "-".join(parts))


def studio_get(server, path: str) -> dict:
    r = requests.get(f"{server.url}/api/studio{path}", headers={"Authorization": f"Bearer {trainer_key(server)}"}, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def new_tab(person) -> None:
    """The same browser, a new tab on the same page (localStorage kept); the
    old tab closes without asking (Playwright runs no beforeunload)."""
    old = person.page
    page = person.context.new_page()
    page.on("console", person._console)
    page.on("pageerror", lambda exc: person.errors.append(f"{person.label}: page error: {exc}"))
    page.on("dialog", person._dialog)
    page.goto(old.url)
    person.page = page
    old.close()


def drag(page, source, target) -> None:
    """A mouse drag from one element to another, both on screen at once
    (Playwright's drag_to scrolls between the press and the drop)."""
    top = min(source.evaluate("e => e.getBoundingClientRect().top + scrollY"), target.evaluate("e => e.getBoundingClientRect().top + scrollY"))
    page.evaluate("y => scrollTo(0, y - 300)", top)  # below the sticky save bar
    a, b = source.bounding_box(), target.bounding_box()
    assert 0 <= b["y"] <= page.viewport_size["height"] - b["height"], "the drop target is off screen"
    page.mouse.move(a["x"] + a["width"] / 2, a["y"] + a["height"] / 2)
    page.mouse.down()
    page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2, steps=8)
    page.mouse.up()


def settle(page) -> None:
    """The validator has answered for the draft as it is."""
    expect(page.get_by_test_id("editor-status")).not_to_contain_text(re.compile("Controleren|Checking"))


def play_to_review(server, code: str, token: str, card: str) -> None:
    fac = Client(server.url, "facilitator")
    fac.call("host_room", {"room": code, "facilitator_token": token})
    people = {}
    for name in ("Ans", "Bas", "Cor"):
        c = Client(server.url, name)
        c.id = c.call("join_room", {"room": code, "name": name})["you"]["id"]
        people[name] = c
    try:
        fac.call("start_round", {"card": card, "customer": people["Ans"].id, "agent": people["Bas"].id})
        fac.call("begin_roleplay")
        people["Ans"].call("set_temperature", {"id": uuid.uuid4().hex, "level": 7})
        people["Cor"].call("mark_step", {"id": uuid.uuid4().hex, "step": "listen", "rating": 2})
        fac.call("end_roleplay")
        people["Cor"].call("score_step", {"step": "listen", "rating": 2})
        people["Cor"].call("rate_global", {"rating": 4})
        fac.call("reveal_results")
    finally:
        for c in [fac, *people.values()]:
            c.close()


def test_trainer_adapts_a_default_deck_tries_it_and_restores(people, server, tmp_path):
    trainer = people("Trainer", locale="nl-NL", size={"width": 1400, "height": 1500})
    page = trainer.page
    page.goto(sign_in_link(server))
    expect(page.get_by_test_id("studio-decks")).to_be_visible()
    expect(page.get_by_role("heading", name="Deckstudio")).to_be_visible()
    trainer.shot("deck-list")

    # copy the default Dutch deck under a new id and title
    page.get_by_test_id("copy-angry-customer-nl").click()
    form = page.get_by_test_id("copy-form-angry-customer-nl")
    form.get_by_label("Titel").fill(NEW_TITLE)
    form.get_by_label("Nieuw id").fill(NEW_ID)
    page.get_by_test_id("copy-make-angry-customer-nl").click()
    expect(page.get_by_test_id("editor")).to_contain_text("gebaseerd op angry-customer-nl")
    assert page.url.endswith(f"/studio/deck/{NEW_ID}")

    # rename the first step: the label changes, the key stays
    page.get_by_test_id("tab-rubric").click()
    field(page, "steps[0].label").fill(LABEL)
    expect(field(page, "steps[0].key")).to_have_value("listen")
    expect(page.get_by_test_id("step-0")).to_contain_text(LABEL)
    # move the second step down and back up by keyboard, then by drag
    second = SOURCE["steps"][1]["label"]
    page.get_by_test_id("step-1").get_by_role("button", name=f"{second} omlaag").focus()
    page.keyboard.press("Enter")
    expect(field(page, "steps[2].key")).to_have_value(SOURCE["steps"][1]["key"])
    # the focus went along, and a screen reader hears the new place
    expect(page.get_by_test_id("step-2").get_by_role("button", name=f"{second} omlaag")).to_be_focused()
    expect(page.locator("#sf-announce")).to_have_text(f"{second} staat nu op plaats 3 van {len(SOURCE['steps'])}")
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_test_id("step-2").get_by_role("button", name=f"{second} omhoog")).to_be_focused()
    page.keyboard.press("Enter")
    expect(field(page, "steps[1].key")).to_have_value(SOURCE["steps"][1]["key"])
    drag(page, page.get_by_test_id("step-handle-1"), page.get_by_test_id("step-2").locator(".sf-step-title"))
    expect(field(page, "steps[2].key")).to_have_value(SOURCE["steps"][1]["key"])
    drag(page, page.get_by_test_id("step-handle-2"), page.get_by_test_id("step-1").locator(".sf-step-title"))
    expect(field(page, "steps[1].key")).to_have_value(SOURCE["steps"][1]["key"])
    trainer.shot("rubric-renamed")

    # a new card, with a start temperature of 11
    page.get_by_test_id("tab-cards").click()
    page.get_by_test_id("card-add").click()
    n = len(SOURCE["cards"])
    expect(page.get_by_test_id(f"card-pick-{n}")).to_have_attribute("aria-current", "true")
    for path, text in CARD.items():
        field(page, f"cards[{n}].{path}").fill(text)
    field(page, f"cards[{n}].customer.start_temperature").fill("11")
    field(page, f"cards[{n}].customer.escalates_when[0]").fill("hij weer moet wachten")
    field(page, f"cards[{n}].customer.calms_when[0]").fill("iemand erkent dat het de derde keer is")
    page.get_by_test_id("card-form").get_by_role("button", name="Regel toevoegen").nth(2).click()  # may offer
    field(page, f"cards[{n}].agent.may_offer[0]").fill("een leenmachine voor deze week")
    temperature = field(page, f"cards[{n}].customer.start_temperature")
    expect(temperature).to_have_attribute("aria-invalid", "true")
    problems = page.locator(f"#{temperature.get_attribute('id')}-problems")
    expect(problems).to_contain_text("between 0 and 10")
    assert problems.get_attribute("id") in temperature.get_attribute("aria-describedby")
    save = page.get_by_test_id("save")
    expect(save).to_have_text("Opslaan (1 probleem)")
    expect(page.get_by_test_id(f"card-pick-{n}")).to_contain_text("1 probleem")
    save.click()
    expect(page.get_by_test_id("save-refused")).to_be_visible()
    expect(page.get_by_test_id("problem-summary")).to_contain_text(f"cards[{n}].customer.start_temperature")
    assert studio_get(server, f"/decks/{NEW_ID}")["version"] == 1  # nothing was saved
    trainer.shot("mistake-refused")

    temperature.fill("6")
    expect(temperature).not_to_have_attribute("aria-invalid", "true")
    expect(save).to_have_text("Opslaan")
    settle(page)

    # previews: the customer's phone has the opening line, the agent's never
    preview = page.get_by_test_id("preview")
    preview.get_by_test_id("preview-tab-customer").click()
    expect(preview.get_by_test_id("preview-customer")).to_contain_text(CARD["customer.opening_line"])
    expect(preview.get_by_test_id("preview-customer")).not_to_contain_text(CARD["agent.briefing"])
    preview.get_by_test_id("preview-tab-agent").click()
    agent = preview.get_by_test_id("preview-agent")
    expect(agent).to_contain_text(CARD["agent.briefing"])
    for secret in (CARD["customer.opening_line"], CARD["customer.persona"], CARD["customer.wants"]):
        expect(agent).not_to_contain_text(secret)
    expect(agent.get_by_test_id("customer-brief")).to_have_count(0)
    trainer.shot("preview-agent")
    preview.get_by_test_id("preview-tab-observer").click()
    expect(preview.get_by_test_id("preview-observer").get_by_test_id("rubric")).to_contain_text(LABEL)
    preview.get_by_test_id("preview-tab-projector").click()
    expect(preview.get_by_test_id("preview-projector")).to_contain_text(CARD["setting"])
    expect(preview.get_by_test_id("preview-projector")).not_to_contain_text(CARD["customer.opening_line"])

    # the draft is in this browser: a new tab on the same address has it back
    new_tab(trainer)
    page = trainer.page
    expect(page.get_by_test_id("draft-restored")).to_be_visible()
    page.get_by_test_id("tab-cards").click()
    expect(page.get_by_test_id(f"card-pick-{n}")).to_contain_text(CARD["title"])
    settle(page)

    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("editor-status")).to_contain_text("Opgeslagen als versie 2")
    saved = studio_get(server, f"/decks/{NEW_ID}")
    assert saved["version"] == 2
    assert saved["deck"]["steps"][0] == {**SOURCE["steps"][0], "label": LABEL}
    assert saved["deck"]["cards"][n]["customer"]["start_temperature"] == 6
    assert page.evaluate(f"localStorage.getItem('calmroom.studio.draft.{NEW_ID}')") is None
    # a facilitator finds it where rooms are made
    assert NEW_ID in [d["id"] for d in requests.get(f"{server.url}/api/decks", timeout=10).json()["decks"]]

    # a test room on the draft, opened in the console, played to review
    page.get_by_test_id("test-room").click()
    ready = page.get_by_test_id("test-room-ready")
    expect(ready).to_be_visible()
    code = re.search(r"Testruimte (\w{6})", ready.inner_text()).group(1)
    with page.expect_popup() as popup:
        page.get_by_test_id("test-room-link").click()
    console = popup.value
    console.on("console", trainer._console)
    console.on("pageerror", lambda exc: trainer.errors.append(f"console tab: {exc}"))
    expect(console.get_by_test_id("console-lobby").or_(console.locator("main"))).to_be_visible()
    token = json.loads(page.evaluate("localStorage.getItem('calmroom.hosts')"))[code]["token"]
    play_to_review(server, code, token, CARD["id"])
    expect(console.get_by_test_id("console-review")).to_be_visible()
    expect(console.locator("main")).to_contain_text(CARD["title"])
    console.close()

    # the export validates as a hand-written deck does, and round-trips
    with page.expect_download() as download:
        page.get_by_test_id("export").click()
    exported = tmp_path / download.value.suggested_filename
    download.value.save_as(exported)
    assert exported.name == f"{NEW_ID}.yaml"
    check = subprocess.run([sys.executable, "-m", "calmroom", "decks", "validate", str(exported)], capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr
    # the same deck (JSON writes the scale label keys, integers in YAML, as strings)
    assert json.loads(json.dumps(yaml.safe_load(exported.read_text(encoding="utf-8")))) == saved["deck"]

    # versions: what changed, by field; restore the first
    page.get_by_test_id("tab-versions").click()
    expect(page.get_by_test_id("version-2")).to_contain_text("huidige")
    page.get_by_test_id("diff-show").click()
    diff = page.get_by_test_id("diff")
    expect(diff).to_contain_text("steps[0].label")
    expect(diff).to_contain_text(LABEL)
    expect(diff).to_contain_text(f"cards[{n}]")
    trainer.shot("versions-diff")
    page.get_by_test_id("restore-1").click()
    page.get_by_test_id("restore-1-yes").click()
    expect(page.get_by_test_id("editor-status")).to_contain_text("Teruggezet als versie 3")
    restored = studio_get(server, f"/decks/{NEW_ID}")
    assert restored["version"] == 3
    assert restored["deck"]["steps"][0]["label"] == SOURCE["steps"][0]["label"]
    assert len(restored["deck"]["cards"]) == n

    # leaving with unsaved changes asks, in the page
    page.get_by_test_id("tab-deck").click()
    field(page, "title").fill(NEW_TITLE + " (concept)")
    page.get_by_test_id("back").click()
    expect(page.get_by_test_id("leave-prompt")).to_be_visible()
    expect(page.get_by_test_id("leave-stay")).to_be_focused()
    trainer.shot("leave-asks")
    page.get_by_test_id("leave-stay").click()
    expect(page.get_by_test_id("editor")).to_be_visible()
    page.get_by_test_id("back").click()
    page.get_by_test_id("leave-discard").click()
    expect(page.get_by_test_id("studio-decks")).to_be_visible()
    expect(page.get_by_test_id(f"studio-deck-{NEW_ID}")).to_contain_text(NEW_TITLE)
    expect(page.get_by_test_id(f"studio-deck-{NEW_ID}")).not_to_contain_text("concept")

    # and the same editor in English
    page.get_by_role("button", name="English").click()
    page.get_by_test_id(f"open-{NEW_ID}").click()
    expect(page.get_by_test_id("tab-cards")).to_have_text("Cards")
    expect(page.get_by_test_id("editor-status")).to_contain_text("Everything is saved.")
    # the preview stays in the deck's language, as the players' phones show a Dutch deck
    customer = page.get_by_test_id("preview-customer")
    expect(customer).to_contain_text("Jij speelt de klant")
    expect(page.get_by_test_id("preview").locator("[role=tabpanel] > div")).to_have_attribute("lang", "nl")
    expect(page.get_by_test_id("preview")).to_contain_text("Preview")
    trainer.shot("editor-english")

"""The trainer's studio in a real browser (a laptop, and a phone for the
other language): signed in by the link the server
printed at its first start, the deck list, a default deck read with its
briefs (which the public deck view does not show) and kept read-only, a
broken file refused with the path of each error, a good one imported by drag
and drop and saved, a new deck started and discarded, archive and restore
from the archive, delete (refused while a room uses the deck), the other
language made and its parity shown. A link with another key does not
silently replace the stored one."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests
import yaml
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
DECK = yaml.safe_load((ROOT / "decks" / "angry-customer-en.yaml").read_text(encoding="utf-8"))
MINIMAL = (ROOT / "tests" / "data" / "minimal-deck.yaml").read_text(encoding="utf-8")

pytestmark = pytest.mark.browser


def sign_in_link(server) -> str:
    links = re.findall(r"(http://\S+/studio#key=\S+)", server.log.read_text())
    assert len(links) == 1, server.log.read_text()
    return links[0]


def auth(server) -> dict:
    return {"Authorization": "Bearer " + sign_in_link(server).split("#key=", 1)[1]}


def drop_file(page, target, name: str, text: str) -> None:
    """A file dropped from the desktop onto `target`."""
    transfer = page.evaluate_handle(
        "([name, text]) => { const dt = new DataTransfer(); dt.items.add(new File([text], name, {type: 'application/yaml'})); return dt; }",
        [name, text],
    )
    target.dispatch_event("dragover", {"dataTransfer": transfer})
    target.dispatch_event("drop", {"dataTransfer": transfer})


def test_trainer_signs_in_reads_imports_and_manages_decks(people, server, tmp_path):
    people.allow(r"status of 422")  # the broken file's answer, on purpose
    people.allow(r"status of 409")  # deleting a deck a room uses, on purpose
    trainer = people("Trainer")
    page = trainer.page
    link = sign_in_link(server)
    page.goto(link)
    expect(page.get_by_test_id("studio-decks")).to_be_visible()
    assert "#key=" not in page.url  # the key left the address bar
    row = page.get_by_test_id("studio-deck-angry-customer-en")
    expect(row).to_contain_text(str(len(DECK["cards"])))
    expect(row).to_contain_text("default deck")

    # a default deck: its briefs are there to read, not to change
    card = DECK["cards"][0]
    opening = card["customer"]["opening_line"]
    public = requests.get(f"{server.url}/api/decks/angry-customer-en", timeout=10).text
    assert opening not in public  # without the key nobody reads it
    page.get_by_test_id("open-angry-customer-en").click()
    expect(page.locator("#sf-cards-0-customer-opening_line")).to_have_value(opening)
    expect(page.locator("#sf-cards-0-customer-opening_line")).to_be_disabled()
    expect(page.get_by_test_id("save")).to_have_count(0)
    expect(page.get_by_test_id("preview-customer")).to_contain_text(opening)
    trainer.shot("default-deck-read-only")
    page.get_by_test_id("back").click()

    # a broken file is refused with the path of the problem
    bad = tmp_path / "broken.yaml"
    bad.write_text(MINIMAL.replace("id: test-deck", "id: studio-deck").replace("start_temperature: 7", "start_temperature: 11"))
    page.get_by_test_id("studio-file").set_input_files(str(bad))
    expect(page.get_by_test_id("studio-errors")).to_contain_text("cards[0].customer.start_temperature")
    trainer.shot("import-refused")

    # a good one, dropped on the page, opens as a draft; saved, it is listed
    good = MINIMAL.replace("id: test-deck", "id: studio-deck").replace("title: Test deck", "title: Studio deck")
    drop_file(page, page.get_by_test_id("studio-drop"), "good.yaml", good)
    expect(page.get_by_test_id("editor")).to_contain_text("not saved yet")
    expect(page.get_by_test_id("save")).to_have_text("Save")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("editor-status")).to_contain_text("Saved as version 1")
    page.get_by_test_id("back").click()
    expect(page.get_by_test_id("studio-deck-studio-deck")).to_contain_text("Studio deck")

    # a new deck starts in this browser and goes when discarded
    page.locator("#new-title").fill("My own desk")
    page.get_by_test_id("new-deck-start").click()
    expect(page.get_by_test_id("editor")).to_contain_text("my-own-desk")
    page.get_by_test_id("discard").click()
    page.get_by_test_id("discard-yes").click()
    expect(page.get_by_test_id("studio-decks")).to_be_visible()
    expect(page.get_by_test_id("unsaved-decks")).to_have_count(0)

    # archive hides a deck from the landing page; restore brings it back
    page.get_by_test_id("archive-studio-deck").click()
    expect(page.get_by_test_id("studio-deck-studio-deck")).to_have_count(0)
    ids = [d["id"] for d in requests.get(f"{server.url}/api/decks", timeout=10).json()["decks"]]
    assert "studio-deck" not in ids
    page.get_by_test_id("show-archived").check()
    expect(page.get_by_test_id("studio-deck-studio-deck")).to_contain_text("archived")
    trainer.shot("archived-shown")
    page.get_by_test_id("archive-studio-deck").click()
    expect(page.get_by_test_id("studio-deck-studio-deck")).not_to_contain_text("archived")

    # a deck a room uses is not deleted; one nobody used is
    requests.post(f"{server.url}/api/studio/decks/studio-deck/copy", json={"id": "studio-deck-used"}, headers=auth(server), timeout=10)
    room = requests.post(f"{server.url}/api/rooms", json={"deck": "studio-deck-used"}, timeout=10)
    assert room.status_code == 201, room.text
    page.reload()
    page.get_by_test_id("delete-studio-deck-used").click()
    page.get_by_test_id("delete-studio-deck-used-yes").click()
    expect(page.get_by_test_id("studio-deck-studio-deck-used").locator(".error")).to_be_visible()
    page.get_by_test_id("delete-studio-deck").click()
    page.get_by_test_id("delete-studio-deck-yes").click()
    expect(page.get_by_test_id("studio-deck-studio-deck")).to_have_count(0)
    assert requests.get(f"{server.url}/api/studio/decks/studio-deck", headers=auth(server), timeout=10).status_code == 404

    # a link with another key asks before it replaces the key this browser holds
    page.goto(link.split("#")[0] + "#key=someone-elses-key")
    expect(page.get_by_test_id("studio-replace")).to_be_visible()
    assert "#key=" not in page.url
    page.get_by_test_id("studio-replace").get_by_role("button", name=re.compile("Keep")).click()
    expect(page.get_by_test_id("studio-deck-studio-deck-used")).to_be_visible()


def test_trainer_makes_the_other_language_and_checks_parity(people, server):
    copy = requests.post(
        f"{server.url}/api/studio/decks/angry-customer-nl/copy", json={"id": "balie-nl", "title": "De balie"}, headers=auth(server), timeout=10
    )
    assert copy.status_code == 201, copy.text
    trainer = people("Trainer", locale="nl-NL", phone=True)  # on a phone, too
    page = trainer.page
    page.goto(sign_in_link(server))
    page.get_by_test_id("open-balie-nl").click()
    expect(page.get_by_test_id("preview-customer")).to_be_visible()
    trainer.shot("editor-on-a-phone")
    page.get_by_test_id("tab-languages").click()
    expect(page.locator("#tr-id")).to_have_value("balie-en")
    page.get_by_test_id("translate").click()
    expect(page.get_by_test_id("translated")).to_be_visible()
    page.get_by_test_id("translated").get_by_role("link").click()
    expect(page.get_by_test_id("editor")).to_contain_text("balie-en")
    page.get_by_test_id("tab-languages").click()
    expect(page.get_by_test_id("untranslated")).to_contain_text("te vertalen")
    # each text still to translate is a link to its field
    page.get_by_test_id("untranslated").locator("summary").click()
    page.get_by_test_id("untranslated").get_by_role("button").first.click()
    expect(page.locator(":focus")).to_have_attribute("id", re.compile(r"^sf-"))
    # the copy's texts are marked until they are changed
    page.get_by_test_id("tab-deck").click()
    title = page.locator("label[for=sf-title]")
    expect(title).to_contain_text("nog te vertalen")
    page.locator("#sf-title").fill("The desk")
    expect(title).not_to_contain_text("nog te vertalen")
    expect(page.get_by_test_id("editor-status")).not_to_contain_text("Controleren")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("editor-status")).to_contain_text("Opgeslagen als versie 2")
    expect(title).not_to_contain_text("nog te vertalen")  # saved, it is translated
    expect(page.locator("label[for=sf-description]")).to_contain_text("nog te vertalen")
    page.get_by_test_id("tab-languages").click()
    page.locator("#parity-other").select_option("balie-nl")
    page.get_by_test_id("parity-check").click()
    expect(page.get_by_test_id("parity-ok")).to_be_visible()
    trainer.shot("languages-parity")


def test_studio_is_linked_from_the_landing_page_and_says_how_to_get_a_key(people):
    stranger = people("Stranger", locale="nl-NL")
    page = stranger.page
    page.goto("/")
    page.get_by_test_id("studio-link").click()
    expect(page).to_have_url(re.compile(r"/studio$"))
    expect(page.get_by_test_id("studio-nokey")).to_contain_text("calmroom trainer-link")
    expect(page.get_by_role("heading", name="Deckstudio")).to_be_visible()
    stranger.shot("studio-no-key")

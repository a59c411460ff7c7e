"""The trainer's studio in a real browser: signed in by the link the server
printed at its first start, it shows a deck's briefs (which the public deck
view does not), refuses a broken deck with the path of each error and stores
a good one. A link with another key does not silently replace the stored one."""
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


def test_trainer_signs_in_reads_briefs_and_uploads(people, server, tmp_path):
    people.allow(r"status of 422")  # the broken deck's answer, on purpose
    trainer = people("Trainer")
    page = trainer.page
    link = sign_in_link(server)
    page.goto(link)
    expect(page.get_by_test_id("studio-decks")).to_be_visible()
    assert "#key=" not in page.url  # the key left the address bar

    card = DECK["cards"][0]
    opening = card["customer"]["opening_line"]
    public = requests.get(f"{server.url}/api/decks/angry-customer-en", timeout=10).text
    assert opening not in public  # without the key nobody reads it
    page.get_by_test_id("studio-deck-angry-customer-en").locator("summary").click()
    expect(page.get_by_test_id(f"studio-card-{card['id']}")).to_contain_text(opening)
    expect(page.get_by_test_id(f"studio-card-{card['id']}")).to_contain_text(card["agent"]["briefing"][:40])
    trainer.shot("deck-with-briefs")

    bad = tmp_path / "broken.yaml"
    bad.write_text(MINIMAL.replace("id: test-deck", "id: studio-deck").replace("start_temperature: 7", "start_temperature: 11"))
    page.get_by_test_id("studio-file").set_input_files(str(bad))
    page.get_by_test_id("studio-send").click()
    expect(page.get_by_test_id("studio-errors")).to_contain_text("cards[0].customer.start_temperature")
    trainer.shot("upload-refused")

    good = tmp_path / "good.yaml"
    good.write_text(MINIMAL.replace("id: test-deck", "id: studio-deck").replace("title: Test deck", "title: Studio deck"))
    page.get_by_test_id("studio-file").set_input_files(str(good))
    page.get_by_test_id("studio-send").click()
    expect(page.get_by_test_id("studio-stored")).to_contain_text("studio-deck")
    expect(page.get_by_test_id("studio-deck-studio-deck")).to_contain_text("Studio deck")
    trainer.shot("upload-stored")

    # a link with another key asks before it replaces the key this browser holds
    page.goto(link.split("#")[0] + "#key=someone-elses-key")
    expect(page.get_by_test_id("studio-replace")).to_be_visible()
    assert "#key=" not in page.url
    page.get_by_test_id("studio-replace").get_by_role("button", name=re.compile("Keep")).click()
    page.get_by_test_id("studio-deck-studio-deck").locator("summary").click()
    expect(page.get_by_test_id("studio-card-sofa")).to_contain_text("Where is my sofa?")


def test_studio_without_a_key_says_how_to_get_one(people):
    page = people("Stranger").page
    page.goto("/studio")
    expect(page.get_by_test_id("studio-nokey")).to_contain_text("calmroom trainer-link")

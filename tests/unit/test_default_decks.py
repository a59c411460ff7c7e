"""The default decks: they load, the Dutch and English editions match, they
have what a workshop needs, and no sentence is lifted from the source articles."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from calmroom.decks import load_deck_file

ROOT = Path(__file__).resolve().parents[2]
DECK_FILES = sorted((ROOT / "decks").glob("*.yaml"))
SEEDS = ROOT.parent / "shared" / "seeds"
PAIRS = [("angry-customer-nl", "angry-customer-en"), ("aggressive-customer-nl", "aggressive-customer-en")]


def deck(name: str):
    return load_deck_file(ROOT / "decks" / f"{name}.yaml")


def test_there_are_at_least_four_default_decks():
    ids = {load_deck_file(f).id for f in DECK_FILES}
    assert {name for pair in PAIRS for name in pair} <= ids


@pytest.mark.parametrize("path", DECK_FILES, ids=lambda p: p.name)
def test_default_deck_is_complete(path):
    d = load_deck_file(path)
    assert d.id == path.stem
    assert (d.scale.min, d.scale.max) == (0, 3)
    assert set(d.scale.labels) == {0, 1, 2, 3}
    assert any(s.critical for s in d.steps)
    assert all(len(s.look_for) >= 3 for s in d.steps)
    assert len(d.cards) >= 8
    assert {c.difficulty for c in d.cards} == {1, 2, 3}
    for c in d.cards:
        assert c.customer.escalates_when and c.customer.calms_when and c.customer.wants
        assert c.agent.may_offer and c.agent.may_not


@pytest.mark.parametrize("nl, en", PAIRS)
def test_dutch_and_english_editions_share_steps_and_cards(nl, en):
    a, b = deck(nl), deck(en)
    assert (a.language, b.language) == ("nl", "en")
    assert [s.key for s in a.steps] == [s.key for s in b.steps]
    assert [s.critical for s in a.steps] == [s.critical for s in b.steps]
    assert [(c.id, c.difficulty, c.steps, c.customer.start_temperature) for c in a.cards] == [
        (c.id, c.difficulty, c.steps, c.customer.start_temperature) for c in b.cards
    ]


def test_angry_deck_follows_the_six_step_model():
    keys = [s.key for s in deck("angry-customer-en").steps]
    assert keys[:6] == ["listen", "empathy", "ask", "solve", "agree", "follow_up"]
    assert deck("angry-customer-en").step("stay_calm").critical


def test_aggressive_deck_marks_safety_critical():
    d = deck("aggressive-customer-en")
    assert d.step("stay_calm").critical and d.step("safety").critical


def _words(text: str) -> list[str]:
    return re.findall(r"[a-zà-ÿ0-9']+", text.lower())


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source articles live beside the repository (../shared/seeds), as in CI")
def test_no_sentence_is_copied_from_the_sources():
    n = 8
    seed_runs: set[tuple[str, ...]] = set()
    for f in SEEDS.iterdir():
        w = _words(f.read_text(encoding="utf-8"))
        seed_runs |= {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}
    copied = []
    for path in DECK_FILES:
        w = _words(path.read_text(encoding="utf-8"))
        copied += [f"{path.name}: {' '.join(w[i:i+n])}" for i in range(len(w) - n + 1) if tuple(w[i : i + n]) in seed_runs]
    assert copied == []

"""The corrected picture of live marks (domain/corrections.py): the last
correction of each mark counts, a withdrawn mark is left out, the originals
are kept; and what a correction may ask."""
from __future__ import annotations

import pytest

from calmroom.domain.corrections import correction, corrected, current_mark, own_mark
from calmroom.domain.deck import Deck
from calmroom.domain.errors import RuleError
from calmroom.domain.room import Correction, Mark

MARKS = [
    Mark(id="a", author="cas", step="listen", rating=1, note="cut in", t_ms=5_000),
    Mark(id="a", author="dee", step="empathy", rating=2, note=None, t_ms=6_000),
    Mark(id="b", author="cas", step="empathy", rating=3, note=None, t_ms=9_000),
]


def fix(cid, mark, rating, step="listen", note=None, author="cas", t_ms=20_000):
    return Correction(id=cid, author=author, mark=mark, step=None if rating is None else step, rating=rating,
                      note=note, t_ms=t_ms)


def test_the_last_correction_of_a_mark_counts_and_the_originals_are_kept():
    fixes = [fix("1", "a", 3, note="let her finish"), fix("2", "b", None), fix("3", "a", 2)]
    current, superseded = corrected(MARKS, fixes)
    assert [(m.author, m.id, m.step, m.rating, m.note, m.t_ms) for m in current] == [
        ("cas", "a", "listen", 2, None, 5_000), ("dee", "a", "empathy", 2, None, 6_000)]
    assert [(m, c.id) for m, c in superseded] == [(MARKS[0], "3"), (MARKS[2], "2")]
    assert corrected(MARKS, []) == (MARKS, [])


def test_a_correction_touches_only_its_author_s_mark():
    current, _ = corrected(MARKS, [fix("1", "a", None, author="dee")])
    assert [(m.author, m.id) for m in current] == [("cas", "a"), ("cas", "b")]
    assert current_mark(MARKS[0], [fix("1", "a", None, author="dee")]) == MARKS[0]
    assert current_mark(MARKS[0], [fix("1", "a", None)]) is None


def test_whose_mark_it_is():
    assert own_mark(MARKS[:2], "dee", "a") is MARKS[1]
    with pytest.raises(RuleError) as err:
        own_mark(MARKS[2:], "dee", "b")
    assert (err.value.code, err.value.field) == ("forbidden", "mark")
    with pytest.raises(RuleError) as err:
        own_mark([], "dee", "z")
    assert (err.value.code, err.value.field) == ("not_found", "mark")


@pytest.fixture
def deck(minimal_deck_text):
    from calmroom.decks import load_deck_text

    return load_deck_text(minimal_deck_text)


def test_what_a_correction_may_ask(deck: Deck):
    card = deck.cards[0].id
    undo = correction(deck, card, MARKS[0], "cas", {"id": "k", "mark": "a", "undo": True}, 7_000)
    assert (undo.step, undo.rating, undo.note, undo.withdraws, undo.t_ms) == (None, None, None, True, 7_000)
    keep = correction(deck, card, MARKS[0], "cas", {"id": "k", "mark": "a", "rating": 3}, 7_000)
    assert (keep.step, keep.rating, keep.note) == ("listen", 3, "cut in")  # step and note as they were
    cleared = correction(deck, card, MARKS[0], "cas", {"id": "k", "mark": "a", "rating": 0, "note": "", "step": "empathy"}, 0)
    assert (cleared.step, cleared.rating, cleared.note) == ("empathy", 0, None)
    for data, code, field in (
        ({"rating": 9}, "invalid", "rating"),
        ({"rating": 1, "step": "dance"}, "invalid", "step"),
    ):
        with pytest.raises(RuleError) as err:
            correction(deck, card, MARKS[0], "cas", {"id": "k", "mark": "a", **data}, 0)
        assert (err.value.code, err.value.field) == (code, field)
    with pytest.raises(RuleError) as err:
        correction(deck, card, None, "cas", {"id": "k", "mark": "a", "rating": 1}, 0)
    assert (err.value.code, err.value.field) == ("conflict", "mark")

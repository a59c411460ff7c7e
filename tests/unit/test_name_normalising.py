"""Names and room titles are what they look like (protocol/text.py)."""
from __future__ import annotations

import pytest
from marshmallow import ValidationError

from calmroom.protocol.events import JoinRoom, MarkStep
from calmroom.protocol.http import CreateRoom
from calmroom.protocol.text import name_key


def load_name(name: str) -> str:
    return JoinRoom().load({"room": "ABCDEF", "name": name})["name"]


def refused(name: str) -> str:
    with pytest.raises(ValidationError) as err:
        load_name(name)
    return err.value.messages["name"][0]


@pytest.mark.parametrize("invisible", [
    "\u200b\u200b\u200b",          # zero-width spaces
    "\u202e\u202d",                # bidi overrides
    "\u2066\u2069\ufeff",          # an isolate and a BOM
    "\u3164",                      # the Hangul filler: a letter that draws nothing
    "\u2028 \u2029",               # line and paragraph separators
    "\x00\x07",
])
def test_a_name_that_renders_empty_is_refused_with_a_clear_message(invisible):
    assert refused(invisible) == "must contain a visible character"


def test_format_characters_are_stripped():
    assert load_name("Bram\u200b") == "Bram"
    assert load_name("\u202eBram") == "Bram"           # no right-to-left override reordering what follows
    assert load_name("\ufeffAnn\u2066\u2069") == "Ann"
    assert load_name("Ann\u2028Bos") == "Ann Bos"


def test_white_space_runs_become_one_space():
    assert load_name("  Ann \t\n  de   Vries ") == "Ann de Vries"
    assert load_name("Ann\u00a0\u3000Bos") == "Ann Bos"  # no-break and ideographic spaces


def test_nfkc_makes_fullwidth_the_same_name():
    assert load_name("Ｂｒａｍ") == "Bram"
    assert name_key(load_name("Ｂｒａｍ")) == name_key(load_name("bram")) == name_key(load_name("BRAM\u200b"))


def test_combining_characters_and_emoji_are_kept():
    assert load_name("Zoe\u0308") == "Zoë"                # composed by NFKC, not dropped
    assert load_name("q\u0307") == "q\u0307"              # no precomposed form: the mark stays
    assert load_name("Ann 🙂") == "Ann 🙂"
    assert load_name("👩\u200d⚕️ Eva") == "👩\u200d⚕️ Eva"  # the joiner inside an emoji sequence stays
    assert load_name("می\u200cخواهم") == "می\u200cخواهم"  # ZWNJ between Persian letters stays
    assert load_name("Bra\u200dm") == "Bram"              # a joiner between Latin letters does not


def test_the_length_limit_counts_the_normalised_name():
    assert load_name("\u200b" * 50 + "A" * 40) == "A" * 40  # invisible characters do not count
    assert refused("A" * 41) == "must be 1 to 40 characters"
    # U+FDFA is one character that NFKC spells out as 18
    assert refused("\ufdfa" * 3) == "must be 1 to 40 characters"
    assert load_name("\ufdfa" * 2).startswith("صلى الله")
    assert refused("\u200b" * 400) == "must be 1 to 40 characters"  # raw input is bounded before the work


def test_a_casefolded_key_longer_than_its_column_becomes_a_digest():
    key = name_key("ß" * 40)  # casefolds to 80 characters
    assert len(key) <= 40 and key == name_key("SS" * 40) != name_key("ß" * 39)


def test_the_room_title_is_normalised_the_same_way():
    assert CreateRoom().load({"deck": "d", "title": "Ｗｏｒｋｓｈｏｐ\u200b  one"})["title"] == "Workshop one"
    with pytest.raises(ValidationError) as err:
        CreateRoom().load({"deck": "d", "title": "\u200b\u202e"})
    assert err.value.messages == {"title": ["must contain a visible character"]}


def test_free_text_loses_control_characters_but_keeps_lines_and_bidi_marks():
    note = MarkStep().load({"id": "m1", "step": "s", "rating": 1, "note": "a\x00b\r\nc\x1b[31m \u200fשלום"})["note"]
    assert note == "ab\nc[31m \u200fשלום"

"""Every problem the deck validator can produce has a machine code, and the
studio has a text for every code in both languages (issue 16: validation in
the trainer's language).

The codes are listed once (protocol/problems.py, CODES); a `Coded` message
refuses a code or parameters not in that list, the source is scanned so
that no code is written that the list lacks (or listed and never written),
and each locale's text for a code uses only that code's parameters."""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
import yaml

from calmroom.decks import DeckError, check_deck, load_deck_text, parse_deck_text, read_json_request
from calmroom.protocol.problems import CODES, Coded

ROOT = Path(__file__).resolve().parents[2]
SERVER = ROOT / "server" / "calmroom"
LOCALES = {lang: json.loads((ROOT / "client" / "src" / "locales" / f"{lang}.json").read_text("utf-8")) for lang in ("nl", "en")}
DECK = yaml.safe_load((ROOT / "decks" / "angry-customer-nl.yaml").read_text("utf-8"))


def written_codes() -> set[str]:
    found: set[str] = set()
    for path in SERVER.rglob("*.py"):
        found |= set(re.findall(r'Coded\(\s*"([a-z0-9_]+)"', path.read_text("utf-8")))
    return found


def test_the_list_of_codes_is_the_codes_the_source_writes():
    assert written_codes() == set(CODES)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_code_has_a_text_in_both_languages_using_only_its_parameters(lang):
    texts = LOCALES[lang]["studio"]["problem"]
    assert set(texts) == set(CODES)
    for code, params in CODES.items():
        used = set(re.findall(r"\{\{\s*(\w+)\s*\}\}", texts[code]))
        assert used <= set(params), (lang, code, used)
        assert texts[code].strip(), (lang, code)


def test_the_dutch_texts_are_not_the_english_ones():
    nl, en = LOCALES["nl"]["studio"]["problem"], LOCALES["en"]["studio"]["problem"]
    same = [c for c in CODES if nl[c] == en[c]]
    assert same == []


def test_a_code_outside_the_list_or_with_other_parameters_is_refused():
    with pytest.raises(AssertionError):
        Coded("no_such_code", "whatever")
    with pytest.raises(AssertionError):
        Coded("number_range", "must be between 0 and 10", min=0)


def problems_of(data) -> list[dict]:
    with pytest.raises(DeckError) as err:
        check_deck(data)
    return [p.as_dict() for p in err.value.problems]


def broken_deck() -> dict:
    d = copy.deepcopy(DECK)
    d["title"] = ""
    d["language"] = "Dutch"
    d["scale"]["max"] = d["scale"]["min"]
    d["steps"][0]["key"] = "Luisteren Eerst"
    d["steps"][1]["look_for"] = "one"
    d["steps"][2]["critical"] = "yes"
    d["cards"][0]["customer"]["start_temperature"] = 42
    d["cards"][0]["difficulty"] = "hard"
    d["cards"][1]["channel"] = "fax"
    d["cards"][2]["id"] = d["cards"][3]["id"]
    d["cards"][3]["facilitator"] = {}
    d["cards"][4]["steps"] = ["nope"]
    d["cards"][5]["agent"] = "be nice"
    d["cards"][6]["setting"] = 7
    d["cards"][7]["play_minutes"] = 0
    d["cards"][8]["customer"]["wants"] = None
    del d["cards"][9]["title"]
    d["cards"][10]["variants"] = [{"id": "v1", "title": "A", "customer": "x"}, {"id": "v1", "title": "B", "customer": "y"}]
    d["steps"].append(dict(d["steps"][3]))
    d["extra"] = 1
    return d


def test_every_problem_of_a_broken_deck_has_a_code_its_message_unchanged():
    problems = problems_of(broken_deck())
    assert len(problems) > 15
    assert all(p.get("code") in CODES for p in problems), [p for p in problems if p.get("code") not in CODES]
    by_path = {p["path"]: p for p in problems}
    assert by_path["cards[0].customer.start_temperature"] == {
        "path": "cards[0].customer.start_temperature", "message": "must be between 0 and 10",
        "code": "number_range", "params": {"min": 0, "max": 10}}
    assert by_path["cards[1].channel"]["params"]["allowed"][:2] == ["phone", "counter"]
    assert by_path["extra"]["code"] == "unknown_field"
    # an empty text keeps the length message, with a code of its own (the studio says "fill this in")
    assert by_path["title"] == {"path": "title", "message": "must be 1 to 120 characters", "code": "text_empty",
                                "params": {"min": 1, "max": 120}}
    assert by_path["cards[10].variants[1].id"]["params"] == {"value": "v1", "other": "variants[0]"}


@pytest.mark.parametrize("text, code", [
    (b"", "empty"),
    (b"\xff\xfe", "not_utf8"),
    (b"a: [1, 2", "not_yaml"),
    (b'{"a": ', "not_json"),
    (b"- just\n- a list\n", "not_deck"),
    (b"a: &x 1\nb: *x\n", "yaml_alias"),
    (b"a: 1\na: 2\n", "repeated_field"),
    (b"a: 1\n---\nb: 2\n", "many_documents"),
    (b"a: !!python/object 1\n", "yaml_tag"),
    (b"a\x00b", "binary"),
])
def test_reading_a_deck_file_gives_coded_problems(text, code):
    with pytest.raises(DeckError) as err:
        parse_deck_text(text)
    assert [p.as_dict().get("code") for p in err.value.problems] == [code]


def test_the_studio_request_reader_gives_coded_problems():
    with pytest.raises(DeckError) as err:
        read_json_request(b'{"deck": {"id": 1, "id": 2}}')
    assert [p.as_dict()["code"] for p in err.value.problems] == ["repeated_field"]
    with pytest.raises(DeckError) as err:
        load_deck_text("x: 1\n" * 1 + "y: [" + "1," * 20000 + "]\n")
    assert err.value.problems[0].as_dict()["code"] == "too_many_values"

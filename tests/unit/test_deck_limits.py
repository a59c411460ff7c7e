"""Each bound on a deck's text: refused with its message and the path where
it was crossed, after bounded work."""
from __future__ import annotations

import json
import time

import pytest
import yaml

from calmroom.decks import DeckError, load_deck_text
from calmroom.decks.bounds import (
    MAX_DECK_BYTES,
    MAX_DEPTH,
    MAX_KEY_CHARS,
    MAX_KEYS,
    MAX_NODES,
    MAX_PROBLEMS,
    BoundError,
    check_json_depth,
)
from calmroom.decks.yamlread import read_yaml


def problems(text, filename: str = "") -> list[tuple[str, str]]:
    with pytest.raises(DeckError) as info:
        load_deck_text(text, filename)
    return [(p.path, p.message) for p in info.value.problems]


def test_the_limits_leave_room_for_real_decks():
    assert MAX_DECK_BYTES == 256 * 1024
    assert (MAX_NODES, MAX_DEPTH, MAX_KEYS, MAX_PROBLEMS) == (10_000, 20, 200, 100)


def test_too_many_values_is_refused_at_the_value_that_crosses_the_limit():
    text = "id: x\ncards:\n" + "".join("  - a\n" for _ in range(MAX_NODES + 10))
    assert problems(text) == [(f"cards[{MAX_NODES - 5}]", "the deck has more than 10,000 values; a deck needs far fewer")]


def test_deep_block_nesting_is_refused_with_its_path():
    text = "".join("  " * i + "a:\n" for i in range(300)) + "  " * 300 + "b\n"
    assert problems(text) == [(".".join(["a"] * MAX_DEPTH), "is nested deeper than 20 levels")]


def test_deep_flow_nesting_is_refused():
    assert problems("x: " + "[" * 600 + "]" * 600) == [("x" + "[0]" * (MAX_DEPTH - 1), "is nested deeper than 20 levels")]


def test_deep_json_is_refused_before_json_loads():
    assert problems("[" * 5000 + "]" * 5000) == [("", "is nested deeper than 20 levels (at character 21)")]
    found = problems('{"id": "' + "[" * 30 + '", "b": [[1]]}', "d.json")
    assert not any("nested" in m for _, m in found)  # brackets inside strings do not count


def test_json_depth_scan_counts_only_brackets_outside_strings():
    check_json_depth('{"a": "' + "[" * 100 + '"}')
    check_json_depth('["\\"[[[[[[[[[[[[[[[[[[[[[[[[["]')
    with pytest.raises(BoundError, match="nested deeper than 3"):
        check_json_depth('{"a": [[{"b": 1}]]}', 3)


def test_too_many_keys_in_one_mapping():
    text = "id: x\nscale:\n" + "".join(f"  k{i}: {i}\n" for i in range(MAX_KEYS + 1))
    assert problems(text) == [("scale", "has more than 200 keys; a deck mapping needs a dozen")]


def test_seventy_thousand_keys_stop_at_the_key_limit_quickly():
    text = "".join(f"k{i}: {i}\n" for i in range(20_000))
    t0 = time.perf_counter()
    assert problems(text) == [("", "has more than 200 keys; a deck mapping needs a dozen")]
    assert time.perf_counter() - t0 < 0.5


def test_a_long_key_is_reported_and_not_repeated_in_paths():
    key = "k" * (MAX_KEY_CHARS + 1)
    found = problems(f"id: abc\n{key}:\n  a: 1\n")
    assert ("", f"the key at line 2 is {MAX_KEY_CHARS + 1} characters long; at most {MAX_KEY_CHARS}") in found


@pytest.mark.parametrize("text, path", [("id: " + "1" * 5000, "id"), ("id: abc\nscale: {max: " + "9" * 60 + "}", "scale.max")])
def test_over_long_numbers_are_a_problem_not_a_valueerror(text, path):
    found = problems(text)
    assert found[0][0] == path and "is a number with" in found[0][1] and "at most 50 are allowed" in found[0][1]


def test_over_long_json_number():
    assert problems('{"id": ' + "1" * 5000 + "}") == [("", "has a number with 5,000 digits; at most 50 are allowed")]


def test_billion_laughs_is_refused_without_expanding():
    text = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
    )
    t0 = time.perf_counter()
    found = problems(text)
    assert time.perf_counter() - t0 < 0.1
    alias = "YAML anchors and aliases (&name, *name) are not supported; write the value out"
    assert found == [(f"{chr(98 + i)}[{j}]", alias) for i in range(8) for j in range(9)]


def test_the_problem_list_is_capped_with_a_count_of_the_rest():
    data = {"id": "abc", **{f"unknown{i}": i for i in range(150)}}
    found = problems(json.dumps(data))
    assert len(found) == MAX_PROBLEMS + 1
    assert found[-1][0] == ""
    assert found[-1][1].startswith("and ") and found[-1][1].endswith(" more problems; fix these first")
    omitted = int(found[-1][1].split()[1])
    assert 50 <= omitted <= 60  # 150 unknown fields and the few required ones, less the 100 shown


def test_long_messages_and_paths_are_clipped():
    found = problems("id: abc\ncards:\n  - id: '" + "x" * 5000 + "'\n")
    assert all(len(p) <= 300 and len(m) <= 300 for p, m in found)


def test_a_second_document_is_refused():
    assert problems("id: a\n---\nid: b\n") == [("", "has more than one YAML document (a second starts at line 2)")]


def test_repeated_keys_aliases_and_merge_keys_keep_their_paths():
    text = "id: abc\nscale:\n  min: 0\n  min: 1\nsteps: &s [1]\ncards: *s\nbase: {<<: {a: 1}}\n"
    found = problems(text)
    assert ("scale.min", "repeated key at line 4 (first at line 3); each key may appear once") in found
    assert ("cards", "YAML anchors and aliases (&name, *name) are not supported; write the value out") in found
    assert ("base", "YAML merge keys (<<) are not supported") in found


def test_refused_tags_are_problems_with_paths():
    found = problems("id: abc\nx: !!python/object:os.system ls\ny: !!set {a, b}\n")
    assert ("x", "YAML tags (tag:yaml.org,2002:python/object:os.system) are not supported") in found
    assert ("y", "YAML tags (tag:yaml.org,2002:set) are not supported") in found


@pytest.mark.parametrize(
    "text",
    [
        "id: abc\nn: 12\nf: 1.5\nb: yes\nz: ~\nd: 2024-01-02\ns: '07'\nl: [1, two, {3: x}]\n0x1F: hex\n",
        '{"id": "abc", "n": [1, 2.5, true, null, "x"], "labels": {"0": "a", "1": "b"}}',
        "? complex\n: value\nkey with spaces: 'quoted: value'\nmulti: |\n  line one\n  line two\n",
    ],
)
def test_values_are_built_as_yaml_safe_load_builds_them(text):
    built = read_yaml(text, lambda path, message: pytest.fail(f"{path}: {message}"))
    assert built == yaml.safe_load(text)


def test_the_pure_python_parser_gives_the_same_answers(minimal_deck_text):
    same = read_yaml(minimal_deck_text, lambda p, m: pytest.fail(m), loader_class=yaml.SafeLoader)
    assert same == yaml.safe_load(minimal_deck_text)
    with pytest.raises(BoundError):
        read_yaml("x: " + "[" * 100, lambda p, m: None, loader_class=yaml.SafeLoader)


def test_the_c_parser_is_used_where_libyaml_is_present():
    from calmroom.decks import yamlread

    assert yamlread.Loader is (yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader)

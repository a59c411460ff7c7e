"""The field types every wire schema is built from: each wrong input gets its
own plain message at its own path in `fields`, and list and text limits hold
at their edges. The schemas are built here, at test time, so that a change
in how a field is set up (a limit, a message) shows."""
from __future__ import annotations

import pytest
from marshmallow import ValidationError, validate

from calmroom.protocol.base import (
    ERROR_CODES, Bool, Dict, Int, List, Nested, StrictSchema, Str, error_body, flatten_errors, validation_error_body,
)


def schema(**fields):
    return StrictSchema.from_dict(fields)()


def refusal(s, data) -> dict:
    """The error body a client would get for `data`."""
    with pytest.raises(ValidationError) as err:
        s.load(data)
    return validation_error_body(err.value)


def fields_of(s, data) -> dict:
    return refusal(s, data)["fields"]


# ---- text

def test_text_limits_are_inclusive_and_say_both_ends():
    s = schema(name=Str(max_len=5, required=True))
    assert s.load({"name": "abcde"}) == {"name": "abcde"}
    assert s.load({"name": "a"}) == {"name": "a"}
    assert fields_of(s, {"name": "abcdef"}) == {"name": "must be 1 to 5 characters"}
    assert fields_of(s, {"name": ""}) == {"name": "must be 1 to 5 characters"}


def test_text_is_stripped_before_its_length_is_checked():
    s = schema(name=Str(max_len=3, required=True))
    assert s.load({"name": "  abc \n"}) == {"name": "abc"}
    assert fields_of(s, {"name": "   "}) == {"name": "must be 1 to 3 characters"}


def test_text_can_keep_its_spaces():
    s = schema(note=Str(max_len=4, strip=False))
    assert s.load({"note": " ab "}) == {"note": " ab "}
    assert fields_of(s, {"note": "  ab "}) == {"note": "must be 1 to 4 characters"}


def test_optional_text_may_be_empty_and_says_only_its_maximum():
    s = schema(note=Str(max_len=3, min_len=0))
    assert s.load({"note": ""}) == {"note": ""}
    assert s.load({}) == {}
    assert fields_of(s, {"note": "abcd"}) == {"note": "must be at most 3 characters"}


def test_a_longer_minimum_is_in_the_message():
    s = schema(code=Str(max_len=6, min_len=4))
    assert s.load({"code": "abcd"}) == {"code": "abcd"}
    assert fields_of(s, {"code": "abc"}) == {"code": "must be 4 to 6 characters"}


def test_text_messages_for_missing_null_and_not_text():
    s = schema(name=Str(max_len=5, required=True))
    assert fields_of(s, {}) == {"name": "required"}
    assert fields_of(s, {"name": None}) == {"name": "must not be empty (null)"}
    for bad in (5, ["a"], {"a": 1}, True):
        assert fields_of(s, {"name": bad}) == {"name": "must be a string"}


def test_extra_validators_run_after_the_length():
    s = schema(kind=Str(max_len=4, validate=[validate.OneOf(["mark", "note"], error="must be mark or note")]))
    assert s.load({"kind": "mark"}) == {"kind": "mark"}
    assert fields_of(s, {"kind": "nope"}) == {"kind": "must be mark or note"}
    assert fields_of(s, {"kind": "toolong"}) == {"kind": "must be 1 to 4 characters; must be mark or note"}


# ---- numbers and booleans

def test_whole_numbers_only_and_bounds_inclusive():
    s = schema(n=Int(low=1, high=5, required=True))
    assert s.load({"n": 1}) == {"n": 1} and s.load({"n": 5}) == {"n": 5}
    for bad in (0, 6, -1):
        assert fields_of(s, {"n": bad}) == {"n": "must be between 1 and 5"}
    for bad in (True, False, 2.0, 2.5, "2", [2]):
        assert fields_of(s, {"n": bad}) == {"n": "must be a whole number"}
    assert fields_of(s, {}) == {"n": "required"}
    assert fields_of(s, {"n": None}) == {"n": "must not be empty (null)"}


def test_one_bound_alone_still_holds():
    low = schema(n=Int(low=0))
    assert low.load({"n": 0}) == {"n": 0} and low.load({"n": 10**9}) == {"n": 10**9}
    assert fields_of(low, {"n": -1}) == {"n": "must be at least 0"}
    high = schema(n=Int(high=3))
    assert high.load({"n": 3}) == {"n": 3} and high.load({"n": -(10**9)}) == {"n": -(10**9)}
    assert fields_of(high, {"n": 4}) == {"n": "must be at most 3"}
    free = schema(n=Int())
    assert free.load({"n": -(10**12)}) == {"n": -(10**12)}


def test_extra_number_rules_run_after_the_bounds():
    def even(value):
        if value % 2:
            raise ValidationError("must be even")

    s = schema(n=Int(low=0, high=10, validate=[even]))
    assert s.load({"n": 4}) == {"n": 4}
    assert fields_of(s, {"n": 3}) == {"n": "must be even"}
    assert fields_of(s, {"n": 11}) == {"n": "must be between 0 and 10; must be even"}


def test_a_big_integer_stays_an_exact_int():
    s = schema(n=Int())
    out = s.load({"n": 2**70})["n"]
    assert out == 2**70 and type(out) is int


def test_booleans_are_true_or_false_only():
    s = schema(flag=Bool(required=True))
    assert s.load({"flag": True}) == {"flag": True} and s.load({"flag": False}) == {"flag": False}
    for bad in (1, 0, "true", "yes", None):
        expected = "must not be empty (null)" if bad is None else "must be true or false"
        assert fields_of(s, {"flag": bad}) == {"flag": expected}


# ---- lists

def test_list_limits_at_their_edges():
    s = schema(tags=List(Str(max_len=10), min_items=1, max_items=3, required=True))
    assert s.load({"tags": ["a"]}) == {"tags": ["a"]}
    assert s.load({"tags": ["a", "b", "c"]}) == {"tags": ["a", "b", "c"]}
    assert fields_of(s, {"tags": []}) == {"tags": "must have 1 to 3 items"}
    assert fields_of(s, {"tags": ["a", "b", "c", "d"]}) == {"tags": "must have 1 to 3 items"}
    assert fields_of(s, {}) == {"tags": "required"}


def test_extra_list_rules_run_after_the_length():
    def distinct(items):
        if len(set(items)) != len(items):
            raise ValidationError("must not repeat an item")

    s = schema(steps=List(Str(max_len=10), max_items=2, validate=[distinct]))
    assert s.load({"steps": ["a", "b"]}) == {"steps": ["a", "b"]}
    assert fields_of(s, {"steps": ["a", "a"]}) == {"steps": "must not repeat an item"}
    assert fields_of(s, {"steps": ["a", "a", "a"]}) == {"steps": "must have 0 to 2 items; must not repeat an item"}


def test_a_list_may_be_empty_by_default():
    s = schema(tags=List(Str(max_len=10), max_items=2))
    assert s.load({"tags": []}) == {"tags": []}
    assert fields_of(s, {"tags": ["a", "b", "c"]}) == {"tags": "must have 0 to 2 items"}


def test_list_errors_point_at_the_item():
    s = schema(tags=List(Str(max_len=3), max_items=5))
    assert fields_of(s, {"tags": ["ok", 7, "toolong"]}) == {
        "tags[1]": "must be a string", "tags[2]": "must be 1 to 3 characters",
    }
    for bad in ("abc", {"a": 1}, 3):
        assert fields_of(s, {"tags": bad}) == {"tags": "must be a list"}
    assert fields_of(s, {"tags": None}) == {"tags": "must not be empty (null)"}


# ---- objects

def test_nested_objects_report_the_full_path():
    inner = StrictSchema.from_dict({"level": Int(low=0, high=10, required=True)})
    s = schema(customer=Nested(inner, required=True), cards=List(Nested(inner), max_items=3))
    assert fields_of(s, {"customer": {"level": 11}}) == {"customer.level": "must be between 0 and 10"}
    assert fields_of(s, {"customer": {"level": 1, "mood": "x"}}) == {"customer.mood": "unknown field"}
    assert fields_of(s, {"customer": "angry"}) == {"customer": "must be an object (a mapping)"}
    assert fields_of(s, {}) == {"customer": "required"}
    assert fields_of(s, {"customer": None}) == {"customer": "must not be empty (null)"}
    assert fields_of(s, {"customer": {"level": 1}, "cards": [{"level": 1}, {}]}) == {"cards[1].level": "required"}


def test_unknown_fields_and_a_body_that_is_not_an_object():
    s = schema(name=Str(max_len=5))
    assert fields_of(s, {"name": "a", "nmae": "b"}) == {"nmae": "unknown field"}
    assert refusal(s, ["name"]) == {"code": "invalid", "message": "must be an object (a mapping)",
                                    "fields": {"_": "must be an object (a mapping)"}}


def test_dict_errors_are_reported_at_the_entry():
    s = schema(labels=Dict(keys=Str(max_len=2), values=Str(max_len=3)))
    assert s.load({"labels": {"0": "no", "1": "yes"}}) == {"labels": {"0": "no", "1": "yes"}}
    assert fields_of(s, {"labels": {"7": "toolong"}}) == {"labels.7": "must be 1 to 3 characters"}
    assert fields_of(s, {"labels": {"123": 5}}) == {"labels.123": "must be 1 to 2 characters; must be a string"}
    for bad in (["a"], "a", 1):
        assert fields_of(s, {"labels": bad}) == {"labels": "must be an object (a mapping)"}


# ---- the error shape

def test_flatten_errors_builds_paths():
    messages = {"cards": {2: {"customer": {"start_temperature": ["must be between 0 and 10"]}}},
                "_schema": ["two problems"], "steps": ["a", "b"], "title": "x"}
    assert flatten_errors(messages) == [
        ("cards[2].customer.start_temperature", "must be between 0 and 10"),
        ("", "two problems"),
        ("steps", "a"), ("steps", "b"),
        ("title", "x"),
    ]
    assert flatten_errors({"_schema": {"name": ["bad"]}}, "card") == [("card.name", "bad")]
    assert flatten_errors(("a", ["b"]), "p") == [("p", "a"), ("p", "b")]
    assert flatten_errors(7) == [("", "7")]


def test_error_body_joins_messages_of_one_field_and_names_a_pathless_one():
    body = error_body("invalid", "name: too long", [("name", "too long"), ("name", "has a tab"), ("", "odd"), ("age", "x")])
    assert body == {"code": "invalid", "message": "name: too long",
                    "fields": {"name": "too long; has a tab", "_": "odd", "age": "x"}}
    assert error_body("not_found", "no such room") == {"code": "not_found", "message": "no such room"}
    assert error_body("conflict", "later", []) == {"code": "conflict", "message": "later"}
    with pytest.raises(AssertionError):
        error_body("teapot", "no such code")


def test_the_message_is_the_first_problem_with_its_path():
    assert validation_error_body(ValidationError({"a": ["first"], "b": ["second"]})) == {
        "code": "invalid", "message": "a: first", "fields": {"a": "first", "b": "second"}}
    assert validation_error_body(ValidationError({"_schema": ["whole body"]})) == {
        "code": "invalid", "message": "whole body", "fields": {"_": "whole body"}}
    assert validation_error_body(ValidationError({})) == {"code": "invalid", "message": "invalid input"}


def test_every_error_code_is_known():
    assert ERROR_CODES == ("invalid", "unauthorized", "forbidden", "not_found", "conflict", "room_locked",
                           "rate_limited", "too_large", "unavailable")


def test_a_dict_keeps_its_valid_entries_as_marshmallows_own_does():
    s = schema(labels=Dict(keys=Str(max_len=2), values=Str(max_len=3)))
    with pytest.raises(ValidationError) as err:
        s.load({"labels": {"0": "no", "7": "toolong"}})
    assert err.value.valid_data == {"labels": {"0": "no"}}

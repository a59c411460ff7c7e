"""Every malformed body on every JSON endpoint is a 4xx in the one error shape,
says what is wrong, and stores nothing. 5,000-deep JSON, 600-deep YAML and
5,000-digit numbers used to answer 500."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from calmroom.app import create_app
from calmroom.config import TestConfig
from calmroom.protocol.base import ERROR_CODES
from calmroom.store.models import DeckRow, RoomRow

ADMIN = "admin-secret-token"
ENDPOINTS = ["/api/rooms", "/api/decks/validate", "/api/decks"]
JSON, YAML = "application/json", "application/yaml"

BODIES = {
    "deep JSON list": (b"[" * 5000 + b"]" * 5000, JSON, "nested deeper than"),
    "deep JSON object": (b'{"a": ' * 2000 + b"1" + b"}" * 2000, JSON, "nested deeper than"),
    "deep YAML": ("".join("  " * i + "a:\n" for i in range(600)).encode()[: 200 * 1024], YAML, ""),
    "deep flow YAML": (b"x: " + b"[" * 5000, YAML, ""),
    "huge int": (b'{"deck": "angry-customer-en", "id": ' + b"1" * 5000 + b"}", JSON, "5,000 digits"),
    "huge int in YAML": (b"id: " + b"1" * 5000, YAML, ""),
    "invalid UTF-8": (b'{"deck": "\xff\xfe"}', JSON, "not UTF-8"),
    "not JSON": (b"{deck: angry", JSON, "not valid JSON"),
    "a list": (b"[1, 2]", JSON, ""),
    "a string": (b'"angry-customer-en"', JSON, ""),
    "null": (b"null", JSON, ""),
    "wrong types": (b'{"deck": 5, "duration_s": "long", "id": [], "title": {}}', JSON, ""),
    "empty": (b"", JSON, "empty"),
    "binary": (b"PK\x03\x04\x00\x00", YAML, ""),
    # half a character: the database, a token's hash and an answer echoing a key failed on it (500)
    "lone surrogate": (b'{"deck": "\\ud800", "title": "a\\udfff"}', JSON, "half a character"),
    "lone surrogate key": (b'{"\\ud800": 1, "options": {"\\udfff": 1}}', JSON, "half a character"),
    # "\u00b2".isdigit() is true and int() refuses it (500); "\u0661" would be read as 1
    "superscript label key": ('{"scale": {"min": 0, "max": 3, "labels": {"\u00b2": "a"}}}'.encode(), JSON, ""),
    "superscript label key in YAML": ('scale: {min: 0, max: 3, labels: {"\u00b2": a, "\u0661": b}}'.encode(), YAML, ""),
}


@pytest.fixture
def http(database_url):
    app, _ = create_app(TestConfig(database_url=database_url, async_mode="threading", admin_token=ADMIN))
    yield app.test_client()
    app.extensions["calmroom"].engine.dispose()


def stored(client) -> tuple[int, int]:
    with client.application.extensions["calmroom"].sessions() as session:
        return (session.scalar(select(func.count()).select_from(RoomRow)),
                session.scalar(select(func.count()).select_from(DeckRow)))


def assert_one_shape(res, status_range=range(400, 500)):
    assert res.status_code in status_range, (res.status_code, res.data[:300])
    assert res.is_json, res.data[:300]
    body = res.get_json()
    assert body["ok"] is False
    assert set(body["error"]) <= {"code", "message", "fields"} and body["error"]["code"] in ERROR_CODES
    assert body["error"]["message"]
    return body


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("name", list(BODIES))
def test_a_malformed_body_is_a_4xx_in_the_one_shape_and_stores_nothing(http, endpoint, name):
    raw, ctype, says = BODIES[name]
    before = stored(http)
    res = http.post(endpoint, data=raw, content_type=ctype, headers={"Authorization": f"Bearer {ADMIN}"})
    body = assert_one_shape(res)
    assert body["error"]["code"] in ("invalid", "too_large"), body
    if says:
        assert says in body["error"]["message"] or any(says in f.get("message", "") for f in body["error"].get("fields") or []), body
    assert stored(http) == before


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_body_over_the_limit_is_413_too_large(http, endpoint):
    before = stored(http)
    res = http.post(endpoint, data=b"- a\n" * (300 * 1024 // 4), content_type=JSON,
                    headers={"Authorization": f"Bearer {ADMIN}"})
    body = assert_one_shape(res, [413])
    assert body["error"]["code"] == "too_large"
    assert "256 KB" in body["error"]["message"]
    assert stored(http) == before


def test_a_room_body_is_bounded_far_below_the_deck_limit(http):
    res = http.post("/api/rooms", json={"deck": "angry-customer-en", "title": "x" * 20_000})
    body = assert_one_shape(res, [413])
    assert body["error"]["message"] == "the body is 20,042 bytes; at most 16,384 are allowed here"


def test_a_room_body_must_be_sent_as_json(http):
    res = http.post("/api/rooms", data=b'{"deck": "angry-customer-en"}', content_type="text/plain")
    body = assert_one_shape(res)
    assert res.status_code == 415
    assert "application/json" in body["error"]["message"] and "Content-Type" in body["error"]["fields"]


def test_messages_say_what_is_wrong(http):
    deep = http.post("/api/rooms", data=b"[" * 5000 + b"]" * 5000, content_type=JSON).get_json()
    assert deep["error"]["message"] == "the body is nested deeper than 8 levels (at character 9)"
    huge = http.post("/api/rooms", data=b'{"deck": "x", "duration_s": ' + b"9" * 5000 + b"}", content_type=JSON).get_json()
    assert huge["error"]["message"] == "the body has a number with 5,000 digits; at most 50 are allowed"
    listed = http.post("/api/rooms", data=b"[1]", content_type=JSON).get_json()
    assert listed["error"]["message"] == "the body must be a JSON object, not a list"
    deck = http.post("/api/decks/validate", data="".join("  " * i + "a:\n" for i in range(100)).encode(),
                     content_type=YAML).get_json()
    assert deck["errors"] == [{"path": ".".join(["a"] * 20), "message": "is nested deeper than 20 levels",
                               "code": "too_deep", "params": {"max": 20}}]


def test_a_pair_of_surrogate_escapes_is_one_character_and_welcome(http):
    res = http.post("/api/rooms", data=b'{"deck": "angry-customer-en", "title": "Team \\ud83d\\ude00"}', content_type=JSON)
    assert res.status_code == 201, res.get_json()
    assert http.get(f"/api/rooms/{res.get_json()['code']}").get_json()["title"] == "Team \U0001f600"


def test_label_keys_are_ascii_numbers(http, minimal_deck_text):
    deck = minimal_deck_text.replace("labels: {0: not done", 'labels: {"\u0661": one in Arabic-Indic digits', 1)
    assert deck != minimal_deck_text
    body = http.post("/api/decks/validate", data=deck.encode(), content_type=YAML).get_json()
    assert [e["code"] for e in body["errors"]] == ["label_key"], body


STUDIO = {"Authorization": f"Bearer {ADMIN}"}


@pytest.mark.parametrize("path, data", [
    ("/api/studio/validate", b'{"deck": {"\\ud800": 1}}'),
    ("/api/studio/validate", b'{"deck": {}, "\\ud800": 1}'),
    ("/api/studio/validate", b'{"deck": {"id": "x\\udfff"}}'),
    ("/api/studio/decks/angry-customer-en/copy", b'{"id": "abc-def", "title": "\\ud800"}'),
])
def test_studio_bodies_with_half_a_character_are_4xx(http, path, data):
    res = http.post(path, data=data, content_type=JSON, headers=STUDIO)
    body = assert_one_shape(res)
    assert "half a character" in body["error"]["message"], body


@pytest.mark.parametrize("path", [
    "/api/studio/decks/angry-customer-en/versions/99999999999999999999999",  # OverflowError in the database (500)
    "/api/studio/decks/angry-customer-en/diff?from=%C2%B2&to=1",  # "²".isdigit(), int("²") (500)
    "/api/studio/decks/angry-customer-en/diff?from=%D9%A1&to=1",  # "١" read as 1
])
def test_studio_version_numbers_out_of_any_range_are_4xx(http, path):
    assert_one_shape(http.get(path, headers=STUDIO))


def test_good_bodies_still_work(http, minimal_deck_text):
    assert http.post("/api/rooms", json={"deck": "angry-customer-en"}).status_code == 201
    res = http.post("/api/decks", data=minimal_deck_text.encode(), content_type=YAML,
                    headers={"Authorization": f"Bearer {ADMIN}"})
    assert res.status_code in (200, 201), res.get_json()


def test_an_unexpected_error_in_the_api_answers_in_the_one_shape(http):
    def broken():
        raise KeyError("a bug")

    http.application.add_url_rule("/api/broken-for-test", "broken_for_test", broken, methods=["POST"])
    res = http.post("/api/broken-for-test", json={})
    body = assert_one_shape(res, [500])
    assert body["error"]["code"] == "unavailable"

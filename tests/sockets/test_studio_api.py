"""The deck studio's HTTP API (issue 16, docs/studio-api.md): listing,
reading, validating and saving decks, and every refusal a trainer's browser
or someone else could meet: no credential, a wrong one, a default deck, an
id that is taken, an invalid deck (with the validator's paths), a body too
big, the wrong content type, another site's page. On SQLite and PostgreSQL."""
from __future__ import annotations

import copy
import json

import pytest

from helpers.databases import shared_app

from calmroom.decks import MAX_DECK_BYTES

EN = "angry-customer-en"


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def app_and_io(request, tmp_path_factory):
    yield from shared_app(request, tmp_path_factory, "studio")


@pytest.fixture
def auth(trainer_token) -> dict:
    return {"Authorization": f"Bearer {trainer_token}"}


def default_deck(http, auth, deck_id: str = EN) -> dict:
    res = http.get(f"/api/studio/decks/{deck_id}", headers=auth)
    assert res.status_code == 200, res.get_json()
    return copy.deepcopy(res.get_json()["deck"])


def own_deck(http, auth, deck_id: str) -> dict:
    """A copy of the English default deck under a new id, saved."""
    deck = {**default_deck(http, auth), "id": deck_id, "title": f"Deck {deck_id}"}
    res = http.post("/api/studio/decks", json={"deck": deck}, headers=auth)
    assert res.status_code == 201, res.get_json()
    return res.get_json()["deck"]


def refused(res, status: int, code: str, field: str | None = None) -> dict:
    assert res.status_code == status, (res.status_code, res.get_json())
    body = res.get_json()
    assert body["ok"] is False and body["error"]["code"] == code, body
    if field is not None:
        assert field in body["error"]["fields"], body
    return body


# -- reading ----------------------------------------------------------------------------
def test_the_list_shows_every_deck_with_its_counts(http, auth):
    own_deck(http, auth, "list-desk")
    decks = {d["id"]: d for d in http.get("/api/studio/decks", headers=auth).get_json()["decks"]}
    en = decks[EN]
    full = default_deck(http, auth)
    assert set(en) == {"id", "title", "language", "cards", "steps", "version", "updated_ms", "rooms", "builtin",
                       "archived", "based_on"}
    assert en["builtin"] is True and en["archived"] is False and en["based_on"] is None
    assert (en["cards"], en["steps"], en["language"]) == (len(full["cards"]), len(full["steps"]), "en")
    assert decks["list-desk"]["builtin"] is False and decks["list-desk"]["version"] == 1


def test_rooms_count_every_room_on_any_version(http, auth):
    deck = own_deck(http, auth, "counted-desk")
    http.post("/api/rooms", json={"deck": "counted-desk"})
    deck["title"] = "Counted, second version"
    assert http.put("/api/studio/decks/counted-desk", json={"deck": deck}, headers=auth).get_json()["version"] == 2
    http.post("/api/rooms", json={"deck": "counted-desk"})
    listed = next(d for d in http.get("/api/studio/decks", headers=auth).get_json()["decks"] if d["id"] == "counted-desk")
    assert listed["rooms"] == 2
    versions = http.get("/api/studio/decks/counted-desk/versions", headers=auth).get_json()["versions"]
    assert [(v["version"], v["rooms"]) for v in versions] == [(2, 1), (1, 1)]


def test_one_deck_in_full_with_its_studio_facts(http, auth):
    body = http.get(f"/api/studio/decks/{EN}", headers=auth).get_json()
    assert set(body) == {"deck", "version", "updated_ms", "builtin", "archived", "based_on", "untranslated"}
    assert body["deck"]["cards"][0]["customer"]["opening_line"]  # the briefs: the trainer reads everything
    assert body["untranslated"] == [] and body["builtin"] is True
    refused(http.get("/api/studio/decks/no-such-deck", headers=auth), 404, "not_found", "deck")


# -- validating -------------------------------------------------------------------------
def test_validate_answers_every_problem_with_the_validators_paths(http, auth):
    deck = default_deck(http, auth)
    good = http.post("/api/studio/validate", json={"deck": deck}, headers=auth)
    assert good.status_code == 200
    assert good.get_json() == {"ok": True, "problems": [], "summary": {"cards": len(deck["cards"]), "steps": len(deck["steps"])}}
    deck["cards"][2]["customer"]["start_temperature"] = 11
    deck["steps"][1]["key"] = deck["steps"][0]["key"]
    del deck["cards"][0]["title"]
    body = http.post("/api/studio/validate", json={"deck": deck}, headers=auth).get_json()
    assert body["ok"] is False
    paths = {p["path"]: p["message"] for p in body["problems"]}
    assert paths["cards[2].customer.start_temperature"] == "must be between 0 and 10"
    assert paths["cards[0].title"] == "required"
    assert "repeats the key" in paths["steps[1].key"]


def test_validate_is_the_same_validator_as_uploads_and_the_cli(http, auth, tmp_path):
    """One piece of server code: POST /api/decks, `calmroom decks validate` and the studio find the same problems."""
    from calmroom.cli import main

    deck = default_deck(http, auth)
    deck["id"] = "Not An Id"
    deck["cards"][1]["difficulty"] = 9
    deck["scale"]["labels"]["7"] = "off the scale"
    studio = http.post("/api/studio/validate", json={"deck": deck}, headers=auth).get_json()["problems"]
    upload = http.post("/api/decks", data=json.dumps(deck), content_type="application/json", headers=auth)
    assert upload.status_code == 422
    assert studio == upload.get_json()["errors"] and len(studio) == 3
    path = tmp_path / "deck.json"
    path.write_text(json.dumps(deck), encoding="utf-8")
    import contextlib, io  # noqa: E401

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["decks", "validate", str(path)]) == 1
    assert sorted(out.getvalue().splitlines()) == sorted(f"{path}: {p['path']}: {p['message']}" for p in studio)


def test_validate_refuses_a_body_that_is_not_a_deck_request(http, auth):
    refused(http.post("/api/studio/validate", json={"deck": [1, 2]}, headers=auth), 400, "invalid", "deck")
    refused(http.post("/api/studio/validate", json={"title": "x"}, headers=auth), 400, "invalid")
    refused(http.post("/api/studio/validate", json={"deck": {}, "extra": 1}, headers=auth), 400, "invalid", "extra")
    refused(http.post("/api/studio/validate", data="{not json", content_type="application/json", headers=auth),
            400, "invalid")


def test_a_limit_crossed_inside_the_deck_is_a_problem_at_its_path(http, auth):
    deck = default_deck(http, auth)
    deck["cards"][0]["customer"].update({f"k{i}": i for i in range(250)})
    body = http.post("/api/studio/validate", json={"deck": deck}, headers=auth).get_json()
    assert body["ok"] is False
    assert body["problems"] == [{"path": "cards[0].customer", "message": "has more than 200 keys; a deck mapping needs a dozen",
                                  "code": "too_many_keys", "params": {"max": 200}}]
    saved = http.post("/api/studio/decks", json={"deck": {**deck, "id": "many-keys"}}, headers=auth)
    assert refused(saved, 422, "invalid", "cards[0].customer")["errors"] == body["problems"]
    # JSON nested past the bound is refused before it is parsed (where is a character, not a path)
    deep = {**default_deck(http, auth), "description": json.loads("[" * 30 + "]" * 30)}
    body = refused(http.post("/api/studio/validate", json={"deck": deep}, headers=auth), 400, "invalid")
    assert "nested deeper than 20 levels" in body["error"]["message"]


def test_a_repeated_key_or_a_nan_in_the_request_is_refused_with_its_path(http, auth):
    deck = default_deck(http, auth)
    text = json.dumps({"deck": deck}).replace('"language": ', '"language": "de", "language": ', 1)
    body = http.post("/api/studio/validate", data=text, content_type="application/json", headers=auth).get_json()
    assert body["ok"] is False
    assert body["problems"] == [{"path": "language", "message": "repeated key; each key may appear once", "code": "repeated_field", "params": {}}]
    text = json.dumps({"deck": deck}).replace('"start_temperature": ', '"start_temperature": NaN, "x": ', 1)
    refused(http.post("/api/studio/validate", data=text, content_type="application/json", headers=auth), 400, "invalid")


# -- saving -----------------------------------------------------------------------------
def test_a_new_deck_is_saved_and_an_id_is_saved_once(http, auth):
    deck = {**default_deck(http, auth), "id": "new-desk", "title": "Our desk"}
    res = http.post("/api/studio/decks", json={"deck": deck}, headers=auth)
    assert res.status_code == 201
    assert res.get_json()["version"] == 1 and res.get_json()["deck"]["title"] == "Our desk"
    assert http.get("/api/studio/decks/new-desk", headers=auth).get_json()["deck"] == res.get_json()["deck"]
    refused(http.post("/api/studio/decks", json={"deck": deck}, headers=auth), 409, "conflict", "id")
    refused(http.post("/api/studio/decks", json={"deck": {**deck, "id": EN}}, headers=auth), 409, "conflict", "id")


def test_an_invalid_deck_is_not_saved_and_its_paths_are_listed(http, auth):
    deck = {**default_deck(http, auth), "id": "broken-desk"}
    deck["cards"][3]["customer"]["start_temperature"] = -1
    body = refused(http.post("/api/studio/decks", json={"deck": deck}, headers=auth), 422, "invalid",
                   "cards[3].customer.start_temperature")
    assert body["errors"] == [{"path": "cards[3].customer.start_temperature", "message": "must be between 0 and 10",
                               "code": "number_range", "params": {"min": 0, "max": 10}}]
    refused(http.get("/api/studio/decks/broken-desk", headers=auth), 404, "not_found")


def test_a_save_is_a_new_version_and_the_same_content_the_same_version(http, auth):
    deck = own_deck(http, auth, "saved-desk")
    room = http.post("/api/rooms", json={"deck": "saved-desk"}).get_json()
    deck["steps"][0]["label"] = "Let them talk"
    res = http.put("/api/studio/decks/saved-desk", json={"deck": deck}, headers=auth)
    assert res.status_code == 200 and res.get_json()["version"] == 2
    again = http.put("/api/studio/decks/saved-desk", json={"deck": deck}, headers=auth)
    assert again.status_code == 200 and again.get_json()["version"] == 2
    # the room keeps the version it started with
    kept = http.get(f"/api/decks/saved-desk?room={room['code']}", headers={"Authorization": f"Bearer {room['facilitator_token']}"})
    assert kept.get_json()["version"] == 1 and kept.get_json()["steps"][0]["label"] != "Let them talk"


def test_a_save_refuses_a_default_deck_another_id_and_an_unknown_deck(http, auth):
    deck = default_deck(http, auth)
    refused(http.put(f"/api/studio/decks/{EN}", json={"deck": deck}, headers=auth), 403, "forbidden", "id")
    mine = own_deck(http, auth, "mine-desk")
    body = refused(http.put("/api/studio/decks/mine-desk", json={"deck": {**mine, "id": "other-desk"}}, headers=auth),
                   422, "invalid", "id")
    assert body["errors"][0]["path"] == "id"
    refused(http.put("/api/studio/decks/ghost-desk", json={"deck": {**mine, "id": "ghost-desk"}}, headers=auth),
            404, "not_found", "deck")


# -- refusals of every route ------------------------------------------------------------
ROUTES = [
    ("get", "/api/studio/decks", None),
    ("get", f"/api/studio/decks/{EN}", None),
    ("get", f"/api/studio/decks/{EN}/versions", None),
    ("get", f"/api/studio/decks/{EN}/versions/1", None),
    ("get", f"/api/studio/decks/{EN}/diff?from=1&to=1", None),
    ("get", f"/api/studio/decks/{EN}/parity/angry-customer-nl", None),
    ("get", f"/api/studio/decks/{EN}/export", None),
    ("post", "/api/studio/validate", {"deck": {}}),
    ("post", "/api/studio/decks", {"deck": {}}),
    ("put", f"/api/studio/decks/{EN}", {"deck": {}}),
    ("post", f"/api/studio/decks/{EN}/copy", {"id": "x-copy"}),
    ("post", f"/api/studio/decks/{EN}/translate", {"id": "x-nl", "language": "nl"}),
    ("post", f"/api/studio/decks/{EN}/restore", {"version": 1}),
    ("post", f"/api/studio/decks/{EN}/archive", {"archived": True}),
    ("delete", f"/api/studio/decks/{EN}", None),
    ("post", "/api/studio/import", {"deck": {}}),
    ("post", "/api/studio/preview", {"deck": {}, "card": "x"}),
    ("post", "/api/studio/test-room", {"deck": {}}),
]
CHANGING = [r for r in ROUTES if r[0] != "get"]


@pytest.mark.parametrize("method,path,body", ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES])
def test_every_route_needs_the_trainer_credential(http, method, path, body):
    for headers in ({}, {"Authorization": "Bearer not-the-key"}, {"Authorization": "Basic eDp5"}):
        res = getattr(http, method)(path, json=body, headers=headers)
        refused(res, 401, "unauthorized", "Authorization")


@pytest.mark.parametrize("method,path,body", CHANGING, ids=[f"{m} {p}" for m, p, _ in CHANGING])
def test_no_change_from_another_sites_page(http, auth, method, path, body):
    before = http.get("/api/studio/decks", headers=auth).get_json()
    res = getattr(http, method)(path, json=body, headers={**auth, "Origin": "https://evil.example"})
    refused(res, 403, "forbidden", "Origin")
    res = getattr(http, method)(path, json=body, headers={**auth, "Sec-Fetch-Site": "cross-site"})
    refused(res, 403, "forbidden", "Sec-Fetch-Site")
    assert http.get("/api/studio/decks", headers=auth).get_json() == before


@pytest.mark.parametrize("method,path,body", [r for r in CHANGING if r[0] != "delete"],
                         ids=[f"{m} {p}" for m, p, _ in CHANGING if m != "delete"])
def test_a_simple_cross_site_content_type_is_refused(http, auth, method, path, body):
    res = getattr(http, method)(path, data=json.dumps(body), content_type="text/plain", headers=auth)
    refused(res, 415, "invalid", "Content-Type")


def test_a_body_over_the_deck_limit_is_too_large(http, auth):
    deck = default_deck(http, auth)
    deck["description"] = "x" * (MAX_DECK_BYTES + 10)
    for path in ("/api/studio/validate", "/api/studio/decks", "/api/studio/preview", "/api/studio/test-room"):
        res = http.post(path, json={"deck": deck}, headers=auth)
        refused(res, 413, "too_large")
    res = http.post("/api/studio/import", data=b"id: x\n" + b"#" * (MAX_DECK_BYTES + 10), content_type="text/yaml",
                    headers=auth)
    refused(res, 413, "too_large")

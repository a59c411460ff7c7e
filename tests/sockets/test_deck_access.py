"""Who reads which part of a deck, and who may change decks (issue 12, items
3 and 4): briefs only with a trainer credential or the room's facilitator
token; uploads only with a trainer credential, never under a default deck's
id; only JSON and YAML bodies; no state change from another site's page."""
from __future__ import annotations

import json

import pytest
import yaml

from calmroom.app import create_app
from calmroom.config import TestConfig
from calmroom.services.trainers import TrainerKeys
from calmroom.store import models

PUBLIC_CARD_KEYS = {"id", "title", "difficulty", "setting", "steps"}


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def strings(value) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(strings(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(strings(v) for v in value)) if value else set()
    return set()


def refused(res, status: int, code: str, field: str) -> dict:
    assert res.status_code == status, (res.status_code, res.get_json())
    body = res.get_json()
    assert body["ok"] is False and body["error"]["code"] == code, body
    assert field in body["error"]["fields"], body
    return body


def deck_yaml(text: str, deck_id: str, title: str) -> bytes:
    return text.replace("id: test-deck", f"id: {deck_id}").replace("title: Test deck", f"title: {title}").encode()


# -- reading -----------------------------------------------------------------------------------------
def test_without_credentials_a_deck_shows_no_brief(make_room, http, trainer_token):
    make_room()
    full = http.get("/api/decks/test-deck", headers=bearer(trainer_token)).get_json()
    public = http.get("/api/decks/test-deck")
    assert public.status_code == 200
    body = public.get_json()
    assert body["view"] == "public" and body["id"] == "test-deck" and body["version"] == full["version"]
    assert body["title"] == "Test deck" and body["language"] == "en" and body["scale"] == full["scale"]
    assert body["steps"] == full["steps"]  # the rubric with its look-fors
    assert [set(c) <= PUBLIC_CARD_KEYS for c in body["cards"]] == [True, True]
    assert [c["title"] for c in body["cards"]] == ["The sofa that never came", "Lost parcel"]
    text = json.dumps(body)
    for card in full["cards"]:
        for secret in strings(card["customer"]) | strings(card["agent"]):
            assert secret not in text, secret


def test_a_trainer_reads_every_brief(make_room, http, trainer_token):
    make_room()
    body = http.get("/api/decks/test-deck", headers=bearer(trainer_token)).get_json()
    assert body["view"] == "full"
    assert body["cards"][0]["customer"]["opening_line"] == "Where is my sofa?"
    assert body["cards"][0]["agent"]["briefing"] == "The truck broke down."


def test_the_deck_list_shows_no_brief(make_room, http, trainer_token):
    make_room()
    listed = http.get("/api/decks").get_json()["decks"]
    full = http.get("/api/decks/test-deck", headers=bearer(trainer_token)).get_json()
    text = json.dumps(listed)
    assert "Where is my sofa?" not in text and "The truck broke down." not in text
    mine = next(d for d in listed if d["id"] == "test-deck")
    assert mine["builtin"] is False and mine["cards"] == len(full["cards"])
    assert all(d["builtin"] for d in listed if d["id"].startswith("angry-customer"))


def test_a_wrong_credential_is_refused_not_downgraded(make_room, http):
    make_room()
    refused(http.get("/api/decks/test-deck", headers=bearer("guessed")), 401, "unauthorized", "Authorization")


def test_the_facilitator_opens_the_deck_version_of_their_room(make_room, http, minimal_deck_text, trainer_token):
    http.post("/api/decks", data=deck_yaml(minimal_deck_text, "room-deck", "First"), content_type="application/yaml",
              headers=bearer(trainer_token))
    room = make_room("room-deck")
    v2 = deck_yaml(minimal_deck_text, "room-deck", "Second")
    assert http.post("/api/decks", data=v2, content_type="application/yaml", headers=bearer(trainer_token)).status_code == 201
    res = http.get(f"/api/decks/room-deck?room={room.code.lower()}", headers=bearer(room.token))
    assert res.status_code == 200
    body = res.get_json()
    assert body["view"] == "full" and body["title"] == "First" and body["version"] == 1
    assert body["cards"][0]["customer"]["opening_line"] == "Where is my sofa?"
    # the facilitator token alone does not open the deck's newest version
    refused(http.get("/api/decks/room-deck", headers=bearer(room.token)), 401, "unauthorized", "Authorization")
    # a trainer may ask for a room's version too
    assert http.get(f"/api/decks/room-deck?room={room.code}", headers=bearer(trainer_token)).get_json()["version"] == 1


def test_a_room_opens_only_its_own_deck(make_room, http):
    room, other = make_room(), make_room()
    refused(http.get(f"/api/decks/test-deck?room={room.code}"), 401, "unauthorized", "Authorization")
    refused(http.get(f"/api/decks/test-deck?room={room.code}", headers=bearer(other.token)), 401, "unauthorized",
            "Authorization")
    refused(http.get(f"/api/decks/angry-customer-en?room={room.code}", headers=bearer(room.token)), 404, "not_found", "deck")
    refused(http.get("/api/decks/test-deck?room=ZZZZZZ", headers=bearer(room.token)), 404, "not_found", "room")


def test_fields_the_public_view_does_not_know_stay_out_of_it(app, http):
    """Another deck field (facilitator notes, after-care) must be added to the
    whitelist on purpose before anyone without a credential reads it."""
    body = yaml.safe_load(open(__import__("pathlib").Path(__file__).parents[1] / "data" / "minimal-deck.yaml").read())
    body["id"] = "future-deck"
    body["after_care"] = "SECRET-AFTER-CARE"
    body["scale"]["facilitator"] = "SECRET-SCALE"
    body["steps"][0]["facilitator"] = "SECRET-STEP"
    body["cards"][0]["facilitator"] = {"notes": "SECRET-CARD"}
    body["cards"][0]["variants"] = ["SECRET-VARIANT"]
    with app.extensions["calmroom"].sessions() as session, session.begin():
        session.add(models.DeckRow(deck_id="future-deck", version=1, title="Future", language="en", body=body,
                                   content_hash="0" * 64, builtin=False, created_ms=0))
    res = http.get("/api/decks/future-deck")
    assert res.status_code == 200
    assert "SECRET" not in res.get_data(as_text=True)
    assert res.get_json()["cards"][0]["title"] == "The sofa that never came"


# -- changing ----------------------------------------------------------------------------------------
def test_upload_needs_a_trainer_credential(http, minimal_deck_text):
    data = deck_yaml(minimal_deck_text, "sneaky-deck", "Sneaky")
    refused(http.post("/api/decks", data=data, content_type="application/yaml"), 401, "unauthorized", "Authorization")
    refused(http.post("/api/decks", data=data, content_type="application/yaml", headers=bearer("guess")), 401,
            "unauthorized", "Authorization")
    assert http.get("/api/decks/sneaky-deck").status_code == 404


def test_a_facilitator_token_is_no_trainer_credential(make_room, http, minimal_deck_text):
    room = make_room()
    data = deck_yaml(minimal_deck_text, "sneaky-deck", "Sneaky")
    refused(http.post("/api/decks", data=data, content_type="application/yaml", headers=bearer(room.token)), 401,
            "unauthorized", "Authorization")
    refused(http.get("/api/decks/angry-customer-en", headers=bearer(room.token)), 401, "unauthorized", "Authorization")


def test_a_default_deck_changes_only_through_its_file(http, minimal_deck_text, trainer_token):
    before = http.get("/api/decks/angry-customer-en", headers=bearer(trainer_token)).get_json()
    data = deck_yaml(minimal_deck_text, "angry-customer-en", "Hijacked")
    refused(http.post("/api/decks", data=data, content_type="application/yaml", headers=bearer(trainer_token)), 403,
            "forbidden", "id")
    after = http.get("/api/decks/angry-customer-en", headers=bearer(trainer_token)).get_json()
    assert after == before
    made = http.post("/api/rooms", json={"deck": "angry-customer-en"}).get_json()
    assert http.get(f"/api/rooms/{made['code']}").get_json()["deck"]["title"] == before["title"]


def test_a_new_trainer_link_revokes_the_old_one(app, http, minimal_deck_text):
    keys = TrainerKeys(app.extensions["calmroom"].sessions)
    old = keys.make_new()
    new = keys.make_new()
    data = deck_yaml(minimal_deck_text, "fresh-deck", "Fresh")
    refused(http.post("/api/decks", data=data, content_type="application/yaml", headers=bearer(old)), 401,
            "unauthorized", "Authorization")
    assert http.post("/api/decks", data=data, content_type="application/yaml", headers=bearer(new)).status_code == 201


def test_the_first_credential_is_made_once(app):
    keys = TrainerKeys(app.extensions["calmroom"].sessions)
    first = keys.make_first()
    assert first and keys.is_trainer(first)
    assert keys.make_first() is None  # a second worker (or a restart) makes none
    assert keys.is_trainer(first)


@pytest.fixture
def admin_app(tmp_path):
    app, _ = create_app(TestConfig(database_url=f"sqlite:///{tmp_path / 'admin.db'}", async_mode="threading",
                                   admin_token="configured-admin-token"))
    yield app
    app.extensions["calmroom"].engine.dispose()


def test_the_configured_admin_token_is_a_trainer_credential(admin_app, minimal_deck_text):
    http = admin_app.test_client()
    data = deck_yaml(minimal_deck_text, "admin-deck", "Admin")
    refused(http.post("/api/decks", data=data, content_type="application/yaml", headers=bearer("configured-admin")), 401,
            "unauthorized", "Authorization")
    res = http.post("/api/decks", data=data, content_type="application/yaml", headers=bearer("configured-admin-token"))
    assert res.status_code == 201
    full = http.get("/api/decks/admin-deck", headers=bearer("configured-admin-token")).get_json()
    assert full["cards"][0]["customer"]["opening_line"] == "Where is my sofa?"


# -- content types -----------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/api/decks", "/api/decks/validate"])
@pytest.mark.parametrize("mimetype", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", None])
def test_deck_bodies_must_say_json_or_yaml(http, minimal_deck_text, trainer_token, path, mimetype):
    data = deck_yaml(minimal_deck_text, "typed-deck", "Typed")
    headers = {**bearer(trainer_token), **({"Content-Type": mimetype} if mimetype else {})}
    refused(http.post(path, data=data, headers=headers), 415, "invalid", "Content-Type")
    assert http.get("/api/decks/typed-deck").status_code == 404


@pytest.mark.parametrize("mimetype", ["application/yaml", "application/x-yaml", "text/yaml"])
def test_every_yaml_type_is_accepted(http, minimal_deck_text, mimetype):
    assert http.post("/api/decks/validate", data=minimal_deck_text.encode(), content_type=mimetype).status_code == 200


@pytest.mark.parametrize("mimetype", ["text/plain", "application/yaml", "application/x-www-form-urlencoded"])
def test_creating_a_room_needs_json(http, mimetype):
    res = http.post("/api/rooms", data=json.dumps({"deck": "angry-customer-en"}), content_type=mimetype)
    refused(res, 415, "invalid", "Content-Type")


# -- other sites ---------------------------------------------------------------------------------------
def test_another_sites_page_changes_nothing(make_room, http, minimal_deck_text, trainer_token):
    room = make_room()
    evil = {"Origin": "https://evil.example"}
    refused(http.post("/api/rooms", json={"deck": "test-deck"}, headers=evil), 403, "forbidden", "Origin")
    refused(http.post("/api/decks", data=deck_yaml(minimal_deck_text, "evil-deck", "Evil"),
                      content_type="application/yaml", headers={**evil, **bearer(trainer_token)}), 403, "forbidden", "Origin")
    refused(http.delete(f"/api/rooms/{room.code}", headers={**evil, **bearer(room.token)}), 403, "forbidden", "Origin")
    refused(http.post("/api/rooms", json={"deck": "test-deck"}, headers={"Origin": "null"}), 403, "forbidden", "Origin")
    refused(http.post("/api/rooms", json={"deck": "test-deck"}, headers={"Sec-Fetch-Site": "cross-site"}), 403,
            "forbidden", "Sec-Fetch-Site")
    refused(http.post("/api/rooms", json={"deck": "test-deck"}, headers={"Sec-Fetch-Site": "same-site"}), 403,
            "forbidden", "Sec-Fetch-Site")
    assert http.get("/api/decks/evil-deck").status_code == 404
    assert http.get(f"/api/rooms/{room.code}").status_code == 200  # still there
    # reading is not a change: another site may still GET what is public
    assert http.get("/api/decks", headers=evil).status_code == 200


def test_the_own_page_and_plain_clients_may_change_things(http):
    own = {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}
    assert http.post("/api/rooms", json={"deck": "angry-customer-en"}, headers=own).status_code == 201
    assert http.post("/api/rooms", json={"deck": "angry-customer-en"}).status_code == 201  # curl, the CLI, bots


@pytest.fixture
def public_app(tmp_path):
    app, _ = create_app(TestConfig(database_url=f"sqlite:///{tmp_path / 'public.db'}", async_mode="threading",
                                   public_url="https://calm.example"))
    yield app
    app.extensions["calmroom"].engine.dispose()


def test_with_a_public_url_only_that_origin_may_change_things(public_app):
    http = public_app.test_client()
    body = {"deck": "angry-customer-en"}
    assert http.post("/api/rooms", json=body, headers={"Origin": "https://calm.example"}).status_code == 201
    refused(http.post("/api/rooms", json=body, headers={"Origin": "http://calm.example"}), 403, "forbidden", "Origin")
    refused(http.post("/api/rooms", json=body, headers={"Origin": "http://localhost"}), 403, "forbidden", "Origin")


@pytest.mark.parametrize("deck_id", ["angry-customer-nl", "angry-customer-en", "aggressive-customer-nl", "aggressive-customer-en"])
def test_the_public_view_of_a_default_deck_has_no_brief_note_or_after_care(http, deck_id):
    body = http.get(f"/api/decks/{deck_id}").get_json()
    assert body["view"] == "public" and "facilitator" not in body
    for card in body["cards"]:
        assert set(card) <= {"id", "title", "difficulty", "setting", "steps", "channel", "play_minutes"}
        assert card["channel"]  # every second-edition card says where it is played

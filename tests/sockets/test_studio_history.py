"""A deck's life in the studio (issue 16): copies of default decks, versions,
what changed between two, restoring one, the other language and its parity
check, archiving (hidden from the public list, rooms and results keep
working), deleting (never a deck a room used), and YAML out and in that
round-trips every default deck. On SQLite and PostgreSQL."""
from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.databases import shared_app

from calmroom.decks import MAX_DECK_BYTES, deck_to_dict, load_deck_file, load_deck_text

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DECKS = sorted(p.stem for p in (ROOT / "decks").glob("*.yaml"))
EN, NL = "angry-customer-en", "angry-customer-nl"


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def app_and_io(request, tmp_path_factory):
    yield from shared_app(request, tmp_path_factory, "studio-history")


@pytest.fixture
def auth(trainer_token) -> dict:
    return {"Authorization": f"Bearer {trainer_token}"}


def ok(res, status: int = 200) -> dict:
    assert res.status_code == status, (res.status_code, res.get_json())
    return res.get_json()


def refused(res, status: int, code: str, field: str | None = None) -> dict:
    assert res.status_code == status, (res.status_code, res.get_json())
    body = res.get_json()
    assert body["ok"] is False and body["error"]["code"] == code, body
    if field is not None:
        assert field in body["error"]["fields"], body
    return body


def adapt(http, auth, new_id: str, source: str = EN) -> dict:
    return ok(http.post(f"/api/studio/decks/{source}/copy", json={"id": new_id}, headers=auth), 201)["deck"]


def save(http, auth, deck: dict) -> int:
    return ok(http.put(f"/api/studio/decks/{deck['id']}", json={"deck": deck}, headers=auth))["version"]


# -- copies -----------------------------------------------------------------------------
def test_a_default_deck_is_copied_to_be_adapted(http, auth):
    res = ok(http.post(f"/api/studio/decks/{EN}/copy", json={"id": "our-desk", "title": "Our service desk"},
                       headers=auth), 201)
    source = ok(http.get(f"/api/studio/decks/{EN}", headers=auth))["deck"]
    assert res["based_on"] == EN and res["version"] == 1
    assert res["deck"] == {**source, "id": "our-desk", "title": "Our service desk"}
    got = ok(http.get("/api/studio/decks/our-desk", headers=auth))
    assert got["based_on"] == EN and got["builtin"] is False
    listed = {d["id"]: d for d in ok(http.get("/api/studio/decks", headers=auth))["decks"]}
    assert listed["our-desk"]["based_on"] == EN
    # the copy is a deck of its own: it can change, the default deck cannot
    deck = got["deck"]
    deck["steps"][0]["label"] = "Laat ze uitrazen"
    assert save(http, auth, deck) == 2
    assert ok(http.get(f"/api/studio/decks/{EN}", headers=auth))["deck"] == source


def test_a_copy_refuses_a_taken_or_bad_id_and_an_unknown_source(http, auth):
    refused(http.post(f"/api/studio/decks/{EN}/copy", json={"id": NL}, headers=auth), 409, "conflict", "id")
    body = refused(http.post(f"/api/studio/decks/{EN}/copy", json={"id": "Bad Id"}, headers=auth), 422, "invalid", "id")
    assert body["errors"] == [{"path": "id", "message": "must be 3–60 of a-z, 0-9 and -", "code": "id_form", "params": {"min": 3, "max": 60}}]
    refused(http.post(f"/api/studio/decks/{EN}/copy", json={}, headers=auth), 400, "invalid", "id")
    refused(http.post("/api/studio/decks/nothing-here/copy", json={"id": "abc-copy"}, headers=auth), 404, "not_found")


# -- versions, diff, restore ------------------------------------------------------------
def test_history_diff_by_field_and_restore(http, auth):
    deck = adapt(http, auth, "history-desk")
    first = copy.deepcopy(deck)
    deck["steps"][0]["label"] = "Let them talk"
    deck["cards"][1]["customer"]["start_temperature"] = 3
    new_card = {**copy.deepcopy(deck["cards"][0]), "id": "our-own-card", "title": "Our own card"}
    deck["cards"].insert(0, new_card)
    del deck["description"]
    assert save(http, auth, deck) == 2

    versions = ok(http.get("/api/studio/decks/history-desk/versions", headers=auth))["versions"]
    assert [v["version"] for v in versions] == [2, 1] and all(v["rooms"] == 0 for v in versions)
    assert ok(http.get("/api/studio/decks/history-desk/versions/1", headers=auth))["deck"] == first
    assert ok(http.get("/api/studio/decks/history-desk/versions/2", headers=auth))["deck"] == deck

    diff = ok(http.get("/api/studio/decks/history-desk/diff?from=1&to=2", headers=auth))
    changes = {(c["path"], c["kind"]): c for c in diff["changes"]}
    assert changes[("steps[0].label", "changed")]["after"] == "Let them talk"
    assert changes[("steps[0].label", "changed")]["before"] == first["steps"][0]["label"]
    # the cards are matched by id: the inserted card is one addition, the moved card keeps its changes
    assert changes[("cards[0]", "added")]["after"]["id"] == "our-own-card"
    temp = changes[("cards[2].customer.start_temperature", "changed")]
    assert (temp["before"], temp["after"]) == (first["cards"][1]["customer"]["start_temperature"], 3)
    assert changes[("description", "removed")]["before"] == first["description"]
    assert len(diff["changes"]) == 4, diff["changes"]

    restored = ok(http.post("/api/studio/decks/history-desk/restore", json={"version": 1}, headers=auth), 201)
    assert restored["version"] == 3 and restored["deck"] == first
    same = ok(http.post("/api/studio/decks/history-desk/restore", json={"version": 3}, headers=auth))
    assert same["version"] == 3
    assert ok(http.get("/api/studio/decks/history-desk/diff?from=1&to=3", headers=auth))["changes"] == []


def test_history_refusals(http, auth):
    adapt(http, auth, "lonely-desk")
    refused(http.get("/api/studio/decks/lonely-desk/versions/9", headers=auth), 404, "not_found", "version")
    refused(http.get("/api/studio/decks/lonely-desk/diff?from=1&to=9", headers=auth), 404, "not_found", "to")
    refused(http.get("/api/studio/decks/lonely-desk/diff?from=one&to=1", headers=auth), 400, "invalid", "from")
    refused(http.get("/api/studio/decks/lonely-desk/diff", headers=auth), 400, "invalid", "from")
    refused(http.get("/api/studio/decks/nowhere-desk/versions", headers=auth), 404, "not_found", "deck")
    refused(http.post(f"/api/studio/decks/{EN}/restore", json={"version": 1}, headers=auth), 403, "forbidden", "id")
    refused(http.post("/api/studio/decks/lonely-desk/restore", json={"version": 0}, headers=auth), 400, "invalid",
            "version")


# -- two languages ----------------------------------------------------------------------
def test_the_other_language_keeps_ids_and_marks_every_text(http, auth):
    res = ok(http.post(f"/api/studio/decks/{EN}/translate", json={"id": "desk-nl", "language": "nl"}, headers=auth), 201)
    source = ok(http.get(f"/api/studio/decks/{EN}", headers=auth))["deck"]
    deck = res["deck"]
    assert deck["language"] == "nl" and res["based_on"] == EN
    assert [s["key"] for s in deck["steps"]] == [s["key"] for s in source["steps"]]
    assert [c["id"] for c in deck["cards"]] == [c["id"] for c in source["cards"]]
    marked = set(res["untranslated"])
    assert {"title", "steps[0].label", "steps[0].look_for[0]", "cards[0].setting", "cards[0].customer.opening_line",
            "cards[0].agent.briefing", "scale.labels.0"} <= marked
    assert not any(p.endswith((".id", ".key", ".channel")) or p == "language" for p in marked)
    assert not any(p.startswith("cards[0].steps") for p in marked)
    assert ok(http.get("/api/studio/decks/desk-nl/parity/" + EN, headers=auth)) == {"ok": True, "problems": []}

    # translating a text takes it off the list; the others stay
    deck["cards"][0]["customer"]["opening_line"] = "Waar is mijn bank?"
    deck["title"] = "De boze klant"
    assert save(http, auth, deck) == 2
    left = ok(http.get("/api/studio/decks/desk-nl", headers=auth))["untranslated"]
    assert "cards[0].customer.opening_line" not in left and "title" not in left
    assert set(left) == marked - {"cards[0].customer.opening_line", "title"}


def test_moving_or_inserting_a_card_keeps_its_texts_marked(http, auth):
    res = ok(http.post(f"/api/studio/decks/{EN}/translate", json={"id": "moved-nl", "language": "nl"}, headers=auth), 201)
    deck, marked = res["deck"], set(res["untranslated"])
    first, second = deck["cards"][0], deck["cards"][1]
    # the first card moves to the end, a new card goes in front, the first step moves down
    # and the (moved) first card's opening line is translated on the way
    moved = copy.deepcopy(first)
    moved["customer"]["opening_line"] = "Waar is mijn geld?"
    fresh = {**copy.deepcopy(second), "id": "own-desk", "title": "Onze eigen balie"}
    deck["cards"] = [fresh, *deck["cards"][1:], moved]
    deck["steps"] = [deck["steps"][1], deck["steps"][0], *deck["steps"][2:]]
    assert save(http, auth, deck) == 2
    left = set(ok(http.get("/api/studio/decks/moved-nl", headers=auth))["untranslated"])
    last = len(deck["cards"]) - 1
    # the moved card's texts are still marked, at its new place; its translated line is not
    assert f"cards[{last}].setting" in left and f"cards[{last}].customer.persona" in left
    assert f"cards[{last}].customer.opening_line" not in left
    # the card that was second is still marked where it is now (it did not move)
    assert "cards[1].setting" in left
    # the new card is the trainer's own: nothing of it is marked
    assert not any(p.startswith("cards[0].") for p in left)
    # the steps follow their key: the moved first step's look-fors are marked at its new place
    assert "steps[1].label" in left and "steps[0].label" in left
    # nothing else was lost: every marked text of the old places is marked at its new one
    assert len(left) == len(marked) - 1
    # a text changed later leaves the list, wherever its card is now
    deck["cards"][last]["setting"] = "Aan de balie van het postkantoor"
    assert save(http, auth, deck) == 3
    left = set(ok(http.get("/api/studio/decks/moved-nl", headers=auth))["untranslated"])
    assert f"cards[{last}].setting" not in left and f"cards[{last}].customer.persona" in left


def test_the_other_language_must_be_another(http, auth):
    refused(http.post(f"/api/studio/decks/{EN}/translate", json={"id": "desk-en2", "language": "en"}, headers=auth),
            422, "invalid", "language")
    refused(http.post(f"/api/studio/decks/{EN}/translate", json={"id": NL, "language": "nl"}, headers=auth),
            409, "conflict", "id")


def test_parity_finds_each_difference_of_structure(http, auth):
    deck = adapt(http, auth, "drifted-desk", NL)
    deck["steps"][1]["critical"] = not deck["steps"][1].get("critical", False)
    deck["cards"][0]["channel"] = "email" if deck["cards"][0].get("channel") != "email" else "chat"
    deck["cards"][2]["id"] = "renamed-card"
    deck["cards"][3]["customer"]["start_temperature"] = (deck["cards"][3]["customer"]["start_temperature"] + 1) % 10
    save(http, auth, deck)
    body = ok(http.get(f"/api/studio/decks/drifted-desk/parity/{EN}", headers=auth))
    assert body["ok"] is False
    paths = {p["path"] for p in body["problems"]}
    assert paths == {"steps[1].critical", "cards[0].channel", "cards", "cards[3].customer.start_temperature"}
    assert all(EN in p["message"] for p in body["problems"])
    # each with a code and its values, for the studio to say in the trainer's language
    channel = next(p for p in body["problems"] if p["path"] == "cards[0].channel")
    assert channel["code"] == "parity" and channel["params"]["other"] == EN
    assert channel["params"]["here"] == deck["cards"][0]["channel"]
    refused(http.get("/api/studio/decks/drifted-desk/parity/nothing-desk", headers=auth), 404, "not_found", "other")


# -- archive and delete -----------------------------------------------------------------
def test_an_archived_deck_is_hidden_from_the_landing_page_but_its_rooms_keep_working(http, auth, make_room_on):
    adapt(http, auth, "old-desk")
    room = make_room_on("old-desk")
    fac = {"Authorization": f"Bearer {room.token}"}
    assert ok(http.post("/api/studio/decks/old-desk/archive", json={"archived": True}, headers=auth)) == \
        {"id": "old-desk", "archived": True}
    assert "old-desk" not in [d["id"] for d in ok(http.get("/api/decks"))["decks"]]
    listed = {d["id"]: d for d in ok(http.get("/api/studio/decks", headers=auth))["decks"]}
    assert listed["old-desk"]["archived"] is True and listed["old-desk"]["rooms"] == 1
    # the room plays on and its results are there
    ann, bob = room.join("Ann"), room.join("Bob")
    card = ok(http.get("/api/decks/old-desk?room=" + room.code, headers=fac))["cards"][0]["id"]
    room.facilitator.ok("start_round", {"card": card, "customer": ann.id, "agent": bob.id})
    assert ok(http.get(f"/api/rooms/{room.code}/results", headers=fac))["deck"]["id"] == "old-desk"
    ok(http.post("/api/studio/decks/old-desk/archive", json={"archived": False}, headers=auth))
    assert "old-desk" in [d["id"] for d in ok(http.get("/api/decks"))["decks"]]


def test_results_name_the_deck_version_the_room_played(http, auth, make_room_on):
    deck = adapt(http, auth, "versioned-desk")
    deck["title"] = "Versioned desk, second"
    assert save(http, auth, deck) == 2
    room = make_room_on("versioned-desk")
    fac = {"Authorization": f"Bearer {room.token}"}
    deck["title"] = "Versioned desk, third"
    assert save(http, auth, deck) == 3  # saved after the room started: the room keeps version 2
    ann, bob = room.join("Ann"), room.join("Bob")
    room.facilitator.ok("start_round", {"customer": ann.id, "agent": bob.id})
    played = ok(http.get(f"/api/rooms/{room.code}/results", headers=fac))["deck"]
    assert {k: played[k] for k in ("id", "version", "draft", "title")} == \
        {"id": "versioned-desk", "version": 2, "draft": False, "title": "Versioned desk, second"}


def test_a_deck_a_room_used_is_never_deleted(http, auth, make_room_on):
    adapt(http, auth, "used-desk")
    room = make_room_on("used-desk")
    ann, bob = room.join("Ann"), room.join("Bob")
    room.facilitator.ok("start_round", {"customer": ann.id, "agent": bob.id})
    body = refused(http.delete("/api/studio/decks/used-desk", headers=auth), 409, "conflict", "id")
    assert "1 room" in body["error"]["message"]
    assert ok(http.get(f"/api/rooms/{room.code}/results", headers={"Authorization": f"Bearer {room.token}"}))["rounds"]
    refused(http.delete(f"/api/studio/decks/{EN}", headers=auth), 403, "forbidden", "id")
    refused(http.delete("/api/studio/decks/never-was", headers=auth), 404, "not_found")


def test_an_unused_deck_is_deleted_and_its_id_is_free_again(http, auth):
    adapt(http, auth, "gone-desk")
    # a room read it (this worker keeps the deck in its cache) and was deleted again
    room = ok(http.post("/api/rooms", json={"deck": "gone-desk"}), 201)
    assert ok(http.get(f"/api/rooms/{room['code']}"))["deck"]["language"] == "en"
    refused(http.delete("/api/studio/decks/gone-desk", headers=auth), 409, "conflict", "id")
    http.delete(f"/api/rooms/{room['code']}", headers={"Authorization": f"Bearer {room['facilitator_token']}"})
    assert http.delete("/api/studio/decks/gone-desk", headers=auth).status_code == 204
    refused(http.get("/api/studio/decks/gone-desk", headers=auth), 404, "not_found")
    refused(http.get("/api/decks/gone-desk"), 404, "not_found")
    assert "gone-desk" not in [d["id"] for d in ok(http.get("/api/studio/decks", headers=auth))["decks"]]
    deck = adapt(http, auth, "twice-desk")
    deck["title"] = "Second"
    save(http, auth, deck)
    assert http.delete("/api/studio/decks/twice-desk", headers=auth).status_code == 204
    refused(http.get("/api/studio/decks/twice-desk/versions/1", headers=auth), 404, "not_found")  # every version
    again = adapt(http, auth, "gone-desk", NL)
    assert ok(http.get("/api/studio/decks/gone-desk", headers=auth))["version"] == 1 and again["language"] == "nl"
    # a room on the new deck plays the new deck, not the cached old one (the deleted rows' keys are never reused)
    code = ok(http.post("/api/rooms", json={"deck": "gone-desk"}), 201)["code"]
    assert ok(http.get(f"/api/rooms/{code}"))["deck"]["language"] == "nl"


# -- YAML out and in --------------------------------------------------------------------
@pytest.mark.parametrize("deck_id", DEFAULT_DECKS)
def test_every_default_deck_exports_as_yaml_that_round_trips(http, auth, deck_id, tmp_path):
    from calmroom.cli import main

    res = http.get(f"/api/studio/decks/{deck_id}/export", headers=auth)
    assert res.status_code == 200
    assert res.headers["Content-Type"] == "text/yaml; charset=utf-8"
    assert res.headers["Content-Disposition"] == f'attachment; filename="{deck_id}.yaml"'
    original = load_deck_file(ROOT / "decks" / f"{deck_id}.yaml")
    assert load_deck_text(res.data) == original  # load(export(deck)) == deck
    path = tmp_path / f"{deck_id}.yaml"
    path.write_bytes(res.data)
    assert main(["decks", "validate", "--quiet", str(path)]) == 0
    # and the studio's import gives the editor the same deck
    imported = ok(http.post("/api/studio/import", data=res.data, content_type="text/yaml", headers=auth))
    assert imported["deck"] == deck_to_dict(original)
    assert ok(http.get(f"/api/studio/decks/{deck_id}", headers=auth))["version"] == 1  # nothing was stored


def test_import_reads_json_too_and_lists_problems_without_storing(http, auth, minimal_deck_text):
    import json

    import yaml

    data = yaml.safe_load(minimal_deck_text)
    got = ok(http.post("/api/studio/import", data=json.dumps(data), content_type="application/json", headers=auth))
    assert got["deck"]["id"] == "test-deck" and got["deck"]["cards"][0]["customer"]["opening_line"] == "Where is my sofa?"
    bad = minimal_deck_text.replace("start_temperature: 7", "start_temperature: 12")
    body = refused(http.post("/api/studio/import", data=bad, content_type="application/yaml", headers=auth), 422,
                   "invalid", "cards[0].customer.start_temperature")
    assert body["errors"][0]["path"] == "cards[0].customer.start_temperature"
    refused(http.get("/api/studio/decks/test-deck", headers=auth), 404, "not_found")


@pytest.fixture
def make_room_on(app_and_io, http):
    from helpers.members import Room

    app, io = app_and_io
    return lambda deck_id: Room(app, io, http, deck_id)


# -- the largest deck -------------------------------------------------------------------
def largest_deck(deck: dict, new_id: str) -> dict:
    """`deck` with cards added until one more would make the body the studio
    sends (compact JSON, as the browser's JSON.stringify) over the limit."""
    deck = {**copy.deepcopy(deck), "id": new_id}
    base, n = copy.deepcopy(deck["cards"]), 0
    while True:
        card = {**copy.deepcopy(base[n % len(base)]), "id": f"{base[n % len(base)]['id']}-{n}"}
        deck["cards"].append(card)
        n += 1
        if len(json.dumps({"deck": deck}, ensure_ascii=False, separators=(",", ":")).encode()) > MAX_DECK_BYTES:
            deck["cards"].pop()
            return deck


def test_the_largest_deck_the_studio_accepts_exports_to_a_file_validate_and_upload_accept(http, auth, tmp_path):
    deck = largest_deck(ok(http.get(f"/api/studio/decks/{NL}", headers=auth))["deck"], "full-desk")
    body = json.dumps({"deck": deck}, ensure_ascii=False, separators=(",", ":")).encode()
    assert MAX_DECK_BYTES - 4000 < len(body) <= MAX_DECK_BYTES
    res = http.post("/api/studio/decks", data=body, content_type="application/json", headers=auth)
    assert res.status_code == 201, res.get_json()
    exported = http.get("/api/studio/decks/full-desk/export", headers=auth)
    assert exported.status_code == 200
    text = exported.get_data()
    # written out with its usual indentation it would be over the limit; the export still fits
    assert len(text) <= MAX_DECK_BYTES
    path = tmp_path / "full-desk.yaml"
    path.write_bytes(text)
    check = subprocess.run([sys.executable, "-m", "calmroom", "decks", "validate", str(path)],
                           capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr
    assert deck_to_dict(load_deck_text(text)) == ok(http.get("/api/studio/decks/full-desk", headers=auth))["deck"]
    # and the file uploads as a hand-written deck does (the same content: the same version)
    up = http.post("/api/decks", data=text, content_type="application/yaml", headers=auth)
    assert up.status_code == 200, up.get_json()
    assert up.get_json()["version"] == 1


def test_a_deck_that_would_export_over_the_limit_is_refused_with_its_reason(http, auth):
    deck = ok(http.get(f"/api/studio/decks/{NL}", headers=auth))["deck"]
    # emoji are 4 bytes in JSON but written as \U0001F600 escapes (10) in YAML
    for card in deck["cards"]:
        card["setting"] = "\U0001F600" * 550
        card["customer"]["situation"] = "\U0001F621" * 950
    deck = largest_deck(deck, "emoji-desk")
    body = json.dumps({"deck": deck}, ensure_ascii=False, separators=(",", ":")).encode()
    assert len(body) <= MAX_DECK_BYTES
    res = http.post("/api/studio/validate", data=body, content_type="application/json", headers=auth).get_json()
    assert res["ok"] is False
    assert [(p["path"], p["code"], p["params"]) for p in res["problems"]] == [("", "export_too_large", {"limit_kb": 256})]
    refused(http.post("/api/studio/decks", data=body, content_type="application/json", headers=auth), 422, "invalid")

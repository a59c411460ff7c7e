"""Trying a deck in the studio before it is saved (issue 16): the preview of
each role's screen comes from the views the live rounds use and never gives
a player the other player's brief; a test room on an unsaved draft plays to
the review through real sockets, keeps its draft, and the draft is listed
nowhere. On SQLite and PostgreSQL."""
from __future__ import annotations

import copy

import pytest

from helpers.databases import shared_app
from helpers.members import Member

EN = "angry-customer-en"
BRIEF_KEYS = ("customer", "agent")


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def app_and_io(request, tmp_path_factory):
    yield from shared_app(request, tmp_path_factory, "studio-trials")


@pytest.fixture
def auth(trainer_token) -> dict:
    return {"Authorization": f"Bearer {trainer_token}"}


def texts(value) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(set(), *(texts(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(set(), *(texts(v) for v in value))
    return set()


def full(http, auth, deck_id: str = EN) -> dict:
    return copy.deepcopy(http.get(f"/api/studio/decks/{deck_id}", headers=auth).get_json()["deck"])


# -- preview ----------------------------------------------------------------------------
@pytest.mark.parametrize("deck_id", ["angry-customer-en", "angry-customer-nl", "aggressive-customer-nl"])
def test_the_preview_never_gives_a_player_the_other_players_brief(http, auth, deck_id):
    deck = full(http, auth, deck_id)
    for card in deck["cards"]:
        res = http.post("/api/studio/preview", json={"deck": deck, "card": card["id"]}, headers=auth)
        assert res.status_code == 200, res.get_json()
        views = res.get_json()
        assert set(views) == {"customer", "agent", "observer", "projector"}
        customer_brief = texts(card["customer"]) - texts(card["agent"]) - {card["setting"], card["title"]}
        agent_brief = texts(card["agent"]) - texts(card["customer"]) - {card["setting"], card["title"]}
        notes = texts(card.get("facilitator", {})) | texts(card.get("variants", []))
        assert not texts(views["agent"]) & customer_brief, card["id"]
        assert not texts(views["customer"]) & agent_brief, card["id"]
        for role in ("customer", "agent", "observer"):
            assert not texts(views[role]) & (notes - texts(card["customer"]) - texts(card["agent"])), (card["id"], role)
        assert views["customer"]["round"]["card"]["customer"]["opening_line"] == card["customer"]["opening_line"]
        assert views["agent"]["round"]["card"]["agent"]["briefing"] == card["agent"]["briefing"]
        assert set(BRIEF_KEYS) <= set(views["observer"]["round"]["card"])
        assert views["customer"]["you"]["role"] == "customer" and views["agent"]["you"]["role"] == "agent"
        assert views["projector"]["round"]["card"]["setting"] == card["setting"]
        assert all(v["deck"]["language"] == deck["language"] for v in views.values())


def test_the_preview_is_what_a_live_round_sends_each_role(http, auth, app_and_io, minimal_deck_text):
    """The same view functions: a real round on the same card gives each player the same card."""
    from helpers.members import Room

    app, io = app_and_io
    res = http.post("/api/decks", data=minimal_deck_text, content_type="application/yaml", headers=auth)
    assert res.status_code in (200, 201)
    deck = full(http, auth, "test-deck")
    views = http.post("/api/studio/preview", json={"deck": deck, "card": "parcel"}, headers=auth).get_json()
    room = Room(app, io, http, "test-deck")
    ann, bob, cas = room.join("Ann"), room.join("Bob"), room.join("Cas")
    room.facilitator.ok("start_round", {"card": "parcel", "customer": ann.id, "agent": bob.id})
    live = {"customer": ann.ok("sync")["state"], "agent": bob.ok("sync")["state"], "observer": cas.ok("sync")["state"],
            "projector": room.facilitator.ok("sync")["state"]}
    for role, state in live.items():
        assert views[role]["round"]["card"] == state["round"]["card"], role
        assert views[role]["phase"] == state["phase"] == "briefing"
        assert views[role]["deck"] == state["deck"]
        assert set(views[role]["round"]) == set(state["round"]), role


def test_the_preview_of_a_broken_draft_lists_its_problems(http, auth):
    deck = full(http, auth)
    refused = http.post("/api/studio/preview", json={"deck": deck, "card": "no-such-card"}, headers=auth)
    assert refused.status_code == 404 and refused.get_json()["error"]["fields"] == {"card": "the deck has no card 'no-such-card'"}
    deck["cards"][0]["agent"]["briefing"] = ""
    res = http.post("/api/studio/preview", json={"deck": deck, "card": deck["cards"][0]["id"]}, headers=auth)
    assert res.status_code == 422
    assert [e["path"] for e in res.get_json()["errors"]] == ["cards[0].agent.briefing"]
    res = http.post("/api/studio/preview", json={"deck": deck}, headers=auth)
    assert res.status_code == 400 and "card" in res.get_json()["error"]["fields"]


# -- test room --------------------------------------------------------------------------
def test_a_test_room_on_an_unsaved_draft_plays_to_the_review(http, auth, app_and_io):
    app, io = app_and_io
    draft = {**full(http, auth), "id": "draft-desk", "title": "Draft desk"}
    card = {**copy.deepcopy(draft["cards"][0]), "id": "our-counter", "title": "At our counter"}
    card["customer"]["opening_line"] = "I have been waiting for an hour!"
    draft["cards"] = [card, *draft["cards"]]
    res = http.post("/api/studio/test-room", json={"deck": draft, "title": "Trying it"}, headers=auth)
    assert res.status_code == 201, res.get_json()
    made = res.get_json()
    code, token = made["code"], made["facilitator_token"]
    assert made["console_url"].endswith(f"/host/{code}#key={token}") and made["join_url"].endswith(f"/join/{code}")

    # drafts are listed nowhere and saved nowhere
    assert "draft-desk" not in [d["id"] for d in http.get("/api/studio/decks", headers=auth).get_json()["decks"]]
    assert "draft-desk" not in [d["id"] for d in http.get("/api/decks").get_json()["decks"]]
    assert http.get("/api/studio/decks/draft-desk", headers=auth).status_code == 404
    assert not any(d["id"].startswith("~") for d in http.get("/api/decks").get_json()["decks"])

    fac = Member(io.test_client(app), "facilitator")
    state = fac.ok("host_room", {"room": code, "facilitator_token": token})["state"]
    assert state["title"] == "Trying it" and state["deck"]["id"] == "draft-desk"
    people = []
    for name in ("Ann", "Bob", "Cas"):
        m = Member(io.test_client(app), name)
        ack = m.ok("join_room", {"room": code, "name": name})
        m.id, m.token = ack["you"]["id"], ack["token"]
        people.append(m)
    ann, bob, cas = people
    fac.ok("start_round", {"card": "our-counter", "customer": ann.id, "agent": bob.id})
    assert ann.ok("sync")["state"]["round"]["card"]["customer"]["opening_line"] == "I have been waiting for an hour!"
    assert "customer" not in bob.ok("sync")["state"]["round"]["card"]
    fac.ok("begin_roleplay")
    step = draft["steps"][0]["key"]
    cas.ok("mark_step", {"id": "m1", "step": step, "rating": 2})
    fac.ok("end_roleplay")
    cas.ok("score_step", {"step": step, "rating": 3})
    fac.ok("reveal_results")
    assert fac.ok("sync")["state"]["phase"] == "review"

    # the facilitator reads the draft in full; saving the deck later does not change the room's
    bearer = {"Authorization": f"Bearer {token}"}
    played = http.get(f"/api/decks/draft-desk?room={code}", headers=bearer).get_json()
    assert played["cards"][0]["id"] == "our-counter" and played["view"] == "full"
    saved = {**draft, "cards": draft["cards"][1:]}
    assert http.post("/api/studio/decks", json={"deck": saved}, headers=auth).status_code == 201
    assert http.get(f"/api/decks/draft-desk?room={code}", headers=bearer).get_json()["cards"][0]["id"] == "our-counter"
    results = http.get(f"/api/rooms/{code}/results", headers=bearer).get_json()
    assert results["deck"]["id"] == "draft-desk" and results["rounds"][0]["card"]["id"] == "our-counter"
    # the results say it was a test draft of the studio, which has no saved version
    assert results["deck"]["draft"] is True and results["deck"]["version"] is None
    # the test room is not one of the saved deck's rooms, and the saved deck has one version
    listed = next(d for d in http.get("/api/studio/decks", headers=auth).get_json()["decks"] if d["id"] == "draft-desk")
    assert listed["rooms"] == 0 and listed["version"] == 1
    assert [v["version"] for v in http.get("/api/studio/decks/draft-desk/versions", headers=auth).get_json()["versions"]] == [1]


def test_a_test_room_refuses_a_broken_draft_and_stores_nothing(http, auth, app_and_io):
    from calmroom.store import models

    sessions = app_and_io[0].extensions["calmroom"].sessions
    with sessions() as s:
        before = s.query(models.DeckRow).count(), s.query(models.RoomRow).count()
    draft = full(http, auth)
    draft["steps"][0]["look_for"] = []
    res = http.post("/api/studio/test-room", json={"deck": draft}, headers=auth)
    assert res.status_code == 422 and res.get_json()["errors"][0]["path"] == "steps[0].look_for"
    res = http.post("/api/studio/test-room", json={"deck": full(http, auth), "duration_s": 5}, headers=auth)
    assert res.status_code == 400 and "duration_s" in res.get_json()["error"]["fields"]
    with sessions() as s:
        assert (s.query(models.DeckRow).count(), s.query(models.RoomRow).count()) == before


def test_the_same_draft_twice_is_one_hidden_version(http, auth, app_and_io):
    from calmroom.store import models

    sessions = app_and_io[0].extensions["calmroom"].sessions
    draft = {**full(http, auth), "id": "twice-drafted"}
    codes = [http.post("/api/studio/test-room", json={"deck": draft}, headers=auth).get_json()["code"] for _ in range(2)]
    assert codes[0] != codes[1]
    with sessions() as s:
        rooms = s.query(models.RoomRow).filter(models.RoomRow.code.in_(codes)).all()
        assert rooms[0].deck_pk == rooms[1].deck_pk
        assert s.get(models.DeckRow, rooms[0].deck_pk).draft is True


def test_drafts_no_room_plays_are_dropped_after_an_hour(http, auth, app_and_io):
    from calmroom.decks import check_deck
    from calmroom.store import catalogue, models

    sessions = app_and_io[0].extensions["calmroom"].sessions
    deck = check_deck({**full(http, auth), "id": "forgotten-draft"})
    now = app_and_io[0].extensions["calmroom"].decks.now_ms()
    with sessions() as s, s.begin():
        old = catalogue.store_draft(s, deck, now - catalogue.DRAFT_KEEP_MS - 1000).pk
    played = http.post("/api/studio/test-room", json={"deck": {**full(http, auth), "id": "played-draft"}}, headers=auth)
    assert played.status_code == 201
    with sessions() as s, s.begin():
        pk = s.query(models.RoomRow).filter_by(code=played.get_json()["code"]).one().deck_pk
        s.query(models.DeckRow).filter_by(pk=pk).update({"created_ms": now - catalogue.DRAFT_KEEP_MS - 1000})
    again = http.post("/api/studio/test-room", json={"deck": {**full(http, auth), "id": "another-draft"}}, headers=auth)
    assert again.status_code == 201
    with sessions() as s:
        assert s.get(models.DeckRow, old) is None  # nobody played it
        assert s.get(models.DeckRow, pk) is not None  # its room keeps it

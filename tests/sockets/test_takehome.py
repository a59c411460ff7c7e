"""A participant's own summary (GET /api/rooms/<code>/me): what each person
sees of the rounds they played and watched, read with their own token; what
stays out (others' reflections, briefs, rounds not yet revealed); and who is
refused."""
from __future__ import annotations

import json

import pytest
import yaml

from calmroom.app import create_app
from calmroom.config import TestConfig

from helpers.members import Room

GOAL = "Hear the customer out before offering anything."
GUIDANCE = ["Talk it through with a colleague.", "Do not carry it home alone."]
BRIEFS = ("Where is my sofa?", "The truck broke down.", "You lost my parcel!", "Tracking says delivered.",
          "A firm delivery date", "Busy parent")


@pytest.fixture
def notes_deck(data_dir):
    """The test deck with what the summary takes home: a learning goal on the
    sofa card and after-care guidance for the players."""
    deck = yaml.safe_load((data_dir / "minimal-deck.yaml").read_text())
    deck["id"] = "takehome-deck"
    deck["facilitator"] = {"introduction": "Facilitator only: open with a question.",
                           "aftercare": {"guidance": GUIDANCE, "when_shaken": "Facilitator only: sit with them."}}
    sofa = next(c for c in deck["cards"] if c["id"] == "sofa")
    sofa["facilitator"] = {"learning_goal": GOAL, "turning_point": "Facilitator only: the new date."}
    return deck


@pytest.fixture
def workshop(make_room, http, trainer_token, notes_deck):
    res = http.post("/api/decks", json=notes_deck, headers={"Authorization": f"Bearer {trainer_token}"})
    assert res.status_code == 201, res.get_json()
    room = make_room("takehome-deck")
    ann, bob, cas, dee = (room.join(n) for n in ("Ann", "Bob", "Cas", "Dee"))
    fac = room.facilitator
    # round 1, revealed: Ann is the customer, Bob the agent, Cas and Dee watch
    fac.ok("start_round", {"card": "sofa", "customer": ann.id, "agent": bob.id})
    fac.ok("begin_roleplay")
    ann.ok("set_temperature", {"id": "t1", "level": 9})
    cas.ok("mark_step", {"id": "c1", "step": "listen", "rating": 3, "note": "Bob let her finish"})
    dee.ok("mark_step", {"id": "d1", "step": "empathy", "rating": 1})
    dee.ok("call_timeout", {"reason": "too loud"})
    fac.ok("resume_round")
    fac.ok("end_roleplay")
    for obs, listen in ((cas, 3), (dee, 2)):
        obs.ok("score_step", {"step": "listen", "rating": listen, "comment": f"{obs.name} says: good pause"})
        obs.ok("score_step", {"step": "empathy", "rating": 1})
        obs.ok("rate_global", {"rating": 4})
    ann.ok("reflect", {"feeling": 2, "felt_heard": 4, "went_well": "ANN-WELL-1", "do_differently": "ANN-DIFF-1"})
    bob.ok("reflect", {"feeling": 4, "went_well": "BOB-WELL-1", "do_differently": "BOB-DIFF-1"})
    fac.ok("reveal_results")
    # round 2, not revealed yet: Cas is the customer, Ann the agent
    fac.ok("start_round", {"card": "parcel", "customer": cas.id, "agent": ann.id})
    fac.ok("begin_roleplay")
    bob.ok("mark_step", {"id": "b2", "step": "listen", "rating": 0, "note": "ROUND-2-NOTE"})
    fac.ok("end_roleplay")
    ann.ok("reflect", {"feeling": 3, "went_well": "ANN-WELL-2"})
    return room


def me(http, room: Room, token: str | None, code: str | None = None):
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return http.get(f"/api/rooms/{code or room.code}/me", headers=headers)


def summary(http, room: Room, name: str) -> dict:
    res = me(http, room, room.people[name].token)
    assert res.status_code == 200, res.get_json()
    assert res.headers["Cache-Control"] == "no-store"
    return res.get_json()


def test_the_agent_sees_their_round_results_notes_and_own_reflection(workshop, http):
    bob = summary(http, workshop, "Bob")
    assert bob["you"]["name"] == "Bob"
    assert bob["room"] == {"code": workshop.code, "title": "Workshop", "phase": "scoring"}
    assert (bob["deck"]["title"], bob["deck"]["language"]) == ("Test deck", "en")
    [rnd] = bob["played"]
    assert (rnd["number"], rnd["role"], rnd["card"]["title"]) == (1, "agent", "The sofa that never came")
    assert (rnd["customer"]["name"], rnd["agent"]["name"]) == ("Ann", "Bob")
    steps = {s["step"]: s for s in rnd["steps"]}
    # the debrief's aggregates, as services/results.py computes them
    assert (steps["listen"]["mean"], steps["listen"]["n"], steps["empathy"]["mean"]) == (2.5, 2, 1)
    assert steps["stay_calm"]["applies"] is False
    assert rnd["overall"] == 1.75 and rnd["global_rating"] == 4
    assert [(m["author_name"], m["note"]) for m in rnd["marks"]] == [("Cas", "Bob let her finish"), ("Dee", None)]
    assert sorted(c["comment"] for c in rnd["comments"]) == ["Cas says: good pause", "Dee says: good pause"]
    assert [t["level"] for t in rnd["temperatures"]] == [9] and rnd["card"]["start_temperature"] == 7
    # the room does not name who called a time-out (the default): nor does the summary
    assert [(t["by"], t["name"], t["reason"]) for t in rnd["timeouts"]] == [(None, None, "too loud")]
    assert rnd["reflection"] == {"feeling": 4, "felt_heard": None, "went_well": "BOB-WELL-1", "do_differently": "BOB-DIFF-1"}
    assert bob["observed"] == []  # round 2 is not revealed yet
    assert bob["takeaways"] == {"learning_goals": [{"round": 1, "card_title": "The sofa that never came",
                                                    "learning_goal": GOAL}], "guidance": GUIDANCE}
    text = json.dumps(bob)
    for hidden in ("ANN-WELL-1", "ANN-DIFF-1", "ANN-WELL-2", "ROUND-2-NOTE", "Facilitator only", *BRIEFS):
        assert hidden not in text


def test_the_customer_sees_their_round_and_not_the_round_still_being_scored(workshop, http):
    ann = summary(http, workshop, "Ann")
    [rnd] = ann["played"]
    assert (rnd["number"], rnd["role"]) == (1, "customer")
    assert rnd["reflection"]["felt_heard"] == 4 and rnd["reflection"]["went_well"] == "ANN-WELL-1"
    text = json.dumps(ann)
    for hidden in ("BOB-WELL-1", "BOB-DIFF-1", "ANN-WELL-2", "ROUND-2-NOTE", "Lost parcel", *BRIEFS):
        assert hidden not in text


def test_an_observer_has_what_they_watched_and_no_one_elses_reflection(workshop, http):
    dee = summary(http, workshop, "Dee")
    assert dee["played"] == [] and dee["takeaways"] == {"learning_goals": [], "guidance": GUIDANCE}
    [seen] = dee["observed"]
    assert (seen["number"], seen["card"]["title"], seen["customer"]["name"], seen["agent"]["name"]) == (
        1, "The sofa that never came", "Ann", "Bob")
    assert (seen["marks_given"], seen["scores_given"]) == (1, 2)
    text = json.dumps(dee)
    for hidden in ("ANN-WELL-1", "ANN-DIFF-1", "BOB-WELL-1", "BOB-DIFF-1", "ANN-WELL-2", "\"feeling\":", "ROUND-2-NOTE", *BRIEFS):
        assert hidden not in text


def test_closing_the_room_shows_every_round_played_and_keeps_tokens_valid(workshop, http):
    workshop.facilitator.ok("close_room")
    ann = summary(http, workshop, "Ann")
    assert ann["room"]["phase"] == "closed"
    assert [(r["number"], r["role"], r["revealed"]) for r in ann["played"]] == [(1, "customer", True), (2, "agent", False)]
    second = ann["played"][1]
    assert second["reflection"]["went_well"] == "ANN-WELL-2"
    assert [m["note"] for m in second["marks"]] == ["ROUND-2-NOTE"]
    bob = summary(http, workshop, "Bob")
    assert [r["number"] for r in bob["observed"]] == [2] and "ANN-WELL-2" not in json.dumps(bob)
    # the parcel card has no learning goal; the sofa's is there once
    assert [g["round"] for g in ann["takeaways"]["learning_goals"]] == [1]


def test_wrong_missing_and_other_rooms_tokens_are_refused(workshop, http, make_room):
    other = make_room()
    stranger = other.join("Eve")
    for token, code in ((None, None), ("", None), ("not-a-token", None), (stranger.token, None),
                        (workshop.people["Ann"].token, other.code), (workshop.token, None)):
        res = me(http, workshop, token, code)
        body = res.get_json()
        assert res.status_code == 401, (token, code, body)
        assert body["ok"] is False and body["error"]["code"] == "unauthorized"
        assert "Authorization" in body["error"]["fields"]
    res = me(http, workshop, workshop.people["Ann"].token, "ZZZZZZ")
    assert res.status_code == 404 and res.get_json()["error"]["code"] == "not_found"
    res = me(http, workshop, workshop.people["Ann"].token, "nope")
    assert res.status_code == 404 and res.get_json()["error"]["fields"] == {"code": "there is no room NOPE"}


@pytest.mark.parametrize("ban", [False, True])
def test_a_kicked_participants_token_is_dead(workshop, http, ban):
    dee = workshop.people["Dee"]
    assert me(http, workshop, dee.token).status_code == 200
    workshop.facilitator.ok("kick", {"participant": dee.id, "ban": ban})
    res = me(http, workshop, dee.token)
    assert res.status_code == 401 and res.get_json()["error"]["code"] == "unauthorized"
    assert "removed you" in res.get_json()["error"]["message"]
    # someone who left on their own still has their summary
    cas = workshop.people["Cas"]
    cas.ok("leave_room")
    assert me(http, workshop, cas.token).status_code == 200


def test_wrong_tokens_count_as_guesses(database_url, data_dir):
    cfg = TestConfig(database_url=database_url, async_mode="threading", rate_limit="1000/second", guess_limit="3/minute",
                     admin_token="trainer-secret")
    app, io = create_app(cfg)
    try:
        http = app.test_client()
        http.post("/api/decks", data=(data_dir / "minimal-deck.yaml").read_bytes(), content_type="application/yaml",
                  headers={"Authorization": "Bearer trainer-secret"})
        room = Room(app, io, http, "test-deck")
        ann = room.join("Ann")
        assert me(http, room, ann.token).status_code == 200  # a success does not count
        for _ in range(3):
            assert me(http, room, "guess").status_code == 401
        res = me(http, room, ann.token)  # over the limit: refused before the room is looked up
        assert res.status_code == 429 and res.get_json()["error"]["code"] == "rate_limited"
        assert int(res.headers["Retry-After"]) > 0
    finally:
        app.extensions["calmroom"].engine.dispose()

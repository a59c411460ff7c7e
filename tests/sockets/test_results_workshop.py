"""What a trainer reads after a workshop, on one played-through room: a person
who played the agent twice, an n/a score, the facilitator's own scores and
ratings (kept apart from the observers'), a round scored but not revealed
(left out of the workshop figures until the room closes), and the exports
byte for byte, so that a renamed key, a wrong average or a changed CSV cell
fails."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from calmroom.services.agreement import observer_agreement

SNAPSHOT = Path(__file__).parent / "snapshots" / "results_workshop.json"
T0 = 1_700_000_000_000


class Clock:
    def __init__(self):
        self.t = T0

    def __call__(self) -> int:
        return self.t


# per round: the observers' final scores on the card 'parcel' (listen,
# empathy, stay_calm; None = n/a) and their overall ratings
R1 = {"Cas": {"listen": 3, "empathy": 2, "stay_calm": 2}, "Dee": {"listen": 2, "empathy": 2, "stay_calm": 1},
      "Eva": {"listen": 3, "empathy": None, "stay_calm": 2}}
R2 = {"Ann": {"listen": 1, "empathy": 3, "stay_calm": 2}, "Dee": {"listen": 2, "empathy": 2, "stay_calm": 3},
      "Eva": {"listen": 1, "empathy": 2, "stay_calm": None}}
R3 = {"Cas": {"listen": 0, "empathy": 0, "stay_calm": 0}, "Dee": {"listen": 0, "empathy": 1, "stay_calm": 0}}
FACILITATOR_SCORES = {"listen": 0, "empathy": 0, "stay_calm": 0}  # would cap every round if counted


@pytest.fixture
def workshop(make_room, app, http):
    clock = Clock()
    app.extensions["calmroom"].rooms.now_ms = clock
    room = make_room()
    p = {n: room.join(n) for n in ("Ann", "Bob", "Cas", "Dee", "Eva")}
    fac = room.facilitator

    rounds = iter(range(1, 10))

    def play(customer, agent, scores, *, reveal=True, extras=None):
        n = next(rounds)
        fac.ok("start_round", {"card": "parcel", "customer": p[customer].id, "agent": p[agent].id})
        fac.ok("begin_roleplay")
        clock.t += 1500
        observers = list(scores)
        p[observers[0]].ok("mark_step", {"id": f"m{n}-1", "step": "listen", "rating": 2, "note": "=let them talk"})
        p[observers[0]].ok("mark_step", {"id": f"m{n}-3", "step": "stay_calm", "rating": 3})
        clock.t += 2000
        fac.ok("mark_step", {"id": f"m{n}-2", "step": "empathy", "rating": 1})
        if extras:
            extras()
        clock.t += 60_000
        fac.ok("end_roleplay")
        for name, steps in scores.items():
            for step, rating in steps.items():
                p[name].ok("score_step", {"step": step, "rating": rating,
                                          **({"comment": f"{name}, {step}"} if rating == 3 else {})})
            if reveal:  # round 3: only the facilitator rated it
                p[name].ok("rate_global", {"rating": 4 if name != "Dee" else 3})
        for step, rating in FACILITATOR_SCORES.items():
            fac.ok("score_step", {"step": step, "rating": rating, "comment": "-facilitator view"})
        fac.ok("rate_global", {"rating": 1})
        p[customer].ok("reflect", {"feeling": 2, "felt_heard": 4, "went_well": "+calm voice"})
        p[agent].ok("reflect", {"feeling": 3, "do_differently": "ask sooner"})
        if reveal:
            fac.ok("reveal_results")

    def r1_extras():
        p["Ann"].ok("set_temperature", {"id": "t1", "level": 6})
        clock.t += 500
        p["Bob"].ok("call_timeout", {"reason": "need a moment"})
        fac.ok("resume_round")

    play("Ann", "Bob", R1, extras=r1_extras)
    p["al"] = room.join("al")  # a late joiner, who only watches; sorted first, whatever the case
    play("Cas", "Bob", R2)
    play("Bob", "Ann", R3, reveal=False)  # scored, still in scoring: not part of the figures yet
    return room, p


def results(http, room) -> dict:
    res = http.get(f"/api/rooms/{room.code}/results", headers={"Authorization": f"Bearer {room.token}"})
    assert res.status_code == 200, res.get_json()
    return res.get_json()


def anonymised(text: str, room, people) -> str:
    """Random ids and the room code replaced by stable names."""
    for name, m in people.items():
        text = text.replace(m.id, f"<{name}>")
    return text.replace(room.code, "<ROOM>")


def test_people_who_played_twice_are_averaged_over_their_rounds(workshop, http):
    room, p = workshop
    people = {x["name"]: x for x in results(http, room)["participants"]}
    bob = people["Bob"]
    # per round the observers' mean (2.67 and 1.33 for listen); the facilitator's
    # zeros and Eva's n/a are not in them, and a critical step did not cap either round
    assert [(a["round"], a["steps"], a["overall"], a["capped_by"], a["global_rating"]) for a in bob["as_agent"]] == [
        (1, {"listen": 2.67, "empathy": 2.0, "stay_calm": 1.67}, 2.11, [], 3.67),
        (2, {"listen": 1.33, "empathy": 2.33, "stay_calm": 2.5}, 2.05, [], 3.67),
    ]
    # the mean of his two rounds per step ((1.67 + 2.5) / 2 is 2.085, a float just under it)
    assert bob["agent_step_means"] == {"listen": 2.0, "empathy": 2.17, "stay_calm": 2.08}
    # round 3 is not revealed: Ann's turn as the agent is not in the figures yet
    assert people["Ann"]["as_agent"] == [] and people["Ann"]["agent_step_means"] == {}
    assert [(x["name"], [c["round"] for c in x["as_customer"]], x["marks_given"], x["scores_given"])
            for x in results(http, room)["participants"]] == [
        ("al", [], 0, 0), ("Ann", [1], 2, 3), ("Bob", [], 0, 0), ("Cas", [2], 2, 3), ("Dee", [], 0, 6),
        ("Eva", [], 0, 6),
    ]
    assert people["al"] == {"id": p["al"].id, "name": "al", "as_agent": [], "as_customer": [], "marks_given": 0,
                            "scores_given": 0, "agent_step_means": {}}


def test_agreement_counts_observers_only_and_only_revealed_rounds(workshop, http):
    room, p = workshop
    # the units a trainer would write down: (round, step) -> observer -> score,
    # n/a left out, the facilitator left out, round 3 not yet revealed
    units = [
        {"Cas": 3, "Dee": 2, "Eva": 3}, {"Cas": 2, "Dee": 2}, {"Cas": 2, "Dee": 1, "Eva": 2},
        {"Ann": 1, "Dee": 2, "Eva": 1}, {"Ann": 3, "Dee": 2, "Eva": 2}, {"Ann": 2, "Dee": 3},
    ]
    agreement = results(http, room)["agreement"]
    assert agreement == observer_agreement(units, (0, 3))
    assert agreement["units"] == 6 and agreement["observers"] == 4 and agreement["alpha"] is not None


def test_a_closed_room_counts_every_round(workshop, http):
    room, p = workshop
    room.facilitator.ok("close_room")
    body = results(http, room)
    ann = next(x for x in body["participants"] if x["name"] == "Ann")
    # capped by the critical step at 0; no observer rated it, the facilitator's 1 is not theirs
    assert [(a["round"], a["steps"], a["overall"], a["capped_by"], a["global_rating"]) for a in ann["as_agent"]] == [
        (3, {"listen": 0.0, "empathy": 0.5, "stay_calm": 0.0}, 0.17, ["stay_calm"], None),
    ]
    assert body["agreement"]["units"] == 9


def test_results_json_matches_the_snapshot(workshop, http):
    """Every key and value of the debrief's data; the random ids and the room
    code are replaced by names. After an intended change of the results, write
    the printed JSON to the snapshot file and read the diff before committing."""
    room, p = workshop
    body = results(http, room)
    actual = json.loads(anonymised(json.dumps(body, ensure_ascii=False), room, p))
    for rnd in actual["rounds"]:
        assert isinstance(rnd.pop("id"), int)  # the database's own numbering
    for key in ("created_ms", "updated_ms"):
        assert isinstance(actual["room"].pop(key), int)
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert actual == expected, json.dumps(actual, indent=1, ensure_ascii=False)


CSV_ROWS = [
    "room,round,card,kind,author_id,author_name,author_role,step,rating,text,t_ms",
    "<ROOM>,1,parcel,mark,<Cas>,Cas,observer,listen,2,'=let them talk,1500",
    "<ROOM>,1,parcel,mark,<Cas>,Cas,observer,stay_calm,3,,1500",
    "<ROOM>,1,parcel,mark,facilitator,facilitator,facilitator,empathy,1,,3500",
    "<ROOM>,1,parcel,score,<Cas>,Cas,observer,listen,3,\"Cas, listen\",",
    "<ROOM>,1,parcel,score,<Cas>,Cas,observer,empathy,2,,",
    "<ROOM>,1,parcel,score,<Cas>,Cas,observer,stay_calm,2,,",
    "<ROOM>,1,parcel,score,<Dee>,Dee,observer,listen,2,,",
    "<ROOM>,1,parcel,score,<Dee>,Dee,observer,empathy,2,,",
    "<ROOM>,1,parcel,score,<Dee>,Dee,observer,stay_calm,1,,",
    "<ROOM>,1,parcel,score,<Eva>,Eva,observer,listen,3,\"Eva, listen\",",
    "<ROOM>,1,parcel,score,<Eva>,Eva,observer,empathy,n/a,,",
    "<ROOM>,1,parcel,score,<Eva>,Eva,observer,stay_calm,2,,",
    "<ROOM>,1,parcel,score,facilitator,facilitator,facilitator,listen,0,'-facilitator view,",
    "<ROOM>,1,parcel,score,facilitator,facilitator,facilitator,empathy,0,'-facilitator view,",
    "<ROOM>,1,parcel,score,facilitator,facilitator,facilitator,stay_calm,0,'-facilitator view,",
]


def test_csv_export_is_exact_with_either_separator(workshop, http):
    room, p = workshop
    auth = {"Authorization": f"Bearer {room.token}"}
    for sep, delimiter in (("comma", ","), ("semicolon", ";")):
        res = http.get(f"/api/rooms/{room.code}/results.csv?sep={sep}", headers=auth)
        assert res.status_code == 200
        text = res.data.decode("utf-8")
        assert text.startswith("\ufeff") and text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
        lines = anonymised(text[1:], room, p).split("\r\n")
        assert lines[-1] == ""
        expected = CSV_ROWS if sep == "comma" else [
            # with semicolons a comma inside a text needs no quotes
            r.replace(",", ";").replace('"Cas; listen"', "Cas, listen").replace('"Eva; listen"', "Eva, listen")
            for r in CSV_ROWS
        ]
        assert lines[:len(CSV_ROWS)] == expected
        # rounds 2 and 3 follow in the same shape (the export is the raw data:
        # the unrevealed round too): 3 marks, 9 or 6 observer scores, 3 of the facilitator
        assert [line.split(delimiter)[1] for line in lines[len(CSV_ROWS):-1]] == ["2"] * 15 + ["3"] * 12


def test_results_after_a_restart_are_the_same(workshop, http, database_url):
    """A new server process on the same database has not read the deck yet."""
    from calmroom.app import create_app
    from calmroom.config import TestConfig

    room, p = workshop
    before = results(http, room)
    app2, _ = create_app(TestConfig(database_url=database_url, async_mode="threading", rate_limit="1000/second"))
    try:
        assert results(app2.test_client(), room) == before
    finally:
        app2.extensions["calmroom"].engine.dispose()


def test_a_running_round_shows_the_time_played_so_far(make_room, http):
    room = make_room()
    a, b = room.join("Ann"), room.join("Bob")
    room.facilitator.ok("start_round", {"card": "parcel", "customer": a.id, "agent": b.id})
    room.facilitator.ok("begin_roleplay")
    time.sleep(0.05)
    elapsed = results(http, room)["rounds"][0]["elapsed_ms"]
    assert 50 <= elapsed < 60_000

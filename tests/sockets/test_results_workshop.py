"""What a trainer reads after a workshop, on one played-through room: a person
who played the agent twice, an n/a score, the facilitator's own scores and
ratings (kept apart from the observers'), a round scored but not revealed
(left out of the workshop figures until the room closes), and the exports
byte for byte, so that a renamed key, a wrong average or a changed CSV cell
fails."""
from __future__ import annotations

import csv
import io
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
        # Cas corrects two live marks: one changed, one taken back
        p["Cas"].ok("mark_step", {"id": "m1-4", "step": "empathy", "rating": 0})
        p["Cas"].ok("mark_step", {"id": "m1-5", "step": "listen", "rating": 1, "note": "wrong button"})
        p["Cas"].ok("correct_mark", {"id": "m1-4-fix", "mark": "m1-4", "rating": 2, "note": "named the worry"})
        p["Cas"].ok("correct_mark", {"id": "m1-5-undo", "mark": "m1-5", "undo": True})
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
        ("al", [], 0, 0), ("Ann", [1], 2, 3), ("Bob", [], 0, 0), ("Cas", [2], 3, 3), ("Dee", [], 0, 6),
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


CSV_SNAPSHOT = Path(__file__).parent / "snapshots" / "results_workshop.csv"


def csv_text(http, room, people, **query) -> str:
    res = http.get(f"/api/rooms/{room.code}/results.csv", query_string=query,
                   headers={"Authorization": f"Bearer {room.token}"})
    assert res.status_code == 200 and res.mimetype == "text/csv"
    text = res.data.decode("utf-8")
    assert text.startswith("\ufeff") and text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    return anonymised(text[1:], room, people)


def test_csv_export_matches_the_snapshot(workshop, http):
    """The whole CSV of the workshop, byte for byte (CRLF written as LF in the
    file): every kind of row, names and role labels, times as m:ss. After an
    intended change, write the new text to the snapshot and read the diff."""
    room, p = workshop
    text = csv_text(http, room, p)
    assert text == CSV_SNAPSHOT.read_text(encoding="utf-8").replace("\n", "\r\n"), text


def test_csv_parses_back_into_what_happened(workshop, http):
    """What a trainer reads in a spreadsheet, read back with the csv module, in
    both flavours: the same rows with either separator."""
    room, p = workshop
    comma = list(csv.DictReader(io.StringIO(csv_text(http, room, p, sep="comma"))))
    semi = list(csv.DictReader(io.StringIO(csv_text(http, room, p, sep="semicolon")), delimiter=";"))
    assert comma == semi
    assert list(comma[0]) == ["room", "round", "card", "what", "who", "role", "step or question", "score", "text", "time"]
    r1 = [r for r in comma if r["round"] == "1"]
    # the live part of round 1 in the order of the role-play, times as m:ss
    assert [(r["what"], r["who"], r["role"], r["score"], r["time"]) for r in r1 if r["time"]] == [
        ("live mark", "Cas", "observer", "2", "0:01"),
        ("live mark", "Cas", "observer", "3", "0:01"),
        ("live mark", "facilitator", "facilitator", "1", "0:03"),
        ("live mark", "Cas", "observer", "2", "0:03"),  # changed from 0; the original follows
        ("live mark (before the change)", "Cas", "observer", "0", "0:03"),
        ("live mark (withdrawn)", "Cas", "observer", "1", "0:03"),
        ("anger meter", "Ann", "customer", "6", "0:03"),
        ("time-out", "Bob", "agent", "", "0:04"),
    ]
    assert next(r for r in r1 if r["what"] == "time-out")["text"] == "need a moment"
    assert [(r["who"], r["score"]) for r in r1 if r["what"] == "overall rating (1-5)"] == [
        ("Cas", "4"), ("Dee", "3"), ("Eva", "4"), ("facilitator", "1")]
    assert [(r["who"], r["role"], r["step or question"], r["score"], r["text"]) for r in r1 if r["what"] == "reflection"] == [
        ("Ann", "customer", "how it felt (1-5)", "2", ""),
        ("Ann", "customer", "felt heard (1-5)", "4", ""),
        ("Ann", "customer", "what went well", "", "'+calm voice"),
        ("Bob", "agent", "how it felt (1-5)", "3", ""),
        ("Bob", "agent", "what I would do differently", "", "ask sooner"),
    ]
    # Bob plays in every round: agent, agent, then customer
    assert sorted({(r["round"], r["role"]) for r in comma if r["who"] == "Bob" and r["what"] == "reflection"}) == [
        ("1", "agent"), ("2", "agent"), ("3", "customer")]
    assert {r["score"] for r in comma if r["what"] == "final score"} == {"0", "1", "2", "3", "n/a"}
    # no internal names: no ids, no millisecond counts
    assert not any(m.id in "".join(r.values()) for r in comma for m in p.values())


def test_csv_in_dutch_names_columns_and_labels_in_dutch(workshop, http):
    room, p = workshop
    rows = list(csv.reader(io.StringIO(csv_text(http, room, p, sep="semicolon", lang="nl")), delimiter=";"))
    assert rows[0] == ["ruimte", "ronde", "kaart", "wat", "wie", "rol", "stap of vraag", "score", "tekst", "tijd"]
    assert rows[3][3:6] == ["live score", "trainer", "trainer"]
    assert {(r[3], r[5]) for r in rows[1:] if r[3] in ("boosheidsmeter", "time-out")} == {
        ("boosheidsmeter", "klant"), ("time-out", "medewerker")}
    assert "n.v.t." in {r[7] for r in rows[1:]}
    res = http.get(f"/api/rooms/{room.code}/results.csv?lang=fr", headers={"Authorization": f"Bearer {room.token}"})
    assert res.status_code == 400 and res.get_json()["error"]["fields"] == {"lang": "must be one of en, nl"}


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

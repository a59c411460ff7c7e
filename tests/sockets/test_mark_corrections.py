"""An observer corrects a live mark during the role-play (`correct_mark`):
undo or change, stored beside the mark (never instead of it), refused with a
named field when it is not theirs, not the role-play or no such mark, and
what everybody reads afterwards (state, results, CSV, the debrief's data)
is the corrected picture."""
from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from calmroom.store import models

T0 = 1_700_000_000_000


class Clock:
    def __init__(self):
        self.t = T0

    def __call__(self) -> int:
        return self.t


@pytest.fixture
def played(make_room, app):
    """Ann (customer), Bob (agent), Cas and Dee observe; in the role-play Cas
    marks three times, Dee once, the facilitator once."""
    clock = Clock()
    app.extensions["calmroom"].rooms.now_ms = clock
    room = make_room()
    ann, bob, cas, dee = (room.join(n) for n in ("Ann", "Bob", "Cas", "Dee"))
    fac = room.facilitator
    fac.ok("start_round", {"card": "parcel", "customer": ann.id, "agent": bob.id})
    fac.ok("begin_roleplay")
    clock.t += 5_000
    cas.ok("mark_step", {"id": "c-1", "step": "listen", "rating": 1, "note": "interrupted"})
    clock.t += 5_000
    cas.ok("mark_step", {"id": "c-2", "step": "empathy", "rating": 3})
    cas.ok("mark_step", {"id": "c-3", "step": "stay_calm", "rating": 0})
    dee.ok("mark_step", {"id": "c-1", "step": "empathy", "rating": 2})  # the same client id, another author
    fac.ok("mark_step", {"id": "f-1", "step": "listen", "rating": 2})
    clock.t += 20_000
    room.clear()
    return room, clock, {"ann": ann, "bob": bob, "cas": cas, "dee": dee, "fac": fac}


def version(room) -> int:
    return room.http.get(f"/api/rooms/{room.code}").get_json()["version"]


def results(room) -> dict:
    res = room.http.get(f"/api/rooms/{room.code}/results", headers={"Authorization": f"Bearer {room.token}"})
    assert res.status_code == 200
    return res.get_json()


def marks_of(state: dict, author: str) -> list[tuple]:
    return [(m["id"], m["step"], m["rating"], m["note"], m["t_ms"]) for m in state["round"]["marks"] if m["author"] == author]


def test_an_observer_changes_and_undoes_marks_and_the_facilitator_sees_it_live(played):
    room, clock, p = played
    cas, fac = p["cas"], p["fac"]
    before = version(room)
    ack = cas.ok("correct_mark", {"id": "fix-1", "mark": "c-1", "rating": 2})
    # the note stays unless it is given; the mark keeps the moment it was made
    assert ack["mark"] == {"id": "c-1", "author": cas.id, "step": "listen", "rating": 2, "note": "interrupted", "t_ms": 5_000}
    assert ack["correction"] == {"id": "fix-1", "author": cas.id, "mark": "c-1", "undo": False, "step": "listen",
                                 "rating": 2, "note": "interrupted", "t_ms": 30_000}
    ack = cas.ok("correct_mark", {"id": "fix-2", "mark": "c-2", "step": "listen", "rating": 3, "note": "named the anger"})
    assert ack["mark"]["step"] == "listen" and ack["mark"]["note"] == "named the anger"
    ack = cas.ok("correct_mark", {"id": "fix-3", "mark": "c-3", "undo": True})
    assert ack["mark"] is None and ack["correction"]["undo"] is True
    assert version(room) == before + 3

    live = fac.events("mark_corrected")
    assert [(e["correction"]["id"], e["mark"] and e["mark"]["rating"]) for e in live] == [
        ("fix-1", 2), ("fix-2", 3), ("fix-3", None)]
    assert [e["version"] for e in live] == [before + 1, before + 2, before + 3]
    # blind scoring: nobody but the facilitator hears of it (the observer has its ack)
    for name in ("ann", "bob", "cas", "dee"):
        assert p[name].events("mark_corrected") == []

    expected = [("c-1", "listen", 2, "interrupted", 5_000), ("c-2", "listen", 3, "named the anger", 10_000)]
    assert marks_of(cas.ok("sync")["state"], cas.id) == expected
    assert marks_of(fac.ok("sync")["state"], cas.id) == expected
    # Dee's mark of the same client id is hers and untouched
    assert marks_of(fac.ok("sync")["state"], p["dee"].id) == [("c-1", "empathy", 2, None, 10_000)]


def test_a_correction_can_be_changed_again_and_the_last_one_counts(played):
    room, clock, p = played
    cas = p["cas"]
    cas.ok("correct_mark", {"id": "a", "mark": "c-1", "rating": 3, "note": ""})
    ack = cas.ok("correct_mark", {"id": "b", "mark": "c-1", "rating": 0})
    assert (ack["mark"]["rating"], ack["mark"]["note"]) == (0, None)  # "" cleared the note, and it stays cleared
    cas.ok("correct_mark", {"id": "c", "mark": "c-1", "undo": True})
    again = cas.call("correct_mark", {"id": "d", "mark": "c-1", "rating": 2})
    assert again["ok"] is False and again["error"]["code"] == "conflict" and "mark" in again["error"]["fields"]


def test_the_same_correction_twice_is_one_correction(played, app):
    room, clock, p = played
    cas = p["cas"]
    first = cas.ok("correct_mark", {"id": "fix", "mark": "c-1", "rating": 3})
    v = version(room)
    clock.t += 1_000
    second = cas.ok("correct_mark", {"id": "fix", "mark": "c-1", "rating": 3})
    assert second == first and version(room) == v
    assert len(p["fac"].events("mark_corrected")) == 1
    with app.extensions["calmroom"].engine.connect() as conn:
        assert len(conn.execute(select(models.MarkCorrectionRow)).all()) == 1


def test_the_original_mark_and_every_correction_stay_stored(played, app, database_url):
    room, clock, p = played
    cas = p["cas"]
    cas.ok("correct_mark", {"id": "fix-1", "mark": "c-1", "rating": 2, "note": "let her finish"})
    cas.ok("correct_mark", {"id": "fix-2", "mark": "c-3", "undo": True})
    engine = app.extensions["calmroom"].engine
    with engine.connect() as conn:
        marks = conn.execute(select(models.MarkRow.client_id, models.MarkRow.rating, models.MarkRow.note)
                             .where(models.MarkRow.author == cas.id).order_by(models.MarkRow.id)).all()
        fixes = conn.execute(select(models.MarkCorrectionRow.client_id, models.MarkCorrectionRow.mark_client_id,
                                    models.MarkCorrectionRow.rating, models.MarkCorrectionRow.note, models.MarkCorrectionRow.t_ms)
                             .order_by(models.MarkCorrectionRow.id)).all()
    assert [tuple(m) for m in marks] == [("c-1", 1, "interrupted"), ("c-2", 3, None), ("c-3", 0, None)]
    assert [tuple(f) for f in fixes] == [("fix-1", "c-1", 2, "let her finish", 30_000), ("fix-2", "c-3", None, None, 30_000)]

    # a new server process on the same database reads the same corrected picture
    from calmroom.app import create_app
    from calmroom.config import TestConfig

    app2, _ = create_app(TestConfig(database_url=database_url, async_mode="threading", rate_limit="1000/second"))
    try:
        res = app2.test_client().get(f"/api/rooms/{room.code}/results", headers={"Authorization": f"Bearer {room.token}"})
        rnd = res.get_json()["rounds"][0]
        assert [(m["id"], m["rating"]) for m in rnd["marks"] if m["author"] == cas.id] == [("c-1", 2), ("c-2", 3)]
    finally:
        app2.extensions["calmroom"].engine.dispose()


def test_the_facilitator_corrects_its_own_marks_too(played):
    room, clock, p = played
    ack = p["fac"].ok("correct_mark", {"id": "ff", "mark": "f-1", "undo": True})
    assert ack["correction"]["author"] == "facilitator" and ack["mark"] is None
    assert [m["id"] for m in p["fac"].ok("sync")["state"]["round"]["marks"] if m["author"] == "facilitator"] == []


def test_corrections_are_allowed_while_paused(played):
    room, clock, p = played
    p["fac"].ok("pause_round")
    assert p["cas"].ok("correct_mark", {"id": "x", "mark": "c-2", "rating": 1})["mark"]["rating"] == 1


def refused(room, member, payload: dict, code: str, field: str, message: str | None = None) -> None:
    """Refused with `code`, `fields[field]` said, and nothing changed for anyone."""
    v = version(room)
    room.clear()
    ack = member.call("correct_mark", payload)
    assert ack["ok"] is False and ack["error"]["code"] == code, ack
    assert field in ack["error"]["fields"], ack
    if message is not None:
        assert ack["error"]["fields"][field] == message, ack
    assert version(room) == v
    for m in room.everyone():
        assert m.pump() == [], m.name


def test_a_mark_of_someone_else_is_refused(played):
    room, clock, p = played
    refused(room, p["dee"], {"id": "x", "mark": "c-2", "rating": 0}, "forbidden", "mark",
            "is not yours; you can only correct your own marks")
    refused(room, p["dee"], {"id": "x", "mark": "f-1", "undo": True}, "forbidden", "mark")
    refused(room, p["cas"], {"id": "x", "mark": "f-1", "undo": True}, "forbidden", "mark")
    refused(room, p["ann"], {"id": "x", "mark": "c-2", "undo": True}, "forbidden", "mark")  # the customer has no marks


def test_an_unknown_mark_is_refused(played):
    room, clock, p = played
    refused(room, p["cas"], {"id": "x", "mark": "nope", "rating": 1}, "not_found", "mark",
            "there is no mark 'nope' of yours in this round")


def test_outside_the_role_play_a_correction_is_refused(played):
    room, clock, p = played
    p["fac"].ok("end_roleplay")
    refused(room, p["cas"], {"id": "x", "mark": "c-1", "undo": True}, "conflict", "mark")
    p["cas"].ok("score_step", {"step": "listen", "rating": 2})
    p["fac"].ok("reveal_results")
    refused(room, p["cas"], {"id": "x", "mark": "c-1", "rating": 3}, "conflict", "mark")
    p["fac"].ok("start_round", {"card": "parcel", "customer": p["cas"].id, "agent": p["dee"].id})
    refused(room, p["ann"], {"id": "x", "mark": "c-1", "rating": 3}, "conflict", "mark")  # briefing of round 2


def test_bad_corrections_name_the_field(played):
    room, clock, p = played
    cas = p["cas"]
    refused(room, cas, {"id": "x", "mark": "c-1"}, "invalid", "rating",
            "required to change a mark (or undo: true to take it back)")
    refused(room, cas, {"id": "x", "mark": "c-1", "undo": True, "rating": 2}, "invalid", "rating")
    refused(room, cas, {"id": "x", "mark": "c-1", "undo": False}, "invalid", "rating")
    refused(room, cas, {"id": "x", "mark": "c-1", "rating": 9}, "invalid", "rating", "must be between 0 and 3")
    refused(room, cas, {"id": "x", "mark": "c-1", "step": "dance", "rating": 1}, "invalid", "step")
    refused(room, cas, {"id": "x", "mark": "", "rating": 1}, "invalid", "mark")
    refused(room, cas, {"mark": "c-1", "rating": 1}, "invalid", "id")


def test_results_csv_and_the_review_use_the_corrected_picture(played):
    room, clock, p = played
    cas, dee, fac = p["cas"], p["dee"], p["fac"]
    cas.ok("correct_mark", {"id": "fix-1", "mark": "c-1", "rating": 3, "note": "let her finish"})
    cas.ok("correct_mark", {"id": "fix-2", "mark": "c-3", "undo": True})
    fac.ok("end_roleplay")
    fac.ok("reveal_results")
    # everyone's review shows the marks as corrected
    review = dee.ok("sync")["state"]
    assert marks_of(review, cas.id) == [("c-1", "listen", 3, "let her finish", 5_000), ("c-2", "empathy", 3, None, 10_000)]

    body = results(room)
    rnd = body["rounds"][0]
    assert [(m["id"], m["author_name"], m["rating"]) for m in rnd["marks"]] == [
        ("c-1", "Cas", 3), ("c-2", "Cas", 3), ("c-1", "Dee", 2), ("f-1", "facilitator", 2)]
    assert [(m["id"], m["rating"], m["note"], m["time"], m["withdrawn"], m["corrected_at"]) for m in rnd["corrected_marks"]] == [
        ("c-1", 1, "interrupted", "0:05", False, "0:30"), ("c-3", 0, None, "0:10", True, "0:30")]
    cas_stats = next(x for x in body["participants"] if x["name"] == "Cas")
    assert cas_stats["marks_given"] == 2

    res = room.http.get(f"/api/rooms/{room.code}/results.csv", headers={"Authorization": f"Bearer {room.token}"})
    rows = list(csv.DictReader(io.StringIO(res.data.decode("utf-8-sig"))))
    assert [(r["what"], r["who"], r["step or question"], r["score"], r["text"], r["time"])
            for r in rows if r["who"] == "Cas" and r["what"].startswith("live mark")] == [
        ("live mark", "Cas", "Let them vent", "3", "let her finish", "0:05"),
        ("live mark (before the change)", "Cas", "Let them vent", "1", "interrupted", "0:05"),
        ("live mark", "Cas", "Show understanding", "3", "", "0:10"),
        ("live mark (withdrawn)", "Cas", "Stay calm", "0", "", "0:10"),
    ]

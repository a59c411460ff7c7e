"""The CSV export carries no live formulas: text typed by participants that a
spreadsheet would run (OWASP's CSV injection rule) starts with a quote, in
both flavours, while the JSON results keep it as typed."""
from __future__ import annotations

import csv
import io

import pytest

from calmroom.services.exports import csv_cell, play_time

FORMULA_NAME = '=HYPERLINK("http://x","y")'


def _rows(http, room, sep: str) -> list[list[str]]:
    res = http.get(f"/api/rooms/{room.code}/results.csv?sep={sep}", headers={"Authorization": f"Bearer {room.token}"})
    assert res.status_code == 200
    return list(csv.reader(io.StringIO(res.data.decode("utf-8-sig")), delimiter=";" if sep == "semicolon" else ","))


def _play(room, customer, agent, observer, *, note: str, comment: str, rating: int = 2):
    fac = room.facilitator
    fac.ok("start_round", {"card": "parcel", "customer": customer.id, "agent": agent.id})
    fac.ok("begin_roleplay")
    observer.ok("mark_step", {"id": "m1", "step": "listen", "rating": rating, "note": note})
    fac.ok("end_roleplay")
    observer.ok("score_step", {"step": "listen", "rating": rating, "comment": comment})
    fac.ok("reveal_results")


@pytest.mark.parametrize("sep", ["comma", "semicolon"])
def test_formula_text_is_quoted_in_csv_and_kept_in_json(make_room, http, sep):
    room = make_room()
    a, b = room.join("Ann"), room.join("Bob")
    formula = room.join(FORMULA_NAME)
    _play(room, a, b, formula, note="+1", comment="@SUM(A1)")

    rows = _rows(http, room, sep)
    mark = next(r for r in rows[1:] if r[3] == "live mark")
    score = next(r for r in rows[1:] if r[3] == "final score")
    assert mark[4] == "'" + FORMULA_NAME and score[4] == "'" + FORMULA_NAME
    assert mark[8] == "'+1" and score[8] == "'@SUM(A1)"
    # no cell the server wrote from typed text starts a formula any more
    for row in rows[1:]:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row), row

    body = http.get(f"/api/rooms/{room.code}/results", headers={"Authorization": f"Bearer {room.token}"}).get_json()
    rnd = body["rounds"][0]
    assert rnd["marks"][0]["author_name"] == FORMULA_NAME and rnd["marks"][0]["note"] == "+1"
    assert rnd["scores"][0]["comment"] == "@SUM(A1)"
    assert FORMULA_NAME in {p["name"] for p in body["participants"]}


def test_dash_names_are_quoted_but_negative_ratings_stay_numbers(make_room, http, minimal_deck_text, trainer_token):
    neg = minimal_deck_text.replace("id: test-deck", "id: neg-deck").replace(
        "scale: {min: 0, max: 3, labels: {0: not done, 1: weak, 2: adequate, 3: skilled}}",
        "scale: {min: -2, max: 2, labels: {-2: harmful, 0: neutral, 2: skilled}}",
    )
    assert http.post("/api/decks", data=neg.encode(), content_type="application/yaml",
                     headers={"Authorization": f"Bearer {trainer_token}"}).status_code == 201
    room = make_room("neg-deck")
    a, b, c = room.join("Ann"), room.join("Bob"), room.join("-Dee")
    _play(room, a, b, c, note="-2 points, see row 3", comment="- interrupted twice", rating=-2)
    for sep in ("comma", "semicolon"):
        mark = next(r for r in _rows(http, room, sep)[1:] if r[3] == "live mark")
        assert mark[4] == "'-Dee" and mark[8] == "'-2 points, see row 3"
        assert mark[7] == "-2"  # the server's own integer: a number to a spreadsheet, not a formula


def test_a_leading_tab_never_reaches_the_csv(make_room, http):
    """Names and notes are trimmed when they arrive, so a tab or CR can only
    lead a cell through text stored before; the cell function quotes it too."""
    room = make_room()
    a, b = room.join("Ann"), room.join("Bob")
    tab = room.connect("tab")
    ack = tab.ok("join_room", {"room": room.code, "name": "\t=1+2"})
    tab.id = ack["you"]["id"]
    assert ack["you"]["name"] == "=1+2"
    _play(room, a, b, tab, note="\t@x", comment="\r=y")
    mark = next(r for r in _rows(http, room, "comma")[1:] if r[3] == "live mark")
    assert mark[4] == "'=1+2" and mark[8] == "'@x"
    assert [csv_cell(v) for v in ("\tx", "\rx", "x=1", "", 7, -3)] == ["'\tx", "'\rx", "x=1", "", 7, -3]


def test_role_play_times_read_as_minutes_and_seconds():
    assert [play_time(ms) for ms in (0, 999, 1000, 59_999, 60_000, 83_000, 3_600_000, -1500, None)] == [
        "0:00", "0:00", "0:01", "0:59", "1:00", "1:23", "60:00", "-0:01", ""]

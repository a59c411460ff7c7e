"""Round and workshop results: aggregates, disagreement, capping, per participant."""
from __future__ import annotations


def play_round(room, customer, agent, observers, scores: dict[str, dict[str, int | None]], card="parcel"):
    fac = room.facilitator
    fac.ok("start_round", {"card": card, "customer": customer.id, "agent": agent.id})
    fac.ok("begin_roleplay")
    for o in observers:
        o.ok("mark_step", {"id": f"{o.id}-{card}", "step": "listen", "rating": 2})
    fac.ok("end_roleplay")
    for o in observers:
        for step, rating in scores[o.name].items():
            o.ok("score_step", {"step": step, "rating": rating})
        o.ok("rate_global", {"rating": 4})
    fac.ok("reveal_results")


def test_results_have_aggregates_disagreement_agreement_and_people(make_room, http):
    room = make_room()
    a, b, c, d, e = (room.join(n) for n in ("Ann", "Bob", "Cas", "Dee", "Eva"))
    play_round(room, a, b, [c, d, e], {
        "Cas": {"listen": 0, "empathy": 2, "stay_calm": 0},
        "Dee": {"listen": 3, "empathy": 2, "stay_calm": 0},
        "Eva": {"listen": 1, "empathy": None, "stay_calm": 1},
    })
    play_round(room, b, a, [c, d, e], {
        "Cas": {"listen": 3, "empathy": 3},
        "Dee": {"listen": 3, "empathy": 2},
        "Eva": {"listen": 2, "empathy": 2},
    }, card="sofa")
    res = http.get(f"/api/rooms/{room.code}/results", headers={"Authorization": f"Bearer {room.token}"})
    assert res.status_code == 200
    body = res.get_json()
    r1, r2 = body["rounds"]
    listen = next(s for s in r1["steps"] if s["step"] == "listen")
    assert (listen["n"], listen["min"], listen["max"], listen["median"]) == (3, 0, 3, 1)
    assert listen["disagreement"] is True and "listen" in r1["disagreements"]
    empathy = next(s for s in r1["steps"] if s["step"] == "empathy")
    assert (empathy["n"], empathy["na"], empathy["mean"]) == (2, 1, 2)
    assert r1["capped_by"] == ["stay_calm"] and r1["overall"] <= 1  # a critical step at 0 caps the round
    # card 'sofa' scores listen and empathy only: stay_calm does not apply there
    assert next(s for s in r2["steps"] if s["step"] == "stay_calm")["applies"] is False
    assert r2["capped_by"] == [] and r2["overall"] > 2

    assert body["agreement"]["method"] == "krippendorff_alpha_ordinal"
    # r1: three steps scored by two or more observers, r2: two: too few for alpha to mean much
    assert body["agreement"]["units"] == 5 and body["agreement"]["alpha"] is None
    assert "not enough data" in body["agreement"]["reading"]

    assert body["deck"]["steps"][0]["look_for"] and body["deck"]["scale"]["labels"]["0"] == "not done"
    assert r1["card"]["start_temperature"] == 4 and r1["card"]["steps"] == ["listen", "empathy", "stay_calm"]
    people = {p["name"]: p for p in body["participants"]}
    assert [x["round"] for x in people["Ann"]["as_agent"]] == [2]
    assert [x["round"] for x in people["Bob"]["as_agent"]] == [1]
    assert people["Bob"]["as_agent"][0]["capped_by"] == ["stay_calm"]
    assert people["Bob"]["as_agent"][0]["card_title"] == "Lost parcel"
    assert people["Bob"]["as_agent"][0]["global_rating"] == 4  # observers' ratings; the facilitator gave none
    assert people["Cas"]["marks_given"] == 2 and people["Cas"]["scores_given"] == 5
    assert set(people["Ann"]["agent_step_means"]) == {"listen", "empathy"}


def test_csv_columns_dutch_characters_and_semicolons(make_room, http):
    import csv
    import io

    from calmroom.services.exports import CSV_COLUMNS

    room = make_room()
    a, b, c = room.join("Zoë"), room.join("Bob"), room.join("Daniëlle")
    play_round(room, a, b, [c], {"Daniëlle": {"listen": 2, "empathy": None, "stay_calm": 3}})
    auth = {"Authorization": f"Bearer {room.token}"}
    for sep, delim in (("comma", ","), ("semicolon", ";")):
        res = http.get(f"/api/rooms/{room.code}/results.csv?sep={sep}", headers=auth)
        assert res.status_code == 200 and res.data.startswith("\ufeff".encode())
        rows = list(csv.reader(io.StringIO(res.data.decode("utf-8-sig")), delimiter=delim))
        assert rows[0] == CSV_COLUMNS
        assert [r[3] for r in rows[1:] if r[5] == "observer"] == ["live mark"] + ["final score"] * 3 + ["overall rating (1-5)"]
        assert {r[4] for r in rows[1:] if r[5] == "observer"} == {"Daniëlle"}
        assert [r[7] for r in rows[1:] if r[3] == "final score"] == ["2", "n/a", "3"]
    assert http.get(f"/api/rooms/{room.code}/results.csv?sep=tab", headers=auth).status_code == 400

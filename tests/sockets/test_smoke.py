def test_a_round_plays(make_room):
    room = make_room()
    ann, bob, cas, dee = (room.join(n) for n in ("Ann", "Bob", "Cas", "Dee"))
    fac = room.facilitator
    ack = fac.ok("start_round", {"card": "sofa", "customer": ann.id, "agent": bob.id})
    assert ack["round"]["number"] == 1
    fac.ok("begin_roleplay")
    m = cas.ok("mark_step", {"id": "m1", "step": "listen", "rating": 2})
    assert m["mark"]["step"] == "listen"
    ann.ok("set_temperature", {"id": "t1", "level": 5})
    fac.ok("end_roleplay")
    cas.ok("score_step", {"step": "listen", "rating": 3})
    fac.ok("reveal_results")
    assert fac.last_state()["phase"] == "review"

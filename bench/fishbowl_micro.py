"""The server CPU of seating a fishbowl and of coming back to it, in process
(no sockets):

    PYTHONPATH=server python -m bench.fishbowl_micro [--observers 1000] [--marks 5] [--back 100] [--repeat 3]

One fishbowl (through the service layer, on a fresh SQLite file): the
facilitator hosts, --observers people join one after another (timed:
`join_us`), a round starts and every observer makes --marks live marks;
then --back observers drop and rejoin (timed: `drop_and_rejoin_ms`) and
sync (timed: `sync_ms`), as phones do whose screens went dark. Each figure
is the best of --repeat runs, each in a fresh app and database, with
time.process_time.
"""
from __future__ import annotations

import argparse
import gc
import json
import tempfile
import time
import uuid


def one_run(url: str, observers: int, marks: int, back: int) -> dict:
    from calmroom.app import create_app
    from calmroom.config import TestConfig
    from calmroom.services.outcome import Actor

    app, _io = create_app(TestConfig(database_url=url, async_mode="threading", rate_limit="1000/second"))
    s = app.extensions["calmroom"].rooms
    made = s.create_room("angry-customer-en", "micro", 60, {"fishbowl": True})
    code = made["code"]
    fac = Actor(code, None, "fac")
    s.host_room("fac", code, made["facilitator_token"])
    gc.collect()  # the app's start-up garbage is not the joins' (the server freezes it: server.tune_gc)
    t = time.process_time()
    people = [s.join_room(f"sid{i}", code, f"person {i}") for i in range(observers + 2)]
    join_s = time.process_time() - t
    s.start_round(fac, {})
    s.begin_roleplay(fac)
    state = s.sync(fac).ack["state"]
    players = {state["round"]["customer"], state["round"]["agent"]}
    steps = list(state["round"]["card"]["steps"])
    watching = [(p.actor, p.ack["token"]) for p in people if p.actor.participant_id not in players]
    for i in range(marks):
        for actor, _ in watching:
            s.mark_step(actor, {"id": uuid.uuid4().hex, "step": steps[i % len(steps)], "rating": 1, "note": "micro"})
    coming_back = watching[:back]
    t = time.process_time()
    for actor, token in coming_back:
        s.disconnected(actor.sid)
        s.rejoin("again-" + actor.sid, code, token)
    rejoin_s = time.process_time() - t
    t = time.process_time()
    for actor, _ in coming_back:
        s.sync(Actor(code, actor.participant_id, "again-" + actor.sid))
    sync_s = time.process_time() - t
    s.close()
    n = max(1, len(coming_back))
    return {"join_us": join_s / (observers + 2) * 1e6, "drop_and_rejoin_ms": rejoin_s / n * 1e3, "sync_ms": sync_s / n * 1e3,
            "marks_in_round": marks * len(watching)}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--observers", type=int, default=1000)
    p.add_argument("--marks", type=int, default=5, help="live marks per observer before the drops")
    p.add_argument("--back", type=int, default=100, help="observers who drop and rejoin")
    p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args()
    runs = []
    for _ in range(a.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            runs.append(one_run(f"sqlite:///{tmp}/micro.db", a.observers, a.marks, a.back))
    best = {k: round(min(r[k] for r in runs), 2) for k in ("join_us", "drop_and_rejoin_ms", "sync_ms")}
    print(json.dumps({"observers": a.observers, "marks_in_round": runs[0]["marks_in_round"], "best_of": a.repeat, **best}))


if __name__ == "__main__":
    main()

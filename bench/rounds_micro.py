"""The server CPU of the facilitator's round commands, in process (no sockets):

    PYTHONPATH=server python -m bench.rounds_micro [--rooms 50] [--rounds 10] [--repeat 3] [--database-url URL]

Rooms of seven (the facilitator and six participants, through the service
layer) on a fresh SQLite file unless --database-url; every room plays
--rounds rounds of start_round, the facilitator's sync, begin_roleplay, a
few marks and a temperature, end_roleplay, every observer's scores and
global rating, reveal_results, the rooms taking turns. Only the four round
commands are timed (and apart the sync, and the whole round with its
marks and scores: `whole_round_ms`), with time.process_time; the
figure of record is the best of --repeat runs, each in a fresh app and
database. With --database-url every run needs an empty database of its own:
use --repeat 1.
"""
from __future__ import annotations

import argparse
import json
import tempfile
import time

COMMANDS = ("start_round", "begin_roleplay", "end_roleplay", "reveal_results")


def one_run(url: str, rooms: int, rounds: int, marks: int) -> dict:
    from calmroom.app import create_app
    from calmroom.config import TestConfig
    from calmroom.services.outcome import Actor

    app, _io = create_app(TestConfig(database_url=url, async_mode="threading", rate_limit="1000/second"))
    s = app.extensions["calmroom"].rooms
    played = []
    for r in range(rooms):
        made = s.create_room("angry-customer-en", "micro", 60)
        s.host_room(f"fac-{r}", made["code"], made["facilitator_token"])
        fac = Actor(made["code"], None, f"fac-{r}")
        people = [s.join_room(f"sid{r}-{i}", made["code"], f"person {i}").actor for i in range(6)]
        played.append((fac, people))
    spent = dict.fromkeys(COMMANDS, 0.0)
    sync = 0.0

    def timed(name, fn, *args):
        t = time.process_time()
        out = fn(*args)
        spent[name] += time.process_time() - t
        return out

    began = time.process_time()
    for c in range(rounds):
        for fac, people in played:
            out = timed("start_round", s.start_round, fac, {})
            rnd = next(e.payload for e in out.emits if e.event == "state")["round"]
            steps = rnd["card"]["steps"]
            observers = [a for a in people if a.participant_id not in (rnd["customer"], rnd["agent"])]
            customer = next(a for a in people if a.participant_id == rnd["customer"])
            t = time.process_time()
            s.sync(fac)
            sync += time.process_time() - t
            timed("begin_roleplay", s.begin_roleplay, fac)
            s.set_temperature(customer, {"id": f"t{c}", "level": 6})
            for o in observers:
                for k in range(marks):
                    s.mark_step(o, {"id": f"m{c}-{k}", "step": steps[k % len(steps)], "rating": 1 + k % 3, "note": "x"})
            timed("end_roleplay", s.end_roleplay, fac)
            for o in observers:
                for step in steps:
                    s.score_step(o, {"step": step, "rating": 2, "comment": None})
                s.rate_global(o, 3)
            timed("reveal_results", s.reveal_results, fac)
    everything = time.process_time() - began
    app.extensions["calmroom"].rooms.close()
    app.extensions["calmroom"].engine.dispose()
    n = rooms * rounds
    return {"ms_per_command": round(sum(spent.values()) / n / len(COMMANDS) * 1000, 3),
            **{k: round(v / n * 1000, 3) for k, v in spent.items()}, "sync_ms": round(sync / n * 1000, 3),
            "whole_round_ms": round(everything / n * 1000, 3)}


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.rounds_micro", description=__doc__.split("\n\n")[0])
    p.add_argument("--rooms", type=int, default=50)
    p.add_argument("--rounds", type=int, default=10)
    p.add_argument("--marks", type=int, default=3, help="marks per observer per round")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--database-url")
    a = p.parse_args(argv)
    runs = []
    for _ in range(a.repeat):
        url = a.database_url or f"sqlite:///{tempfile.mkdtemp()}/micro.db"
        runs.append(one_run(url, a.rooms, a.rounds, a.marks))
    best = min(runs, key=lambda r: r["ms_per_command"])
    print(json.dumps({"rooms": a.rooms, "rounds": a.rounds, "runs": runs, "best": best}))


if __name__ == "__main__":
    main()

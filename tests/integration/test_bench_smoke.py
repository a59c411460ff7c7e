"""CI smoke of the benchmark (bench/): a few rooms for a few seconds. It checks
only that the benchmark runs end to end and that every acked mark is stored
exactly once; no timing is asserted (these machines are noisy)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
REQUIRED = ("rooms", "participants", "marks_acked", "marks_stored", "errors", "ack_ms", "deliver_ms",
            "events_per_s", "floor_events_per_s", "ratio_to_floor", "server_rss_mb")


SMALL = ["--rooms", "3", "--seconds", "5", "--warmup", "2", "--roleplay", "4", "--scoring", "1", "--mark-interval", "1"]


def run_bench(tmp_path: Path, *args: str) -> dict:
    out = tmp_path / "r.json"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run(
        [sys.executable, "-m", "bench", *SMALL, *args, "--out", str(out)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=150,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return json.loads(out.read_text())


@pytest.mark.timeout(180)
def test_the_benchmark_runs_and_every_acked_mark_is_stored_once(tmp_path):
    result = run_bench(tmp_path)
    for key in REQUIRED:
        assert key in result, key
    for key in ("p50", "p95", "p99"):
        assert key in result["ack_ms"]
    for key in ("p50", "p99"):
        assert key in result["deliver_ms"]
    assert result["rooms"] == 3
    assert result["participants"] == 18
    assert result["errors"] == 0, result["errors_by_kind"]
    assert result["marks_acked"] > 0
    assert result["marks_acked"] == result["marks_stored"]
    assert result["verify"]["acked_equals_stored"] is True
    assert result["floor"]["errors"] == 0


@pytest.mark.timeout(240)
def test_two_workers_on_postgres_and_redis_with_a_fresh_database_per_run(tmp_path):
    """The scale-out form of the benchmark: each Calmroom run gets a database
    of its own beside the given one, and drops it afterwards."""
    from sqlalchemy import create_engine, text

    from calmroom.store.db import normalize_url

    pg, redis_url = os.environ.get("CALMROOM_TEST_DATABASE_URL"), os.environ.get("CALMROOM_TEST_REDIS_URL")
    if not pg or not redis_url:
        pytest.skip("needs CALMROOM_TEST_DATABASE_URL and CALMROOM_TEST_REDIS_URL (CI sets both)")
    admin = create_engine(normalize_url(pg))

    def run_databases() -> set[str]:
        with admin.connect() as c:
            return set(c.execute(text("SELECT datname FROM pg_database WHERE datname LIKE '%\\_run\\_%'")).scalars())

    before = run_databases()
    try:
        result = run_bench(tmp_path, "--workers", "2", "--no-floor", "--database-url", pg, "--message-queue", redis_url)
        assert run_databases() == before  # every run's database was dropped
    finally:
        admin.dispose()
    assert result["workers"] == 2 and result["one_worker"]["workers"] == 1
    for run in (result, result["one_worker"]):
        assert run["errors"] == 0, run["errors_by_kind"]
        assert run["marks_acked"] > 0
        assert run["verify"]["acked_equals_stored"] is True
        assert run["database"].startswith("postgresql")
    assert result["scaling_factor"] is not None and result["scaling_cpu_per_mark"] is not None


BIG_ROOM_KEYS = ("seated", "seating_s", "settled_s", "sockets_dropped", "connect_ms", "join_ack_ms", "phases",
                 "temperature_to_all_ms", "ack_ms", "deliver_ms", "server_cpu_ms_per_mark", "server_rss_mb",
                 "seating_cpu", "window_cpu", "generator", "errors")


@pytest.mark.timeout(180)
def test_one_big_room_beside_the_floor(tmp_path):
    """--room-size: one room of observers joining in batches, a round played
    through every phase, beside the floor; every acked mark stored once."""
    out = tmp_path / "big.json"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--room-size", "30", "--batch", "10", "--seconds", "4", "--warmup", "1",
         "--mark-interval", "1", "--temp-interval", "1", "--out", str(out)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=150,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    result = json.loads(out.read_text())
    for run in (result, result["floor"]):
        for key in BIG_ROOM_KEYS:
            assert key in run, key
        assert run["errors"] == 0, run["errors_by_kind"]
        assert run["seated"] == run["observers"] == 30
        assert run["sockets_dropped"] == 0
        assert set(run["phases"]) == {"start_round", "begin_roleplay", "end_roleplay", "reveal_results"}
        for phase in run["phases"].values():
            assert phase["reached"] == phase["observers"] == 30
        assert run["marks_acked"] > 0
        assert run["temperature_to_all_ms"]["sent"] > 0
    assert result["marks_acked"] == result["marks_stored"]
    assert result["verify"]["acked_equals_stored"] is True
    assert set(result["ratios_to_floor"]) >= {"seating", "join_ack_p99", "begin_roleplay", "ack_p99", "server_cpu_ms_per_mark"}
    assert set(result["targets"]) == {"everyone_seated_none_dropped", "seating_within_2x_floor",
                                      "phase_change_to_all_within_1s", "mark_ack_p99_within_2x_floor",
                                      "acked_equals_stored"}


@pytest.mark.timeout(180)
def test_pairs_alternate_the_floor_and_calmroom_and_report_the_median_ratios(tmp_path):
    result = run_bench(tmp_path, "--pairs", "2")
    assert len(result["pairs"]) == 2
    for pair in result["pairs"]:
        assert set(pair["ratios"]) == {"server_cpu_ms_per_mark", "connect_p50", "ack_p99"}
        assert pair["calmroom"]["verify"]["acked_equals_stored"] is True
        assert pair["floor"]["errors"] == 0
    for key, median in result["median_ratios"].items():
        values = sorted(p["ratios"][key] for p in result["pairs"])
        assert median == round((values[0] + values[1]) / 2, 3), key


@pytest.mark.timeout(120)
def test_the_in_process_micro_benchmarks_run(tmp_path):
    """bench/fishbowl_micro.py and bench/rounds_micro.py, at a size that takes seconds."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO / "server"), str(REPO),
                                                                     os.environ.get("PYTHONPATH")]))}

    def run(*args: str) -> dict:
        proc = subprocess.run([sys.executable, "-m", *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=90)
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
        return json.loads(proc.stdout.strip().splitlines()[-1])

    fishbowl = run("bench.fishbowl_micro", "--observers", "20", "--marks", "2", "--back", "5", "--repeat", "1")
    assert fishbowl["marks_in_round"] == 40  # 22 joined, the two players mark nothing
    assert all(fishbowl[k] > 0 for k in ("join_us", "drop_and_rejoin_ms", "sync_ms"))
    rounds = run("bench.rounds_micro", "--rooms", "2", "--rounds", "2", "--repeat", "1")
    assert all(rounds["best"][k] > 0 for k in ("start_round", "begin_roleplay", "end_roleplay", "reveal_results"))

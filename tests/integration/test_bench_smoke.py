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


@pytest.mark.timeout(180)
def test_the_benchmark_runs_and_every_acked_mark_is_stored_once(tmp_path):
    out = tmp_path / "r.json"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--rooms", "3", "--seconds", "5", "--warmup", "2",
         "--roleplay", "4", "--scoring", "1", "--mark-interval", "1", "--out", str(out)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    result = json.loads(out.read_text())
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

"""CI smoke of the soak (python -m bench --soak): a few rooms churned for
half a minute. It checks that the soak runs end to end and reports its
figures, that every acked mark was stored exactly once and that deleted
rooms leave no rows; no timing or memory slope is asserted (too short, and
these machines are noisy)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
KEYS = ("rooms_churned", "rejoins", "marks_acked", "marks_stored", "fds_start", "fds_end", "rss_samples",
        "rss_slope_mb_per_h", "rss_slope_from_s", "rows_left_for_deleted_rooms", "errors", "verify")


@pytest.mark.timeout(240)
def test_a_short_soak_churns_rooms_and_loses_nothing(tmp_path):
    out = tmp_path / "soak.json"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--soak", "0.5", "--rooms", "3", "--roleplay", "4", "--scoring", "1",
         "--mark-interval", "1", "--soak-drop-every", "2", "--soak-sample", "1", "--out", str(out)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=200,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    result = json.loads(out.read_text())
    for key in KEYS:
        assert key in result, key
    assert result["mode"] == "soak" and result["rooms"] == 3
    assert result["errors"] == 0, result["errors_by_kind"]
    assert result["rooms_churned"] > 3  # every slot finished at least one room and began another
    assert result["rejoins"] > 0
    assert result["marks_acked"] > 0
    assert result["marks_acked"] == result["marks_stored"]
    assert result["verify"]["acked_equals_stored"] is True
    assert result["rows_left_for_deleted_rooms"] == 0
    assert isinstance(result["fds_start"], int) and isinstance(result["fds_end"], int)
    assert len(result["rss_samples"]) > 5

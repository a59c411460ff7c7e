"""The README's first screen: the two commands, and how to let phones in
(a laptop's room on 127.0.0.1 is out of every phone's reach)."""
from __future__ import annotations

from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
FIRST_SCREEN_LINES = 25


def test_first_screen_gives_the_two_commands_and_the_way_for_phones():
    first = "\n".join(README.read_text(encoding="utf-8").splitlines()[:FIRST_SCREEN_LINES])
    assert "make run" in first and "make test" in first
    assert 'make run SERVE_ARGS="--lan"' in first

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
DECKS = ROOT / "decks"


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def minimal_deck_text() -> str:
    return (DATA / "minimal-deck.yaml").read_text(encoding="utf-8")

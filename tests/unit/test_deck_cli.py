"""`calmroom decks validate` and `calmroom decks schema`, run as a user runs them."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import yaml

from calmroom.decks.jsonschema import deck_json_schema

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "calmroom", *args], capture_output=True, text=True, cwd=cwd or ROOT, timeout=60
    )


def test_validate_ok_and_broken_files(tmp_path, minimal_deck_text):
    good = tmp_path / "good.yaml"
    good.write_text(minimal_deck_text, encoding="utf-8")
    data = yaml.safe_load(minimal_deck_text)
    good_json = tmp_path / "good.json"
    good_json.write_text(json.dumps(data), encoding="utf-8")
    data["cards"][1]["customer"]["start_temperature"] = 12
    data["steps"][0]["look_for"] = []
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")

    ok = run("decks", "validate", str(good), str(good_json))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "ok (test-deck, 3 steps, 2 cards)" in ok.stdout

    res = run("decks", "validate", "-q", str(good), str(bad), str(empty))
    assert res.returncode == 1
    assert res.stdout.splitlines() == [
        f"{bad}: steps[0].look_for: must have 1 to 12 items",
        f"{bad}: cards[1].customer.start_temperature: must be between 0 and 10",
        f"{empty}: is empty",
    ]


def test_schema_command_prints_the_committed_schema():
    res = run("decks", "schema")
    assert res.returncode == 0
    committed = (ROOT / "docs" / "deck.schema.json").read_text(encoding="utf-8")
    assert res.stdout == committed, "docs/deck.schema.json is stale: run `calmroom decks schema > docs/deck.schema.json`"


def test_json_schema_accepts_a_valid_deck_and_flags_field_errors(minimal_deck_text):
    schema = deck_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    data = json.loads(json.dumps(yaml.safe_load(minimal_deck_text)))  # label keys as JSON strings
    assert list(validator.iter_errors(data)) == []
    data["cards"][0]["customer"]["start_temperature"] = 11
    data["cards"][0]["colour"] = "red"
    data["scale"]["labels"]["x"] = "?"
    errors = {"/".join(map(str, e.absolute_path)) for e in validator.iter_errors(data)}
    assert errors == {"cards/0/customer/start_temperature", "cards/0", "scale/labels"}

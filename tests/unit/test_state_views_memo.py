"""A phase change renders one `state` per audience (audiences.state_views)
and works out once what every viewer's round view shares (the results; the
card's records): the views are the ones state_view gives each viewer alone."""
from __future__ import annotations

from dataclasses import asdict, replace
from pathlib import Path

import pytest

from calmroom.decks import load_deck_file
from calmroom.domain import phases
from calmroom.domain.audiences import OBSERVERS_VIEW, state_views
from calmroom.domain.options import RoomOptions
from calmroom.domain.room import FACILITATOR
from calmroom.domain.views import _plain, _record, state_view

from test_domain_views import CUST, AGENT, NOW, make_room

DECK_FILES = sorted((Path(__file__).resolve().parents[2] / "decks").glob("*.yaml"))


@pytest.mark.parametrize("path", DECK_FILES, ids=lambda p: p.stem)
def test_a_cards_records_read_as_asdict_makes_them(path):
    for card in load_deck_file(path).cards:
        records = [card.customer, card.agent, *([card.facilitator] if card.facilitator else []), *(card.variants or ())]
        for rec in records:
            assert _record(rec) == _plain(asdict(rec))


def test_a_record_with_nested_values_takes_the_general_way():
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Nested:
        name: str
        parts: tuple
        extra: dict

    rec = Nested("x", (("a", "b"), "c"), {"k": ("v",)})
    assert _record(rec) == _plain(asdict(rec)) == {"name": "x", "parts": [["a", "b"], "c"], "extra": {"k": ["v"]}}


@pytest.mark.parametrize("options", [RoomOptions(), RoomOptions(fishbowl=True), RoomOptions(anonymous=True, name_timeouts=True)])
@pytest.mark.parametrize("phase", sorted(phases.IN_ROUND))
def test_each_audiences_state_is_the_one_its_viewer_gets_alone(phase, options):
    room = replace(make_room(phase), options=options)
    viewers = [FACILITATOR, CUST, AGENT, OBSERVERS_VIEW]
    got = [view for _audience, view in state_views(room, NOW)]
    assert got == [state_view(room, v, NOW, whole=False) for v in viewers]
    revealed = [v["round"]["results"] for v in got if "results" in v["round"]]
    assert len({id(r) for r in revealed}) == len(revealed)  # each view its own dict

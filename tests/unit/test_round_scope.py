"""What of a round one viewer's state needs read (domain/views.round_scope):
the same rule the view filters with, so a scoped read shows the same."""
from __future__ import annotations

from calmroom.domain.options import RoomOptions
from calmroom.domain.room import FACILITATOR
from calmroom.domain.views import EVERYTHING, RoundScope, round_scope

PLAIN, FISHBOWL, ANONYMOUS = RoomOptions(), RoomOptions(fishbowl=True), RoomOptions(anonymous=True)


def test_the_facilitator_needs_everything_in_any_room_and_phase():
    for options in (PLAIN, FISHBOWL, ANONYMOUS):
        for revealed in (False, True):
            assert round_scope(options, FACILITATOR, "cust", "agent", revealed) == EVERYTHING


def test_before_the_reveal_a_participant_needs_only_its_own_items():
    for options in (PLAIN, FISHBOWL, ANONYMOUS):
        for viewer in ("obs", "cust", "agent"):
            assert round_scope(options, viewer, "cust", "agent", False) == RoundScope(viewer, viewer, viewer)


def test_after_the_reveal_everyone_sees_all_but_a_fishbowls_audience_only_the_results():
    assert round_scope(PLAIN, "obs", "cust", "agent", True) == RoundScope(None, None, "obs")
    assert round_scope(ANONYMOUS, "obs", "cust", "agent", True) == RoundScope(None, None, "obs")
    # the results count every score: the scores are read, the marks are the observer's own
    assert round_scope(FISHBOWL, "obs", "cust", "agent", True) == RoundScope("obs", None, "obs")
    # the players of a fishbowl still see every mark and score after the reveal
    assert round_scope(FISHBOWL, "cust", "cust", "agent", True) == RoundScope(None, None, "cust")

"""The round clock: role-play time with pauses left out; `now_ms` is passed in."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from calmroom.domain.clock import Clock, time_up

T0 = 1_700_000_000_000  # an arbitrary wall-clock instant in ms


def test_a_new_clock_is_stopped_at_zero():
    clock = Clock()
    assert clock.running is False
    assert clock.elapsed_ms(T0) == 0
    assert clock.remaining_ms(T0) is None
    assert clock.view(T0) == {"running": False, "elapsed_ms": 0, "duration_s": None}


def test_a_stopped_clock_does_not_advance_with_wall_time():
    clock = Clock(duration_s=60)
    assert clock.elapsed_ms(T0) == 0
    assert clock.elapsed_ms(T0 + 1_000_000) == 0
    assert clock.remaining_ms(T0 + 1_000_000) == 60_000


def test_start_runs_the_clock():
    clock = Clock(duration_s=300)
    clock.start(T0)
    assert clock.running is True
    assert clock.running_since_ms == T0
    assert clock.elapsed_ms(T0) == 0
    assert clock.elapsed_ms(T0 + 1_500) == 1_500
    assert clock.remaining_ms(T0 + 1_500) == 298_500
    assert clock.view(T0 + 1_500) == {"running": True, "elapsed_ms": 1_500, "duration_s": 300}


def test_stop_freezes_elapsed_time():
    clock = Clock(duration_s=300)
    clock.start(T0)
    clock.stop(T0 + 10_000)
    assert clock.running is False
    assert clock.accumulated_ms == 10_000
    assert clock.elapsed_ms(T0 + 10_000) == 10_000
    assert clock.elapsed_ms(T0 + 99_000) == 10_000
    assert clock.remaining_ms(T0 + 99_000) == 290_000
    assert clock.view(T0 + 99_000) == {"running": False, "elapsed_ms": 10_000, "duration_s": 300}


def test_several_pauses_are_left_out():
    clock = Clock(duration_s=120)
    # run 10 s, pause 50 s, run 20 s, pause 5 min, run 7.5 s, pause, run 2 s (still running)
    clock.start(T0)
    clock.stop(T0 + 10_000)
    assert clock.elapsed_ms(T0 + 59_999) == 10_000
    clock.start(T0 + 60_000)
    assert clock.elapsed_ms(T0 + 70_000) == 20_000
    clock.stop(T0 + 80_000)
    assert clock.elapsed_ms(T0 + 80_000) == 30_000
    assert clock.remaining_ms(T0 + 200_000) == 90_000
    clock.start(T0 + 380_000)
    clock.stop(T0 + 387_500)
    assert clock.elapsed_ms(T0 + 387_500) == 37_500
    clock.start(T0 + 400_000)
    assert clock.running is True
    assert clock.elapsed_ms(T0 + 402_000) == 39_500
    assert clock.remaining_ms(T0 + 402_000) == 80_500
    clock.stop(T0 + 402_000)
    assert clock.elapsed_ms(T0 + 10_000_000) == 39_500


def test_start_while_running_does_not_restart_the_stretch():
    clock = Clock()
    clock.start(T0)
    clock.start(T0 + 5_000)
    assert clock.running_since_ms == T0
    assert clock.elapsed_ms(T0 + 6_000) == 6_000


def test_stop_while_stopped_changes_nothing():
    clock = Clock()
    clock.start(T0)
    clock.stop(T0 + 4_000)
    clock.stop(T0 + 9_000)
    assert clock.accumulated_ms == 4_000
    assert clock.running is False
    assert clock.elapsed_ms(T0 + 9_000) == 4_000


def test_stop_before_any_start_keeps_zero():
    clock = Clock(duration_s=10)
    clock.stop(T0)
    assert clock.elapsed_ms(T0) == 0
    assert clock.remaining_ms(T0) == 10_000


def test_a_now_before_the_stretch_began_never_runs_the_clock_backwards():
    clock = Clock(accumulated_ms=3_000)
    clock.start(T0)
    assert clock.elapsed_ms(T0 - 500) == 3_000


def test_elapsed_starts_from_what_was_accumulated_before():
    """A clock loaded from storage mid-round carries on from its accumulated time."""
    clock = Clock(accumulated_ms=45_000, running_since_ms=T0, duration_s=60)
    assert clock.running is True
    assert clock.elapsed_ms(T0 + 5_000) == 50_000
    assert clock.remaining_ms(T0 + 5_000) == 10_000


def test_remaining_reaches_zero_when_the_time_is_up():
    clock = Clock(duration_s=30)
    clock.start(T0)
    assert clock.remaining_ms(T0 + 29_999) == 1
    assert clock.remaining_ms(T0 + 30_000) == 0
    assert clock.remaining_ms(T0 + 45_000) <= 0


def test_remaining_without_a_duration_is_none_however_long_it_runs():
    clock = Clock()
    clock.start(T0)
    assert clock.remaining_ms(T0 + 3_600_000) is None
    assert clock.elapsed_ms(T0 + 3_600_000) == 3_600_000


@given(
    st.lists(st.tuples(st.integers(0, 600_000), st.integers(0, 600_000)), min_size=1, max_size=12),
    st.integers(1, 3_600),
)
def test_elapsed_is_the_sum_of_the_running_stretches(stretches, duration_s):
    """Alternate run/pause gaps; elapsed is exactly the sum of the run parts."""
    clock = Clock(duration_s=duration_s)
    now = T0
    expected = 0
    for run, pause in stretches:
        clock.start(now)
        now += run
        expected += run
        assert clock.elapsed_ms(now) == expected
        clock.stop(now)
        now += pause
        assert clock.elapsed_ms(now) == expected
    assert clock.running is False
    assert clock.remaining_ms(now) == duration_s * 1000 - expected
    assert clock.view(now) == {"running": False, "elapsed_ms": expected, "duration_s": duration_s}


# -- time up: the room hears it once, when a round with a duration has run out --------------------
def test_time_up_once_the_duration_has_run():
    clock = Clock(duration_s=60)
    clock.start(T0)
    assert time_up(clock, False, T0 + 59_999) is False
    assert time_up(clock, False, T0 + 60_000) is True
    assert time_up(clock, True, T0 + 60_000) is False  # already told


def test_time_up_counts_role_play_time_not_pauses():
    clock = Clock(duration_s=60)
    clock.start(T0)
    clock.stop(T0 + 30_000)
    assert time_up(clock, False, T0 + 600_000) is False
    clock.start(T0 + 600_000)
    assert time_up(clock, False, T0 + 630_000) is True


def test_no_duration_is_never_up():
    clock = Clock()
    clock.start(T0)
    assert time_up(clock, False, T0 + 10**9) is False

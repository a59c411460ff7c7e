"""Phase rules (PROTOCOL.md "Phases" and the client → server table): every
command against every phase, allowed ones lead where the contract says,
refused ones raise RuleError("conflict")."""
from __future__ import annotations

import pytest

from calmroom.domain import phases
from calmroom.domain.errors import RuleError
from calmroom.domain.phases import BRIEFING, CLOSED, LOBBY, PAUSED, REVIEW, ROLEPLAY, SCORING

EVERY_PHASE = (LOBBY, BRIEFING, ROLEPLAY, PAUSED, SCORING, REVIEW, CLOSED)

# Written out from PROTOCOL.md, not copied from phases.TRANSITIONS.
EXPECTED_TRANSITIONS: dict[str, dict[str, str]] = {
    "start_round": {LOBBY: BRIEFING, REVIEW: BRIEFING},
    "begin_roleplay": {BRIEFING: ROLEPLAY},
    "pause_round": {ROLEPLAY: PAUSED},
    "call_timeout": {ROLEPLAY: PAUSED},
    "resume_round": {PAUSED: ROLEPLAY},
    "end_roleplay": {ROLEPLAY: SCORING, PAUSED: SCORING},
    "reveal_results": {SCORING: REVIEW},
}

EXPECTED_ALLOWED_IN: dict[str, set[str]] = {
    "mark_step": {ROLEPLAY, PAUSED},
    "correct_mark": {ROLEPLAY, PAUSED},
    "set_temperature": {ROLEPLAY},
    "score_step": {SCORING},
    "rate_global": {SCORING},
    "reflect": {SCORING, REVIEW},
}

ALLOWED_PAIRS = [(cmd, src, dst) for cmd, table in EXPECTED_TRANSITIONS.items() for src, dst in table.items()]
REFUSED_PAIRS = [
    (cmd, phase) for cmd, table in EXPECTED_TRANSITIONS.items() for phase in EVERY_PHASE if phase not in table
]
IN_PHASE_ALLOWED = [(cmd, phase) for cmd, allowed in EXPECTED_ALLOWED_IN.items() for phase in sorted(allowed)]
IN_PHASE_REFUSED = [
    (cmd, phase) for cmd, allowed in EXPECTED_ALLOWED_IN.items() for phase in EVERY_PHASE if phase not in allowed
]


def test_phase_constants_match_the_protocol():
    assert phases.ALL == ("lobby", "briefing", "roleplay", "paused", "scoring", "review", "closed")
    assert set(phases.IN_ROUND) == {"briefing", "roleplay", "paused", "scoring", "review"}
    assert LOBBY not in phases.IN_ROUND and CLOSED not in phases.IN_ROUND


def test_the_transition_table_knows_exactly_the_protocol_commands():
    assert set(phases.TRANSITIONS) == set(EXPECTED_TRANSITIONS)
    assert set(phases.ALLOWED_IN) == set(EXPECTED_ALLOWED_IN)


@pytest.mark.parametrize(("command", "source", "target"), ALLOWED_PAIRS)
def test_allowed_transition(command, source, target):
    assert phases.next_phase(command, source) == target


@pytest.mark.parametrize(("command", "phase"), REFUSED_PAIRS)
def test_refused_transition_is_a_conflict(command, phase):
    with pytest.raises(RuleError) as info:
        phases.next_phase(command, phase)
    assert info.value.code == "conflict"
    assert command in info.value.message and phase in info.value.message


def test_every_command_is_refused_from_closed():
    for command in EXPECTED_TRANSITIONS:
        with pytest.raises(RuleError) as info:
            phases.next_phase(command, CLOSED)
        assert info.value.code == "conflict"
    for command in EXPECTED_ALLOWED_IN:
        with pytest.raises(RuleError) as info:
            phases.require_phase(command, CLOSED)
        assert info.value.code == "conflict"


@pytest.mark.parametrize(("command", "phase"), IN_PHASE_ALLOWED)
def test_in_phase_command_allowed(command, phase):
    assert phases.require_phase(command, phase) is None


@pytest.mark.parametrize(("command", "phase"), IN_PHASE_REFUSED)
def test_in_phase_command_refused_is_a_conflict(command, phase):
    with pytest.raises(RuleError) as info:
        phases.require_phase(command, phase)
    assert info.value.code == "conflict"
    assert command in info.value.message and phase in info.value.message


@pytest.mark.parametrize("phase", [p for p in EVERY_PHASE if p != CLOSED])
def test_require_open_accepts_every_phase_but_closed(phase):
    assert phases.require_open(phase) is None


def test_require_open_refuses_closed():
    with pytest.raises(RuleError) as info:
        phases.require_open(CLOSED)
    assert info.value.code == "conflict"
    assert info.value.field is None


def test_a_refusal_leaves_the_caller_phase_alone():
    phase = SCORING
    with pytest.raises(RuleError):
        phase = phases.next_phase("begin_roleplay", phase)
    assert phase == SCORING


def test_a_whole_workshop_walks_through_the_phases():
    """lobby → briefing → roleplay ⇄ paused → scoring → review → briefing …"""
    phase = LOBBY
    walk = [
        ("start_round", BRIEFING),
        ("begin_roleplay", ROLEPLAY),
        ("pause_round", PAUSED),
        ("resume_round", ROLEPLAY),
        ("call_timeout", PAUSED),
        ("resume_round", ROLEPLAY),
        ("end_roleplay", SCORING),
        ("reveal_results", REVIEW),
        ("start_round", BRIEFING),
        ("begin_roleplay", ROLEPLAY),
        ("call_timeout", PAUSED),
        ("end_roleplay", SCORING),
        ("reveal_results", REVIEW),
    ]
    seen = [phase]
    for command, expected in walk:
        phase = phases.next_phase(command, phase)
        assert phase == expected, command
        seen.append(phase)
    assert seen[-1] == REVIEW
    assert set(seen) == {LOBBY, BRIEFING, ROLEPLAY, PAUSED, SCORING, REVIEW}


def test_no_command_leads_back_to_lobby_or_into_closed():
    targets = {target for _, target in phases.TRANSITIONS.values()}
    assert LOBBY not in targets
    assert CLOSED not in targets


def test_a_second_timeout_while_paused_is_refused():
    paused = phases.next_phase("call_timeout", ROLEPLAY)
    with pytest.raises(RuleError) as info:
        phases.next_phase("call_timeout", paused)
    assert info.value.code == "conflict"

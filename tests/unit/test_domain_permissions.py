"""Who may do what (PROTOCOL.md's client → server table), against every role:
the facilitator, the round's customer, its agent, an observer. Written out
here, not copied from permissions.MAY."""
from __future__ import annotations

import pytest

from calmroom.domain import permissions
from calmroom.domain.errors import RuleError
from calmroom.domain.room import AGENT, CUSTOMER, FACILITATOR, OBSERVER, Round, role_of
from calmroom.domain.clock import Clock

ROLES = (FACILITATOR, CUSTOMER, AGENT, OBSERVER)
P = (CUSTOMER, AGENT, OBSERVER)

EXPECTED: dict[str, set[str]] = {
    "sync": set(ROLES),
    "start_round": {FACILITATOR},
    "begin_roleplay": {FACILITATOR},
    "pause_round": {FACILITATOR},
    "resume_round": {FACILITATOR},
    "end_roleplay": {FACILITATOR},
    "reveal_results": {FACILITATOR},
    "kick": {FACILITATOR},
    "lock_room": {FACILITATOR},
    "close_room": {FACILITATOR},
    "set_options": {FACILITATOR},
    "call_timeout": set(P),
    "leave_room": set(P),
    "mark_step": {OBSERVER, FACILITATOR},
    "correct_mark": set(ROLES),  # whose mark it is decides (domain/corrections.py)
    "score_step": {OBSERVER, FACILITATOR},
    "rate_global": {OBSERVER, FACILITATOR},
    "set_temperature": {CUSTOMER},
    "reflect": {CUSTOMER, AGENT},
    "answer_request": {FACILITATOR},
    "renew_rejoin_code": set(P),
}
PAIRS = [(cmd, role) for cmd in EXPECTED for role in ROLES]


def test_the_table_lists_every_member_command():
    assert set(permissions.MAY) == set(EXPECTED)


@pytest.mark.parametrize("command,role", PAIRS)
def test_who_may_send_what(command, role):
    allowed = role in EXPECTED[command]
    assert permissions.may(command, role) is allowed
    if allowed:
        permissions.require_role(command, role)
    else:
        with pytest.raises(RuleError) as err:
            permissions.require_role(command, role)
        assert err.value.code == "forbidden" and err.value.message and err.value.fields == {}


@pytest.mark.parametrize("command", sorted(EXPECTED))
def test_what_the_sender_alone_decides(command):
    """Before the round is read: the facilitator is refused what no
    facilitator may send, a participant what only the facilitator may."""
    fac_refused = FACILITATOR not in EXPECTED[command]
    participant_refused = EXPECTED[command] == {FACILITATOR}
    for is_fac, refused in ((True, fac_refused), (False, participant_refused)):
        if refused:
            with pytest.raises(RuleError, match=".") as err:
                permissions.require_sender(command, is_fac)
            assert err.value.code == "forbidden"
        else:
            permissions.require_sender(command, is_fac)


def test_every_client_event_is_a_door_command_or_in_the_table():
    from calmroom.protocol.events import CLIENT_EVENTS

    assert not set(permissions.DOOR) & set(permissions.MAY)
    assert set(permissions.DOOR) | set(permissions.MAY) == set(CLIENT_EVENTS)
    with pytest.raises(KeyError):
        permissions.require_sender("knock", False)  # a door command has no sender yet


def test_role_of():
    assert role_of(None, "c", "a") == FACILITATOR
    assert role_of(FACILITATOR, "c", "a") == FACILITATOR
    assert role_of("c", "c", "a") == CUSTOMER
    assert role_of("a", "c", "a") == AGENT
    assert role_of("x", "c", "a") == OBSERVER
    assert role_of("x", None, None) == OBSERVER  # before the first round everyone observes


def test_a_round_answers_with_the_same_role_of():
    rnd = Round(id=1, number=1, card=None, customer="c", agent="a", clock=Clock())  # type: ignore[arg-type]
    assert [rnd.role_of(w) for w in (FACILITATOR, "c", "a", "x")] == [FACILITATOR, CUSTOMER, AGENT, OBSERVER]

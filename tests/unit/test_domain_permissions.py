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


# -- sender, phase and round role together ---------------------------------------------------
# What the socket suite once ran as matrices over real clients (wrong phase x
# every event, a participant doing the facilitator's things, the players
# marking or scoring, ...), here against the rules the services call, in the
# services' order: the sender alone (permissions.require_sender, before the
# room is read), then the phase (phases.py, or membership.py's lock and
# close), then the sender's round role (the entries.py check of the command).
# The order itself is the services' (services/rounds.py, scoring.py, ...):
# no one function of the domain strings the three together.
from calmroom.domain import entries, phases  # noqa: E402
from calmroom.domain import membership as m  # noqa: E402
from calmroom.domain.deck import AgentBrief, Card, CustomerBrief, Deck, Scale, Step  # noqa: E402

EVERY_PHASE = ("lobby", "briefing", "roleplay", "paused", "scoring", "review", "closed")
OPEN = set(EVERY_PHASE) - {"closed"}

# command -> the phases it may be sent in (PROTOCOL.md), written out here
EXPECTED_PHASES: dict[str, set[str]] = {
    "sync": set(EVERY_PHASE),
    "start_round": {"lobby", "review"},
    "begin_roleplay": {"briefing"},
    "pause_round": {"roleplay"},
    "resume_round": {"paused"},
    "call_timeout": {"roleplay"},
    "end_roleplay": {"roleplay", "paused"},
    "reveal_results": {"scoring"},
    "mark_step": {"roleplay", "paused"},
    "correct_mark": {"roleplay", "paused"},
    "set_temperature": {"roleplay"},
    "score_step": {"scoring"},
    "rate_global": {"scoring"},
    "reflect": {"scoring", "review"},
    "kick": set(EVERY_PHASE),
    "lock_room": OPEN,
    "set_options": OPEN,
    "close_room": OPEN,
    "leave_room": set(EVERY_PHASE),
    "answer_request": OPEN,
    "renew_rejoin_code": set(EVERY_PHASE),
}

_STEP = Step("listen", "Let them vent", ("does not interrupt",))
_CARD = Card(id="sofa", title="sofa", difficulty=1, setting="s", customer=CustomerBrief("p", "s", "o", 5, (), (), "w"),
             agent=AgentBrief("b", (), ()))
_DECK = Deck(id="d", title="D", language="en", scale=Scale(0, 3), steps=(_STEP,), cards=(_CARD,))

# the phase rule each service asks (None: the command has none)
PHASE_RULE = {
    **{c: (lambda c: lambda phase: phases.next_phase(c, phase))(c)
       for c in ("start_round", "begin_roleplay", "pause_round", "resume_round", "call_timeout", "end_roleplay", "reveal_results")},
    **{c: (lambda c: lambda phase: phases.require_phase(c, phase))(c)
       for c in ("mark_step", "correct_mark", "set_temperature", "score_step", "rate_global", "reflect")},
    "lock_room": lambda phase: m.lock(phase, False, True),
    "close_room": m.close,
    "set_options": phases.require_open,
    "answer_request": phases.require_open,
    "sync": None, "kick": None, "leave_room": None, "renew_rejoin_code": None,
}

# the round role's check each live command makes (entries.py); the others
# are decided by the sender alone (correct_mark: by whose mark it is, corrections.py)
ROLE_RULE = {
    "mark_step": lambda role: entries.mark(_DECK, "sofa", role, "x", {"id": "m", "step": "listen", "rating": 2}, 0),
    "set_temperature": lambda role: entries.temperature(role, {"id": "t", "level": 5}, 0),
    "score_step": lambda role: entries.score(_DECK, "sofa", role, "x", {"step": "listen", "rating": 2}),
    "rate_global": lambda role: entries.global_rating(role, 3),
    "reflect": lambda role: entries.reflection(role, "x", {"feeling": 3}),
}


def decide(command: str, phase: str, role: str) -> str:
    """What the rules answer `command` from `role` in `phase`: "ok" or the error code."""
    try:
        permissions.require_sender(command, role == FACILITATOR)
        if PHASE_RULE[command] is not None:
            PHASE_RULE[command](phase)
        if command in ROLE_RULE:
            ROLE_RULE[command](role)
    except RuleError as err:
        assert err.message
        return err.code
    return "ok"


def expected(command: str, phase: str, role: str) -> str:
    may = EXPECTED[command]
    # what the sender is decides before the room is read
    if (role == FACILITATOR and FACILITATOR not in may) or (role != FACILITATOR and may == {FACILITATOR}):
        return "forbidden"
    if phase not in EXPECTED_PHASES[command]:
        return "conflict"
    return "ok" if role in may else "forbidden"


MATRIX = [(cmd, phase, role) for cmd in EXPECTED for phase in EVERY_PHASE for role in ROLES]


def test_the_matrix_has_every_member_command_with_a_phase_and_a_role_rule():
    assert set(EXPECTED_PHASES) == set(EXPECTED) == set(PHASE_RULE) == set(permissions.MAY)
    assert set(ROLE_RULE) <= set(permissions.MAY)


@pytest.mark.parametrize("command,phase,role", MATRIX)
def test_sender_phase_and_role_decide_together(command, phase, role):
    assert decide(command, phase, role) == expected(command, phase, role)


# the sender alone, before the phase; then the phase, before the round role; then the round role
ORDER = {
    "forbidden": [("set_temperature", "scoring", FACILITATOR), ("start_round", "briefing", CUSTOMER), ("reflect", "lobby", FACILITATOR)],
    "conflict": [("mark_step", "scoring", CUSTOMER), ("score_step", "roleplay", FACILITATOR), ("reflect", "roleplay", OBSERVER)],
    "forbidden by the round role": [("mark_step", "paused", AGENT), ("set_temperature", "roleplay", AGENT), ("reflect", "review", OBSERVER)],
}


@pytest.mark.parametrize("command,phase,role,why", [(*row, why) for why, rows in ORDER.items() for row in rows])
def test_the_order_of_the_checks(command, phase, role, why):
    assert decide(command, phase, role) == why.split()[0]

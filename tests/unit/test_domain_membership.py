"""Membership's rules (domain/membership.py), without a database: who may
join under which name, come back with a token, host, leave, be removed, and
when the room may be locked or closed. The socket suite keeps one test per
kind of refusal (test_refusals.py, test_names.py, test_admission.py)."""
from __future__ import annotations

import pytest

from calmroom.domain import membership as m
from calmroom.domain import phases
from calmroom.domain.errors import RuleError
from calmroom.domain.room import FACILITATOR
from calmroom.protocol.text import name_key

OPEN_PHASES = [p for p in phases.ALL if p != phases.CLOSED]


def refused(fn, *args, **kwargs) -> RuleError:
    with pytest.raises(RuleError) as err:
        fn(*args, **kwargs)
    return err.value


# -- joining --------------------------------------------------------------------
@pytest.mark.parametrize("phase", OPEN_PHASES)
def test_a_free_name_joins_an_open_room_in_any_phase_but_closed(phase):
    assert m.may_join(phase, False, []) == m.ACTIVE
    # people who left or were kicked (without a ban) free their name
    assert m.may_join(phase, False, [m.LEFT, m.KICKED]) == m.ACTIVE


def test_a_closed_room_refuses_before_anything_else():
    err = refused(m.may_join, phases.CLOSED, True, [m.BANNED, m.ACTIVE])
    assert err.code == "conflict" and "closed" in err.message


def test_a_locked_room_refuses_a_newcomer():
    err = refused(m.may_join, phases.LOBBY, True, [])
    assert err.code == "room_locked" and err.fields == {}


def test_a_banned_name_is_forbidden_with_the_name_field():
    err = refused(m.may_join, phases.ROLEPLAY, False, [m.BANNED])
    assert err.code == "forbidden" and set(err.fields) == {"name"}
    # banned wins over a name also in use
    assert refused(m.may_join, phases.LOBBY, False, [m.ACTIVE, m.BANNED]).code == "forbidden"


def test_a_name_in_use_is_invalid_on_the_name_field():
    """Online or offline: either way the name is someone's (an offline
    holder's place can be asked for, domain/admission.py)."""
    err = refused(m.may_join, phases.LOBBY, False, [m.ACTIVE])
    assert err.code == "invalid" and err.fields == {"name": m.NAME_TAKEN}


def test_names_are_the_same_name_in_their_normal_form():
    """The store finds holders by `name_key`: these are one name."""
    assert name_key("Bram") == name_key("bram") == name_key("Ｂｒａｍ") == name_key("BRAM")
    assert name_key("Bram") != name_key("Bran")


@pytest.mark.parametrize("typed", ["Ann", "ann", "ANN", "Ａｎｎ"])
def test_a_name_in_use_in_another_case_is_the_same_name(typed):
    """The schema strips what is typed (`"  ANN "` arrives as `ANN`,
    test_protocol_events.py); its key is then that of the holder's name,
    whose status refuses it."""
    assert name_key(typed) == name_key("Ann")
    assert refused(m.may_join, phases.LOBBY, False, [m.ACTIVE]).fields == {"name": m.NAME_TAKEN}


def test_refuse_banned_takes_any_iterable():
    m.refuse_banned(iter([m.ACTIVE, m.LEFT]))
    assert refused(m.refuse_banned, (s for s in [m.BANNED])).code == "forbidden"


# -- coming back ------------------------------------------------------------------
def test_an_active_participant_rejoins_also_a_locked_room():
    for phase in OPEN_PHASES:
        m.may_rejoin(phase, m.ACTIVE)


@pytest.mark.parametrize(
    "status,words",
    [(None, "does not belong"), (m.KICKED, "removed you"), (m.BANNED, "removed you"), (m.LEFT, "you left")],
)
def test_a_token_that_does_not_let_you_back(status, words):
    err = refused(m.may_rejoin, phases.ROLEPLAY, status)
    assert err.code == "unauthorized" and words in err.message and set(err.fields) == {"token"}


def test_nobody_rejoins_a_closed_room():
    assert refused(m.may_rejoin, phases.CLOSED, m.ACTIVE).code == "conflict"


def test_hosting_and_managing_need_the_facilitator_token():
    m.may_host(True)
    err = refused(m.may_host, False)
    assert err.code == "unauthorized" and set(err.fields) == {"facilitator_token"}
    m.may_manage(True)
    assert refused(m.may_manage, False).code == "unauthorized"


# -- leaving and being removed ---------------------------------------------------------
def test_leaving():
    assert m.leave(m.ACTIVE, True) == m.LEFT
    for status, in_room in ((m.LEFT, True), (m.KICKED, True), (None, False), (m.ACTIVE, False)):
        err = refused(m.leave, status, in_room)
        assert err.code == "unauthorized"


def test_a_member_command_needs_an_active_participant_of_this_room():
    m.require_member(m.ACTIVE, True)
    assert refused(m.require_member, m.ACTIVE, False).code == "unauthorized"  # of another room
    assert refused(m.require_member, m.BANNED, True).code == "unauthorized"


def test_a_kick_removes_and_a_ban_keeps_out():
    kicked = m.kick("p1", m.ACTIVE, True)
    assert (kicked.status, kicked.ban) == (m.KICKED, False) and "cannot join" not in kicked.message
    banned = m.kick("p1", m.ACTIVE, True, ban=True)
    assert (banned.status, banned.ban) == (m.BANNED, True) and "cannot join it again" in banned.message


@pytest.mark.parametrize(
    "target,status,in_room",
    [(FACILITATOR, None, False), ("p1", None, False), ("p1", m.ACTIVE, False), ("p1", m.LEFT, True), ("p1", m.KICKED, True)],
)
def test_a_kick_of_someone_not_in_the_room_is_not_found(target, status, in_room):
    err = refused(m.kick, target, status, in_room)
    assert err.code == "not_found" and set(err.fields) == {"participant"}


# -- lock and close ---------------------------------------------------------------------
def test_locking_changes_only_a_different_value():
    assert m.lock(phases.LOBBY, False, True) is True
    assert m.lock(phases.ROLEPLAY, True, False) is True
    assert m.lock(phases.LOBBY, True, True) is False
    assert refused(m.lock, phases.CLOSED, False, True).code == "conflict"


@pytest.mark.parametrize("phase", OPEN_PHASES)
def test_closing_from_any_open_phase(phase):
    assert m.close(phase) == phases.CLOSED


def test_a_closed_room_cannot_close_again():
    assert refused(m.close, phases.CLOSED).code == "conflict"

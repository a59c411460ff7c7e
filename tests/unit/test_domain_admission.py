"""The rules of join requests and rejoin codes (domain/admission.py)."""
from __future__ import annotations

import pytest

from calmroom.domain import admission as rules
from calmroom.domain.errors import RuleError

T0 = 1_000_000


def req(status=rules.PENDING, created=T0, answered=None, kind=rules.KNOCK):
    return rules.JoinRequest(id="r1", kind=kind, name="Eve", participant=None, status=status, created_ms=created, answered_ms=answered)


def test_a_request_waits_for_its_answer_and_then_expires():
    r = req()
    assert r.status_at(T0 + rules.ANSWER_WAIT_MS - 1) == rules.PENDING
    assert r.status_at(T0 + rules.ANSWER_WAIT_MS) == rules.EXPIRED
    admitted = req(rules.ADMITTED, answered=T0 + 5)
    assert admitted.status_at(T0 + 5 + rules.CLAIM_WAIT_MS - 1) == rules.ADMITTED
    assert admitted.status_at(T0 + 5 + rules.CLAIM_WAIT_MS) == rules.EXPIRED
    assert req(rules.DECLINED, answered=T0).status_at(T0 + 10 * rules.ANSWER_WAIT_MS) == rules.DECLINED


def test_the_facilitator_sees_what_waits_oldest_first_with_its_time_left():
    old, new = req(created=T0), req(created=T0 + 10)
    new.id = "r2"
    gone = req(created=T0 - rules.ANSWER_WAIT_MS)
    gone.id = "r3"
    assert [r.id for r in rules.waiting([new, gone, old, req(rules.ADMITTED, answered=T0)], T0 + 20)] == ["r1", "r2"]
    view = rules.request_view(old, T0 + 1000)
    assert view == {"id": "r1", "kind": "knock", "name": "Eve", "participant": None, "expires_in_ms": rules.ANSWER_WAIT_MS - 1000}
    assert "token" not in rules.asker_view(old, T0) and rules.asker_view(old, T0)["status"] == "pending"


def test_asking_is_bounded_per_room_and_per_name():
    rules.may_ask(rules.MAX_WAITING - 1, False)
    with pytest.raises(RuleError) as full:
        rules.may_ask(rules.MAX_WAITING, False)
    assert full.value.code == "rate_limited"
    with pytest.raises(RuleError) as twice:
        rules.may_ask(0, True)
    assert (twice.value.code, twice.value.field) == ("invalid", "name")


def test_only_a_pending_request_can_be_answered():
    rules.answerable(req(), T0)
    for r, word in ((req(rules.DECLINED), "declined"), (req(rules.ADMITTED, answered=T0), "admitted"), (req(created=0), "expired")):
        with pytest.raises(RuleError) as err:
            rules.answerable(r, T0 + 1)
        assert err.value.code == "conflict" and word in err.value.message


@pytest.mark.parametrize(
    "holder_online,locked,kind",
    [(None, False, None), (None, True, rules.KNOCK), (False, False, rules.TAKEOVER), (False, True, rules.TAKEOVER)],
)
def test_what_asking_under_a_name_becomes(holder_online, locked, kind):
    assert rules.kind_for_name(holder_online, locked) == kind


def test_the_name_of_someone_connected_is_refused():
    with pytest.raises(RuleError) as err:
        rules.kind_for_name(True, False)
    assert (err.value.code, err.value.field) == ("invalid", "name")


def test_rejoin_codes_read_as_typed():
    assert rules.clean_rejoin_code("abcd-efgh") == rules.clean_rejoin_code(" ABCD EFGH ") == "ABCDEFGH"
    assert rules.show_rejoin_code("ABCDEFGH") == "ABCD-EFGH"
    assert not set("01OIL") & set(rules.REJOIN_ALPHABET)
    assert len(rules.REJOIN_ALPHABET) ** rules.REJOIN_CODE_LENGTH > 2**39  # about 40 bits


def test_an_admitted_asker_comes_in_once():
    assert rules.may_claim(rules.ADMITTED) is True
    for status in (rules.PENDING, rules.DECLINED, rules.WITHDRAWN, rules.EXPIRED):
        assert rules.may_claim(status) is False  # it hears where its request stands
    with pytest.raises(RuleError, match="already") as err:
        rules.may_claim(rules.CLAIMED)
    assert err.value.code == "conflict"
    rules.require_place("active")
    for gone in (None, "left", "kicked", "banned"):
        with pytest.raises(RuleError, match="no longer there"):
            rules.require_place(gone)


def test_answering_a_request():
    now = T0 + 1_000
    assert rules.answer(req(), now, False) == rules.DECLINED
    assert rules.answer(req(), now, True) == rules.ADMITTED
    with pytest.raises(RuleError, match="joined as Eve meanwhile"):
        rules.answer(req(), now, True, name_taken=True)
    assert rules.answer(req(), now, False, name_taken=True) == rules.DECLINED  # declining is always possible
    takeover = req(kind=rules.TAKEOVER)
    assert rules.answer(takeover, now, True, holder_status="active") == rules.ADMITTED
    for gone in (None, "left", "kicked"):
        with pytest.raises(RuleError, match="Eve is no longer in this room") as err:
            rules.answer(takeover, now, True, holder_status=gone)
        assert err.value.code == "conflict"
    with pytest.raises(RuleError, match="expired"):
        rules.answer(req(), T0 + rules.ANSWER_WAIT_MS, False)

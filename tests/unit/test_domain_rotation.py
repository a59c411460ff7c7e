"""Rotation: who plays customer and agent next, and which card comes next.

The simulation below mirrors how the service feeds choose_roles: seats are the
participants present now, their counts come from this room's round history,
and `last_agent` is the previous round's agent (even if they left since)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calmroom.domain.errors import RuleError
from calmroom.domain.rotation import Seat, choose_roles, next_card_id


@dataclass
class Table:
    """A room's people and round history, as the service would hold them."""

    present: dict[str, dict] = field(default_factory=dict)  # id -> {"seq", "connected"}
    history: list[tuple[str, str]] = field(default_factory=list)  # (customer, agent)
    next_seq: int = 0

    @classmethod
    def of(cls, n: int) -> "Table":
        t = cls()
        for _ in range(n):
            t.join()
        return t

    def join(self, connected: bool = True) -> str:
        pid = f"p{self.next_seq}"
        self.present[pid] = {"seq": self.next_seq, "connected": connected}
        self.next_seq += 1
        return pid

    def leave(self, pid: str) -> None:
        del self.present[pid]

    def times_agent(self, pid: str) -> int:
        return sum(a == pid for _, a in self.history)

    def times_customer(self, pid: str) -> int:
        return sum(c == pid for c, _ in self.history)

    def seats(self) -> list[Seat]:
        return [
            Seat(
                id=pid,
                seq=info["seq"],
                connected=info["connected"],
                times_agent=self.times_agent(pid),
                times_customer=self.times_customer(pid),
            )
            for pid, info in self.present.items()
        ]

    @property
    def last_agent(self) -> str | None:
        return self.history[-1][1] if self.history else None

    def play(self, *, customer: str | None = None, agent: str | None = None) -> tuple[str, str]:
        c, a = choose_roles(self.seats(), self.last_agent, customer=customer, agent=agent)
        self.history.append((c, a))
        return c, a


# -- choose_roles: the single decision ------------------------------------


def test_fewer_than_two_seats_is_a_conflict():
    for seats in ([], [Seat("a", 0)]):
        with pytest.raises(RuleError) as info:
            choose_roles(seats)
        assert info.value.code == "conflict"


def test_first_round_agent_is_first_joiner_and_customer_the_second():
    seats = [Seat("c", 2), Seat("a", 0), Seat("b", 1)]
    assert choose_roles(seats) == ("b", "a")


def test_agent_is_who_has_been_agent_least():
    seats = [Seat("a", 0, times_agent=1), Seat("b", 1, times_agent=1), Seat("c", 2, times_agent=0)]
    _, agent = choose_roles(seats, "b")
    assert agent == "c"


def test_agent_once_before_twice_outranks_being_connected():
    """Everyone plays agent once before anyone twice, even someone whose
    connection dropped (the facilitator can still fix the agent by hand)."""
    seats = [
        Seat("a", 0, connected=True, times_agent=1),
        Seat("b", 1, connected=False, times_agent=0),
        Seat("c", 2, connected=True, times_agent=1),
    ]
    _, agent = choose_roles(seats, "a")
    assert agent == "b"


def test_agent_ties_go_to_connected_people_first():
    seats = [Seat("a", 0, connected=False), Seat("b", 1, connected=True), Seat("c", 2, connected=True)]
    customer, agent = choose_roles(seats)
    assert agent == "b"
    assert customer == "c"


def test_agent_ties_among_equals_go_to_join_order_not_list_order_or_id():
    seats = [Seat("zed", 5), Seat("amy", 9), Seat("bob", 3)]
    customer, agent = choose_roles(seats)
    assert agent == "bob"
    assert customer == "zed"


def test_customer_is_who_has_been_customer_least():
    seats = [
        Seat("a", 0, times_agent=1, times_customer=2),
        Seat("b", 1, times_agent=1, times_customer=0),
        Seat("c", 2, times_agent=0, times_customer=1),
    ]
    customer, agent = choose_roles(seats, "a")
    assert agent == "c"
    assert customer == "b"  # fewest customer turns beats having just been agent


def test_customer_is_someone_who_has_not_played_yet():
    """Round two in a room of four does not swap the first two players."""
    seats = [Seat("a", 0, times_agent=1), Seat("b", 1, times_customer=1), Seat("c", 2), Seat("d", 3)]
    customer, agent = choose_roles(seats, "a")
    assert agent == "b"
    assert customer == "c"  # a just played agent, but c and d have not played at all


def test_customer_prefers_the_previous_agent_on_a_tie():
    seats = [Seat("a", 0, times_agent=1), Seat("b", 1, times_agent=1), Seat("c", 2, times_customer=1)]
    customer, agent = choose_roles(seats, "b")
    assert agent == "c"
    assert customer == "b"  # a and b have played once each, as agent; b was agent last


def test_customer_without_a_previous_agent_goes_by_join_order():
    seats = [Seat("a", 0, times_agent=1), Seat("b", 1, times_agent=1), Seat("c", 2, times_customer=1)]
    customer, agent = choose_roles(seats, None)
    assert agent == "c"
    assert customer == "a"


def test_previous_agent_who_left_is_no_preference():
    seats = [Seat("b", 1, times_agent=1), Seat("c", 2, times_customer=1), Seat("d", 3, times_agent=1)]
    customer, agent = choose_roles(seats, "gone")
    assert agent == "c"
    assert customer == "b"


def test_customer_ties_go_to_connected_people_first():
    seats = [
        Seat("a", 0, connected=False, times_agent=1),
        Seat("b", 1, connected=True, times_agent=1),
        Seat("c", 2, connected=True, times_agent=0),
    ]
    customer, agent = choose_roles(seats, "a")
    assert agent == "c"
    # a just played agent but has dropped; b is present now
    assert customer == "b"


def test_customer_is_never_the_agent_even_when_the_agent_has_fewest_customer_turns():
    seats = [
        Seat("a", 0, times_agent=0, times_customer=0),
        Seat("b", 1, times_agent=1, times_customer=3),
        Seat("c", 2, times_agent=1, times_customer=2),
    ]
    customer, agent = choose_roles(seats, "a")
    assert agent == "a"
    assert customer == "c"


def test_two_people_alternate_and_customer_is_never_the_agent():
    seats = [Seat("a", 0), Seat("b", 1)]
    assert choose_roles(seats) == ("b", "a")


def test_fixed_customer_is_honoured_and_agent_chosen_among_the_others():
    seats = [Seat("a", 0), Seat("b", 1), Seat("c", 2)]
    customer, agent = choose_roles(seats, customer="a")
    assert customer == "a"
    assert agent == "b"


def test_fixed_agent_is_honoured_and_customer_chosen_among_the_others():
    seats = [Seat("a", 0), Seat("b", 1), Seat("c", 2)]
    customer, agent = choose_roles(seats, customer=None, agent="c")
    assert agent == "c"
    assert customer == "a"


def test_fixed_agent_who_has_been_agent_already_is_honoured():
    seats = [Seat("a", 0, times_agent=3), Seat("b", 1), Seat("c", 2)]
    customer, agent = choose_roles(seats, "a", agent="a")
    assert (customer, agent) == ("b", "a")


def test_fixed_customer_being_the_least_agent_pushes_agent_to_the_next():
    seats = [Seat("a", 0, times_agent=1), Seat("b", 1, times_agent=1), Seat("c", 2, times_agent=0)]
    customer, agent = choose_roles(seats, "b", customer="c")
    assert (customer, agent) == ("c", "a")


def test_both_fixed_are_kept_as_given():
    seats = [Seat("a", 0), Seat("b", 1), Seat("c", 2)]
    assert choose_roles(seats, "a", customer="c", agent="b") == ("c", "b")


# -- many rounds ------------------------------------------------------------


@pytest.mark.parametrize("n", [2, 3, 5])
def test_many_rounds_everyone_is_agent_once_per_cycle(n):
    table = Table.of(n)
    people = list(table.present)
    for cycle in range(6):
        agents_this_cycle = []
        for _ in range(n):
            customer, agent = table.play()
            assert customer != agent
            assert customer in table.present and agent in table.present
            agents_this_cycle.append(agent)
        assert sorted(agents_this_cycle) == sorted(people), f"cycle {cycle}"
        # agent order follows join order every cycle
        assert agents_this_cycle == people
    counts = Counter(a for _, a in table.history)
    assert set(counts.values()) == {6}


@pytest.mark.parametrize("n", [2, 3, 5])
def test_many_rounds_nobody_is_agent_twice_before_everyone_once(n):
    table = Table.of(n)
    for _ in range(7 * n + 2):
        before = {pid: table.times_agent(pid) for pid in table.present}
        _, agent = table.play()
        assert before[agent] == min(before.values())
        after = [table.times_agent(pid) for pid in table.present]
        assert max(after) - min(after) <= 1


@pytest.mark.parametrize("n", [2, 3, 5])
def test_many_rounds_everyone_gets_to_be_customer(n):
    table = Table.of(n)
    for _ in range(4 * n):
        table.play()
    customers = Counter(c for c, _ in table.history)
    assert set(customers) == set(table.present)
    assert sum(customers.values()) == 4 * n


def test_two_people_alternate_over_many_rounds():
    table = Table.of(2)
    got = [table.play() for _ in range(6)]
    assert got == [("p1", "p0"), ("p0", "p1")] * 3


def test_three_people_exact_sequence():
    table = Table.of(3)
    got = [table.play() for _ in range(6)]
    assert got == [
        ("p1", "p0"),
        ("p2", "p1"),  # p2 has not played yet
        ("p0", "p2"),  # everyone has played once; p0 has not been customer
        ("p2", "p0"),
        ("p0", "p1"),
        ("p1", "p2"),
    ]


def test_five_people_exact_first_rounds():
    table = Table.of(5)
    got = [table.play() for _ in range(7)]
    # five rounds: each person once agent and once customer (round two used to swap p0 and p1)
    assert got == [
        ("p1", "p0"),
        ("p2", "p1"),
        ("p3", "p2"),
        ("p4", "p3"),
        ("p0", "p4"),
        ("p4", "p0"),
        ("p2", "p1"),
    ]
    firsts = got[:5]
    assert sorted(c for c, _ in firsts) == sorted(a for _, a in firsts) == ["p0", "p1", "p2", "p3", "p4"]


def test_the_previous_agent_often_becomes_the_next_customer():
    """With equal customer counts the one who just played agent takes the other side."""
    table = Table.of(2)
    table.play()
    for _ in range(5):
        last = table.last_agent
        customer, _ = table.play()
        assert customer == last


def test_late_joiner_is_agent_before_anyone_repeats():
    table = Table.of(3)
    for _ in range(4):  # p0 p1 p2 p0
        table.play()
    assert [a for _, a in table.history] == ["p0", "p1", "p2", "p0"]
    late = table.join()
    agents = [table.play()[1] for _ in range(4)]
    assert agents[0] == late  # 0 agent turns, everyone else has one or two
    # p0 already has two turns, so the late joiner's second comes before p0's third
    assert agents == [late, "p1", "p2", late]


def test_late_joiner_gets_the_next_agent_turn_and_rotation_stays_even():
    table = Table.of(3)
    for _ in range(3):
        table.play()
    late = table.join()
    seen: list[str] = []
    for _ in range(8):
        before = {pid: table.times_agent(pid) for pid in table.present}
        customer, agent = table.play()
        assert customer != agent
        assert before[agent] == min(before.values())
        seen.append(agent)
    assert seen[0] == late
    assert Counter(seen)[late] == 2


def test_someone_removed_mid_way_is_not_counted():
    table = Table.of(5)
    table.play()  # p0 agent
    table.play()  # p1 agent
    table.leave("p2")  # never was agent; the others must not wait for p2
    agents = [table.play()[1] for _ in range(5)]
    assert agents == ["p3", "p4", "p0", "p1", "p3"]
    for customer, agent in table.history[2:]:
        assert "p2" not in (customer, agent)


def test_previous_agent_removed_mid_way_rotation_carries_on():
    table = Table.of(3)
    table.play()  # (p1, p0)
    table.leave("p0")  # last agent gone
    customer, agent = table.play()
    assert agent == "p1"
    assert customer == "p2"
    customer, agent = table.play()
    assert agent == "p2"
    assert customer == "p1"


def test_removal_down_to_two_still_gives_two_distinct_roles():
    table = Table.of(3)
    for _ in range(3):
        table.play()
    table.leave("p1")
    for _ in range(4):
        customer, agent = table.play()
        assert {customer, agent} == {"p0", "p2"}


def test_disconnected_person_is_skipped_on_a_tie_and_comes_up_later():
    table = Table.of(3)
    table.present["p0"]["connected"] = False
    c1, a1 = table.play()
    assert a1 == "p1"  # p0 dropped; all tied at zero
    assert c1 == "p2"
    c2, a2 = table.play()
    assert a2 == "p2"
    assert c2 == "p0"  # the only one who has not played, even while away
    _, a3 = table.play()
    assert a3 == "p0"  # now p0 is the only one never agent: once before twice wins


# -- property-based ---------------------------------------------------------

OPS = st.one_of(
    st.tuples(st.just("round"), st.just(0)),
    st.tuples(st.just("round"), st.just(0)),
    st.tuples(st.just("round"), st.just(0)),
    st.tuples(st.just("join"), st.just(0)),
    st.tuples(st.just("leave"), st.integers(0, 50)),
    st.tuples(st.just("toggle"), st.integers(0, 50)),
    st.tuples(st.just("fix_customer"), st.integers(0, 50)),
    st.tuples(st.just("fix_agent"), st.integers(0, 50)),
)


@settings(max_examples=300, deadline=None)
@given(st.integers(2, 6), st.lists(OPS, min_size=1, max_size=60))
def test_rotation_property(start, ops):
    table = Table.of(start)
    for op, k in ops:
        ids = list(table.present)
        if op == "join":
            table.join(connected=k % 2 == 0)
            continue
        if op == "leave":
            if len(ids) > 2:
                table.leave(ids[k % len(ids)])
            continue
        if op == "toggle":
            pid = ids[k % len(ids)]
            table.present[pid]["connected"] = not table.present[pid]["connected"]
            continue

        fixed_customer = ids[k % len(ids)] if op == "fix_customer" else None
        fixed_agent = ids[k % len(ids)] if op == "fix_agent" else None
        seats = {s.id: s for s in table.seats()}
        customer, agent = table.play(customer=fixed_customer, agent=fixed_agent)

        assert customer != agent
        assert customer in seats and agent in seats
        if fixed_customer is not None:
            assert customer == fixed_customer
        if fixed_agent is not None:
            assert agent == fixed_agent

        if fixed_agent is None:
            pool = [s for s in seats.values() if s.id != customer]
            least = min(s.times_agent for s in pool)
            # nobody is agent for the (k+1)-th time while someone present has fewer than k
            assert seats[agent].times_agent == least
            if fixed_customer is None:
                assert all(s.times_agent >= seats[agent].times_agent for s in seats.values())
            tied = [s for s in pool if s.times_agent == least]
            if any(s.connected for s in tied):
                assert seats[agent].connected
            same_rank = [s for s in tied if s.connected == seats[agent].connected]
            assert seats[agent].seq == min(s.seq for s in same_rank)

        if fixed_customer is None:
            pool = [s for s in seats.values() if s.id != agent]
            fewest = min(s.plays for s in pool)  # played least in either role
            assert seats[customer].plays == fewest
            pool = [s for s in pool if s.plays == fewest]
            least = min(s.times_customer for s in pool)
            assert seats[customer].times_customer == least
            tied = [s for s in pool if s.times_customer == least]
            if any(s.connected for s in tied):
                assert seats[customer].connected


@settings(max_examples=100, deadline=None)
@given(st.sampled_from([2, 3, 5]), st.integers(1, 40))
def test_rotation_property_fixed_group_agent_counts_never_differ_by_two(n, rounds):
    table = Table.of(n)
    for r in range(rounds):
        customer, agent = table.play()
        assert customer != agent
        counts = [table.times_agent(pid) for pid in table.present]
        assert max(counts) - min(counts) <= 1
        if r + 1 <= n:
            # the first n rounds have n different agents
            assert len({a for _, a in table.history}) == r + 1


# -- next_card_id -----------------------------------------------------------


def test_first_card_when_nothing_was_played():
    assert next_card_id(["a", "b", "c"], []) == "a"


def test_cards_come_in_deck_order_then_cycle():
    deck = ["a", "b", "c"]
    played: list[str] = []
    for _ in range(9):
        played.append(next_card_id(deck, played))
    assert played == ["a", "b", "c"] * 3


def test_first_unplayed_card_even_after_a_hand_picked_one():
    deck = ["a", "b", "c", "d"]
    assert next_card_id(deck, ["c"]) == "a"
    assert next_card_id(deck, ["c", "a"]) == "b"
    assert next_card_id(deck, ["c", "a", "b"]) == "d"


def test_when_all_played_the_least_played_comes_next():
    deck = ["a", "b", "c"]
    assert next_card_id(deck, ["a", "b", "c", "a", "c"]) == "b"
    assert next_card_id(deck, ["b", "b", "a", "c", "a"]) == "c"


def test_among_equally_played_the_one_played_longest_ago():
    deck = ["a", "b", "c"]
    assert next_card_id(deck, ["c", "a", "b"]) == "c"
    assert next_card_id(deck, ["b", "c", "a"]) == "b"
    assert next_card_id(deck, ["a", "b", "c", "c", "b", "a"]) == "c"


def test_hand_picked_order_is_then_followed_in_cycles():
    deck = ["a", "b", "c"]
    played = ["c", "a", "b"]
    for _ in range(6):
        played.append(next_card_id(deck, played))
    assert played[3:] == ["c", "a", "b", "c", "a", "b"]


def test_cards_no_longer_in_the_deck_are_ignored():
    assert next_card_id(["a", "b"], ["old", "old", "a"]) == "b"
    assert next_card_id(["a", "b"], ["gone", "a", "b"]) == "a"


def test_single_card_deck_always_gives_that_card():
    assert next_card_id(["only"], []) == "only"
    assert next_card_id(["only"], ["only"] * 5) == "only"


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 6), st.lists(st.integers(0, 5), max_size=30))
def test_next_card_property(n_cards, picks):
    deck = [f"card{i}" for i in range(n_cards)]
    played = [deck[p % n_cards] for p in picks]
    chosen = next_card_id(deck, played)
    assert chosen in deck
    unplayed = [c for c in deck if c not in played]
    if unplayed:
        assert chosen == unplayed[0]
    else:
        counts = Counter(played)
        assert counts[chosen] == min(counts.values())

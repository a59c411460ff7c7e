"""services/base.py: room codes and rejoin codes are words over their
alphabets, each of the alphabet's len ** length words reachable from exactly
one draw of the system's generator (so each is equally likely)."""
from __future__ import annotations

import itertools

from calmroom.domain.admission import REJOIN_ALPHABET, REJOIN_CODE_LENGTH
from calmroom.protocol.events import CODE_ALPHABET, CODE_LENGTH
from calmroom.services import base


def test_every_draw_gives_a_different_word_and_every_word_has_its_draw(monkeypatch):
    draws = iter(range(3 ** 4))

    def randbelow(bound: int) -> int:
        assert bound == 3 ** 4  # one draw over every word
        return next(draws)

    monkeypatch.setattr(base.secrets, "randbelow", randbelow)
    words = [base._random_word("ABC", 4) for _ in range(3 ** 4)]
    assert sorted(words) == sorted("".join(w) for w in itertools.product("ABC", repeat=4))


def test_codes_use_their_alphabets_and_lengths():
    rooms = {base.new_code() for _ in range(300)}
    rejoins = {base.new_rejoin_code() for _ in range(300)}
    assert all(len(c) == CODE_LENGTH and set(c) <= set(CODE_ALPHABET) for c in rooms)
    assert all(len(c) == REJOIN_CODE_LENGTH and set(c) <= set(REJOIN_ALPHABET) for c in rejoins)
    assert len(rooms) > 290 and len(rejoins) == 300  # 31**6 and 31**8 words: repeats are rare
    seen_first = {c[0] for c in rejoins} | {c[-1] for c in rejoins}
    assert len(seen_first) > 25  # the high and low digits both vary

"""The default decks: they load, the Dutch and English editions match, they
have what a workshop needs, and no sentence is lifted from the source articles."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from calmroom.decks import load_deck_file

ROOT = Path(__file__).resolve().parents[2]
DECK_FILES = sorted((ROOT / "decks").glob("*.yaml"))


def _seeds_dir() -> Path | None:
    """The source articles live in shared/seeds beside the checkout (../shared/seeds),
    or one level further up for a worktree in a folder of worktrees."""
    for parent in ROOT.parents:
        if (parent / "shared" / "seeds").is_dir():
            return parent / "shared" / "seeds"
    return None


SEEDS = _seeds_dir()
PAIRS = [("angry-customer-nl", "angry-customer-en"), ("aggressive-customer-nl", "aggressive-customer-en")]


def deck(name: str):
    return load_deck_file(ROOT / "decks" / f"{name}.yaml")


def test_there_are_at_least_four_default_decks():
    ids = {load_deck_file(f).id for f in DECK_FILES}
    assert {name for pair in PAIRS for name in pair} <= ids


@pytest.mark.parametrize("path", DECK_FILES, ids=lambda p: p.name)
def test_default_deck_is_complete(path):
    d = load_deck_file(path)
    assert d.id == path.stem
    assert (d.scale.min, d.scale.max) == (0, 3)
    assert set(d.scale.labels) == {0, 1, 2, 3}
    assert any(s.critical for s in d.steps)
    assert all(len(s.look_for) >= 3 for s in d.steps)
    assert len(d.cards) >= 8
    assert {c.difficulty for c in d.cards} == {1, 2, 3}
    for c in d.cards:
        assert c.customer.escalates_when and c.customer.calms_when and c.customer.wants
        assert c.agent.may_offer and c.agent.may_not


@pytest.mark.parametrize("nl, en", PAIRS)
def test_dutch_and_english_editions_share_steps_and_cards(nl, en):
    a, b = deck(nl), deck(en)
    assert (a.language, b.language) == ("nl", "en")
    assert [s.key for s in a.steps] == [s.key for s in b.steps]
    assert [s.critical for s in a.steps] == [s.critical for s in b.steps]

    def shape(c):
        return (
            c.id, c.difficulty, c.steps, c.customer.start_temperature, c.channel, c.play_minutes,
            [v.id for v in c.variants or ()], sorted(c.look_fors or {}),
        )

    assert [shape(c) for c in a.cards] == [shape(c) for c in b.cards]
    assert (a.facilitator is None) == (b.facilitator is None)


@pytest.mark.parametrize("path", DECK_FILES, ids=lambda p: p.name)
def test_narrowed_look_fors_belong_to_steps_the_card_scores(path):
    d = load_deck_file(path)
    for c in d.cards:
        scored = {s.key for s in d.steps_for(c)}
        assert set(c.look_fors or {}) <= scored, c.id


def test_angry_deck_follows_the_six_step_model():
    keys = [s.key for s in deck("angry-customer-en").steps]
    assert keys[:6] == ["listen", "empathy", "ask", "solve", "agree", "follow_up"]
    assert deck("angry-customer-en").step("stay_calm").critical


def test_aggressive_deck_marks_safety_critical():
    d = deck("aggressive-customer-en")
    assert d.step("stay_calm").critical and d.step("safety").critical


def _words(text: str) -> list[str]:
    return re.findall(r"[a-zà-ÿ0-9']+", text.lower())


COPY_RUN = 6  # words in a row that a deck may not share with a source article


@pytest.mark.skipif(SEEDS is None, reason="the source articles (../shared/seeds beside the checkout) are not on this machine")
@pytest.mark.parametrize("path", DECK_FILES, ids=lambda p: p.name)
def test_no_run_of_six_words_is_copied_from_the_sources(path):
    seed_files = sorted(f for f in SEEDS.iterdir() if f.is_file())
    assert seed_files, f"{SEEDS} holds no source articles"
    seed_runs: dict[tuple[str, ...], str] = {}
    for f in seed_files:
        w = _words(f.read_text(encoding="utf-8"))
        for i in range(len(w) - COPY_RUN + 1):
            seed_runs.setdefault(tuple(w[i : i + COPY_RUN]), f.name)
    w = _words(path.read_text(encoding="utf-8"))
    copied = sorted(
        {f"{' '.join(w[i:i + COPY_RUN])} (from {seed_runs[tuple(w[i:i + COPY_RUN])]})"
         for i in range(len(w) - COPY_RUN + 1) if tuple(w[i : i + COPY_RUN]) in seed_runs}
    )
    assert copied == []


# -- the default decks, second edition: what a trainer gets with every card ----------------------------
# the channels issue 15 asks for: written ones (chat, e-mail, a public review, a direct message), a home
# visit with no barrier, a shop floor
CHANNELS = {
    "angry-customer": {"phone", "counter", "chat", "email", "review", "shop_floor"},
    "aggressive-customer": {"phone", "counter", "email", "social", "home", "shop_floor"},
}


@pytest.mark.parametrize("name", [p.stem for p in DECK_FILES])
def test_deck_has_trainer_notes_on_every_card(name):
    d = deck(name)
    assert 12 <= len(d.cards) <= 16
    counts = {n: sum(c.difficulty == n for c in d.cards) for n in (1, 2, 3)}
    assert min(counts.values()) >= 3, counts
    assert CHANNELS[name.rsplit("-", 1)[0]] <= {c.channel for c in d.cards}
    for c in d.cards:
        assert c.channel and c.play_minutes, c.id
        notes = c.facilitator
        assert notes and notes.learning_goal and notes.turning_point and notes.meter and notes.scene_ends, c.id
        assert notes.model_phrases and len(notes.model_phrases) >= 2, c.id
    assert d.facilitator and d.facilitator.introduction
    care = d.facilitator.aftercare
    assert care and care.check_in and care.when_shaken and len(care.guidance) >= 9


INTRODUCTION_POINTS = {
    # seed 002: we are all customers ourselves; seed 004: why resolving pays (loyalty, reviews, a lesson)
    "en": [r"customers ourselves|a customer too", r"loyal|comes back", r"review", r"do better|not working"],
    "nl": [r"zelf (ook )?klant", r"trouw|komt terug", r"review|recensie", r"verbeteren|niet werkt"],
}


@pytest.mark.parametrize("name", [p.stem for p in DECK_FILES])
def test_the_introduction_says_we_are_all_customers_and_why_resolving_pays(name):
    intro = deck(name).facilitator.introduction.lower()
    missing = [p for p in INTRODUCTION_POINTS[name.rsplit("-", 1)[1]] if not re.search(p, intro)]
    assert missing == []


def _values(obj):
    if isinstance(obj, dict):
        for v in obj.values():
            yield from _values(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _values(v)
    elif isinstance(obj, str):
        yield obj


DUTCH = [p.stem for p in DECK_FILES if p.stem.endswith("-nl")]
ENGLISH = [p.stem for p in DECK_FILES if p.stem.endswith("-en")]


def _texts(name: str) -> list[str]:
    import yaml

    return list(_values(yaml.safe_load((ROOT / "decks" / f"{name}.yaml").read_text(encoding="utf-8"))))


def _speaks_to_a_colleague(card, phrase: str) -> bool:
    """A model phrase that opens with the name of a colleague from the agent's brief ('Mo, ...')
    is said to that colleague, not to the customer."""
    m = re.match(r"([A-Z][a-z]+),", phrase)
    return bool(m) and re.search(rf"\b{m.group(1)}\b", card.agent.briefing + " " + card.setting) is not None


@pytest.mark.parametrize("name", DUTCH)
def test_dutch_deck_speaks_dutch_to_customers(name):
    """Model phrases say 'u' to the customer (also to a group); the texts say 'medewerker' (Dutch
    readers hear police in 'agent') and 'observatoren'. Keys such as `agent:` are the format's, not text."""
    texts = _texts(name)
    assert not [t for t in texts if re.search(r"\bagent(en)?\b", t, re.I)], "say 'medewerker'"
    assert not [t for t in texts if re.search(r"\b(observant(en)?|waarnemers?)\b", t, re.I)], "say 'observator(en)'"
    assert not [t for t in texts if "bronartikel" in t.lower()]
    rude = [
        (c.id, phrase)
        for c in deck(name).cards
        for phrase in (c.facilitator.model_phrases if c.facilitator else None) or ()
        if re.search(r"\b(je|jij|jou|jouw|jullie)\b", phrase, re.I) and not _speaks_to_a_colleague(c, phrase)
    ]
    assert rude == [], "model phrases say 'u' to the customer"


@pytest.mark.parametrize("name", ENGLISH)
def test_english_deck_does_not_cite_the_source_articles(name):
    assert not [t for t in _texts(name) if re.search(r"source articles?", t, re.I)]


# One style per deck (issue 15, section 5): quotes, dashes and amounts. Dutch amounts as "€ 42,50"
# (a space, a decimal comma, a full stop for thousands), English as "€42.50"; a dash is a spaced
# en dash (" – "), never a spaced hyphen or an em dash; every deck quotes ‘like this’, with ’ as the
# apostrophe, so all four read alike.
QUOTE_STYLES = {
    "curly single": re.compile(r"(?:^|(?<=[\s(]))‘"),
    "straight single": re.compile(r"(?:^|(?<=[\s(]))'(?=\w)"),
    "curly double": re.compile(r"“"),
    "low double": re.compile(r"„"),
    "straight double": re.compile(r'"'),
}
AMOUNT_RULES = {
    "nl": (re.compile(r"€ \d{1,3}(?:\.\d{3})*(?:,\d{2})?(?!\d)"), "€ 42,50"),
    "en": (re.compile(r"€\d{1,3}(?:,\d{3})*(?:\.\d{2})?(?!\d)"), "€42.50"),
}


@pytest.mark.parametrize("name", [p.stem for p in DECK_FILES])
def test_one_style_of_quotes_dashes_and_amounts(name):
    texts = _texts(name)
    styles = {style for t in texts for style, pattern in QUOTE_STYLES.items() if pattern.search(t)}
    assert styles <= {"curly single"}, f"{name} quotes with {sorted(styles)}: the decks quote ‘like this’"
    assert not [t for t in texts if "'" in t], "apostrophes are ’ (zo’n, it’s), as in the quotes"
    assert not [t for t in texts if " - " in t or "—" in t or " -- " in t], "use a spaced en dash ( – )"
    assert not [t for t in texts if re.search(r"(^|[\s(])-\d", t)], "a meter's −1 has a minus sign, not a hyphen"
    lang = name.rsplit("-", 1)[1]
    pattern, example = AMOUNT_RULES[lang]
    for t in texts:
        for m in re.finditer(r"€\s*[\d.,]*\d", t):
            assert pattern.fullmatch(m.group(0)), f"write amounts as {example}: {m.group(0)!r} in {t[:60]!r}"
        assert not re.search(r"\d\s*(euro|euros|EUR)\b", t), f"write amounts as {example}: {t[:60]!r}"


def test_customers_have_names_of_their_own():
    """A customer's first name is on one card only, across the default decks of a language, so
    players do not meet 'the same' person in another scene (issue 15: replace repeated names)."""
    for lang in ("nl", "en"):
        cards = [c for name in PAIRS for d in (deck(n) for n in name if n.endswith(lang)) for c in d.cards]
        first = {c.id: c.customer.persona.split()[0].strip(",") for c in cards}
        seen: dict[str, str] = {}
        for c in cards:
            assert first[c.id] not in seen, f"{first[c.id]} is the customer on {seen[first[c.id]]} and {c.id}"
            seen[first[c.id]] = c.id
        for c in cards:
            others = [o.id for o in cards if o.id != c.id and re.search(rf"\b{first[c.id]}\b", _card_text(o))]
            assert others == [], f"{first[c.id]} ({c.id}) also appears on {others}"


def _card_text(card) -> str:
    from dataclasses import asdict

    return " ".join(_values(asdict(card)))


@pytest.mark.parametrize("nl, en", PAIRS)
def test_editions_have_the_same_number_of_each_thing(nl, en):
    """docs/deck-sources.md points at 'look-for n' and 'after-care n' for both editions at once:
    that holds only while the lists are as long and in the same order in nl and en."""
    a, b = deck(nl), deck(en)
    assert [len(s.look_for) for s in a.steps] == [len(s.look_for) for s in b.steps]
    care_a, care_b = a.facilitator.aftercare, b.facilitator.aftercare
    for field in ("check_in", "guidance"):
        assert len(getattr(care_a, field) or ()) == len(getattr(care_b, field) or ()), field
    assert bool(care_a.when_shaken) == bool(care_b.when_shaken)

    def counts(c):
        notes = c.facilitator
        return (
            c.id,
            len(c.customer.escalates_when), len(c.customer.calms_when),
            len(c.agent.may_offer), len(c.agent.may_not),
            sorted(k for k in ("learning_goal", "turning_point", "meter", "scene_ends") if notes and getattr(notes, k)),
            len((notes.model_phrases if notes else None) or ()),
            {k: len(v) for k, v in (c.look_fors or {}).items()},
        )

    assert [counts(c) for c in a.cards] == [counts(c) for c in b.cards]


# -- safety wording ---------------------------------------------------------------------------------------------
# What can be checked as text: no text that tells the agent what to do may tell them to walk ahead of the
# customer, to turn their back on them, or to touch them. The patterns name the move; a match is allowed
# when a negation stands within four words before it or three after ("without touching", "aanraken doe je
# niet"). That is a heuristic: it cannot tell "do not walk ahead" from "walk ahead, not beside", and it reads
# only the texts that instruct the agent or describe good play (look-fors, step descriptions, the agent's
# brief and offers, what calms the customer, facilitator notes) — not may_not or escalates_when, which
# name these moves as mistakes.
FORBIDDEN_MOVES = [
    r"\b(walk|walks|walking|lead|leads|leading)\s+(out\s+)?ahead\b",
    r"\bahead of (him|her|them|the customer|the guest|the client)\b",
    r"\bturn(s|ing)?\s+(your|his|her|their|one's)\s+back\b",
    r"\bwith (your|his|her|their) back to\b",
    r"(?<!in )\btouch(es|ing|ed)?\b",
    r"\b(hand|hands) on (his|her|their|the customer's) (arm|shoulder|back)\b",
    r"\b(loop|loopt|lopen|liep)\w*\s+voor\b(?!\s+(\d|sluiting\b|het\b|de\b|een\b))",
    r"\bvoor\s+(hem|haar|hen|de klant|de gast|de bezoeker)\s+uit\b",
    r"\brug\s+(toe|toekeren|toedraaien|naar)\b",
    r"\b(draai|draait|keer|keert)\w*\s+(je|zijn|haar|de)\s+rug\b",
    r"\baan\s*(te\s+)?(raak|raken|raakt|geraakt)\b",
    r"\baanra(ak|ken|akt)\b",
    r"\b(raak|raakt)\s+(de klant|hem|haar|de gast)\s+aan\b",
    r"\bhand op (zijn|haar|de) (arm|schouder|rug)\b",
]
NEGATIONS = {"not", "never", "no", "nobody", "don't", "doesn't", "without", "nor", "niet", "nooit", "geen", "niemand", "zonder", "noch"}


def _instructing_texts(d) -> list[tuple[str, str]]:
    out = [("description", d.description or "")]
    for s in d.steps:
        out += [(f"steps.{s.key}.description", s.description or "")]
        out += [(f"steps.{s.key}.look_for", t) for t in s.look_for]
    for c in d.cards:
        out += [(f"{c.id}.agent.briefing", c.agent.briefing)]
        out += [(f"{c.id}.agent.may_offer", t) for t in c.agent.may_offer]
        out += [(f"{c.id}.customer.calms_when", t) for t in c.customer.calms_when]
        for key, items in (c.look_fors or {}).items():
            out += [(f"{c.id}.look_fors.{key}", t) for t in items]
        n = c.facilitator
        if n:
            out += [(f"{c.id}.facilitator", t) for t in (n.learning_goal, n.turning_point, n.meter, n.scene_ends) if t]
            out += [(f"{c.id}.facilitator.model_phrases", t) for t in n.model_phrases or ()]
    if d.facilitator:
        out += [("facilitator.introduction", d.facilitator.introduction or "")]
        care = d.facilitator.aftercare
        if care:
            out += [("facilitator.aftercare", t) for t in (*(care.guidance or ()), care.when_shaken or "")]
    return out


def unsafe_moves(text: str) -> list[str]:
    low = text.lower()
    found = []
    for pattern in FORBIDDEN_MOVES:
        for m in re.finditer(pattern, low):
            before = _words(low[: m.start()])[-4:]
            after = _words(low[m.end() :])[:3]
            if not NEGATIONS & set(before + after):
                found.append(low[max(0, m.start() - 30) : m.end() + 30])
    return found


@pytest.mark.parametrize(
    "text, unsafe",
    [
        ("Loopt voor of naast de klant, zonder hem aan te raken", True),
        ("dan vraag je hem te vertrekken en loop je voor hem uit naar de deur", True),
        ("walks ahead of or beside the customer without touching or pushing them", True),
        ("put a hand on his arm to calm him", True),
        ("loopt naast de klant, schuin en op afstand, niet voor hem uit", False),
        ("walks beside the customer, angled, at a distance; never turns their back", False),
        ("does not touch the customer", False),
        ("aanraken doe je niet", False),
        ("we'll be in touch", False),
        ("this is practice: nobody touches anyone", False),
        ("loopt voor 12.00 uur naar de balie", False),
    ],
)
def test_the_safety_check_tells_safe_from_unsafe_wording(text, unsafe):
    assert bool(unsafe_moves(text)) is unsafe


@pytest.mark.parametrize("name", [p.stem for p in DECK_FILES])
def test_no_deck_tells_the_agent_to_walk_ahead_turn_away_or_touch(name):
    found = [(where, hit) for where, text in _instructing_texts(deck(name)) for hit in unsafe_moves(text)]
    assert found == []

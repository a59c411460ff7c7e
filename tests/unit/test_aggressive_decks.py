"""Safety rules of the two aggressive-customer decks that can be checked as text.

What the agent is told (steps, briefs, offers, look-fors, facilitator notes) must never have
them walk ahead of the customer, turn their back on them or touch them. A sentence that
forbids it ("raakt de klant niet aan", "never turns their back") is fine, so each hit is
looked at with the words just before it in the same clause. The customer's own lines
(persona, what makes it worse, variants) and the may_not lists describe what goes wrong and
are not instructions, so they are left out."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DECKS = {lang: ROOT / "decks" / f"aggressive-customer-{lang}.yaml" for lang in ("nl", "en")}

FORBIDDEN = {
    "nl": {
        "walk ahead": [
            r"\bloop\w*\s+(?:\w+\s+)?voor(?:op)?\s+(?:of|naast|hem|haar|de klant|de gast|uit|naar)\b",
            r"\bvoor (?:hem|haar|ze|de klant|de gast|de groep) uit\b",
        ],
        "turn your back": [
            r"\brug toe\b",
            r"\b(?:draai|keer)\w*\s+(?:\w+\s+){0,3}rug\b",
            r"\bdraai\w*\s+(?:je|zich)\s+om\b",
        ],
        "touch": [
            r"\braak\w*\b(?:\s+\w+){0,4}\s+aan\b",
            r"\baan(?: te)? ?raken\b",
            r"\b(?:pak|houd|hou)\w*\b(?:\s+\w+){0,4}\s+vast\b",
            r"\bvast(?:houden|pakken|grijpen)\b",
            r"\bduw(?:t|en)?\b",
            r"\bhand op (?:de |zijn |haar )?(?:arm|schouder)\b",
        ],
    },
    "en": {
        "walk ahead": [
            r"\bwalks?\s+(?:on\s+)?ahead\b",
            r"\bahead of (?:him|her|them|the customer|the guest|the group)\b",
            r"\blead(?:s|ing)? the way\b",
        ],
        "turn your back": [
            r"\bturns?\b(?:\s+\w+){0,3}\s+back\b",
            r"\bturns? (?:away|round|around)\b",
            r"\bback (?:on|to) (?:him|her|them|the customer)\b",
        ],
        "touch": [
            r"(?<!in )\btouch(?:es|ing)?\b",
            r"\b(?:grab|grip|push|shove)(?:s|bed|ped|ed|ing)?\b",
            r"\bhold(?:s|ing)? (?:on ?to )?(?:him|her|them|the customer|the person|the guest)\b",
            r"\bhand on (?:the|his|her|their) (?:arm|shoulder)\b",
        ],
    },
}
NEGATION = {
    "nl": r"\b(?:niet|nooit|geen|zonder|niemand)\b",
    "en": r"\b(?:not|never|no|without|nobody)\b|n't\b",
}
CLAUSE = re.compile(r"[.;:!?()\n]|,| – | - |\bmaar\b|\bbut\b")
LOOKBACK = 40  # characters before a hit in which a negation still belongs to it


def violations(text: str, lang: str) -> list[str]:
    found = []
    for clause in CLAUSE.split(text.lower()):
        for rule, patterns in FORBIDDEN[lang].items():
            for pattern in patterns:
                for m in re.finditer(pattern, clause):
                    window = clause[max(0, m.start() - LOOKBACK) : m.end()]
                    if not re.search(NEGATION[lang], window):
                        found.append(f"{rule}: {clause.strip()!r}")
    return found


def load(lang: str) -> dict:
    return yaml.safe_load(DECKS[lang].read_text(encoding="utf-8"))


def agent_texts(deck: dict):
    """(where, text) for everything that tells the agent or the facilitator what to do."""
    for step in deck["steps"]:
        key = step["key"]
        yield f"steps.{key}.label", step["label"]
        yield f"steps.{key}.description", step.get("description", "")
        for i, item in enumerate(step["look_for"]):
            yield f"steps.{key}.look_for[{i}]", item
    fac = deck.get("facilitator", {})
    yield "facilitator.introduction", fac.get("introduction", "")
    care = fac.get("aftercare", {})
    for name in ("check_in", "guidance"):
        for i, item in enumerate(care.get(name, [])):
            yield f"facilitator.aftercare.{name}[{i}]", item
    yield "facilitator.aftercare.when_shaken", care.get("when_shaken", "")
    for card in deck["cards"]:
        cid = card["id"]
        yield f"{cid}.setting", card["setting"]
        yield f"{cid}.agent.briefing", card["agent"]["briefing"]
        for i, item in enumerate(card["agent"]["may_offer"]):
            yield f"{cid}.agent.may_offer[{i}]", item
        for i, item in enumerate(card["customer"]["calms_when"]):
            yield f"{cid}.customer.calms_when[{i}]", item
        for key, items in card.get("look_fors", {}).items():
            for i, item in enumerate(items):
                yield f"{cid}.look_fors.{key}[{i}]", item
        notes = card.get("facilitator", {})
        for name in ("learning_goal", "turning_point", "meter", "scene_ends"):
            yield f"{cid}.facilitator.{name}", notes.get(name, "")
        for i, item in enumerate(notes.get("model_phrases", [])):
            yield f"{cid}.facilitator.model_phrases[{i}]", item


@pytest.mark.parametrize(
    "lang, text",
    [
        ("nl", "loopt voor of naast de klant, zonder hem aan te raken of te duwen"),
        ("nl", "vraag hem dan te vertrekken en loop je voor hem uit naar de deur"),
        ("nl", "legt een hand op zijn schouder"),
        ("nl", "draait zich om en loopt terug naar de kassa"),
        ("nl", "pakt hem bij de arm vast"),
        ("en", "walks ahead of or beside the customer without touching or pushing them"),
        ("en", "turns their back and walks to the door"),
        ("en", "turns away to fetch the form"),
        ("en", "puts a hand on his arm to calm him"),
        ("en", "holds the customer until security arrives"),
    ],
)
def test_the_detector_catches_unsafe_instructions(lang, text):
    assert violations(text, lang)


@pytest.mark.parametrize(
    "lang, text",
    [
        ("nl", "raakt de klant niet aan, ook geen hand op arm of schouder"),
        ("nl", "loopt naast de klant, schuin en op ruime afstand, en keert hem nooit de rug toe"),
        ("nl", "houdt de klant niet vast en verspert de weg niet"),
        ("nl", "zonder hem aan te raken"),
        ("en", "never turns their back on them"),
        ("en", "does not touch the customer, not even a hand on the arm or shoulder"),
        ("en", "you were put on hold and we'll be in touch"),
        ("en", "a young woman with a pushchair is waiting"),
    ],
)
def test_the_detector_lets_prohibitions_through(lang, text):
    assert violations(text, lang) == []


@pytest.mark.parametrize("lang", DECKS)
def test_nothing_tells_the_agent_to_walk_ahead_turn_away_or_touch(lang):
    deck = load(lang)
    bad = [f"{where}: {v}" for where, text in agent_texts(deck) for v in violations(text, lang)]
    assert bad == []


@pytest.mark.parametrize("lang", DECKS)
def test_the_eject_step_has_the_customer_follow_and_the_agent_walk_beside(lang):
    step = next(s for s in load(lang)["steps"] if s["key"] == "ask_to_leave")
    text = " ".join([step["description"], *step["look_for"]]).lower()
    beside, back = {"nl": ("naast", "rug"), "en": ("beside", "back")}[lang]
    assert beside in text and back in text


@pytest.mark.parametrize("lang", DECKS)
def test_the_safety_step_says_what_to_do_when_attacked(lang):
    step = next(s for s in load(lang)["steps"] if s["key"] == "safety")
    text = " ".join([step["description"], *step["look_for"]]).lower()
    words = {"nl": ("aanval", "weg", "alarm", "uit de buurt"), "en": ("attack", "get away", "alarm", "clear")}[lang]
    assert all(w in text for w in words)


COUNTER_WORDS = {
    "nl": r"\b(?:balie|toonbank|loket|kassa|receptie)\w*|\bbar\b",
    "en": r"\b(?:counter|desk|bar|till|reception)\b",
}


@pytest.mark.parametrize("lang", DECKS)
def test_deck_level_distance_look_fors_fit_cards_without_a_counter(lang):
    step = next(s for s in load(lang)["steps"] if s["key"] == "distance")
    assert [item for item in step["look_for"] if re.search(COUNTER_WORDS[lang], item.lower())] == []


@pytest.mark.parametrize("lang", DECKS)
def test_cards_without_a_counter_still_score_distance(lang):
    """The deck-level look-fors exist for these: the home visit and the shop floor."""
    cards = {c["id"]: c for c in load(lang)["cards"]}
    for cid in ("home-visit-noise", "shop-floor-threat"):
        assert "distance" in cards[cid]["steps"]
        assert cards[cid]["channel"] in {"home", "shop_floor"}


@pytest.mark.parametrize("lang", DECKS)
def test_energy_threat_call_practises_hanging_up_on_a_caller_who_keeps_threatening(lang):
    card = next(c for c in load(lang)["cards"] if c["id"] == "energy-threat-call")
    assert "keeps-threatening" in [v["id"] for v in card.get("variants", [])]
    assert "safety" in card["steps"]


@pytest.mark.parametrize("lang", DECKS)
def test_after_care_closes_the_rubric_and_the_deck_has_an_after_care_page(lang):
    deck = load(lang)
    assert deck["steps"][-1]["key"] == "recover_report"
    assert sum("recover_report" in c.get("steps", []) for c in deck["cards"]) >= 5
    care = deck["facilitator"]["aftercare"]
    assert care["check_in"] and care["guidance"] and care["when_shaken"]


def test_welfare_office_brief_and_scoring_agree():
    """The guard escorts the customer out and the agent stays behind the counter, so the card
    does not score the agent on walking to the exit."""
    for lang in DECKS:
        card = next(c for c in load(lang)["cards"] if c["id"] == "welfare-office-security")
        assert "ask_to_leave" not in card["steps"]
        assert "safety" in card["steps"]


def test_drunk_guest_waits_for_the_taxi_outside():
    nl = next(c for c in load("nl")["cards"] if c["id"] == "drunk-bar-guest")
    en = next(c for c in load("en")["cards"] if c["id"] == "drunk-bar-guest")
    assert "buiten" in nl["agent"]["briefing"] and "binnen laten wachten" not in nl["agent"]["briefing"]
    assert "outside" in en["agent"]["briefing"] and "wait inside" not in en["agent"]["briefing"]


def test_editions_match_card_for_card():
    nl, en = load("nl"), load("en")

    def shape(d):
        return [
            (c["id"], c["difficulty"], c["channel"], c.get("steps"), sorted(c.get("look_fors", {})),
             [v["id"] for v in c.get("variants", [])])
            for c in d["cards"]
        ]

    assert shape(nl) == shape(en)
    assert 12 <= len(nl["cards"]) <= 16


# issue 15, point 3: the aggression cards a workshop needs, in both editions
AGGRESSION_CARDS = {
    "shop-floor-threat": "a physical threat: get away at once",
    "snackbar-group": "a group, with a bystander filming",
    "hotel-discriminatory-remarks": "discriminatory abuse",
    "bank-card-blocked": "a vulnerable customer",
    "records-request-assertive": "assertive, not aggressive: the contrast",
    "threatening-direct-message": "a threat in writing",
    "home-visit-noise": "a home visit with no barrier",
}


@pytest.mark.parametrize("lang", DECKS)
def test_the_aggression_cards_are_there(lang):
    ids = {c["id"] for c in load(lang)["cards"]}
    assert set(AGGRESSION_CARDS) <= ids, set(AGGRESSION_CARDS) - ids


@pytest.mark.parametrize("lang", DECKS)
def test_the_assertive_customer_is_not_scored_as_an_aggressive_one(lang):
    """The contrast card: a firm customer gets an answer, not a limit, an exit or a call for help."""
    card = next(c for c in load(lang)["cards"] if c["id"] == "records-request-assertive")
    assert not {"set_limits", "ask_to_leave", "safety"} & set(card["steps"])
    assert card["customer"]["start_temperature"] <= 5
    assert "stay_calm" in card.get("look_fors", {})

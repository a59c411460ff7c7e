"""Every validation rule of the deck format: a broken deck in, the message and
the path out."""
from __future__ import annotations

import copy
import json

import pytest
import yaml

from calmroom.decks import MAX_DECK_BYTES, DeckError, load_deck_file, load_deck_text


@pytest.fixture
def deck(minimal_deck_text) -> dict:
    return yaml.safe_load(minimal_deck_text)


def problems_of(data) -> dict[str, str]:
    text = json.dumps(data) if not isinstance(data, (str, bytes)) else data
    with pytest.raises(DeckError) as info:
        load_deck_text(text)
    return {p.path: p.message for p in info.value.problems}


def test_minimal_deck_loads(minimal_deck_text):
    deck = load_deck_text(minimal_deck_text)
    assert deck.id == "test-deck"
    assert [s.key for s in deck.steps] == ["listen", "empathy", "stay_calm"]
    assert deck.steps[2].critical is True and deck.steps[0].critical is False
    assert deck.scale.labels == {0: "not done", 1: "weak", 2: "adequate", 3: "skilled"}
    assert deck.card("sofa").steps == ("listen", "empathy")
    assert deck.card("parcel").steps is None
    assert [s.key for s in deck.steps_for(deck.card("sofa"))] == ["listen", "empathy"]


def test_yaml_and_json_load_to_the_same_deck(minimal_deck_text):
    from_yaml = load_deck_text(minimal_deck_text, "d.yaml")
    from_json = load_deck_text(json.dumps(yaml.safe_load(minimal_deck_text)), "d.json")
    assert from_yaml == from_json


def test_temperature_out_of_range_names_the_path(deck):
    deck["cards"][1]["customer"]["start_temperature"] = 11
    assert problems_of(deck) == {"cards[1].customer.start_temperature": "must be between 0 and 10"}


@pytest.mark.parametrize(
    "mutate, path, message",
    [
        (lambda d: d.pop("title"), "title", "required"),
        (lambda d: d.update(id="X!"), "id", "must be 3–60 of a-z, 0-9 and -"),
        (lambda d: d.update(language="dutch"), "language", "must be a language code such as nl or en"),
        (lambda d: d.update(colour="red"), "colour", "unknown field"),
        (lambda d: d["scale"].update(min=3, max=3), "scale.max", "must be greater than min (3)"),
        (lambda d: d["scale"].update(min=2, max=1), "scale.max", "must be greater than min (2)"),
        (lambda d: d["scale"]["labels"].update({7: "superb"}), "scale.labels", "label for 7, which is outside the scale 0–3"),
        (lambda d: d["scale"].update(max="3"), "scale.max", "must be a whole number"),
        (lambda d: d["scale"].update(max=3.5), "scale.max", "must be a whole number"),
        (lambda d: d["scale"].update(max=True), "scale.max", "must be a whole number"),
        (lambda d: d["steps"][1].update(key="listen"), "steps[1].key", "repeats the key 'listen' of steps[0]"),
        (lambda d: d["steps"][0].update(key="Listen Up"), "steps[0].key", "must be 2–40 of a-z, 0-9 and _"),
        (lambda d: d["steps"][0].update(look_for=[]), "steps[0].look_for", "must have 1 to 12 items"),
        (lambda d: d["steps"][0].update(look_for="listens"), "steps[0].look_for", "must be a list"),
        (lambda d: d["steps"][2].update(critical="yes"), "steps[2].critical", "must be true or false"),
        (lambda d: d["steps"][0].update(label=""), "steps[0].label", "must be 1 to 80 characters"),
        (lambda d: d["steps"][0].update(label="   "), "steps[0].label", "must be 1 to 80 characters"),
        (lambda d: d["steps"][0].update(label="x" * 81), "steps[0].label", "must be 1 to 80 characters"),
        (lambda d: d.update(steps=[]), "steps", "must have 1 to 20 items"),
        (lambda d: d["cards"][1].update(id="sofa"), "cards[1].id", "repeats the id 'sofa' of cards[0]"),
        (lambda d: d["cards"][0].update(steps=["listen", "shout"]), "cards[0].steps[1]", "'shout' is not a step of this deck's rubric"),
        (lambda d: d["cards"][0].update(difficulty=4), "cards[0].difficulty", "must be between 1 and 3"),
        (lambda d: d["cards"][0].update(customer="angry"), "cards[0].customer", "must be an object (a mapping)"),
        (lambda d: d["cards"][0]["customer"].pop("wants"), "cards[0].customer.wants", "required"),
        (lambda d: d["cards"][0]["agent"].update(may_offer=[1]), "cards[0].agent.may_offer[0]", "must be a string"),
        (lambda d: d["cards"][0]["agent"].update(secret="x"), "cards[0].agent.secret", "unknown field"),
        (lambda d: d.update(cards=[]), "cards", "must have 1 to 200 items"),
        (lambda d: d["cards"].append("a card"), "cards[2]", "must be an object (a mapping)"),
    ],
)
def test_each_rule_reports_message_and_path(deck, mutate, path, message):
    mutate(deck)
    found = problems_of(deck)
    assert found.get(path) == message, found


def test_a_deck_with_many_mistakes_gets_all_of_them_at_once(deck):
    deck["id"] = "no"
    deck["scale"]["min"] = 5
    deck["steps"][1]["key"] = "listen"
    deck["cards"][0]["customer"]["start_temperature"] = -1
    deck["cards"][0]["steps"] = ["ask"]
    deck["cards"][1]["id"] = "sofa"
    deck["cards"][1]["difficulty"] = "hard"
    deck["cards"][1]["agent"]["may_not"] = None
    found = problems_of(deck)
    assert found == {
        "id": "must be 3–60 of a-z, 0-9 and -",
        "scale.max": "must be greater than min (5)",
        "scale.labels": "label for 0, which is outside the scale 5–3",
        "steps[1].key": "repeats the key 'listen' of steps[0]",
        "cards[0].customer.start_temperature": "must be between 0 and 10",
        "cards[0].steps[0]": "'ask' is not a step of this deck's rubric",
        "cards[1].id": "repeats the id 'sofa' of cards[0]",
        "cards[1].difficulty": "must be a whole number",
        "cards[1].agent.may_not": "must not be empty (null)",
    } | {k: v for k, v in found.items() if k == "scale.labels"}


def test_repeated_yaml_key_is_an_error_with_its_path(minimal_deck_text):
    text = minimal_deck_text.replace(
        "      wants: A firm delivery date\n",
        "      wants: A firm delivery date\n      wants: Money back\n",
    )
    found = problems_of(text)
    assert list(found) == ["cards[0].customer.wants"]
    assert found["cards[0].customer.wants"].startswith("repeated key at line 30 (first at line 29)")


def test_repeated_top_level_key_in_json():
    found = problems_of('{"id": "abc", "id": "abd"}')
    assert "repeated key" in found["id"]


def test_yaml_aliases_are_refused(minimal_deck_text):
    text = minimal_deck_text.replace("    look_for: [does not interrupt]", "    look_for: &lf [does not interrupt]", 1)
    text = text.replace("    look_for: [names the feeling]", "    look_for: *lf")
    found = problems_of(text)
    assert "aliases" in found["steps[1].look_for"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", "is empty"),
        ("   \n# only a comment\n", "is empty"),
        ("id: [unclosed", "is not valid YAML"),
        ("{\"id\": ", "is not valid JSON"),
        ("- a\n- b\n", "must be a mapping"),
        ("just a sentence", "must be a mapping"),
        (b"\xff\xfe\x00\x01", "is not UTF-8 text"),
        (b"PK\x03\x04\x00\x00", "is a binary file"),
    ],
)
def test_unreadable_input_gets_one_clear_error(text, expected):
    with pytest.raises(DeckError) as info:
        load_deck_text(text)
    assert len(info.value.problems) == 1
    assert info.value.problems[0].path == ""
    assert expected in info.value.problems[0].message


def test_file_over_one_megabyte_is_refused_without_parsing(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text("id: x\n" + "# padding\n" * (MAX_DECK_BYTES // 10 + 1))
    with pytest.raises(DeckError) as info:
        load_deck_file(big)
    assert "at most 1 MB" in info.value.problems[0].message


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(DeckError, match="no such file"):
        load_deck_file(tmp_path / "nope.yaml")
    with pytest.raises(DeckError, match="directory"):
        load_deck_file(tmp_path)


def test_label_keys_as_strings_in_json_equal_integers(deck):
    as_json = copy.deepcopy(deck)
    as_json["scale"]["labels"] = {str(k): v for k, v in deck["scale"]["labels"].items()}
    assert load_deck_text(json.dumps(as_json)).scale == load_deck_text(json.dumps(deck)).scale
    as_json["scale"]["labels"] = {"one": "x", "2": 5}
    found = problems_of(as_json)
    assert found["scale.labels.one"] == "label keys must be whole numbers"
    assert found["scale.labels.2"] == "must be a string"


# -- the second edition's optional fields: channel, play time, facilitator notes, variants, narrowed look-fors


def _with_trainer_fields(d: dict) -> dict:
    d["facilitator"] = {
        "introduction": "Why this matters.",
        "aftercare": {"check_in": ["How are you now?"], "guidance": ["Step back."], "when_shaken": "Sit with them."},
    }
    d["cards"][0].update(
        channel="phone",
        play_minutes=5,
        facilitator={
            "learning_goal": "Name the delay.",
            "turning_point": "When the date is offered.",
            "model_phrases": ["I see that this is the second time."],
            "meter": "+1 per excuse; end at 3 or lower with a date.",
            "scene_ends": "A date is agreed.",
        },
        variants=[{"id": "no-date", "title": "He wants no new date", "customer": "Refuses every date."}],
        look_fors={"listen": ["lets them finish", "notes the Saturday"]},
    )
    return d


def test_trainer_fields_load_and_round_trip(deck):
    from calmroom.decks import deck_to_dict

    loaded = load_deck_text(json.dumps(_with_trainer_fields(deck)))
    card = loaded.card("sofa")
    assert (card.channel, card.play_minutes) == ("phone", 5)
    assert card.facilitator.meter.startswith("+1 per excuse")
    assert card.variants[0].id == "no-date"
    assert card.look_fors == {"listen": ("lets them finish", "notes the Saturday")}
    assert card.look_for(loaded.step("listen")) == ("lets them finish", "notes the Saturday")
    assert card.look_for(loaded.step("empathy")) == ("names the feeling",)
    assert loaded.facilitator.aftercare.check_in == ("How are you now?",)
    assert load_deck_text(json.dumps(deck_to_dict(loaded))) == loaded


def test_a_deck_without_trainer_fields_dumps_as_before(deck):
    from calmroom.decks import deck_to_dict

    # stored decks are compared by the hash of this dump: old decks must not change
    dumped = deck_to_dict(load_deck_text(json.dumps(deck)))
    assert "facilitator" not in dumped
    assert all(not {"channel", "play_minutes", "facilitator", "variants", "look_fors"} & set(c) for c in dumped["cards"])


@pytest.mark.parametrize(
    "mutate, path, message",
    [
        (lambda d: d["cards"][0].update(channel="fax"), "cards[0].channel",
         "must be one of: phone, counter, chat, email, review, social, home, shop_floor, hospitality, street, transport, other"),
        (lambda d: d["cards"][0].update(play_minutes=0), "cards[0].play_minutes", "must be between 1 and 30"),
        (lambda d: d["cards"][0].update(play_minutes=31), "cards[0].play_minutes", "must be between 1 and 30"),
        (lambda d: d["cards"][0]["facilitator"].update(meter="x" * 401), "cards[0].facilitator.meter", "must be 1 to 400 characters"),
        (lambda d: d["cards"][0]["facilitator"].update(learning_goal="x" * 301), "cards[0].facilitator.learning_goal", "must be 1 to 300 characters"),
        (lambda d: d["cards"][0]["facilitator"].update(model_phrases=["a"] * 7), "cards[0].facilitator.model_phrases", "must have 0 to 6 items"),
        (lambda d: d["cards"][0]["facilitator"].update(secret=1), "cards[0].facilitator.secret", "unknown field"),
        (lambda d: d["cards"][0].update(facilitator={}), "cards[0].facilitator", "must have at least one field"),
        (lambda d: d["cards"][0]["variants"].append(dict(d["cards"][0]["variants"][0])), "cards[0].variants[1].id",
         "repeats the id 'no-date' of variants[0]"),
        (lambda d: d["cards"][0]["variants"][0].update(id="No Date"), "cards[0].variants[0].id", "must be 2–60 of a-z, 0-9 and -"),
        (lambda d: d["cards"][0]["variants"][0].pop("customer"), "cards[0].variants[0].customer", "required"),
        (lambda d: d["cards"][0].update(variants=[d["cards"][0]["variants"][0]] * 5), "cards[0].variants", "must have 0 to 4 items"),
        (lambda d: d["cards"][0]["look_fors"].update(stay_calm=["a", "b"]), "cards[0].look_fors.stay_calm",
         "'stay_calm' is not one of this card's steps"),
        (lambda d: d["cards"][1].update(look_fors={"shout": ["a", "b"]}), "cards[1].look_fors.shout",
         "'shout' is not a step of this deck's rubric"),
        (lambda d: d["cards"][0]["look_fors"].update(listen=["only one"]), "cards[0].look_fors.listen", "must have 2 to 8 items"),
        (lambda d: d["cards"][0]["look_fors"].update(listen=["a", 3]), "cards[0].look_fors.listen[1]", "must be a string"),
        (lambda d: d["facilitator"].update(introduction="x" * 3001), "facilitator.introduction", "must be 1 to 3000 characters"),
        (lambda d: d["facilitator"]["aftercare"].update(check_in=[]), "facilitator.aftercare.check_in", "must have 1 to 6 items"),
        (lambda d: d["facilitator"]["aftercare"].update(guidance=["g"] * 13), "facilitator.aftercare.guidance", "must have 1 to 12 items"),
        (lambda d: d["facilitator"]["aftercare"].update(when_shaken="x" * 1001), "facilitator.aftercare.when_shaken", "must be 1 to 1000 characters"),
        (lambda d: d["facilitator"].update(aftercare="be kind"), "facilitator.aftercare", "must be an object (a mapping)"),
    ],
)
def test_each_trainer_field_rule_reports_message_and_path(deck, mutate, path, message):
    _with_trainer_fields(deck)
    mutate(deck)
    found = problems_of(deck)
    assert found.get(path) == message, found


def test_trainer_field_mistakes_come_all_at_once(deck):
    _with_trainer_fields(deck)
    deck["cards"][0]["channel"] = "pigeon"
    deck["cards"][0]["facilitator"]["scene_ends"] = ""
    deck["cards"][1]["look_fors"] = {"nope": ["a", "b"]}
    deck["facilitator"]["aftercare"]["check_in"] = "how are you?"
    assert set(problems_of(deck)) == {
        "cards[0].channel",
        "cards[0].facilitator.scene_ends",
        "cards[1].look_fors.nope",
        "facilitator.aftercare.check_in",
    }

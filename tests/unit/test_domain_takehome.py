"""What a participant takes home (domain/takehome.py), from a room's results
without a database: the rounds they played once shown, nobody else's
reflection, their own marks left out of what others gave them, the rounds
they watched in brief, and only the notes meant for the players."""
from __future__ import annotations

from calmroom.domain.options import RoomOptions
from calmroom.domain.takehome import Person, shown, takehome_view

ANN, BOB, CY = "a1", "b2", "c3"


def _round(number, customer, agent, *, revealed=True, started_ms=1_000, elapsed_ms=60_000):
    return {
        "id": number, "number": number, "revealed": revealed, "elapsed_ms": elapsed_ms, "started_ms": started_ms,
        "card": {"id": f"card{number}", "title": f"Card {number}", "setting": "Phone", "start_temperature": 3},
        "customer": {"id": customer, "name": customer}, "agent": {"id": agent, "name": agent},
        "steps": [], "overall": None, "capped_by": None, "disagreements": [], "temperatures": [], "timeouts": [],
        "marks": [{"author": CY, "step": "listen", "rating": 1}, {"author": BOB, "step": "listen", "rating": 0}],
        "scores": [{"author": CY, "author_name": "Cy", "step": "listen", "rating": 2, "comment": "calm"},
                   {"author": ANN, "author_name": "Ann", "step": "listen", "rating": 1, "comment": "mine"}],
        "global_ratings": [],
        "reflections": [{"author": ANN, "author_name": "Ann", "role": "customer", "feeling": 2},
                        {"author": BOB, "author_name": "Bob", "role": "agent", "feeling": 4}],
    }


def _results(rounds, phase="review"):
    return {
        "room": {"code": "ABCDEF", "title": "Workshop", "phase": phase},
        "deck": {"id": "d", "title": "D", "language": "en", "scale": {}, "steps": [], "facilitator": {"secret": 1}},
        "participants": [{"id": BOB, "as_agent": [{"round": 1, "global_rating": 3.5}]}],
        "rounds": rounds,
    }


NOTES = {"options": RoomOptions(), "guidance": ["breathe"], "goals": {"card1": "let them vent", "card2": "another goal"}}


def test_a_player_sees_their_round_without_anyone_elses_reflection():
    bob = takehome_view(_results([_round(1, ANN, BOB)]), Person(BOB, "Bob", 0), NOTES)
    [played] = bob["played"]
    assert played["role"] == "agent" and played["global_rating"] == 3.5
    assert played["reflection"] == {"feeling": 4}  # their own, without author fields; not Ann's
    assert [m["author"] for m in played["marks"]] == [CY]  # not their own mark
    assert bob["takeaways"] == {"learning_goals": [{"round": 1, "card_title": "Card 1", "learning_goal": "let them vent"}],
                                "guidance": ["breathe"]}
    assert "facilitator" not in bob["deck"] and bob["you"] == {"id": BOB, "name": "Bob"}


def test_a_round_not_yet_revealed_is_not_taken_home():
    data = _results([_round(1, ANN, BOB, revealed=False)])
    assert takehome_view(data, Person(ANN, "Ann", 0), NOTES)["played"] == []
    # once the room is closed, a round that was played is shown (the debrief's rule)
    data["room"]["phase"] = "closed"
    assert [p["number"] for p in takehome_view(data, Person(ANN, "Ann", 0), NOTES)["played"]] == [1]
    assert not shown(_round(2, ANN, BOB, revealed=False, elapsed_ms=0) | {"marks": [], "scores": []}, True)


def test_a_watcher_gets_the_round_in_brief_and_no_learning_goal():
    cy = takehome_view(_results([_round(1, ANN, BOB)]), Person(CY, "Cy", 0), NOTES)
    assert cy["played"] == [] and cy["takeaways"]["learning_goals"] == []
    assert cy["observed"] == [{"number": 1, "card": {"id": "card1", "title": "Card 1"}, "customer": {"id": ANN, "name": ANN},
                               "agent": {"id": BOB, "name": BOB}, "marks_given": 1, "scores_given": 1}]
    # someone who came after the round began and gave nothing did not watch it
    late = takehome_view(_results([_round(1, ANN, BOB)]), Person("d4", "Dee", 5_000), NOTES)
    assert late["observed"] == []

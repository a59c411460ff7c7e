"""What happened in a room, for the debrief and for export."""
from __future__ import annotations

from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ..domain.room import FACILITATOR
from ..domain.scoring import global_mean, round_result
from ..store import repository as repo
from ..store.models import DeckRow, ParticipantRow
from .agreement import observer_agreement
from .exports import play_time, results_csv


class ResultsService:
    def __init__(self, sessions: sessionmaker[Session], decks: repo.DeckCache, *, now_ms: Callable[[], int]):
        self.sessions = sessions
        self.decks = decks
        self.now_ms = now_ms

    def results(self, code: str) -> dict:
        with self.sessions() as session:
            row = repo.find_room(session, code)
            deck = self.decks.get(session, row.deck_pk)
            names = {p.id: p.name for p in session.scalars(select(ParticipantRow).where(ParticipantRow.room_id == row.id))}
            names[FACILITATOR] = "facilitator"
            rounds = []
            for rnd_row in repo.rounds_of(session, row.id):
                rnd = repo.load_round(session, rnd_row, deck)
                steps = [s.key for s in deck.steps_for(rnd.card)]

                rounds.append(
                    {
                        "id": rnd.id,
                        "number": rnd.number,
                        "card": {"id": rnd.card.id, "title": rnd.card.title, "difficulty": rnd.card.difficulty,
                                 "setting": rnd.card.setting, "start_temperature": rnd.card.customer.start_temperature,
                                 "steps": steps},
                        "started_ms": rnd_row.started_ms,
                        "customer": {"id": rnd.customer, "name": names.get(rnd.customer)},
                        "agent": {"id": rnd.agent, "name": names.get(rnd.agent)},
                        "elapsed_ms": (elapsed := rnd.clock.elapsed_ms(self.now_ms())),
                        "elapsed": play_time(elapsed),
                        "revealed": rnd.revealed,
                        "marks": [{**m.as_dict(), "time": play_time(m.t_ms), "author_name": names.get(m.author),
                                   "author_role": rnd.role_of(m.author)} for m in rnd.marks],
                        "corrected_marks": [
                            {**m.as_dict(), "time": play_time(m.t_ms), "author_name": names.get(m.author),
                             "author_role": rnd.role_of(m.author), "withdrawn": c.withdraws, "corrected_at_ms": c.t_ms,
                             "corrected_at": play_time(c.t_ms)} for m, c in rnd.superseded],
                        "temperatures": [{"level": t.level, "t_ms": t.t_ms, "time": play_time(t.t_ms)} for t in rnd.temperatures],
                        "timeouts": [{"by": t.by, "name": names.get(t.by), "role": rnd.role_of(t.by), "reason": t.reason,
                                      "t_ms": t.t_ms, "time": play_time(t.t_ms)} for t in rnd.timeouts],
                        "scores": [{**s.as_dict(), "author_name": names.get(s.author), "author_role": rnd.role_of(s.author)}
                                   for s in rnd.scores],
                        "global_ratings": [{"author": a, "author_name": names.get(a), "author_role": rnd.role_of(a), "rating": r}
                                           for a, r in rnd.global_ratings.items()],
                        "reflections": [{**r.as_dict(), "author_name": names.get(r.author), "role": rnd.role_of(r.author)} for r in rnd.reflections],
                        **round_result(deck, steps, rnd.scores),
                    }
                )
            deck_row = session.get(DeckRow, row.deck_pk)
            # workshop figures count rounds that are over: revealed, or the room closed
            finished = [r for r in rounds if r["revealed"] or row.phase == "closed"]
            return {
                "room": {"code": row.code, "title": row.title, "phase": row.phase,
                         "created_ms": row.created_ms, "updated_ms": row.updated_ms},
                "agreement": self._agreement(finished, deck),
                "participants": self._per_participant(finished, names),
                # which deck the room played: its id and saved version, or (a test room
                # of the studio) a draft that was never saved, which has no version
                "deck": {
                    "id": deck.id, "version": None if deck_row.draft else deck_row.version,
                    "draft": bool(deck_row.draft), "title": deck.title, "language": deck.language,
                    "scale": {"min": deck.scale.min, "max": deck.scale.max,
                              "labels": {str(k): v for k, v in deck.scale.labels.items()}},
                    "steps": [{"key": st.key, "label": st.label, "critical": st.critical, "look_for": list(st.look_for)}
                              for st in deck.steps],
                },
                "rounds": rounds,
            }

    @staticmethod
    def _agreement(rounds: list[dict], deck) -> dict:
        units = []
        for rnd in rounds:
            by_step: dict[str, dict[str, int]] = {}
            for s in rnd["scores"]:
                if s["author"] != FACILITATOR and s["rating"] is not None:
                    by_step.setdefault(s["step"], {})[s["author"]] = s["rating"]
            units += list(by_step.values())
        return observer_agreement(units, (deck.scale.min, deck.scale.max))

    @staticmethod
    def _per_participant(rounds: list[dict], names: dict[str, str]) -> list[dict]:
        """How each participant did as the agent, step by step, and what else
        they did: what a trainer wants at the end of a workshop."""
        people: dict[str, dict] = {
            pid: {"id": pid, "name": name, "as_agent": [], "as_customer": [], "marks_given": 0, "scores_given": 0}
            for pid, name in names.items() if pid != FACILITATOR
        }
        for rnd in rounds:
            agent, customer = rnd["agent"]["id"], rnd["customer"]["id"]
            if agent in people:
                people[agent]["as_agent"].append({
                    "round": rnd["number"], "card": rnd["card"]["id"], "card_title": rnd["card"]["title"],
                    "overall": rnd["overall"], "capped_by": rnd["capped_by"],
                    "steps": {s["step"]: s["mean"] for s in rnd["steps"] if s["applies"]},
                    "global_rating": global_mean({g["author"]: g["rating"] for g in rnd["global_ratings"]})["global_rating"],
                })
            if customer in people:
                people[customer]["as_customer"].append({"round": rnd["number"], "card": rnd["card"]["id"], "card_title": rnd["card"]["title"]})
            for m in rnd["marks"]:
                if m["author"] in people:
                    people[m["author"]]["marks_given"] += 1
            for s in rnd["scores"]:
                if s["author"] in people:
                    people[s["author"]]["scores_given"] += 1
        for p in people.values():
            steps: dict[str, list[float]] = {}
            for a in p["as_agent"]:
                for k, v in a["steps"].items():
                    if v is not None:
                        steps.setdefault(k, []).append(v)
            p["agent_step_means"] = {k: round(sum(v) / len(v), 2) for k, v in steps.items()}
        return sorted(people.values(), key=lambda p: p["name"].casefold())

    def csv(self, code: str, delimiter: str, lang: str = "en") -> str:
        return results_csv(self.results(code), delimiter, lang)

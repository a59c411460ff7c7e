"""What happened in a room, for the debrief and for export."""
from __future__ import annotations

import csv
import io

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ..domain.room import FACILITATOR
from ..domain.scoring import round_result
from ..store import repository as repo
from ..store.models import ParticipantRow
from .rooms import wall_ms

CSV_COLUMNS = [
    "room", "round", "card", "kind", "author_id", "author_name", "author_role",
    "step", "rating", "text", "t_ms",
]


class ResultsService:
    def __init__(self, sessions: sessionmaker[Session], decks: repo.DeckCache):
        self.sessions = sessions
        self.decks = decks

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

                def role(author: str) -> str:
                    if author == FACILITATOR:
                        return FACILITATOR
                    return rnd.role_of(author)

                rounds.append(
                    {
                        "id": rnd.id,
                        "number": rnd.number,
                        "card": {"id": rnd.card.id, "title": rnd.card.title, "difficulty": rnd.card.difficulty},
                        "customer": {"id": rnd.customer, "name": names.get(rnd.customer)},
                        "agent": {"id": rnd.agent, "name": names.get(rnd.agent)},
                        "elapsed_ms": rnd.clock.elapsed_ms(wall_ms()),
                        "revealed": rnd.revealed,
                        "marks": [{**m.as_dict(), "author_name": names.get(m.author), "author_role": role(m.author)} for m in rnd.marks],
                        "temperatures": [{"level": t.level, "t_ms": t.t_ms} for t in rnd.temperatures],
                        "timeouts": [{"by": t.by, "name": names.get(t.by), "reason": t.reason, "t_ms": t.t_ms} for t in rnd.timeouts],
                        "scores": [{**s.as_dict(), "author_name": names.get(s.author)} for s in rnd.scores],
                        "global_ratings": [{"author": a, "author_name": names.get(a), "rating": r} for a, r in rnd.global_ratings.items()],
                        "reflections": [{**r.as_dict(), "author_name": names.get(r.author), "role": role(r.author)} for r in rnd.reflections],
                        **round_result(deck, steps, rnd.scores),
                    }
                )
            return {
                "room": {"code": row.code, "title": row.title, "phase": row.phase},
                "deck": {"id": deck.id, "title": deck.title, "language": deck.language,
                         "scale": {"min": deck.scale.min, "max": deck.scale.max}},
                "rounds": rounds,
            }

    def csv(self, code: str) -> str:
        data = self.results(code)
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(CSV_COLUMNS)
        for rnd in data["rounds"]:
            for m in rnd["marks"]:
                w.writerow([data["room"]["code"], rnd["number"], rnd["card"]["id"], "mark", m["author"], m["author_name"],
                            m["author_role"], m["step"], m["rating"], m["note"] or "", m["t_ms"]])
            for s in rnd["scores"]:
                role = "facilitator" if s["author"] == FACILITATOR else "observer"
                rating = "n/a" if s["rating"] is None else s["rating"]
                w.writerow([data["room"]["code"], rnd["number"], rnd["card"]["id"], "score", s["author"], s["author_name"],
                            role, s["step"], rating, s["comment"] or "", ""])
        return "\ufeff" + buf.getvalue()  # the BOM makes spreadsheets read UTF-8 (é, ë, ü) correctly


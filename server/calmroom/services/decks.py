"""The decks service: what trainers (the studio, `POST /api/decks`) and the
public lists do with decks. Every deck that is stored passes the one
validator (decks.check_deck, off the event loop); every version is numbered
by repository.store_deck; default decks change only through their files.

Refusals are RuleError (the one error shape) or DeckError (a 422 with every
problem and its path)."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Callable

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ..decks import DeckError, Problem, check_deck, deck_to_dict, load_deck_file, load_deck_text
from ..decks.comparison import diff, parity, texts
from ..decks.yamlwrite import deck_yaml
from ..domain.deck import Deck
from ..domain.errors import RuleError, not_found
from ..store import catalogue
from ..store import repository as repo
from ..store.models import DeckRow
from .base import token_matches, wall_ms

log = logging.getLogger(__name__)
Offload = Callable[..., Any]


def _call_here(fn: Callable, *args: Any) -> Any:
    return fn(*args)


def summary(data: Any) -> dict:
    """Counts of a deck's cards and steps, also of one that does not validate."""
    data = data if isinstance(data, dict) else {}
    count = lambda key: len(data[key]) if isinstance(data.get(key), list) else 0  # noqa: E731
    return {"cards": count("cards"), "steps": count("steps")}


class DeckService:
    def __init__(self, sessions: sessionmaker[Session], offload: Offload = _call_here,
                 now_ms: Callable[[], int] = wall_ms) -> None:
        self.sessions = sessions
        self.offload = offload
        self.now_ms = now_ms

    # -- the one validator ----------------------------------------------------------
    def check(self, data: Any) -> Deck:
        """Plain data to a Deck (off the loop), or DeckError."""
        return self.offload(check_deck, data)

    def validate(self, data: Any) -> dict:
        try:
            self.check(data)
            problems: list[dict] = []
        except DeckError as err:
            problems = [p.as_dict() for p in err.problems]
        return {"ok": not problems, "problems": problems, "summary": summary(data)}

    def read_file(self, raw: bytes, filename: str) -> Deck:
        """A deck file's bytes (YAML or JSON), read and validated off the loop."""
        return self.offload(load_deck_text, raw, filename)

    # -- public lists and reads -----------------------------------------------------
    def listed(self) -> list[DeckRow]:
        """The newest version of every deck that is not archived."""
        with self.sessions() as session:
            hidden = catalogue.archived_ids(session)
            return [r for r in catalogue.latest_rows(session) if r.deck_id not in hidden]

    def latest(self, deck_id: str) -> DeckRow:
        with self.sessions() as session:
            row = catalogue.latest(session, deck_id)
        if row is None:
            raise not_found(f"there is no deck {deck_id!r}", "deck")
        return row

    def of_room(self, code: str, deck_id: str, token: str | None, trainer: bool) -> DeckRow:
        """The version a room plays (a test room's draft too), for a trainer
        or that room's facilitator."""
        with self.sessions() as session:
            room = repo.find_room(session, code)
            if room is None:
                raise not_found(f"there is no room {code}", "room")
            if not (trainer or (token and token_matches(token, room.facilitator_token_hash))):
                raise RuleError("unauthorized", "Authorization: the full deck of a room needs its facilitator token or "
                                "a trainer credential", "Authorization")
            row = repo.deck_row(session, room.deck_pk)
        if row is None or row.body.get("id") != deck_id:
            raise not_found(f"room {code} does not play deck {deck_id!r}", "deck")
        return row

    # -- the default decks and uploads (POST /api/decks) ----------------------------
    def store_defaults(self, decks_dir: Path) -> int:
        """Store the default decks of the decks directory; a changed file
        becomes a new version. Returns how many versions were new."""
        stored = 0
        if not decks_dir.is_dir():
            return 0
        now = self.now_ms()
        for path in sorted(decks_dir.glob("*.y*ml")) + sorted(decks_dir.glob("*.json")):
            try:
                deck = load_deck_file(path)
            except DeckError as err:
                log.error("default deck %s is invalid and was skipped: %s", path.name, err)
                continue
            with self.sessions() as session, session.begin():
                _, created = repo.store_deck(session, deck, now, builtin=True)
                stored += created
        return stored

    def upload(self, deck: Deck) -> tuple[dict, bool]:
        """Store a deck as its next version; (body with version, created)."""
        with self.sessions() as session, session.begin():
            self._not_builtin(session, deck.id)
            row, created = repo.store_deck(session, deck, self.now_ms())
            return {**deck_to_dict(deck), "version": row.version}, created

    # -- the studio: reading --------------------------------------------------------
    def studio_list(self) -> list[dict]:
        with self.sessions() as session:
            metas = catalogue.all_meta(session)
            rooms = catalogue.rooms_per_deck(session)
            return [self._entry(row, metas.get(row.deck_id), rooms.get(row.deck_id, 0))
                    for row in catalogue.latest_rows(session)]

    @staticmethod
    def _entry(row: DeckRow, meta, rooms: int) -> dict:
        return {
            "id": row.deck_id, "title": row.title, "language": row.language,
            "cards": len(row.body["cards"]), "steps": len(row.body["steps"]),
            "version": row.version, "updated_ms": row.created_ms, "rooms": rooms,
            "builtin": bool(row.builtin), "archived": bool(meta and meta.archived),
            "based_on": meta.based_on if meta else None,
        }

    def studio_get(self, deck_id: str) -> dict:
        with self.sessions() as session:
            row = self._row(session, deck_id)
            meta = catalogue.meta(session, deck_id)
            return {
                "deck": row.body, "version": row.version, "updated_ms": row.created_ms,
                "builtin": bool(row.builtin), "archived": bool(meta and meta.archived),
                "based_on": meta.based_on if meta else None,
                "untranslated": list(meta.untranslated or []) if meta else [],
            }

    def versions(self, deck_id: str) -> list[dict]:
        with self.sessions() as session:
            rows = catalogue.versions(session, deck_id)
            if not rows:
                raise not_found(f"there is no deck {deck_id!r}", "deck")
            rooms = catalogue.rooms_per_version(session, deck_id)
            return [{"version": r.version, "created_ms": r.created_ms, "rooms": rooms.get(r.version, 0)} for r in rows]

    def version(self, deck_id: str, number: int) -> dict:
        with self.sessions() as session:
            row = self._version(session, deck_id, number)
            return {"deck": row.body, "version": row.version, "created_ms": row.created_ms}

    def diff(self, deck_id: str, before: int, after: int) -> dict:
        with self.sessions() as session:
            old = self._version(session, deck_id, before, "from")
            new = self._version(session, deck_id, after, "to")
            return {"from": before, "to": after, "changes": diff(old.body, new.body)}

    def parity(self, deck_id: str, other_id: str) -> dict:
        with self.sessions() as session:
            mine = self._row(session, deck_id).body
            theirs = self._row(session, other_id, "other").body
        problems = parity(mine, theirs)
        return {"ok": not problems, "problems": problems}

    def export(self, deck_id: str) -> str:
        return deck_yaml(self.latest(deck_id).body)

    # -- the studio: changing -------------------------------------------------------
    def create(self, data: Any, *, based_on: str | None = None, untranslated: list[str] | None = None) -> dict:
        """A new deck; 409 when the id is taken (by any deck, default or not)."""
        deck = self.check(data)
        now = self.now_ms()
        try:
            with self.sessions() as session, session.begin():
                if catalogue.exists(session, deck.id):
                    raise self._taken(deck.id)
                row, _ = repo.store_deck(session, deck, now)
                values = {"based_on": based_on, "untranslated": untranslated or None}
                catalogue.set_meta(session, deck.id, now, **values)
                out = {"deck": row.body, "version": row.version}
        except IntegrityError:  # another request took the id at the same moment
            raise self._taken(deck.id) from None
        if based_on is not None:
            out["based_on"] = based_on
        if untranslated is not None:
            out["untranslated"] = untranslated
        return out

    def update(self, deck_id: str, data: Any) -> tuple[dict, bool]:
        deck = self.check(data)
        if deck.id != deck_id:
            raise DeckError([Problem("id", f"must stay {deck_id!r} (copy the deck for a new id)")])
        return self._save(deck_id, deck)

    def restore(self, deck_id: str, number: int) -> tuple[dict, bool]:
        with self.sessions() as session:
            self._not_builtin(session, deck_id)
            body = self._version(session, deck_id, number, "version").body
        return self._save(deck_id, self.check(body))

    def _save(self, deck_id: str, deck: Deck) -> tuple[dict, bool]:
        """A new version of an existing deck (or the same one when nothing
        changed); a text that changed leaves the untranslated list."""
        try:
            return self._store_next(deck_id, deck)
        except IntegrityError:  # another save took this version number at the same moment
            raise RuleError("conflict", f"version: deck {deck_id!r} was saved by someone else just now; load it again "
                            "and save once more", "version") from None

    def _store_next(self, deck_id: str, deck: Deck) -> tuple[dict, bool]:
        now = self.now_ms()
        with self.sessions() as session, session.begin():
            self._not_builtin(session, deck_id)
            before = self._row(session, deck_id).body
            row, created = repo.store_deck(session, deck, now)
            meta = catalogue.meta(session, deck_id)
            if created and meta is not None and meta.untranslated:
                old, new = dict(texts(before)), dict(texts(row.body))
                left = [p for p in meta.untranslated if p in new and old.get(p) == new[p]]
                catalogue.set_meta(session, deck_id, now, untranslated=left or None)
            return {"deck": row.body, "version": row.version}, created

    def copy(self, deck_id: str, new_id: str, title: str | None) -> dict:
        body = {**self.latest(deck_id).body, "id": new_id}
        if title is not None:
            body["title"] = title
        return self.create(body, based_on=deck_id)

    def translate(self, deck_id: str, new_id: str, language: str) -> dict:
        source = self.latest(deck_id).body
        if language == source.get("language"):
            raise DeckError([Problem("language", f"must be another language than the deck's own ({language})")])
        body = {**source, "id": new_id, "language": language}
        return self.create(body, based_on=deck_id, untranslated=[path for path, _ in texts(body)])

    def archive(self, deck_id: str, archived: bool) -> dict:
        with self.sessions() as session, session.begin():
            self._row(session, deck_id)
            catalogue.set_meta(session, deck_id, self.now_ms(), archived=archived)
        return {"id": deck_id, "archived": archived}

    def delete(self, deck_id: str) -> None:
        with self.sessions() as session, session.begin():
            self._row(session, deck_id)
            self._not_builtin(session, deck_id)
            used = catalogue.rooms_using(session, deck_id)
            if used:
                raise RuleError("conflict", f"id: {deck_id!r} is used by {used} room(s), which keep it for their results; "
                                "archive it instead, or delete those rooms first", "id")
            catalogue.delete_deck(session, deck_id)

    # -- helpers --------------------------------------------------------------------
    @staticmethod
    def _row(session: Session, deck_id: str, field: str = "deck") -> DeckRow:
        row = catalogue.latest(session, deck_id)
        if row is None:
            raise not_found(f"there is no deck {deck_id!r}", field)
        return row

    @staticmethod
    def _version(session: Session, deck_id: str, number: int, field: str = "version") -> DeckRow:
        row = catalogue.version(session, deck_id, number)
        if row is None:
            if catalogue.latest(session, deck_id) is None:
                raise not_found(f"there is no deck {deck_id!r}", "deck")
            raise not_found(f"deck {deck_id!r} has no version {number}", field)
        return row

    @staticmethod
    def _not_builtin(session: Session, deck_id: str) -> None:
        if repo.is_builtin_deck(session, deck_id):
            raise RuleError("forbidden", f"id: {deck_id!r} is a default deck; it changes only through its file in the "
                            "decks directory (copy it to adapt it)", "id")

    @staticmethod
    def _taken(deck_id: str) -> RuleError:
        return RuleError("conflict", f"id: there is already a deck {deck_id!r}; choose another id", "id")

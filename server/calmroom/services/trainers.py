"""The trainer credential: the bearer that may upload decks and read every
card's briefs. CALMROOM_ADMIN_TOKEN is one when it is set; besides it the
server keeps one credential of its own, hashed like every other token, made
at the first start (when CALMROOM_ADMIN_TOKEN is unset) or by
`calmroom trainer-link`, which replaces it: a leaked link is revoked by
making a new one."""
from __future__ import annotations

import hmac
import secrets
from typing import Callable

from sqlalchemy.orm import Session, sessionmaker

from ..store import repository as repo
from .base import hash_token, token_matches, wall_ms

STUDIO_PATH = "/studio"


def sign_in_link(base_url: str, token: str) -> str:
    # the key rides in the fragment, which browsers never send to a server
    return f"{base_url.rstrip('/')}{STUDIO_PATH}#key={token}"


class TrainerKeys:
    def __init__(self, sessions: sessionmaker[Session], admin_token: str | None = None, *,
                 now_ms: Callable[[], int] = wall_ms) -> None:
        self.sessions = sessions
        self.admin_token = admin_token
        self.now_ms = now_ms  # the app's clock (create_app); the command line's is the wall clock

    def make_first(self) -> str | None:
        """A new credential when none is stored yet, else None. Of several
        workers starting at once on one database only one gets a token."""
        token = secrets.token_urlsafe(32)
        with self.sessions() as session, session.begin():
            created = repo.add_first_trainer_key(session, hash_token(token), self.now_ms())
        return token if created else None

    def make_new(self) -> str:
        token = secrets.token_urlsafe(32)
        with self.sessions() as session, session.begin():
            repo.replace_trainer_key(session, hash_token(token), self.now_ms())
        return token

    def is_trainer(self, token: str | None) -> bool:
        if not token:
            return False
        if self.admin_token and hmac.compare_digest(token.encode(), self.admin_token.encode()):
            return True
        with self.sessions() as session:
            stored = repo.trainer_key_hash(session)
        return stored is not None and token_matches(token, stored)

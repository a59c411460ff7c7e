"""The `calmroom` command. Imports are inside the commands so that `serve`
can choose the async mode (and monkey-patch) before anything else loads."""
from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence


def _decks_validate(args: argparse.Namespace) -> int:
    from .decks import DeckError, load_deck_file

    failed = 0
    for name in args.files:
        try:
            deck = load_deck_file(name)
        except DeckError as err:
            failed += 1
            for problem in err.problems:
                print(f"{name}: {problem}")
            continue
        if not args.quiet:
            print(f"{name}: ok ({deck.id}, {len(deck.steps)} steps, {len(deck.cards)} cards)")
    if failed and not args.quiet:
        print(f"{failed} of {len(args.files)} deck file(s) have errors", file=sys.stderr)
    return 1 if failed else 0


def _decks_schema(args: argparse.Namespace) -> int:
    from .decks.jsonschema import deck_json_schema_text

    sys.stdout.write(deck_json_schema_text())
    return 0


def serve_overrides(args: argparse.Namespace) -> dict:
    """What the command line says over the environment: --lan is every
    address (0.0.0.0), so phones on the local network can join."""
    host = "0.0.0.0" if args.lan else args.host
    return {k: v for k, v in (("host", host), ("port", args.port)) if v is not None}


def _serve(args: argparse.Namespace) -> int:
    from .server import patch_for

    patch_for(os.environ.get("CALMROOM_ASYNC_MODE") or "eventlet")
    import logging

    from .config import Config, ConfigError
    from .server import serve

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    overrides = serve_overrides(args)
    try:
        config = Config.from_env(**overrides)
    except ConfigError as err:
        print(f"calmroom: {err}", file=sys.stderr)
        return 2
    serve(config)
    return 0


def _db_upgrade(args: argparse.Namespace) -> int:
    from .config import Config
    from .store.db import upgrade

    url = Config.from_env().database_url
    upgrade(url, args.revision)
    print(f"database at revision {args.revision}")
    return 0


def _purge(args: argparse.Namespace) -> int:
    from .config import Config
    from .services.rooms import RoomService, wall_ms
    from .store import db
    from .store.repository import DeckCache

    if args.older_than < 0:
        print("calmroom: --older-than must be 0 or more days", file=sys.stderr)
        return 2
    config = Config.from_env()
    db.upgrade(config.database_url)
    engine = db.make_engine(config.database_url, sqlite_synchronous=config.sqlite_synchronous)
    rooms = RoomService(db.make_sessionmaker(engine), DeckCache(), worker_id=config.worker_id, now_ms=wall_ms)
    cutoff = wall_ms() - int(args.older_than * 86_400_000)
    n = rooms.purge_older_than(cutoff).ack["deleted"]
    rooms.close()
    engine.dispose()
    print(f"deleted {n} room(s) not changed in the last {args.older_than:g} day(s)")
    return 0


def _trainer_link(args: argparse.Namespace) -> int:
    from .config import Config, ConfigError
    from .server import base_url
    from .services.trainers import TrainerKeys, sign_in_link
    from .store import db

    try:
        config = Config.from_env()
    except ConfigError as err:
        print(f"calmroom: {err}", file=sys.stderr)
        return 2
    db.upgrade(config.database_url)
    engine = db.make_engine(config.database_url, sqlite_synchronous=config.sqlite_synchronous)
    token = TrainerKeys(db.make_sessionmaker(engine)).make_new()
    engine.dispose()
    print(sign_in_link(args.url or base_url(config), token))
    print("the previous trainer link no longer works" + (" (CALMROOM_ADMIN_TOKEN still does)" if config.admin_token else ""),
          file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="calmroom", description="Calmroom: de-escalation role-play for workshops")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the server (SQLite by default; see CALMROOM_DATABASE_URL)")
    where = serve.add_mutually_exclusive_group()
    where.add_argument("--host", help="address to listen on (default 127.0.0.1, or CALMROOM_HOST)")
    where.add_argument("--lan", action="store_true",
                       help="listen on the local network (host 0.0.0.0), so phones can join; prints their address")
    serve.add_argument("--port", type=int, help="port (default 5000, or CALMROOM_PORT)")
    serve.set_defaults(func=_serve)

    link = sub.add_parser("trainer-link", help="make a new trainer credential and print its sign-in link "
                          "(the previous link stops working)")
    link.add_argument("--url", help="the server's address in the link (default CALMROOM_PUBLIC_URL, or host and port)")
    link.set_defaults(func=_trainer_link)

    dbp = sub.add_parser("db", help="database schema")
    db_sub = dbp.add_subparsers(dest="db_command", required=True)
    up = db_sub.add_parser("upgrade", help="apply pending migrations")
    up.add_argument("revision", nargs="?", default="head")
    up.set_defaults(func=_db_upgrade)

    purge = sub.add_parser("purge", help="delete rooms (and everything in them) not changed for DAYS days")
    purge.add_argument("--older-than", type=float, required=True, metavar="DAYS")
    purge.set_defaults(func=_purge)

    decks = sub.add_parser("decks", help="work with deck files")
    decks_sub = decks.add_subparsers(dest="decks_command", required=True)
    validate = decks_sub.add_parser("validate", help="check deck files; exit 1 if any has errors")
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    validate.set_defaults(func=_decks_validate)
    schema = decks_sub.add_parser("schema", help="print the JSON Schema of the deck format")
    schema.set_defaults(func=_decks_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

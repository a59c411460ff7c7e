"""The `calmroom` command."""
from __future__ import annotations

import argparse
import sys
from typing import Sequence

from .decks import DeckError, load_deck_file
from .decks.jsonschema import deck_json_schema_text


def _decks_validate(args: argparse.Namespace) -> int:
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
    sys.stdout.write(deck_json_schema_text())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="calmroom", description="Calmroom: de-escalation role-play for workshops")
    sub = parser.add_subparsers(dest="command", required=True)

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

"""What an anonymous room hides from the participants (domain/options.py).

A participant's round view names the authors of marks, scores and global
ratings by participant id, and the room's list of people turns an id into a
name. In an anonymous room or a fishbowl (whose participants' list of
people leaves the observers out, domain/headcount.py) every observer author in a participant's view is
an alias of the round instead (`observer-1`, ...; the viewer's own items keep
its own id: it knows what it wrote). Time-outs name nobody unless the room
names them (never in an anonymous room). The facilitator's view is not
touched: the facilitator sees everything, and so does not come through here."""
from __future__ import annotations

from .headcount import hidden_author, restricts_people
from .options import RoomOptions, observer_aliases
from .room import FACILITATOR, Round


def round_aliases(rnd: Round) -> dict[str, str]:
    """The round's observer authors to their aliases, over everything they
    wrote (not only what a viewer sees), so every view numbers them alike."""
    authors = [m.author for m in rnd.marks] + [s.author for s in rnd.scores] + list(rnd.global_ratings)
    return observer_aliases(authors, {FACILITATOR, rnd.customer, rnd.agent})


def redact_round(view: dict, rnd: Round, options: RoomOptions, viewer: str) -> dict:
    """A participant's round view (views.round_view), made fit for its room."""
    on_stage = (rnd.customer, rnd.agent)
    if not options.names_timeouts:
        # its own time-out a viewer knows
        view["timeouts"] = [{**t, "by": t["by"] if t["by"] == viewer else None} for t in view["timeouts"]]
    else:
        # named, but never an observer the viewer's list of people leaves out
        view["timeouts"] = [{**t, "by": None if hidden_author(options, t["by"], viewer, on_stage) else t["by"]}
                            for t in view["timeouts"]]
    if not restricts_people(options):
        return view
    aliases = round_aliases(rnd)
    aliases.pop(viewer, None)

    def who(author: str) -> str:
        return aliases.get(author, author)

    view["marks"] = [{**m, "author": who(m["author"])} for m in view["marks"]]
    view["scores"] = [{**s, "author": who(s["author"])} for s in view["scores"]]
    view["global_ratings"] = {who(a): r for a, r in view["global_ratings"].items()}
    return view


def timeout_by(options: RoomOptions, by: str) -> str | None:
    """Who called a time-out, as a participant may be told."""
    return by if options.names_timeouts else None

"""The CSV export, written for the people who open it in a spreadsheet: one
row per thing that happened in a round (live marks, the anger meter,
time-outs, final scores, overall ratings, reflections), names instead of ids,
role-play times as m:ss, column headers and labels in the room's language."""
from __future__ import annotations

import csv
import io

# OWASP's CSV injection rule: a spreadsheet treats a cell that begins with one
# of these as a formula (`=HYPERLINK(...)`, `@SUM(...)`, `+1`, `-1+A2`). Names,
# notes and comments are typed by participants, so every text cell that starts
# with one gets a leading single quote, which spreadsheets show as text. The
# integers the server writes itself (round, rating, level) stay numbers: a
# rating on a scale with negative points ("-2") is a number to a spreadsheet,
# not a formula, and quoting it would turn it into text nobody can sum.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

LANGUAGES = ("en", "nl")

# per language: the header, then the words of the cells
WORDS = {
    "en": {
        "columns": ["room", "round", "card", "what", "who", "role", "step or question", "score", "text", "time"],
        "mark": "live mark", "mark_withdrawn": "live mark (withdrawn)", "mark_replaced": "live mark (before the change)",
        "anger": "anger meter", "timeout": "time-out", "score": "final score", "global": "overall rating (1-5)",
        "reflection": "reflection", "n/a": "n/a",
        "customer": "customer", "agent": "agent", "observer": "observer", "facilitator": "facilitator",
        "feeling": "how it felt (1-5)", "felt_heard": "felt heard (1-5)", "went_well": "what went well",
        "do_differently": "what I would do differently",
    },
    "nl": {
        "columns": ["ruimte", "ronde", "kaart", "wat", "wie", "rol", "stap of vraag", "score", "tekst", "tijd"],
        "mark": "live score", "mark_withdrawn": "live score (ingetrokken)", "mark_replaced": "live score (vóór de wijziging)",
        "anger": "boosheidsmeter", "timeout": "time-out", "score": "eindscore", "global": "totaaloordeel (1-5)",
        "reflection": "terugblik", "n/a": "n.v.t.",
        "customer": "klant", "agent": "medewerker", "observer": "observator", "facilitator": "trainer",
        "feeling": "hoe het voelde (1-5)", "felt_heard": "voelde zich gehoord (1-5)", "went_well": "wat ging goed",
        "do_differently": "wat ik anders zou doen",
    },
}
CSV_COLUMNS = WORDS["en"]["columns"]


def play_time(ms: int | None) -> str:
    """Role-play time as people read it: 83000 -> "1:23" (the client's formatMs)."""
    if ms is None:
        return ""
    total = abs(ms) // 1000
    return f"{'-' if ms < 0 else ''}{total // 60}:{total % 60:02d}"


def results_csv(data: dict, delimiter: str, lang: str = "en") -> str:
    """`data` is ResultsService.results(); every round by number: live marks
    and the anger meter and time-outs in the order of the role-play, then the
    final scores, the overall ratings and the reflections."""
    words = WORDS[lang]
    steps = {s["key"]: s["label"] for s in data["deck"]["steps"]}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n", delimiter=delimiter)
    w.writerow(words["columns"])
    code = data["room"]["code"]
    for rnd in data["rounds"]:
        def row(what: str, who: str | None, role: str, step: str, value, text: str | None, t_ms: int | None) -> None:
            w.writerow(_cells([code, rnd["number"], rnd["card"]["title"], words[what], words["facilitator"] if role == "facilitator" else who or "",
                               words.get(role, role), step, value, text or "", play_time(t_ms)]))

        live = []  # (t_ms, order, emit)
        customer = rnd["customer"]["name"]
        for m in rnd["marks"]:
            live.append((m["t_ms"], 0, ("mark", m["author_name"], m["author_role"], steps.get(m["step"], m["step"]),
                                       m["rating"], m["note"], m["t_ms"])))
        for m in rnd.get("corrected_marks", []):
            what = "mark_withdrawn" if m["withdrawn"] else "mark_replaced"
            live.append((m["t_ms"], 1, (what, m["author_name"], m["author_role"], steps.get(m["step"], m["step"]),
                                       m["rating"], m["note"], m["t_ms"])))
        for t in rnd["temperatures"]:
            live.append((t["t_ms"], 2, ("anger", customer, "customer", "", t["level"], None, t["t_ms"])))
        for t in rnd["timeouts"]:
            live.append((t["t_ms"], 3, ("timeout", t["name"], t["role"], "", "", t["reason"], t["t_ms"])))
        for _, _, cells in sorted(live, key=lambda x: (x[0], x[1])):
            row(*cells)
        for s in rnd["scores"]:
            rating = words["n/a"] if s["rating"] is None else s["rating"]
            row("score", s["author_name"], s["author_role"], steps.get(s["step"], s["step"]), rating, s["comment"], None)
        for g in rnd["global_ratings"]:
            row("global", g["author_name"], g["author_role"], "", g["rating"], None, None)
        for r in rnd["reflections"]:
            for key in ("feeling", "felt_heard"):
                if r[key] is not None:
                    row("reflection", r["author_name"], r["role"], words[key], r[key], None, None)
            for key in ("went_well", "do_differently"):
                if r[key]:
                    row("reflection", r["author_name"], r["role"], words[key], "", r[key], None)
    return "\ufeff" + buf.getvalue()  # the BOM makes spreadsheets read UTF-8 (é, ë, ü) correctly


def csv_cell(value):
    """A text cell a spreadsheet will not run as a formula; numbers unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _cells(row: list) -> list:
    return [csv_cell(v) for v in row]

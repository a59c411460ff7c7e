"""acked = stored, exactly once: after a run, read the server's database and
count the marks of the run's rooms per (room, author, client id)."""
from __future__ import annotations

from collections import Counter

from sqlalchemy import create_engine, text


def count_marks(database_url: str, codes: list[str]) -> Counter:
    """(room code, author, client_id) -> number of rows, for the given rooms."""
    from calmroom.store.db import normalize_url

    counts: Counter = Counter()
    if not codes:
        return counts
    engine = create_engine(normalize_url(database_url))
    try:
        with engine.connect() as conn:
            for i in range(0, len(codes), 500):
                chunk = codes[i:i + 500]
                params = {f"c{j}": c for j, c in enumerate(chunk)}
                names = ", ".join(f":c{j}" for j in range(len(chunk)))
                rows = conn.execute(
                    text(
                        "SELECT r.code, m.author, m.client_id, COUNT(*) FROM marks m "
                        f"JOIN rooms r ON r.id = m.room_id WHERE r.code IN ({names}) "
                        "GROUP BY r.code, m.author, m.client_id"
                    ),
                    params,
                )
                for code, author, cid, n in rows:
                    counts[(code, author, cid)] += int(n)
    finally:
        engine.dispose()
    return counts


def check(database_url: str, result: dict) -> dict:
    """Compare what the generator was told (acks) with what the database holds."""
    acked = [tuple(x) for x in result.get("acked_marks", [])]
    refused = {tuple(x[:3]) for x in result.get("refused_marks", [])}
    unknown = {tuple(x[:3]) for x in result.get("unknown_marks", [])}
    codes = sorted({a[0] for a in acked} | {r[0] for r in refused} | {u[0] for u in unknown}
                   | set(result.get("room_codes", [])))
    return compare(count_marks(database_url, codes), result)


def compare(stored: Counter, result: dict) -> dict:
    """`stored`: (room code, author, client id) -> rows, as count_marks gives."""
    acked = [tuple(x) for x in result.get("acked_marks", [])]
    refused = {tuple(x[:3]) for x in result.get("refused_marks", [])}
    unknown = {tuple(x[:3]) for x in result.get("unknown_marks", [])}
    acked_set = set(acked)
    missing = [k for k in acked_set if stored.get(k, 0) == 0]
    duplicated = [k for k, n in stored.items() if n > 1]
    acked_twice = len(acked) - len(acked_set)  # the generator never resends an id
    stored_refused = [k for k in refused if stored.get(k, 0) > 0]
    stored_unknown = [k for k in unknown if stored.get(k, 0) > 0]
    extra = [k for k in stored if k not in acked_set and k not in unknown and k not in refused]
    total_stored = sum(stored.values())
    ok = (not missing and not duplicated and not stored_refused and not extra and acked_twice == 0
          and total_stored == len(acked) + sum(stored.get(k, 0) for k in unknown))
    return {
        "marks_acked": len(acked),
        "marks_stored": total_stored,
        "acked_missing": len(missing),
        "stored_more_than_once": len(duplicated),
        "refused_but_stored": len(stored_refused),
        "unknown_fate": len(unknown),
        "unknown_fate_stored": len(stored_unknown),
        "stored_not_sent": len(extra),
        "acked_equals_stored": ok,
        "examples": [list(x) for x in (missing + duplicated + stored_refused + extra)[:5]],
    }

"""The deck list's rows. What of a deck each reader gets is
domain/deck_views.py's."""
from __future__ import annotations


def deck_summary(row) -> dict:
    body = row.body
    return {
        "id": row.deck_id,
        "version": row.version,
        "title": row.title,
        "language": row.language,
        "description": body.get("description"),
        "steps": len(body["steps"]),
        "cards": len(body["cards"]),
        "builtin": bool(row.builtin),
    }

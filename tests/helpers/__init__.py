"""Shared test helpers (importable as `helpers`, see pytest pythonpath)."""

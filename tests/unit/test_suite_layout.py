"""The test folders are not packages, so pytest imports each test module by
its file name: two files with one name in two folders stop the whole run at
collection. Keep every test module's name unique."""
from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def test_every_test_module_name_is_unique():
    names = Counter(p.name for p in TESTS.rglob("test_*.py"))
    assert [n for n, c in names.items() if c > 1] == []

"""What reference_visits.py and reference_send.py share: the rows of a reference CSV (of one
half of tests/gold/split.csv, if asked) and the table of agreement per field."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def reference_rows(path: Path, half: str | None = None) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if half:
        with (ROOT / "tests" / "gold" / "split.csv").open(newline="", encoding="utf-8") as f:
            files = {r["file"] for r in csv.DictReader(f) if r["half"] == half}
        rows = [r for r in rows if r["file"] in files]
    return rows


def agreement(rows: list[dict[str, str]], fields: tuple[str, ...],
              found: Callable[[dict[str, str]], dict[str, str]],
              expected: Callable[[dict[str, str]], dict[str, str]]) -> int:  # fmt: skip
    """Print agreement per field and every disagreement; 0 when all agree, else 1."""
    agree: Counter[str] = Counter()
    misses: list[str] = []
    for row in rows:
        got, want = found(row), expected(row)
        for field in fields:
            if got.get(field, "") == want[field]:
                agree[field] += 1
            else:
                misses.append(f"{row['file']}: {field}: found {got.get(field, '')!r}, "
                              f"reference {want[field]!r}")  # fmt: skip
    print(f"| field | agree (of {len(rows)}) |\n| --- | ---: |")
    for field in fields:
        print(f"| {field} | {agree[field]} |")
    print(f"\n{sum(agree.values())} of {len(rows) * len(fields)} fields agree")
    for line in misses:
        print(line)
    return 0 if not misses else 1

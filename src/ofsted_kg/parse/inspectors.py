"""Inspectors' names as one spelling per person.

A person's node is named by the slug of their name (rdf/iris.py), which ignores case and
accents, so "Hilary Macdonald" and "Hilary MacDonald", or "Maire" and "Máire", are one node:
its label must then be one spelling too, whichever report names them. The spellings seen
are in ``data/inspector-names.csv`` (spelling -> the name used, with where each comes from);
other names are kept as printed, with their spaces and Unicode form made regular.
"""

from __future__ import annotations

import csv
import unicodedata
from functools import lru_cache
from pathlib import Path

_NAMES = Path(__file__).parent / "data" / "inspector-names.csv"


@lru_cache(maxsize=1)
def _spellings() -> dict[str, str]:
    with _NAMES.open(newline="", encoding="utf-8") as f:
        return {row["spelling"]: row["name"] for row in csv.DictReader(f)}


def inspector_name(printed: str) -> str:
    """The one spelling of an inspector's name."""
    name = " ".join(unicodedata.normalize("NFC", printed).replace("’", "'").split())
    return _spellings().get(name, name)

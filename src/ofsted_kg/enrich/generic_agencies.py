"""Generic references to a partner agency ("the police", "the CCG", "the integrated care
board") resolved to the agency they mean, where the report makes it unambiguous.

A report is about one authority, and the authority's area has one police force and, from
July 2022, (nearly always) one integrated care board: ``data/area-agencies.csv`` gives both
for every authority of the register, with its sources. A generic reference means:

* the one agency of its kind the report names itself ("Humberside Police ... the police");
* where the report names none, the area's own (police forces; ICBs for inspections from
  July 2022, where the area has one ICB), from the lookup;
* nothing, where the report names two or more (which one is meant is not said).

Clinical commissioning groups (2013-2022) changed too often for a lookup: "the CCG" is
resolved only to the one CCG a report names.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from pathlib import Path

_DATA = Path(__file__).parent / "data" / "area-agencies.csv"
ICBS_FROM = date(2022, 7, 1)  # integrated care boards replaced CCGs on 1 July 2022
NATIONAL_FORCES = {"British Transport Police"}  # not the police of any one area

# A generic reference to an agency of each kind: the kind's common noun, not a name
GENERIC = {
    "police force": re.compile(r"\bpolice\b(?! and crime commissioner| chiefs)", re.I),
    "clinical commissioning group": re.compile(r"\bclinical commissioning group\b|\bCCG\b", re.I),
    "integrated care board": re.compile(r"\bintegrated care board\b|\bICB\b", re.I),
}


@lru_cache(maxsize=1)
def area_agencies() -> dict[str, dict[str, str]]:
    """authority -> {kind: the area's agency of that kind} (police force, ICB)."""
    with _DATA.open(newline="", encoding="utf-8") as f:
        return {
            r["authority"]: {
                k: v
                for k, v in (("police force", r["police_force"]),
                             ("integrated care board", r["integrated_care_board"]))
                if v
            }
            for r in csv.DictReader(f)
        }  # fmt: skip


def meant(authority: str, start: date | None, named: Iterable[tuple[str, str]]) -> dict[str, str]:
    """kind -> the agency a generic reference of that kind means in a report on
    ``authority``'s inspection that began on ``start``, given the (name, kind) of every
    agency the report names; a kind whose reference is ambiguous is left out."""
    by_kind: dict[str, set[str]] = {}
    for name, kind in named:
        if name not in NATIONAL_FORCES:
            by_kind.setdefault(kind, set()).add(name)
    area = area_agencies().get(authority, {})
    out = {}
    for kind in GENERIC:
        names = by_kind.get(kind, set())
        if len(names) == 1:
            out[kind] = next(iter(names))
        elif not names and kind in area:
            if kind != "integrated care board" or (start is not None and start >= ICBS_FROM):
                out[kind] = area[kind]
    return out


def references(text: str, taken: list[tuple[int, int]]) -> list[tuple[str, int, str]]:
    """(kind, offset, words) of each generic reference in ``text`` outside the spans of the
    agencies it names (``taken``: start and end of each)."""
    out = []
    for kind, pattern in GENERIC.items():
        for m in pattern.finditer(text):
            if not any(s <= m.start() < e for s, e in taken):
                out.append((kind, m.start(), m.group()))
    return sorted(out, key=lambda r: r[1])

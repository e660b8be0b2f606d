"""Inspectors' names: one spelling per person node (parse/inspectors.py)."""

from __future__ import annotations

import csv
from pathlib import Path

from ofsted_kg.parse import inspectors
from ofsted_kg.parse.inspectors import inspector_name
from ofsted_kg.rdf.iris import slug


def test_spellings_of_one_person_give_one_name() -> None:
    assert inspector_name("Hilary Macdonald") == inspector_name("Hilary MacDonald")
    assert inspector_name("Máire  Atherton") == inspector_name("Maire Atherton")
    assert inspector_name("Sam\u00a0Lee ") == "Sam Lee"


def test_every_listed_spelling_is_the_same_node_as_its_name() -> None:
    path = Path(inspectors.__file__).parent / "data" / "inspector-names.csv"
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows
    for row in rows:
        assert slug(row["spelling"]) == slug(row["name"]), row  # else it is two people
        assert row["note"]

"""Which report family a Document belongs to: the first registered family that claims it."""

from __future__ import annotations

from ofsted_kg.parse.families import registered
from ofsted_kg.parse.family import Family
from ofsted_kg.read.document import Document, IngestError


def detect(doc: Document) -> Family:
    """The family whose ``detect`` claims the document; IngestError when none does."""
    for family in registered():
        if family.detect(doc):
            return family
    first = next((line.text for line in doc.lines if len(line.text) > 3), "")
    raise IngestError(f"unknown kind of report (starts: {first[:60]!r})")

"""Which report family a Document belongs to. Adding a family = a module + a line here."""

from __future__ import annotations

from types import ModuleType

from ofsted_kg.parse.families import cra_letter, ilacs, ilacs_visit, lac2013, sif, slac
from ofsted_kg.read.document import Document, IngestError

# Order matters only where two families could both claim a document: most specific first.
FAMILIES: list[ModuleType] = [slac, cra_letter, ilacs_visit, ilacs, sif, lac2013]


def detect(doc: Document) -> ModuleType:
    """The family module whose ``detect`` claims the document."""
    for family in FAMILIES:
        if family.detect(doc):
            return family
    first = next((line.text for line in doc.lines if len(line.text) > 3), "")
    raise IngestError(f"unknown kind of report (starts: {first[:60]!r})")

"""read -> detect -> parse -> enrich: one file to one Report (no RDF here)."""

from __future__ import annotations

from pathlib import Path

from ofsted_kg.model import Report

from .detect import detect
from .document import Document
from .enrich import enrich
from .read import read


def parse_document(doc: Document) -> Report:
    family = detect(doc)
    return enrich(family.parse(doc), doc)


def parse_file(path: Path) -> Report:
    return parse_document(read(path))

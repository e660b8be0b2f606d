"""read -> detect -> parse -> enrich: one file to one Report (no RDF here)."""

from __future__ import annotations

from pathlib import Path

from ofsted_kg.enrich.agencies import enrich
from ofsted_kg.model import Report
from ofsted_kg.parse.detect import detect
from ofsted_kg.read.document import Document
from ofsted_kg.read.files import read


def parse_document(doc: Document) -> Report:
    family = detect(doc)
    return enrich(family.parse(doc), doc)


def parse_file(path: Path) -> Report:
    return parse_document(read(path))

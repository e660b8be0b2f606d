"""read -> detect -> parse -> enrich: one file to one Report (no RDF here)."""

from __future__ import annotations

from pathlib import Path

from ofsted_kg.enrich.agencies import enrich
from ofsted_kg.model import Report
from ofsted_kg.parse.authorities import resolve
from ofsted_kg.parse.detect import detect
from ofsted_kg.parse.inspectors import inspector_name
from ofsted_kg.read.document import Document, IngestError
from ofsted_kg.read.files import read


def parse_document(doc: Document) -> Report:
    family = detect(doc)
    report = family.parse(doc)
    for inspection in (report.inspection, *report.reviews, *report.earlier):
        if resolve(inspection.authority) is None:
            raise IngestError(
                f"the authority {inspection.authority!r} is in no entry of the authority "
                "register (src/ofsted_kg/parse/data/authorities.csv)"
            )
    report.inspectors = [(inspector_name(name), role) for name, role in report.inspectors]
    return enrich(report, doc)


def parse_file(path: Path) -> Report:
    return parse_document(read(path))

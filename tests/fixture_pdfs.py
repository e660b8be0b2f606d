"""The real Ofsted PDFs bundled in tests/fixtures/pdf (see its README): read and parsed once.

They ship with the repository, so the tests that use them run on a fresh clone; tests over
every PDF of ../shared carry the ``corpus`` marker instead.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from ofsted_kg.model import Report
from ofsted_kg.parse.detect import detect
from ofsted_kg.read.document import Document
from ofsted_kg.read.pdf import read_pdf

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pdf"


def fixture_pdf(name: str) -> Path:
    """The bundled PDF ``name``; an assertion, not a skip, when it is missing."""
    path = FIXTURES / name
    assert path.is_file(), f"{path} is missing (tests/fixtures/pdf ships with the repository)"
    return path


@cache
def fixture_doc(name: str) -> Document:
    return read_pdf(fixture_pdf(name))


@cache
def fixture_report(name: str) -> Report:
    """The Report of the family that claims the fixture (shared: tests must not change it)."""
    doc = fixture_doc(name)
    return detect(doc).parse(doc)


def with_page_furniture(doc: Document, header: str | None = None) -> Document:
    """The document as a text conversion keeps it: at every page break the page's number
    ("3", "Page 3 of 12") and, where given, the running header."""
    texts, last = [], len({ln.page for ln in doc.lines})
    for prev, ln in zip([None, *doc.lines], doc.lines, strict=False):
        if prev is not None and ln.page != prev.page:
            texts += [(str(prev.page), prev.page), (f"Page {prev.page} of {last}", prev.page)]
            if header:
                texts.append((header, ln.page))
        texts.append((ln.text, ln.page))
    return Document.from_texts(doc.path, doc.sha256, texts, doc.kind)

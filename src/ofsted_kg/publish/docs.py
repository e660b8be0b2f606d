"""Ontology documentation: HTML generated from ``ontology/`` with pyLODE (the docs extra)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import Graph

from ofsted_kg.resources import ontology_files

DEFAULT_OUT = Path("docs") / "ontology"


class DocsError(Exception):
    """pyLODE is not installed or failed."""


def ontology_html() -> str:
    """One HTML page for the ontology and its concept schemes, classes and properties sorted."""
    with _quiet_root_logger():
        try:
            from pylode import OntPub
        except Exception as exc:  # ImportError, or a pyLODE release that cannot load itself
            raise DocsError(
                f"pyLODE is needed: pip install 'ofsted-kg[docs]' ({type(exc).__name__}: {exc})"
            ) from None
        g = Graph()
        for path in ontology_files():
            g.parse(path, format="turtle")
        html = OntPub(ontology=g, sort_subjects=True).make_html(include_css=True)
    return html if html.endswith("\n") else html + "\n"


@contextmanager
def _quiet_root_logger() -> Iterator[None]:
    """pyLODE's imports configure the root logger at DEBUG level (its INFO and asyncio's
    DEBUG lines on every run): a handler that drops records keeps logging.basicConfig from
    adding one, and the root logger's handlers and level are put back after."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    quiet = logging.NullHandler()
    root.addHandler(quiet)
    root.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)


def write_docs(out: Path = DEFAULT_OUT) -> Path:
    """Write ``index.html`` into ``out``; its path."""
    out.mkdir(parents=True, exist_ok=True)
    page = out / "index.html"
    page.write_text(ontology_html(), encoding="utf-8")
    return page

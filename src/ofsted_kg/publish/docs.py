"""Ontology documentation: HTML generated from ``ontology/`` with pyLODE (the docs extra)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from ofsted_kg.resources import ontology_files

DEFAULT_OUT = Path("docs") / "ontology"


class DocsError(Exception):
    """pyLODE is not installed or failed."""


def ontology_html() -> str:
    """One HTML page for the ontology and its concept schemes, classes and properties sorted."""
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


def write_docs(out: Path = DEFAULT_OUT) -> Path:
    """Write ``index.html`` into ``out``; its path."""
    out.mkdir(parents=True, exist_ok=True)
    page = out / "index.html"
    page.write_text(ontology_html(), encoding="utf-8")
    return page

"""N-Triples terms as text: the one place that writes them (the emitter and the
enrichment graphs build their lines from these). What is written is byte for byte what
Oxigraph's serialiser writes (tests/rdf/test_emit.py); reading N-Triples is left to pyoxigraph.
"""

from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox
from rdflib import URIRef
from rdflib import namespace as ns

from ofsted_kg.rdf import vocab


@lru_cache(maxsize=4096)
def iri(value: str) -> str:
    """An IRI as an N-Triples term."""
    return f"<{value}>"


class _Terms:
    """A namespace whose attributes are N-Triples IRIs, each built on first use."""

    def __init__(self, namespace: str) -> None:
        self._base = str(namespace)

    def __getattr__(self, name: str) -> str:
        term = iri(self._base + name)
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> str:
        return iri(self._base + name)


ORG = _Terms(vocab.ORG)
OKG, RDF, RDFS, SKOS = _Terms(vocab.OKG), _Terms(ns.RDF), _Terms(ns.RDFS), _Terms(ns.SKOS)
PROV, DCTERMS, FOAF, XSD = _Terms(ns.PROV), _Terms(ns.DCTERMS), _Terms(ns.FOAF), _Terms(ns.XSD)

# What Oxigraph escapes in a literal: the C0 controls, DEL, the two noncharacters U+FFFE and
# U+FFFF, the quote and the backslash; everything else is written as it is, in UTF-8.
_ESCAPES = {c: f"\\u{c:04X}" for c in (*range(0x20), 0x7F, 0xFFFE, 0xFFFF)}
_ESCAPES |= {0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r"}
_ESCAPES |= {ord('"'): '\\"', ord("\\"): "\\\\"}


def literal(value: str, datatype: str | None = None) -> str:
    """A literal as an N-Triples term; ``datatype`` an N-Triples IRI (none: xsd:string)."""
    quoted = f'"{value.translate(_ESCAPES)}"'
    return f"{quoted}^^{datatype}" if datatype else quoted


def integer(value: int) -> str:
    return f'"{value}"^^{XSD.integer}'


def node_term(node: ox.NamedNode | URIRef) -> str:
    """An IRI of ``Iris`` or of the ontology's concepts as an N-Triples term."""
    return iri(node.value if isinstance(node, ox.NamedNode) else str(node))

"""SHACL validation of report graphs against shapes/, with the ontology mixed in."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pyshacl import validate as shacl_validate
from rdflib import Graph

from . import vocab
from .resources import shape_files


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    g = Graph()
    for path in shape_files():
        g.parse(path, format="turtle")
    return g


@dataclass
class Validation:
    conforms: bool
    text: str
    report: Graph  # the SHACL validation report as RDF


def validate_graph(data: Graph) -> Validation:
    """Validate one report's triples (the ontology supplies classes and concept schemes)."""
    mixed = Graph()
    for triple in vocab.ontology_graph():
        mixed.add(triple)
    for triple in data:
        mixed.add(triple)
    conforms, report, text = shacl_validate(
        mixed, shacl_graph=shapes_graph(), inference="none", allow_warnings=True
    )
    return Validation(bool(conforms), str(text), report)

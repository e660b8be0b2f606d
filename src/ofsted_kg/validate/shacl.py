"""SHACL validation of report graphs against shapes/, with the ontology mixed in.

Three engines give the same results (tests check it on every report and on a broken graph
per constraint): pyshacl, the reference; the project's compilation of the same shapes to
SPARQL run by Oxigraph (``shacl_sparql``), 20-50 times faster; and the default,
``shacl_core``, which evaluates the Core constraints in Python and leaves only the SPARQL-based
ones to Oxigraph, about twice as fast again (benchmarks/README.md).
"""

from __future__ import annotations

from pyshacl import validate as shacl_validate
from rdflib import Graph
from rdflib.namespace import SH

from ofsted_kg.rdf import vocab
from ofsted_kg.validate import shacl_core, shacl_sparql
from ofsted_kg.validate.report import Result, Validation, in_order, shapes_graph

ENGINES = ("fast", "sparql", "pyshacl")


def validate_ntriples(data: bytes, engine: str = "fast") -> Validation:
    """Validate one report's triples given as N-Triples."""
    if engine in ("fast", "sparql"):
        module = shacl_core if engine == "fast" else shacl_sparql
        # one result per node, path, constraint and message, as from pyshacl below: two
        # values breaking the same constraint in the same words are one line
        return Validation(in_order({Result(r.focus, r.path, r.component, r.message)
                                    for r in module.validate_ntriples(data)}))  # fmt: skip
    if engine != "pyshacl":
        raise ValueError(f"unknown SHACL engine {engine!r}: one of {', '.join(ENGINES)}")
    g = Graph()
    g.parse(data=data.decode(), format="nt")
    return validate_graph(g)


def validate_graph(data: Graph) -> Validation:
    """Validate one report's triples with pyshacl (the reference engine)."""
    mixed = Graph()
    for triple in vocab.ontology_graph():
        mixed.add(triple)
    for triple in data:
        mixed.add(triple)
    _conforms, report, _text = shacl_validate(
        mixed, shacl_graph=shapes_graph(), inference="none", allow_warnings=True
    )
    results = []
    for r in report.subjects(SH.resultSeverity, None):
        path = report.value(r, SH.resultPath)
        results.append(
            Result(
                str(report.value(r, SH.focusNode)),
                str(path) if path is not None else None,
                str(report.value(r, SH.sourceConstraintComponent)),
                str(report.value(r, SH.resultMessage) or ""),
            )
        )
    return Validation(in_order(set(results)))

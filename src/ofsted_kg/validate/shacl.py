"""SHACL validation of report graphs against shapes/, with the ontology mixed in.

One interface, ``validate_ntriples(data, engine)``, over a registry of engines
(``VALIDATORS``), each a ``Validator``: a report's N-Triples in, its violations out.

- ``pyshacl``, the reference: any other engine must give its results (tests/validate/ check
  it on every report of the corpus and on a broken graph per constraint);
- ``fast``, the default (``validate/fast.py``): the Core constraints in Python, the
  SPARQL-based ones in Oxigraph. Why it is the only other engine, and not pyshacl-turbo, is
  in its docstring and benchmarks/README.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pyshacl import validate as shacl_validate
from rdflib import Graph
from rdflib.namespace import SH

from ofsted_kg.rdf import vocab
from ofsted_kg.validate import fast
from ofsted_kg.validate.report import Result, Validation, in_order, shapes_graph

__all__ = ["ENGINES", "Validation", "Validator", "shapes_graph", "validate_graph",
           "validate_ntriples"]  # fmt: skip

Validator = Callable[[bytes], Iterable[Result]]
"""An engine: one report's triples as N-Triples in, its violations out."""


def _pyshacl(data: bytes) -> list[Result]:
    g = Graph()
    g.parse(data=data.decode(), format="nt")
    return validate_graph(g).results


VALIDATORS: dict[str, Validator] = {"fast": fast.validate_ntriples, "pyshacl": _pyshacl}
ENGINES = tuple(VALIDATORS)


def validate_ntriples(data: bytes, engine: str = "fast") -> Validation:
    """Validate one report's triples given as N-Triples."""
    validator = VALIDATORS.get(engine)
    if validator is None:
        raise ValueError(f"unknown SHACL engine {engine!r}: one of {', '.join(ENGINES)}")
    # one result per node, path, constraint and message, as pyshacl's report gives them: two
    # values breaking the same constraint in the same words are one line
    return Validation(in_order({Result(r.focus, r.path, r.component, r.message)
                                for r in validator(data)}))  # fmt: skip


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

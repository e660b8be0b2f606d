"""SHACL validation of report graphs against shapes/, with the ontology mixed in.

Three engines give the same results (tests check it on every report and on a broken graph
per constraint): pyshacl, the reference; the project's compilation of the same shapes to
SPARQL run by Oxigraph (``shacl_sparql``), 20-50 times faster; and the default,
``shacl_core``, which evaluates the Core constraints in Python and leaves only the SPARQL-based
ones to Oxigraph, about twice as fast again (benchmarks/README.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeVar

from pyshacl import validate as shacl_validate
from rdflib import Graph
from rdflib.namespace import SH

from . import vocab
from .resources import shape_files

ENGINES = ("fast", "sparql", "pyshacl")
R = TypeVar("R")


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    g = Graph()
    for path in shape_files():
        g.parse(path, format="turtle")
    return g


@dataclass(frozen=True, order=True)
class Result:
    """One violation: focus node, path (None for node-level), constraint component, message."""

    focus: str
    path: str | None
    component: str
    message: str


@dataclass
class Validation:
    results: list[Result] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not self.results

    @property
    def text(self) -> str:
        if self.conforms:
            return "Conforms: True"
        lines = [f"Conforms: False ({len(self.results)} violations)"]
        for r in self.results:
            where = f" {r.path}" if r.path else ""
            lines.append(f"- {r.focus}{where}: {r.message} [{r.component.rsplit('#', 1)[-1]}]")
        return "\n".join(lines)

    def first_message(self) -> str:
        if not self.results:
            return ""
        return f"{len(self.results)} violation(s); first: {self.results[0].message}"


def in_order(results: Iterable[R]) -> list[R]:
    """Results sorted by focus node, path (node-level ones first), component and message."""
    return sorted(results, key=lambda r: (r.focus, r.path or "", r.component, r.message,
                                          getattr(r, "value", None) or ""))  # fmt: skip


def validate_ntriples(data: bytes, engine: str = "fast") -> Validation:
    """Validate one report's triples given as N-Triples."""
    if engine in ("fast", "sparql"):
        from . import shacl_core, shacl_sparql

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

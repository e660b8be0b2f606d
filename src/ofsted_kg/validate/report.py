"""What every SHACL engine here reads and returns: the shapes, one violation, a report."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeVar

from rdflib import Graph

from ofsted_kg.resources import shape_files

R = TypeVar("R")


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """The shapes of shapes/, parsed once."""
    g = Graph()
    for path in shape_files():
        g.parse(path, format="turtle")
    return g


@dataclass(frozen=True, order=True)
class Result:
    """One violation: focus node, path (None for node-level), constraint component, message,
    and the offending value where the engine reports one (it is not part of a report's line)."""

    focus: str
    path: str | None
    component: str
    message: str
    value: str | None = None


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

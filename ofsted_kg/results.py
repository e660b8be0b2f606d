"""Query results as rows: plain values for Python, CSV, SPARQL 1.1 JSON or a table."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

import pyoxigraph as ox


def _json_term(term: Any) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


TermRow = Sequence[Any]  # a solution's pyoxigraph terms in column order, None when unbound


def write_csv(columns: list[str], rows: Iterable[TermRow], out: TextIO) -> int:
    """CSV of the lexical values (unbound as empty), written row by row; the rows written."""
    w = csv.writer(out, lineterminator="\n")
    w.writerow(columns)
    n = 0
    for row in rows:
        w.writerow(["" if t is None else t.value for t in row])
        n += 1
    return n


def write_json(columns: list[str], rows: Iterable[TermRow], out: TextIO) -> int:
    """SPARQL 1.1 Query Results JSON, written binding by binding (one a line); the rows
    written."""
    out.write(f'{{"head": {{"vars": {json.dumps(columns)}}},\n "results": {{"bindings": [')
    n = 0
    for row in rows:
        binding = {c: _json_term(t) for c, t in zip(columns, row, strict=True) if t is not None}
        out.write(("\n  " if n == 0 else ",\n  ") + json.dumps(binding, ensure_ascii=False))
        n += 1
    out.write("\n ]}}\n" if n else "]}}\n")
    return n


@dataclass
class Rows:
    """The solutions of a SELECT query, columns in projection order."""

    columns: list[str]
    terms: list[dict[str, Any]]  # column -> pyoxigraph term (absent when unbound)

    @classmethod
    def from_solutions(cls, solutions: ox.QuerySolutions) -> Rows:
        columns = [v.value for v in solutions.variables]
        terms = []
        for solution in solutions:
            # a solution iterates over its values in projection order: much faster than
            # looking each column up by name (a third of the time of a 5,000-row answer)
            terms.append({c: t for c, t in zip(columns, solution, strict=True) if t is not None})
        return cls(columns, terms)

    def __len__(self) -> int:
        return len(self.terms)

    def __iter__(self):  # noqa: ANN204
        return iter(self.values())

    def values(self) -> list[dict[str, str | None]]:
        """Each row as {column: lexical value or None}."""
        return [
            {c: (row[c].value if c in row else None) for c in self.columns} for row in self.terms
        ]

    def term_rows(self) -> Iterator[TermRow]:
        return (tuple(row.get(c) for c in self.columns) for row in self.terms)

    def to_csv(self) -> str:
        buf = io.StringIO()
        write_csv(self.columns, self.term_rows(), buf)
        return buf.getvalue()

    def to_json(self) -> str:
        """SPARQL 1.1 Query Results JSON."""
        buf = io.StringIO()
        write_json(self.columns, self.term_rows(), buf)
        return buf.getvalue()

    def to_dataframe(self):  # noqa: ANN201
        """A pandas DataFrame (needs the ``pandas`` extra)."""
        try:
            import pandas as pd
        except ImportError:  # pragma: no cover - depends on the extra
            raise ImportError(
                "to_dataframe needs pandas: pip install 'ofsted-kg[pandas]'"
            ) from None
        return pd.DataFrame(self.values(), columns=self.columns)

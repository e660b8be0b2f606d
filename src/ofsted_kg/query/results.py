"""Query results: rows of plain values for Python, and CSV or SPARQL 1.1 JSON written as
the solutions come."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
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
ValueRow = tuple[str | None, ...]  # the same as lexical values


def lexical(solution: TermRow) -> ValueRow:
    """A solution's lexical values, in column order (a solution iterates over its terms in
    projection order: much faster than looking each column up by name)."""
    return tuple([None if t is None else t.value for t in solution])


def write_csv(columns: list[str], rows: Iterable[ValueRow], out: TextIO) -> None:
    """CSV (unbound as empty), written row by row."""
    w = csv.writer(out, lineterminator="\n")
    w.writerow(columns)
    w.writerows(["" if v is None else v for v in row] for row in rows)


def write_json(columns: list[str], rows: Iterable[TermRow], out: TextIO) -> None:
    """SPARQL 1.1 Query Results JSON, written binding by binding (one a line)."""
    out.write(f'{{"head": {{"vars": {json.dumps(columns)}}},\n "results": {{"bindings": [')
    n = 0
    for row in rows:
        binding = {c: _json_term(t) for c, t in zip(columns, row, strict=True) if t is not None}
        out.write(("\n  " if n == 0 else ",\n  ") + json.dumps(binding, ensure_ascii=False))
        n += 1
    out.write("\n ]}}\n" if n else "]}}\n")


@dataclass
class Rows:
    """The solutions of a SELECT query as lexical values, columns in projection order.

    Only the values are kept, not pyoxigraph's terms: holding a Python object per term
    doubled the time to read a wide answer (for the datatypes, use ``api.solutions``).
    """

    columns: list[str]
    rows: list[ValueRow]  # each solution's values in column order, None when unbound
    # each column's datatype IRI, from its first bound literal (None: never bound, or IRIs)
    datatypes: list[str | None] = field(default_factory=list)

    @classmethod
    def from_solutions(cls, solutions: ox.QuerySolutions) -> Rows:
        columns = [v.value for v in solutions.variables]
        datatypes: list[str | None] = [None] * len(columns)
        open_columns = set(range(len(columns)))  # columns whose datatype is not yet seen
        rows = []
        for s in solutions:
            if open_columns:
                for i in list(open_columns):
                    term = s[i]
                    if term is not None:
                        open_columns.discard(i)
                        if isinstance(term, ox.Literal):
                            datatypes[i] = term.datatype.value
            rows.append(lexical(s))
        return cls(columns, rows, datatypes)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):  # noqa: ANN204
        return iter(self.values())

    def values(self) -> list[dict[str, str | None]]:
        """Each row as {column: lexical value or None}."""
        columns = self.columns
        return [dict(zip(columns, row, strict=True)) for row in self.rows]

    def to_csv(self) -> str:
        buf = io.StringIO()
        write_csv(self.columns, self.rows, buf)
        return buf.getvalue()

    def to_dataframe(self):  # noqa: ANN201
        """A pandas DataFrame (needs the ``pandas`` extra), each column typed from its
        datatype: integers as nullable ``Int64``, decimals and doubles as floats, dates and
        date-times as ``datetime64``, booleans as nullable ``boolean``, the rest as text. A
        column whose values do not all read as its type stays text (nothing is coerced
        away)."""
        try:
            import pandas as pd
        except ImportError:  # pragma: no cover - depends on the extra
            raise ImportError(
                "to_dataframe needs pandas: pip install 'ofsted-kg[pandas]'"
            ) from None
        df = pd.DataFrame(self.rows, columns=self.columns, dtype=object)
        for i, column in enumerate(self.columns):
            kind = _PANDAS_KIND.get((self.datatypes[i : i + 1] or [None])[0] or "")
            if kind is None:
                continue
            try:
                df[column] = _typed(pd, df[column], kind)
            except (TypeError, ValueError, KeyError):
                pass  # a value not of the column's type: the column stays text
        return df


_XSD = "http://www.w3.org/2001/XMLSchema#"
_PANDAS_KIND = {
    **{_XSD + t: "integer" for t in ("integer", "int", "long", "short", "byte",
                                     "nonNegativeInteger", "positiveInteger",
                                     "nonPositiveInteger", "negativeInteger",
                                     "unsignedInt", "unsignedLong")},
    **{_XSD + t: "float" for t in ("decimal", "double", "float")},
    _XSD + "date": "date",
    _XSD + "dateTime": "date",
    _XSD + "boolean": "boolean",
    _XSD + "gYear": "integer",
}  # fmt: skip


def _typed(pd: Any, values: Any, kind: str) -> Any:
    if kind == "integer":
        return pd.array([None if v is None else int(v) for v in values], dtype="Int64")
    if kind == "float":
        return pd.array([None if v is None else float(v) for v in values], dtype="Float64")
    if kind == "boolean":
        words = {"true": True, "1": True, "false": False, "0": False}
        return pd.array([None if v is None else words[v] for v in values], dtype="boolean")
    return pd.to_datetime(values, format="ISO8601")

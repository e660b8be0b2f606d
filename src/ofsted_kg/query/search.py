"""Full-text search of the findings, answered from the store's text index alone: the index
finds and ranks them and keeps what the ``findings-search`` query answers about each
(authority, dates, kind, themes, page, paragraph), so an answer costs no SPARQL join however
many findings it has.

A store without a text index (one behind a SPARQL endpoint) answers the library query
instead: a case-insensitive substring scan, unranked.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from typing import BinaryIO

import pyoxigraph as ox

from ofsted_kg.query.results import Rows, write_json
from ofsted_kg.store import GraphStore
from ofsted_kg.store.text_index import Hit, SearchError, analyse

__all__ = ["COLUMNS", "SearchError", "Solutions", "as_phrase", "has_index", "search", "solutions"]

# the findings-search query's columns, then the index's own
COLUMNS = ["authority", "inspection_start", "published", "kind", "themes", "report_sha256",
           "page", "paragraph", "text", "phrase", "score", "passage"]  # fmt: skip
_XSD = "http://www.w3.org/2001/XMLSchema#"
# the datatypes the findings-search query gives these columns
_TYPES = {"inspection_start": _XSD + "date", "published": _XSD + "date",
          "page": _XSD + "integer", "paragraph": _XSD + "integer",
          "score": _XSD + "decimal"}  # fmt: skip


def has_index(store: GraphStore) -> bool:
    """Does this store keep a text index (the embedded store does)?"""
    return callable(getattr(store, "search", None))


def as_phrase(text: str) -> str:
    """The library query's ``phrase`` as a search: its words in a row, whatever else it holds
    (quotes and operators are not the query language there, only characters)."""
    return '"' + " ".join(analyse(text)) + '"'


def _hits(store: GraphStore, text: str, limit: int | None) -> Iterable[Hit]:
    if not text.strip():
        raise SearchError("the search is empty: give a word or a phrase")
    if text == '""':  # a phrase of no words (only punctuation) finds nothing
        return ()
    return store.search(text, limit)  # type: ignore[attr-defined]


def row(hit: Hit, text: str) -> tuple[str | None, ...]:
    """A hit's values in COLUMNS order (``text``: the search, the ``phrase`` column)."""
    f = hit.fields
    return (f["authority"], f["inspection_start"], f["published"], f["kind"], f["themes"] or "",
            hit.sha256, f["page"], f["paragraph"], hit.text, text, f"{hit.score:.3f}",
            hit.passage)  # fmt: skip


class Solutions:
    """A search's answer shaped as pyoxigraph's QuerySolutions (``variables``, rows of terms
    in column order, ``serialize``), so the CLI and ``api.solutions`` stream it as any
    query's answer."""

    def __init__(self, hits: Iterable[Hit], text: str) -> None:
        self._hits, self._text = hits, text
        self.variables = [ox.Variable(c) for c in COLUMNS]

    def __iter__(self) -> Iterator[tuple[ox.Literal | None, ...]]:
        """The rows, read from the index as they are asked for (once: as pyoxigraph's)."""
        for hit in self._hits:
            yield tuple(_term(c, v) for c, v in zip(COLUMNS, row(hit, self._text), strict=True))

    def serialize(self, output: BinaryIO, format: ox.QueryResultsFormat) -> None:  # noqa: A002
        """SPARQL results in ``format``: written as JSON here, then by pyoxigraph in any other."""
        text = io.StringIO()
        write_json(list(COLUMNS), self, text)
        if format == ox.QueryResultsFormat.JSON:
            output.write(text.getvalue().encode())
            return
        parsed = ox.parse_query_results(text.getvalue().encode(), format=ox.QueryResultsFormat.JSON)
        parsed.serialize(output, format=format)


def _term(column: str, value: str | None) -> ox.Literal | None:
    if value is None:
        return None
    datatype = _TYPES.get(column)
    return ox.Literal(value, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(value)


def solutions(store: GraphStore, text: str, limit: int | None = None,
              shown: str | None = None) -> Solutions:  # fmt: skip
    """The findings matching ``text``, best first, as solutions; the ``phrase`` column holds
    ``shown`` where given (the words the user asked for, not their stemmed search)."""
    return Solutions(_hits(store, text, limit), text if shown is None else shown)


def search(store: GraphStore, text: str, limit: int | None = None) -> Rows:
    """The findings matching ``text`` (Tantivy's query language: words, "a phrase", AND, OR,
    NOT), best first: the ``findings-search`` query's columns, then score and passage (the
    best-matching passage, matched words in **...**)."""
    rows = [row(h, text) for h in _hits(store, text, limit)]
    return Rows(list(COLUMNS), rows, [_TYPES.get(c, _XSD + "string") for c in COLUMNS])

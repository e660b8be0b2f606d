"""Full-text search of the findings: the store's text index finds and ranks them, SPARQL adds
what the ``findings-search`` query answers about each (authority, dates, kind, themes, page).

A store without a text index (one behind a SPARQL endpoint) answers the library query
instead: a case-insensitive substring scan, unranked.
"""

from __future__ import annotations

import pyoxigraph as ox

from ofsted_kg.query.results import Rows
from ofsted_kg.store import GraphStore
from ofsted_kg.store.text_index import Hit, SearchError, analyse

__all__ = ["SearchError", "details_query", "has_index", "search", "search_query", "solutions"]

# The findings-search query's columns for the findings the index found, in its order.
_DETAILS = """
PREFIX okg:     <https://w3id.org/ofsted-kg/ontology#>
PREFIX prov:    <http://www.w3.org/ns/prov#>
PREFIX rdfs:    <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?authority ?inspection_start ?published ?kind
       (GROUP_CONCAT(DISTINCT ?theme_or_none; separator="; ") AS ?themes)
       ?report_sha256 ?page ?paragraph ?text ?phrase ?score ?passage
WHERE {
  VALUES (?finding ?rank ?score ?passage) {
%s
  }
  ?finding okg:findingOf ?inspection ;
           okg:text ?text ;
           okg:findingKind/rdfs:label ?kind ;
           prov:wasDerivedFrom ?report .
  ?report okg:sha256 ?report_sha256 .
  OPTIONAL { ?report dcterms:issued ?published }
  ?inspection okg:authorityLabel ?authority .
  OPTIONAL { ?inspection okg:startDate ?inspection_start }
  OPTIONAL {
    ?finding okg:theme ?theme_concept .
    OPTIONAL { ?theme_concept rdfs:label ?theme_label }
    BIND (COALESCE(STR(?theme_label), STRAFTER(STR(?theme_concept), "#theme-")) AS ?theme)
  }
  BIND (COALESCE(?theme, "") AS ?theme_or_none)
  OPTIONAL { ?finding okg:page ?page }
  OPTIONAL { ?finding okg:paragraph ?paragraph }
  BIND (%s AS ?phrase)
}
GROUP BY ?authority ?inspection_start ?published ?kind ?report_sha256 ?page ?paragraph ?text
         ?phrase ?score ?passage ?finding ?rank
ORDER BY ?rank
"""


def has_index(store: GraphStore) -> bool:
    """Does this store keep a text index (the embedded store does)?"""
    return callable(getattr(store, "search", None))


def _string(value: str) -> str:
    """A SPARQL string literal (the escapes of N-Triples suffice)."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def search_query(store: GraphStore, text: str, limit: int | None = None) -> str:
    """The SPARQL that answers a search: the index's findings, ranked, as VALUES."""
    if not text.strip():
        raise SearchError("the search is empty: give a word or a phrase")
    # a phrase of no words (only punctuation) finds nothing
    hits = [] if text == '""' else store.search(text, limit)  # type: ignore[attr-defined]
    return details_query(hits, text)


def details_query(hits: list[Hit], text: str) -> str:
    """The ``findings-search`` columns of these hits, in their order, by SPARQL."""
    rows = "\n".join(
        f'    (<{h.finding}> {rank} "{h.score:.3f}"^^<http://www.w3.org/2001/XMLSchema#decimal> '
        f"{_string(h.passage)})"
        for rank, h in enumerate(hits)
    )
    return _DETAILS % (rows, _string(text))


def as_phrase(text: str) -> str:
    """The library query's ``phrase`` as a search: its words in a row, whatever else it holds
    (quotes and operators are not the query language there, only characters)."""
    return '"' + " ".join(analyse(text)) + '"'


def solutions(store: GraphStore, text: str, limit: int | None = None) -> ox.QuerySolutions:
    """The answer to a search as the store's solutions (for streaming to any format)."""
    # Our own query, built from the index's hits rather than a user's words: it grows with
    # the hits, so the size limit on users' queries (store/guard.py) is not for it.
    return store.ox.query(  # type: ignore[attr-defined]
        search_query(store, text, limit), use_default_graph_as_union=True
    )


def search(store: GraphStore, text: str, limit: int | None = None) -> Rows:
    """The findings matching ``text`` (Tantivy's query language: words, "a phrase", AND, OR,
    NOT), best first: the ``findings-search`` query's columns, then score and passage (the
    best-matching passage, matched words in **...**)."""
    return Rows.from_solutions(solutions(store, text, limit))

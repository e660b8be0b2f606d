"""A query's results written as an answer: capped at a number of rows, in the negotiated
format; and the ways a query can fail that the HTTP side turns into a status."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from ofsted_kg.query.results import write_json
from ofsted_kg.query.search import Solutions
from ofsted_kg.serve.negotiate import (
    DEFAULT_MEDIA,
    GRAPH_MEDIA,
    RESULTS_MEDIA,
    Media,
    NotAcceptable,
    acceptable,
    content_type,
)

Answer = tuple[bytes, str, bool]  # body, content type, truncated


class QueryTimeout(Exception):
    pass


class QueryFailed(Exception):
    """The query's worker failed otherwise (it died, or the engine raised something unexpected)."""


class QueryOutOfMemory(QueryFailed):
    """The query needed more memory than a worker may use: its worker was stopped."""


def evaluate(
    results: object,
    max_rows: int,
    deadline: float | None = None,
    media: Media = DEFAULT_MEDIA,
) -> Answer:
    """A query's results as (body, content type, truncated), in the media type given for its
    kind (``negotiate``); NotAcceptable when that is None."""
    if isinstance(results, (ox.QueryBoolean, ox.QuerySolutions, Solutions)):
        if media[0] is None:
            raise NotAcceptable(acceptable(RESULTS_MEDIA))
        if isinstance(results, ox.QueryBoolean):
            body, truncated = json.dumps({"head": {}, "boolean": bool(results)}).encode(), False
        else:
            rows, text = _Capped(results, max_rows, deadline), io.StringIO()
            write_json([v.value for v in results.variables], rows, text)
            body, truncated = text.getvalue().encode(), rows.truncated
        fmt = RESULTS_MEDIA[media[0]]
        if fmt != ox.QueryResultsFormat.JSON:  # the cap applied, pyoxigraph writes the rest
            parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
            body = parsed.serialize(format=fmt) or b""
        return body, content_type(media[0]), truncated
    if media[1] is None:
        raise NotAcceptable(acceptable(GRAPH_MEDIA))
    triples = _Capped(results, max_rows, deadline)  # type: ignore[arg-type]
    body = ox.serialize(list(triples), format=GRAPH_MEDIA[media[1]]) or b""
    return body, content_type(media[1]), triples.truncated


class _Capped:
    """A query's solutions or triples, at most ``max_rows`` of them (``truncated`` once more
    were left), until ``deadline`` (QueryTimeout after)."""

    def __init__(self, items: Iterable, max_rows: int, deadline: float | None) -> None:
        self.items, self.max_rows, self.deadline = items, max_rows, deadline
        self.truncated = False

    def __iter__(self) -> Iterator:
        for n, item in enumerate(self.items):
            if self.deadline is not None and time.monotonic() > self.deadline:
                raise QueryTimeout
            if n >= self.max_rows:
                self.truncated = True
                return
            yield item

"""Which format an answer is written in, from the request's Accept header, among the formats
registered in ``query.formats``: SPARQL results for SELECT and ASK, RDF for CONSTRUCT and
DESCRIBE."""

from __future__ import annotations

import mimeparse
import pyoxigraph as ox

from ofsted_kg.query.formats import (
    DEFAULT_GRAPH_FORMAT,
    DEFAULT_RESULTS_FORMAT,
    GRAPH_FORMATS,
    RESULTS_FORMATS,
)


class NotAcceptable(Exception):
    """The Accept header asks for no format this kind of answer can be written in."""


def _preference(by_name: dict, default: str, media_types: object) -> dict[str, object]:
    """Media type -> engine, least wanted first: mimeparse.best_match takes the last of equals
    (for ``*/*``), so the default format comes last, its first media type at the very end."""
    ordered = [f for name, f in reversed(by_name.items()) if name != default] + [by_name[default]]
    return {m: f.engine for f in ordered for m in reversed(media_types(f))}


RESULTS_MEDIA: dict[str, ox.QueryResultsFormat] = _preference(
    RESULTS_FORMATS, DEFAULT_RESULTS_FORMAT, lambda f: f.media_types
)  # type: ignore[assignment]
GRAPH_MEDIA: dict[str, ox.RdfFormat] = _preference(
    GRAPH_FORMATS, DEFAULT_GRAPH_FORMAT, lambda f: (f.media_type,)
)  # type: ignore[assignment]

Media = tuple[str | None, str | None]  # (for SELECT and ASK, for CONSTRUCT and DESCRIBE)
DEFAULT_MEDIA: Media = (list(RESULTS_MEDIA)[-1], list(GRAPH_MEDIA)[-1])


def negotiate(accept: str | None) -> Media:
    """The media types to answer in, (for SELECT and ASK, for CONSTRUCT and DESCRIBE), from an
    Accept header; None where it accepts none. No header, or one that does not parse, accepts
    the defaults."""
    if not accept or not accept.strip():
        return DEFAULT_MEDIA
    try:
        results = mimeparse.best_match(list(RESULTS_MEDIA), accept)
        graph = mimeparse.best_match(list(GRAPH_MEDIA), accept)
    except (mimeparse.MimeTypeParseException, ValueError):
        return DEFAULT_MEDIA
    return results or None, graph or None


def acceptable(media: dict) -> str:
    """The media types of a table, the default first (for a 406's message)."""
    return ", ".join(reversed(media))


def content_type(media: str) -> str:
    """The Content-Type an answer in ``media`` is labelled with (text is UTF-8)."""
    return f"{media}; charset=utf-8" if media.startswith("text/") else media
